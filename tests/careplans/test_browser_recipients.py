"""A clinic admin keeps the letter recipients in a real browser, on a desk and a phone."""

import pytest
from playwright.sync_api import expect

from careplans.models import Recipient
from tests.conftest import log_in
from tests.factories import RecipientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_add_a_recipient_and_take_one_out_of_use(page, clinic, clinic_admin):
    RecipientFactory(clinic=clinic, kind="gp", name="Willow Lane Medical Practice")
    log_in(page, "adele")
    page.get_by_role("button", name="Run Riverside Pelvic Health").click()
    page.get_by_role("link", name="Letter recipients").click()
    expect(
        page.get_by_role("heading", name="Riverside Pelvic Health: letter recipients")
    ).to_be_visible()

    page.get_by_role("link", name="Add a recipient: Urology").click()
    expect(page.get_by_label("Service")).to_have_value("urology")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Name: This field is required.")
    page.get_by_label("Name").fill("Urology Department, Exampletown General Hospital")
    page.get_by_label("Address").fill("1 Infirmary Road\nExampletown EX1 4AB")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Urology Department, Exampletown General Hospital was added.")
    ).to_be_visible()
    assert Recipient.objects.get(kind="urology").address.endswith("EX1 4AB")

    page.get_by_role("button", name="Deactivate Willow Lane Medical Practice").click()
    expect(page.get_by_text("Not in use")).to_be_visible()
    assert not Recipient.objects.get(kind="gp").is_active
    page.get_by_role("button", name="Reactivate Willow Lane Medical Practice").click()
    expect(page.get_by_text("Willow Lane Medical Practice is in use again.")).to_be_visible()
    assert page.console_errors == []


def test_the_directory_fits_a_phone(page, clinic, clinic_admin):
    RecipientFactory(
        clinic=clinic,
        kind="urogynaecology",
        name="Urogynaecology Service, St Sample's Women's Hospital",
        address="St Sample's Women's Hospital\n40 Meadow Street\nExampletown EX3 9EF",
    )
    RecipientFactory(clinic=clinic, kind="gp", name="Aspen Surgery", is_active=False)
    log_in(page, "adele")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/clinics/{clinic.pk}/recipients/")
        assert fits_the_width(page), width
        page.goto(f"/clinics/{clinic.pk}/recipients/new/")
        assert fits_the_width(page), width
    assert page.console_errors == []
