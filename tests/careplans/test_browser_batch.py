"""A clinic admin prints a batch in a real browser; the worker runs between the page's polls."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.careplans.test_batch import page_count, run_worker, signed_plan_for, stored_bytes
from tests.conftest import log_in
from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_print_a_batch_and_download_it(page, clinic, clinic_admin, therapist, library):
    plans = [
        signed_plan_for(PatientFactory(clinic=clinic, first_name=first, last_name=last), therapist)
        for first, last in (("Maria", "Santos"), ("Ines", "Almeida"))
    ]
    PatientFactory(clinic=clinic, first_name="Nora", last_name="Blake")

    log_in(page, "adele")
    page.goto(f"/batch/clinics/{clinic.pk}/new/?pick=all")
    expect(page.get_by_text("3 patients listed", exact=True)).to_be_visible()
    page.get_by_label("Blake, Nora").check()
    page.get_by_label("Santos, Maria").check()
    # A search keeps the ticks made before it.
    page.get_by_label("Name or record number").fill("Almeida")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("1 patient listed", exact=True)).to_be_visible()
    expect(page.get_by_test_id("selected-count")).to_have_text("2")
    page.get_by_label("Tick every patient on this page").check()
    expect(page.get_by_label("Almeida, Ines")).to_be_checked()
    page.get_by_label("One PDF").check()
    page.get_by_role("button", name="Print the selected plans").click()
    page.wait_for_url("**/batch/*/")

    progress = page.get_by_test_id("batch-progress")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    # The job is in the database: a reload shows it again.
    page.reload()
    expect(progress).to_have_attribute("aria-valuenow", "0")

    run_worker()

    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(progress).to_have_text("100%")
    expect(page.get_by_text("3 of 3 patients done, 2 printed.")).to_be_visible()
    expect(page.get_by_test_id("batch-failures")).to_contain_text(
        "Nora Blake — No signed care plan."
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    merged = download.value.path().read_bytes()
    assert len(PdfReader(io.BytesIO(merged)).pages) == sum(
        page_count(stored_bytes(p)) for p in plans
    )

    page.reload()
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert page.console_errors == []
