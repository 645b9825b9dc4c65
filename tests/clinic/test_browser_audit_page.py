"""A clinic admin reads the audit report in a real browser, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_clinic_admin_filters_the_report_by_action(
    page, clinic, clinic_admin, therapist, patient
):
    # Tess opens Maria's record and searches the list: both show in the report.
    log_in(page, "tess")
    page.goto(f"/patients/{patient.pk}/")
    page.goto("/patients/?q=santos")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "adele")
    page.get_by_role("button", name="Run Riverside Pelvic Health").click()
    page.get_by_role("link", name="Audit report").click()
    expect(
        page.get_by_role("heading", name="Riverside Pelvic Health: audit report")
    ).to_be_visible()
    page.get_by_label("Action").select_option(label="Listed or searched")
    page.get_by_role("button", name="Filter").click()

    table = page.get_by_role("table")
    # The search's row: what she typed and the patient it showed. (Her dashboard, which
    # names Maria too, is another listing with a row of its own.)
    search = table.get_by_role("row").filter(has=page.get_by_text("santos", exact=True))
    expect(search).to_have_count(1)
    expect(search.get_by_text("Listed or searched patients")).to_be_visible()
    expect(search.get_by_role("cell", name="R0001", exact=True)).to_be_visible()
    dashboard = table.get_by_role("row").filter(has_text="Opened the dashboard")
    expect(dashboard.filter(has=page.get_by_role("cell", name="R0001", exact=True))).to_have_count(
        1
    )
    expect(table.get_by_text("Opened patient record")).to_have_count(0)
    assert page.console_errors == []


def test_the_report_fits_a_phone(page, clinic, clinic_admin, therapist, patient):
    log_in(page, "tess")
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "adele")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/clinics/{clinic.pk}/audit/")
    expect(page.get_by_role("table").get_by_text("Opened patient record")).to_be_attached()
    # The wide table scrolls inside its own box; the page itself does not.
    assert fits_the_width(page)
    assert page.evaluate(
        "(() => { const box = document.querySelector('.table-responsive');"
        " return box.scrollWidth > box.clientWidth; })()"
    )
    assert page.console_errors == []
