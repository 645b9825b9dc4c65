"""A therapist with a patient in the room: intake with a red flag, diary, classification."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment, Status
from tests.conftest import load_next_page, log_in
from tests.factories import AssessmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DIARY = Path(__file__).parent / "data" / "diary-example.csv"


def test_intake_with_a_red_flag_and_a_diary(page, patient, therapist):
    log_in(page, "tess")
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("button", name="New intake").click()
    page.wait_for_url("**/edit/")

    # The steps: history and goals first, then symptoms.
    page.get_by_label("Main concern").fill("Leaks when coughing, and has to rush")
    page.get_by_role("button", name="Save and next").click()
    page.wait_for_url("**/edit/symptoms/")
    page.get_by_label("Leaks on effort").select_option("true")
    page.get_by_role("checkbox", name="cough").check()
    page.get_by_role("checkbox", name="sneeze").check()
    page.get_by_label("Urgency", exact=True).select_option("true")
    # Ticking a red flag shows the banner at once, before saving.
    assert not page.locator("#red-flag-live").is_visible()
    page.get_by_role("checkbox", name="Visible haematuria (urgent at 45").check()
    expect(page.locator("#red-flag-live")).to_be_visible()
    # Straight to the examination from the steps: what was typed is saved on the way.
    page.get_by_role("navigation", name="Intake steps").get_by_role(
        "link", name="Examination"
    ).click()
    page.wait_for_url("**/edit/examination/")
    page.get_by_label("Consent for internal examination recorded").select_option("true")
    page.get_by_label("Internal examination done").select_option("true")
    page.get_by_label("Resting tone").select_option("increased")
    page.get_by_label("Modified Oxford grade").fill("2")
    page.get_by_label("Relaxation after contraction").select_option("partial")
    page.get_by_role("button", name="Review and complete").click()
    page.wait_for_url("**/edit/review/")
    page.get_by_role("button", name="Complete assessment").click()

    page.wait_for_url("**/assessments/*/")
    assessment = Assessment.objects.get()
    assert assessment.status == Status.COMPLETE
    assert page.get_by_test_id("incontinence-type").inner_text().startswith("Mixed")
    assert page.get_by_test_id("tone-profile").inner_text() == "Tense and weak"
    assert page.get_by_text("Urgent: the GP (family doctor) within days").is_visible()

    # The diary belongs to a draft: a review carries the findings over.
    page.goto(f"/patients/{patient.pk}/")
    assert page.get_by_text("Urgent: the GP (family doctor) within days").is_visible()
    page.get_by_role("button", name="New review (from the last findings)").click()
    page.wait_for_url("**/edit/")
    assert page.get_by_label("Resting tone").input_value() == "increased"
    review = Assessment.objects.get(kind="review")
    page.goto(f"/assessments/{review.pk}/diary/")
    page.get_by_label("Diary file (CSV)").set_input_files(str(DIARY))
    load_next_page(page, page.get_by_role("button", name="Upload"))
    assert review.diary_entries.count() == 17
    page.goto(f"/assessments/{review.pk}/")
    frequency = page.locator(
        "tr", has=page.get_by_role("rowheader", name="Daytime frequency", exact=True)
    )
    assert "7.0" in frequency.inner_text()  # the worked example of diary-v1
    chart = page.locator(".diary-chart img").first
    chart.scroll_into_view_if_needed()  # the charts load lazily
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    assert page.console_errors == []


def test_referral_clears_the_banner(page, patient, therapist):
    assessment = AssessmentFactory(
        patient=patient,
        therapist=therapist,
        assessed_on=timezone.localdate(),
        red_flags=["pelvic_mass"],
        has_red_flags=True,
        status=Status.COMPLETE,
    )
    log_in(page, "tess")
    page.goto(f"/assessments/{assessment.pk}/")
    page.get_by_label("Referral made").fill("Urogynaecology, urgent letter sent today")
    load_next_page(page, page.get_by_role("button", name="Record the referral"))
    assert not page.get_by_text("Urgent: the GP (family doctor) within days").is_visible()
    page.goto(f"/patients/{patient.pk}/")
    assert not page.get_by_text("Urgent: the GP (family doctor) within days").is_visible()
