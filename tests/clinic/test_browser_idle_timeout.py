"""The idle sign-out in a real browser, with the clock shortened: the real middleware and
script, an 8-second timeout and its warning 5 seconds before the end."""

import time

import pytest

from assessments.models import Assessment
from tests.conftest import log_in
from tests.factories import AssessmentFactory
from tests.practice.test_browser_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT, WARNING = 8, 5


@pytest.fixture
def short_timeout(settings):
    settings.IDLE_TIMEOUT_SECONDS = TIMEOUT
    settings.IDLE_WARNING_SECONDS = WARNING


def test_the_warning_lets_you_stay_signed_in(page, short_timeout, therapist):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "tess")
    page.goto("/patients/")
    loaded = time.monotonic()
    dialog = page.get_by_role("alertdialog", name="Still there?")
    dialog.wait_for()
    assert dialog.get_by_text("You will be signed out in 1 minute.").is_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert serious_violations(page, "the idle warning on /patients/") == []

    stay.click()
    dialog.wait_for(state="hidden")
    # Past the first deadline, still signed in: "Stay signed in" started the time again.
    time.sleep(max(0, loaded + TIMEOUT + 1 - time.monotonic()))
    page.goto("/patients/")
    assert page.url.endswith("/patients/")
    assert page.get_by_role("heading", name="Patients").is_visible()
    assert page.console_errors == []


def test_without_an_answer_you_are_signed_out_and_keep_the_draft(
    page, short_timeout, patient, therapist
):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    log_in(page, "tess")
    # A later step of the intake, typed into and not saved.
    page.goto(f"/assessments/{assessment.pk}/edit/symptoms/")
    page.get_by_label("Urgency", exact=True).select_option("true")
    page.get_by_label("Voids while awake").fill("11")

    # Nobody answers the warning; the draft is saved while it shows.
    page.get_by_role("alertdialog").get_by_text("Your draft has been saved").wait_for()
    page.wait_for_url("**/login/?next=*", timeout=15_000)
    assert page.get_by_text("You were signed out after 1 minute without activity.").is_visible()

    page.get_by_label("Username").fill("tess")
    page.get_by_label("Password").fill("test-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/edit/symptoms/")
    assert page.get_by_label("Urgency", exact=True).input_value() == "true"
    assert page.get_by_label("Voids while awake").input_value() == "11"
    saved = Assessment.objects.get()
    assert (saved.status, saved.urgency, saved.day_voids) == ("draft", True, 11)
    assert page.console_errors == []


def test_the_warning_is_not_on_the_login_page(page, short_timeout):
    page.goto("/login/")
    assert page.locator("#idle-warning").count() == 0
    log_in_page_script = page.locator("script[src*='idle.js']")
    assert log_in_page_script.count() == 0
