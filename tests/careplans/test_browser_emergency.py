"""A therapist finds saddle anaesthesia at the intake: every screen and every paper that
leaves the clinic says "emergency department now" (clinical reference, section 3 rule 1)."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from careplans.models import CarePlan, PlanStatus
from tests.careplans.test_documents import text_of
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_page(pdf: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_saddle_anaesthesia_from_intake_to_the_emergency_letter(page, patient, therapist, library):
    log_in(page, "tess")
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("button", name="New intake").click()
    page.wait_for_url("**/edit/")

    def save_and_next(url_ending: str) -> None:
        page.get_by_role("button", name="Save and next").click()
        page.wait_for_url(f"**{url_ending}")

    save_and_next("/edit/symptoms/")
    page.get_by_label("Leaks on effort").select_option("true")
    page.get_by_role("checkbox", name="cough").check()
    page.get_by_label("Urgency", exact=True).select_option("false")
    page.get_by_label("Voiding difficulty").select_option("true")
    page.get_by_label("Any red flag").select_option("true")
    page.get_by_role("checkbox", name="Saddle anaesthesia").check()
    # The red flag is on screen at once, before any save.
    expect(page.locator("#red-flag-live")).to_be_visible()
    save_and_next("/questionnaires/")
    save_and_next("/diary/")
    save_and_next("/edit/examination/")
    page.get_by_label("Consent for internal examination recorded").select_option("true")
    page.get_by_label("Internal examination done").select_option("true")
    page.get_by_label("Resting tone").select_option("normal")
    page.get_by_label("Modified Oxford grade").fill("3")
    page.get_by_label("Relaxation after contraction").select_option("complete")
    save_and_next("/edit/hormonal/")
    save_and_next("/edit/review/")
    page.get_by_role("button", name="Complete assessment").click()
    page.wait_for_url("**/assessments/*/")

    # The patient's banner: the emergency department, now.
    banner = page.locator('[role="alert"][data-tier="emergency"]')
    expect(banner).to_contain_text("Emergency: send to an emergency department now")
    expect(banner).to_contain_text("Suspected cauda equina syndrome.")

    page.get_by_role("button", name="Build plan").click()
    page.wait_for_url("**/plans/*/")
    plan = CarePlan.objects.get()
    assert plan.referral_urgency == "emergency"
    expect(page.locator('[role="alert"][data-tier="emergency"]')).to_contain_text(
        "emergency department"
    )
    first_item = page.locator(".plan-item").first
    expect(first_item.locator(".plan-item-title")).to_have_text("Go to an emergency department now")
    expect(first_item.locator(".plan-item-details")).to_contain_text("urgent_referral.red_flags")

    # The letters due: the emergency department first.
    letter_link = page.get_by_role("link", name="Letter to Emergency department")
    expect(letter_link).to_be_visible()

    # Sign, with a reason if the safety check asks for one.
    reason = page.get_by_label("Why sign it despite the safety warnings?")
    if reason.count():
        reason.fill("Reviewed with the patient; she is on her way to the emergency department")
        page.get_by_role("button", name="Sign despite the warnings").click()
    else:
        page.get_by_role("button", name="Sign the plan").click()
    page.wait_for_url("**/plans/*/")
    expect(page.get_by_text("A signed plan never changes.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED

    # The signed patient plan, as downloaded: page 1 sends the patient now.
    printed = page.request.get(
        page.get_by_role("link", name="Print the patient's plan").get_attribute("href")
    )
    assert printed.headers["content-type"] == "application/pdf"
    first = first_page(printed.body())
    assert "Go to an emergency department now. Do not wait for an appointment." in first
    assert "Your plan at a glance" not in first

    # The letter link: to the emergency department, naming the suspected condition.
    href = page.get_by_role("link", name="Letter to Emergency department").get_attribute("href")
    assert href.endswith("?to=emergency_department")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    letter = text_of(response.body())
    assert "To: Emergency department" in letter
    assert "suspected cauda equina syndrome" in letter
    assert "Saddle anaesthesia" in letter and "Voiding difficulty" in letter
    assert page.console_errors == []
