"""The intake's steps in a browser (issue 13): walked at desk width with the save bar at
the bottom; dependent fields follow their parent; the questionnaires fit a phone."""

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, Status
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def steps_nav(page):
    return page.get_by_role("navigation", name="Intake steps")


def test_walking_the_steps_at_desk_width(page, patient, therapist):
    log_in(page, "tess")
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("button", name="New intake").click()
    page.wait_for_url("**/edit/")
    assessment = Assessment.objects.get()

    # 1. History and goals. The save bar stays at the bottom of the window.
    expect(steps_nav(page).locator("[aria-current='step']")).to_contain_text("History and goals")
    bar = page.locator(".intake-savebar")
    box = bar.bounding_box()
    assert box and abs(box["y"] + box["height"] - 900) < 2
    # Prostatectomy waits behind "Fields for other anatomy" for a patient with a vulva.
    assert not page.get_by_label("Prostatectomy", exact=True).is_visible()
    page.get_by_text("Fields for other anatomy").click()
    expect(page.get_by_label("Prostatectomy", exact=True)).to_be_visible()
    weeks = page.get_by_label("Weeks since prostatectomy")
    expect(weeks).to_be_disabled()  # asked once the prostatectomy is Yes
    page.get_by_label("Main concern").fill("Leaks when I run")
    page.get_by_label("The patient's goals").fill("Run with my kids")
    page.get_by_label("Diabetes").select_option("false")
    page.get_by_role("button", name="Save and next").click()

    # 2. Symptoms: "Leaks on effort" No unticks and disables its triggers, Yes restores them.
    page.wait_for_url("**/edit/symptoms/")
    page.get_by_label("Leaks on effort").select_option("true")
    page.get_by_role("checkbox", name="cough").check()
    page.get_by_label("Leaks on effort").select_option("false")
    cough = page.get_by_role("checkbox", name="cough")
    expect(cough).to_be_disabled()
    expect(cough).not_to_be_checked()
    expect(page.get_by_text("Not asked: “Leaks on effort” is No.")).to_be_visible()
    page.get_by_label("Leaks on effort").select_option("true")
    expect(cough).to_be_enabled()
    expect(cough).to_be_checked()
    page.get_by_label("Any red flag").select_option("false")
    # The last field is not hidden under the save bar once scrolled to the end.
    page.evaluate(
        "window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'})"
    )
    last = page.locator("#section-red_flags").bounding_box()
    assert last and last["y"] + last["height"] <= bar.bounding_box()["y"]
    page.get_by_role("button", name="Save and next").click()

    # 3. Questionnaires, 4. diary: each links onward.
    page.wait_for_url("**/questionnaires/")
    page.get_by_label("frequency score (0–5)").select_option("2")
    page.get_by_label("amount score").select_option("2")
    page.get_by_label("interference score").select_option("3")
    page.get_by_role("button", name="Save and next").click()
    page.wait_for_url("**/diary/")
    expect(page.get_by_label("Time")).to_be_focused()
    page.keyboard.type("2026-03-02 07:05")
    page.get_by_label("Event").select_option("void")
    page.get_by_label("Volume (mL)").fill("280")
    page.get_by_role("button", name="Save and next").click()  # the typed row is added first

    # 5. Examination: findings wait for consent.
    page.wait_for_url("**/edit/examination/")
    expect(page.get_by_label("Modified Oxford grade")).to_be_disabled()
    page.get_by_label("Consent for internal examination recorded").select_option("true")
    page.get_by_label("Modified Oxford grade").fill("3")
    page.get_by_role("button", name="Save and next").click()

    # 6. Hormonal: weeks postpartum only with "Postpartum".
    page.wait_for_url("**/edit/hormonal/")
    expect(page.get_by_label("Weeks postpartum")).to_be_disabled()
    page.get_by_label("Hormonal status").select_option("premenopausal")
    page.get_by_role("button", name="Save and next").click()

    # 7. Review: nothing of the above is listed missing; the goals are not all there.
    page.wait_for_url("**/edit/review/")
    missing = page.locator("#review-missing")
    expect(missing).not_to_contain_text("No questionnaire entered.")
    expect(missing).not_to_contain_text("No bladder diary.")
    expect(missing).not_to_contain_text("main concern")
    expect(page.locator("#review-locks")).to_contain_text("the questionnaires")
    for key in ("history", "symptoms", "questionnaires", "diary", "examination", "hormonal"):
        expect(steps_nav(page).locator(f"a[data-step='{key}'] .step-state")).to_have_text("done")
    page.get_by_role("button", name="Complete assessment").click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/")

    assessment.refresh_from_db()
    assert assessment.status == Status.COMPLETE
    assert (assessment.chief_complaint, assessment.goals) == (
        "Leaks when I run",
        "Run with my kids",
    )
    assert assessment.stress_leak_triggers == ["cough"]
    assert assessment.red_flags == []
    assert (assessment.consent_recorded, assessment.oxford_grade) == (True, 3)
    assert assessment.diary_entries.get().volume_ml == 280
    assert assessment.questionnaires["iciq_ui_sf"]["interference"] == 3
    assert page.console_errors == []


def test_the_questionnaires_fit_a_phone(page, patient, therapist):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "tess")
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("button", name="New intake").click()
    page.wait_for_url("**/edit/")
    assessment = Assessment.objects.get()
    page.goto(f"/assessments/{assessment.pk}/questionnaires/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Every answer of a question in view, each with its words; one tap answers.
    answers = page.locator("label[for='id_pfdi20_1_4']")
    expect(answers).to_be_visible()
    expect(answers).to_contain_text("Yes, quite a bit")
    box = answers.bounding_box()
    assert box and box["x"] + box["width"] <= 390 and box["height"] >= 44
    answers.click()
    expect(page.locator("#id_pfdi20_1_4")).to_be_checked()
    # The save bar fits too.
    for name in ("Save questionnaires", "Save and next", "Review and complete"):
        button = page.get_by_role("button", name=name)
        expect(button).to_be_visible()
        b = button.bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 390
    assert page.console_errors == []
