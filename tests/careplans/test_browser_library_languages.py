"""A clinic admin reviews a Spanish library text beside the English, on a phone and a
desk, in a real browser."""

import pytest
from playwright.sync_api import expect

from careplans.models import InterventionText, WordingStatus
from careplans.services.library import library_install
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_review_a_spanish_text_on_a_phone(page, clinic, clinic_admin):
    library_install(clinic=clinic)
    text = InterventionText.objects.get(
        intervention__clinic=clinic, intervention__code="strengthening.pfmt"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "adele")
    page.goto("/library/")
    entry = page.locator(f"#entry-{text.intervention_id}")
    expect(entry.get_by_text("Drafted")).to_be_visible()
    assert fits_the_width(page)

    entry.get_by_role("link", name="Review Spanish: Pelvic floor exercises").click()
    expect(
        page.get_by_role("heading", name="Spanish wording of strengthening.pfmt")
    ).to_be_visible()
    assert fits_the_width(page)
    # At 390 px the English sits above the Spanish it translates, both full width.
    english = page.locator(".english-text").nth(1).bounding_box()
    field = page.get_by_label("Spanish: what to do, in plain words").bounding_box()
    assert english["y"] + english["height"] <= field["y"]
    assert abs(english["width"] - field["width"]) < 40

    page.get_by_label("Spanish: title for the patient").fill(
        "Ejercicios del suelo pélvico: apriete, suba y suelte del todo"
    )
    page.get_by_label("Reviewed: a clinician fluent in this language has checked").check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Spanish wording of strengthening.pfmt saved: Reviewed.")
    ).to_be_visible()
    text.refresh_from_db()
    assert (text.status, text.reviewed_by) == (WordingStatus.REVIEWED, clinic_admin)
    expect(
        page.locator(f"#entry-{text.intervention_id}").get_by_text("by Adele Brooks on")
    ).to_be_visible()

    # On a desk the two columns sit side by side.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/library/{text.intervention_id}/texts/es/")
    english = page.locator(".english-text").nth(1).bounding_box()
    field = page.get_by_label("Spanish: what to do, in plain words").bounding_box()
    assert english["x"] + english["width"] <= field["x"]
    assert abs(english["y"] - field["y"]) < 40
