"""A front-desk morning in a real browser: log in, add a patient, find them again."""

import pytest

from clinic.models import Patient
from tests.conftest import load_next_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_create_a_patient_and_find_them(page, clinic, therapist):
    log_in(page, "tess")
    page.get_by_role("link", name="New patient").click()
    page.get_by_label("Record number").fill("R2001")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_label("Date of birth").fill("1984-06-30")
    page.get_by_label("Vulva").check()
    page.get_by_label("Pronouns").fill("she/her")
    load_next_page(page, page.get_by_role("button", name="Save"))

    assert page.get_by_role("heading", name="Noor Haddad").is_visible()
    assert Patient.objects.get().record_number == "R2001"

    load_next_page(page, page.get_by_role("link", name="Patients"))
    page.get_by_label("Search").fill("hadd")
    load_next_page(page, page.get_by_role("button", name="Find"))
    load_next_page(page, page.get_by_role("link", name="Haddad, Noor"))
    assert page.get_by_text("she/her").first.is_visible()
    assert page.console_errors == []  # the Content-Security-Policy blocks nothing we serve


def test_a_form_error_keeps_what_was_typed(page, clinic, therapist):
    log_in(page, "tess")
    page.goto("/patients/new/")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Haddad")
    load_next_page(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("Please correct the fields marked below").is_visible()
    assert page.get_by_label("Last name").input_value() == "Haddad"
    assert not Patient.objects.exists()


def test_another_clinics_patient_is_not_found(page, patient, outsider):
    log_in(page, "omar")
    response = page.goto(f"/patients/{patient.pk}/")
    assert response.status == 404
