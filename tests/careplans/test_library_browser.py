"""A clinic admin writes a library entry in a real browser: the preview follows the typing,
and the form fits a phone."""

import pytest
from playwright.sync_api import expect

from careplans.models import Intervention
from careplans.services.library import library_install
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_preview_follows_what_is_typed(page, clinic, clinic_admin, width):
    library_install(clinic=clinic)
    entry = Intervention.objects.get(clinic=clinic, code="strengthening.pfmt")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "adele")
    page.goto(f"/library/{entry.pk}/edit/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    preview = page.locator("#library-preview")
    expect(preview).to_contain_text("Hold for 3 seconds.")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Hold (seconds)").fill("9")
    expect(preview).not_to_contain_text("Hold for 3 seconds.")
    expect(preview.locator(".preview-anatomy")).to_have_count(3)
    for section in preview.locator(".preview-anatomy").all():
        expect(section).to_contain_text("Hold for 9 seconds.")
    # Emptying the penis wording: those patients now read the main text, and it says so.
    page.get_by_label("Wording for a patient with a penis").fill("")
    note = page.locator("[data-readers-for='patient_text_penis']")
    expect(note).to_have_text("Empty: Patients with a penis read the main text.")
    assert page.evaluate("window.notReloaded === true")
    entry.refresh_from_db()
    assert entry.default_dosing["hold_s"] == 3  # a preview saves nothing


def test_a_new_entry_shows_the_code_its_title_makes(page, clinic, clinic_admin):
    library_install(clinic=clinic)
    log_in(page, "adele")
    page.goto("/library/new/")
    page.get_by_label("Category").select_option("lifestyle")
    page.get_by_label("Title for the patient").fill("Walking")
    page.get_by_text("Details").click()
    expect(page.locator("#library-code")).to_have_text("lifestyle.walking")
