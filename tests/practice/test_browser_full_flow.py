"""The therapist's whole job in a browser (issue 13): from the patient's page a new intake,
walked through the step navigation only, to a built, edited and signed plan and its three
documents. Editing the plan's items never reloads the page nor moves it on the screen.

The test counts what the therapist does (clicks on buttons and links; fields set) and
prints the counts, to compare the flow's mechanics before and after a change.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import Assessment, Status
from careplans.models import CarePlan, PlanStatus
from careplans.rules import BREATHING, PFMT
from tests.conftest import log_in
from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The contract's example diary (contracts/examples/diary-example.csv), as the tests keep it.
DIARY_CSV = Path(__file__).parent.parent / "assessments" / "data" / "diary-example.csv"

CONCERN = "I leak when I cough or sneeze, and I can't always make it to the toilet"
GOALS = "Play netball again without pads\nSleep through the night"


class Therapist:
    """The page, as the therapist uses it: every click and every field set is counted."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.fields = 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        self.fields += 1

    def select(self, locator, value: str) -> None:
        locator.select_option(value)
        self.fields += 1

    def tick(self, locator) -> None:
        locator.check()
        self.fields += 1

    def attach(self, locator, path: Path) -> None:
        locator.set_input_files(path)
        self.fields += 1

    def save_and_next(self, url_ending: str) -> None:
        self.click(self.page.get_by_role("button", name="Save and next"))
        self.page.wait_for_url(f"**{url_ending}")


def steps_nav(page):
    return page.get_by_role("navigation", name="Intake steps")


def current_step(page):
    return steps_nav(page).locator("[aria-current='step']")


def pdf_text(body: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages
    )


@pytest.fixture
def new_patient(clinic, therapist, media_root):
    """A patient of the therapist's clinic with no visit yet, and the clinic's library."""
    call_command("load_library", verbosity=0)
    return PatientFactory(
        clinic=clinic,
        first_name="Nadia",
        last_name="Okoro",
        record_number="R0042",
        assigned_therapist=therapist,
    )


def test_intake_to_signed_plan_and_its_documents(page, new_patient):
    you = Therapist(page)
    log_in(page, "tess")
    page.goto(f"/patients/{new_patient.pk}/")

    # --- The intake, step by step -------------------------------------------------------
    you.click(page.get_by_role("button", name="New intake"))
    page.wait_for_url("**/edit/")
    assessment = Assessment.objects.get(patient=new_patient)
    expect(current_step(page)).to_contain_text("History and goals")
    for key in ("history", "symptoms", "questionnaires", "diary", "examination", "hormonal"):
        expect(steps_nav(page).locator(f"a[data-step='{key}'] .step-state")).to_have_text("missing")

    # 1. History and goals: what brings her, in her words.
    you.fill(page.get_by_label("Main concern"), CONCERN)
    you.fill(page.get_by_label("The patient's goals"), GOALS)
    you.fill(page.get_by_label("Vaginal births"), "2")
    you.save_and_next("/edit/symptoms/")

    # 2. Symptoms: stress leaks on cough and sneeze (ticking a trigger answers "Leaks on
    # effort" Yes), urgency, 10 voids by day and 2 at night, no red flag.
    expect(current_step(page)).to_contain_text("Symptoms")
    you.tick(page.get_by_role("checkbox", name="cough"))
    you.tick(page.get_by_role("checkbox", name="sneeze"))
    expect(page.get_by_label("Leaks on effort")).to_have_value("true")
    you.select(page.get_by_label("Urgency", exact=True), "true")
    you.fill(page.get_by_label("Voids while awake"), "10")
    you.fill(page.get_by_label("Times woken to void"), "2")
    you.select(page.get_by_label("Any red flag"), "false")
    you.save_and_next("/questionnaires/")

    # 3. Questionnaires: the ICIQ-UI SF.
    expect(current_step(page)).to_contain_text("Questionnaires")
    you.select(page.get_by_label("frequency score (0–5)"), "2")
    you.select(page.get_by_label("amount score"), "2")
    you.select(page.get_by_label("interference score"), "6")
    you.save_and_next("/diary/")

    # 4. Bladder diary: the patient's diary file, uploaded.
    expect(current_step(page)).to_contain_text("Bladder diary")
    upload = page.locator("#diary-upload")
    you.attach(upload.locator("input[type=file]"), DIARY_CSV)
    you.click(upload.get_by_role("button", name="Upload"))
    expect(page.get_by_text("Diary uploaded: 17 rows now make up the diary.")).to_be_visible()
    expect(steps_nav(page).locator("a[data-step='diary'] .step-state")).to_have_text("done")
    you.save_and_next("/edit/examination/")

    # 5. Examination: consent first, then the internal findings.
    expect(current_step(page)).to_contain_text("Examination")
    you.select(page.get_by_label("Consent for internal examination recorded"), "true")
    you.select(page.get_by_label("Internal examination done"), "true")
    you.select(page.get_by_label("Resting tone"), "normal")
    you.fill(page.get_by_label("Modified Oxford grade"), "3")
    you.fill(page.get_by_label("Endurance (s)"), "6")
    you.fill(page.get_by_label("Repetitions"), "8")
    you.save_and_next("/edit/hormonal/")

    # 6. Hormonal status.
    expect(current_step(page)).to_contain_text("Hormonal status")
    you.select(page.get_by_label("Hormonal status"), "premenopausal")
    you.save_and_next("/edit/review/")

    # 7. Review: nothing missing; what completing locks; then complete.
    expect(current_step(page)).to_contain_text("Review and complete")
    expect(page.locator("#review-missing")).to_have_text("Nothing: every step holds something.")
    expect(page.locator("#review-problems")).to_have_count(0)
    for key in ("history", "symptoms", "questionnaires", "diary", "examination", "hormonal"):
        expect(steps_nav(page).locator(f"a[data-step='{key}'] .step-state")).to_have_text("done")
    expect(page.locator("#review-locks")).to_contain_text("the bladder diary")
    you.click(page.get_by_role("button", name="Complete assessment"))
    page.wait_for_url(f"**/assessments/{assessment.pk}/")
    assessment.refresh_from_db()
    assert assessment.status == Status.COMPLETE
    assert (assessment.chief_complaint, assessment.goals.replace("\r\n", "\n")) == (CONCERN, GOALS)
    assert assessment.stress_leak_triggers == ["cough", "sneeze"]
    assert (assessment.urgency, assessment.day_voids, assessment.night_voids) == (True, 10, 2)
    assert (assessment.oxford_grade, assessment.endurance_s, assessment.repetitions) == (3, 6, 8)
    assert assessment.diary_entries.count() == 17

    # --- The plan, edited in place --------------------------------------------------------
    you.click(page.get_by_role("button", name="Build plan"))
    page.wait_for_url("**/plans/*/")
    plan = CarePlan.objects.get(assessment=assessment)
    items = list(plan.items.order_by("position"))
    assert len(items) >= 6
    page.evaluate("window.__flowMarker = 1")

    def scroll_y() -> float:
        return page.evaluate("window.scrollY")

    def top(locator) -> float:
        return locator.evaluate("element => element.getBoundingClientRect().top")

    def not_reloaded() -> None:
        assert page.evaluate("window.__flowMarker") == 1, "the page reloaded"

    # A dose: the pelvic floor training's hold, low on the page.
    pfmt = plan.items.get(code=PFMT)
    item = page.locator(f"#item-{pfmt.pk}")
    hold = item.get_by_label("Hold (seconds)")
    old_hold = int(hold.input_value())
    assert old_hold == 6  # the hold starts at the endurance found: 6 s
    new_hold = old_hold + 2
    hold.scroll_into_view_if_needed()
    # The item low on the screen, the page well scrolled; an instant scroll (a wheel is
    # smooth under Bootstrap and may still be moving when the position is read).
    page.evaluate("window.scrollTo({top: window.scrollY + 200, behavior: 'instant'})")
    assert scroll_y() > 300
    before = scroll_y()
    you.fill(hold, str(new_hold))
    you.click(item.get_by_role("button", name="Save"))
    expect(item.locator("[data-status-slot]")).to_contain_text("Saved")
    not_reloaded()
    assert abs(scroll_y() - before) <= 3
    expect(item.locator("[data-dose]")).to_contain_text(f"Hold {new_hold} seconds")
    description = item.locator("[data-description]").inner_text()
    assert f"× {new_hold} s" in description and f"× {old_hold} s" not in description
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == new_hold

    # A safety item removed with a reason, then restored: the item stays where it is on
    # the screen while the safety check opens and closes above it.
    breathing = page.locator(f"#item-{plan.items.get(code=BREATHING).pk}")
    breathing.scroll_into_view_if_needed()
    before, at = scroll_y(), top(breathing)
    you.fill(breathing.get_by_placeholder("Reason (required)"), "Does this daily in yoga")
    you.click(breathing.get_by_role("button", name="Remove"))
    expect(breathing).to_contain_text("Removed: Does this daily in yoga")
    expect(page.locator("#safety-check")).to_be_visible()
    not_reloaded()
    assert abs(top(breathing) - at) <= 3
    you.click(breathing.get_by_role("button", name="Restore"))
    expect(breathing.get_by_role("button", name="Remove")).to_be_visible()
    expect(page.locator("#safety-check")).to_be_hidden()
    not_reloaded()
    assert abs(top(breathing) - at) <= 3
    assert abs(scroll_y() - before) <= 3  # the safety check closed again: back where it was
    assert not plan.items.get(code=BREATHING).removed

    # An item moved up: it stays under the pointer, and the order changes.
    moved = items[-1] if items[-1].code != PFMT else items[-2]
    row = page.locator(f"#item-{moved.pk}")
    move_up = row.get_by_role("button", name="Move up")
    move_up.scroll_into_view_if_needed()
    before, at = scroll_y(), top(row)
    order_before = page.locator("[data-plan-item]").evaluate_all("els => els.map(e => e.id)")
    you.click(move_up)
    expect(row.locator("[data-status-slot]")).to_contain_text("Moved up")
    not_reloaded()
    assert abs(top(row) - at) <= 3
    order_after = page.locator("[data-plan-item]").evaluate_all("els => els.map(e => e.id)")
    at_before = order_before.index(f"item-{moved.pk}")
    assert order_after.index(f"item-{moved.pk}") == at_before - 1
    # The page followed the item up the list (by the one item it passed), no further.
    passed = page.locator(f"#{order_before[at_before - 1]}").bounding_box()
    assert 0 < before - scroll_y() <= passed["height"] + 60
    assert page.console_errors == []

    # --- Sign -------------------------------------------------------------------------
    # Every safety item is back: the plan signs without a reason.
    expect(page.get_by_label("Why sign it despite the safety warnings?")).to_have_count(0)
    you.click(page.get_by_role("button", name="Sign the plan"))
    page.wait_for_url("**/plans/*/")
    expect(page.get_by_text("A signed plan never changes.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED
    assert plan.items.get(code=PFMT).dosing["hold_s"] == new_hold

    # --- The three documents, from the signed plan's page ---------------------------------
    # No referral is due for this case: the letter is the one offered on request, to her GP.
    expect(page.get_by_role("link", name="Letter to ")).to_have_count(0)
    you.click(page.get_by_role("button", name="Letter on request (none due)"))
    links = {
        "patient plan": page.get_by_role("link", name="Print the patient's plan"),
        "clinician summary": page.get_by_role("link", name="Clinician summary"),
        "letter": page.get_by_role("link", name="GP (family doctor)"),
    }
    texts = {}
    for name, link in links.items():
        expect(link).to_be_visible()
        you.clicks += 1  # opening it (fetched here with the session, to read the PDF)
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200, name
        assert response.headers["content-type"] == "application/pdf", name
        texts[name] = pdf_text(response.body())
    for goal in GOALS.splitlines():
        assert goal in texts["patient plan"]
    assert "Nadia" in texts["clinician summary"]
    assert "Nadia" in texts["letter"]

    print(f"\nFull flow: {you.clicks} clicks, {you.fields} fields")
    assert page.console_errors == []
