"""The therapist / colleague / other-clinic trio, and a clinic admin of each clinic.

`therapist` owns `patient` (assigned to her); `colleague` works in the same clinic;
`outsider` and `other_clinic_admin` work in `other_clinic`, whose `other_clinic_patient`
our users must never see.
"""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Role
from tests.factories import ClinicFactory, MembershipFactory, PatientFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing(django_test_environment):
    """Hash test passwords quickly (the demo fixture's real hashes still verify): a
    sign-in test otherwise spends most of its time in PBKDF2."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request in Spanish leaves Spanish active
    in the thread (LocaleMiddleware activates a language and never resets it)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files (signed PDFs, batch outputs, uploads) in a folder of the test's own."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


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


@contextmanager
def browser_tab(browser, live_server, **options):
    """One tab in a browser context of its own (no cookie shared with another tab), which
    keeps the console's errors in ``page.console_errors``."""
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server):
    with browser_tab(browser, live_server, viewport={"width": 1280, "height": 900}) as page:
        yield page


def load_next_page(page, target) -> None:
    """Click ``target`` (a button that sends a form, or a link) and wait until the page it
    opens has loaded and run its scripts. A click alone does not wait for that, and
    ``wait_for_url`` returns at once when the next page has the same address (a form shown
    again with its errors, a redirect back to the same page): a read straight after would
    see the old page, or the new one before its scripts ran."""
    with page.expect_navigation():
        target.click()


def log_in(page, username: str, password: str = "test-pass-123") -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def two_factor_verified(client, user) -> None:
    """Sign ``client`` in as ``user`` past the second step, as a code typed at the verify
    page would (site administrators always owe it)."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
