"""The therapist / colleague / other-clinic trio, and a clinic admin of each clinic.

`therapist` owns `patient` (assigned to her); `colleague` works in the same clinic;
`outsider` and `other_clinic_admin` work in `other_clinic`, whose `other_clinic_patient`
our users must never see.
"""

import pytest
from django.test import Client

from clinic.models import Role
from tests.factories import ClinicFactory, MembershipFactory, PatientFactory, UserFactory


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Riverside Pelvic Health")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Harbour Physiotherapy")


@pytest.fixture
def therapist(clinic):
    user = UserFactory(username="tess", first_name="Tess", last_name="Morgan")
    MembershipFactory(user=user, clinic=clinic, role=Role.THERAPIST)
    return user


@pytest.fixture
def colleague(clinic):
    user = UserFactory(username="colin", first_name="Colin", last_name="Reyes")
    MembershipFactory(user=user, clinic=clinic, role=Role.THERAPIST)
    return user


@pytest.fixture
def clinic_admin(clinic):
    user = UserFactory(username="adele", first_name="Adele", last_name="Brooks")
    MembershipFactory(user=user, clinic=clinic, role=Role.CLINIC_ADMIN)
    return user


@pytest.fixture
def outsider(other_clinic):
    """A therapist of another clinic: must never see our patients."""
    user = UserFactory(username="omar", first_name="Omar", last_name="Lindqvist")
    MembershipFactory(user=user, clinic=other_clinic, role=Role.THERAPIST)
    return user


@pytest.fixture
def other_clinic_admin(other_clinic):
    """A clinic admin of another clinic: admin rights end at their own clinic."""
    user = UserFactory(username="olga", first_name="Olga", last_name="Nyberg")
    MembershipFactory(user=user, clinic=other_clinic, role=Role.CLINIC_ADMIN)
    return user


@pytest.fixture
def other_clinic_patient(other_clinic, outsider):
    return PatientFactory(clinic=other_clinic, assigned_therapist=outsider)


@pytest.fixture
def patient(clinic, therapist):
    return PatientFactory(
        clinic=clinic,
        first_name="Maria",
        last_name="Santos",
        record_number="R0001",
        assigned_therapist=therapist,
    )


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def colleague_client(db, colleague):
    """A client of its own, so a test can use it beside `therapist_client`."""
    colleague_client = Client()
    colleague_client.force_login(colleague)
    return colleague_client


@pytest.fixture
def admin_client_(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


# --- Browser tests: Playwright from PyPI driving Debian's Chromium, never a downloaded one.

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out of a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("FLOORPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def log_in(page, username: str, password: str = "test-pass-123") -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
