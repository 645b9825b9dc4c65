"""The printed documents: plans built from intakes through the real builder, rendered to
PDF with WeasyPrint, and read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.intake_io import intake_diary, intake_import
from assessments.models import Status
from careplans import documents, services
from careplans.models import CarePlan
from tests.careplans.conftest import example_intake
from tests.factories import PatientFactory

DIARY = [
    {"time": "2026-03-02T06:45", "event": "rise"},
    {"time": "2026-03-02T06:50", "event": "void", "volume_ml": 380, "urgency": 1},
    {"time": "2026-03-02T09:05", "event": "void", "volume_ml": 210, "urgency": 2},
    {"time": "2026-03-02T12:40", "event": "leak", "urgency": 3},
    {"time": "2026-03-02T14:05", "event": "void", "volume_ml": 240, "urgency": 2},
    {"time": "2026-03-02T22:30", "event": "bed"},
    {"time": "2026-03-03T03:20", "event": "void", "volume_ml": 310, "urgency": 2},
    {"time": "2026-03-03T06:40", "event": "rise"},
    {"time": "2026-03-03T06:45", "event": "void", "volume_ml": 400, "urgency": 2},
]


def prostatectomy_intake() -> dict:
    """Stress leaks ten weeks after a radical prostatectomy; no pain, full relaxation."""
    return {
        "schema": "pelvic-intake/1",
        "patient": {"anatomy": "penis", "age": 67, "pronouns": "she/her", "language": "en"},
        "symptoms": {
            "stress_leak_triggers": ["cough", "lift", "stand_up"],
            "urgency": False,
            "urge_leaks": False,
            "pelvic_pain": False,
            "painful_orgasm": False,
            "constipation": False,
        },
        "exam": {
            "consent_recorded": True,
            "internal_exam": True,
            "tone": "normal",
            "oxford_grade": 2,
            "endurance_s": 5,
            "repetitions": 6,
            "fast_contractions": 8,
            "relaxation": "complete",
            "accessory_muscles": True,
            "breath_holding": False,
            "bearing_down": False,
            "knack": False,
            "tenderness": False,
        },
        "history": {"prostatectomy": True, "prostatectomy_weeks_ago": 10, "pfmt_months_tried": 0},
        "red_flags": [],
    }


def red_flag_intake() -> dict:
    intake = example_intake()
    intake["red_flags"] = ["visible_haematuria"]
    return intake


def build(patient, therapist, intake: dict) -> CarePlan:
    events = intake_diary(intake, folder=None)
    intake.pop("diary", None)
    assessment = intake_import(patient=patient, intake=intake, therapist=therapist, events=events)
    assessment.status = Status.COMPLETE
    assessment.save()
    plan = services.careplan_build(assessment=assessment, user=therapist)
    return CarePlan.objects.get(pk=plan.pk)  # as a view would load it


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The words of the PDF, whitespace collapsed: line breaks fall anywhere."""
    return " ".join(" ".join(page.extract_text() for page in read(pdf).pages).split())


def squashed(text: str) -> str:
    """Without any whitespace: for long strings that a line may break anywhere ("3/ day")."""
    return re.sub(r"\s+", "", text)


def pdf(plan: CarePlan, kind: str = "patient", **kwargs) -> bytes:
    return documents.render_pdf(plan, kind, **kwargs)


def assert_in_order(text: str, phrases: list[str]) -> None:
    at = -1
    for phrase in phrases:
        found = text.find(phrase, at + 1)
        assert found > at, f"{phrase!r} missing or out of order"
        at = found


@pytest.fixture
def penis_patient(clinic, therapist):
    # Anatomy drives the cues only: this patient's pronouns are she/her.
    return PatientFactory(
        clinic=clinic,
        first_name="Samantha",
        preferred_name="Sam",
        last_name="Patel",
        anatomy="penis",
        pronouns="she/her",
        assigned_therapist=therapist,
    )


@pytest.fixture
def prostate_plan(penis_patient, therapist, library):
    return build(penis_patient, therapist, prostatectomy_intake())


@pytest.fixture
def vulva_plan(patient, therapist, library):
    intake = example_intake()
    intake["diary"] = DIARY
    return build(patient, therapist, intake)


@pytest.fixture
def red_flag_plan(patient, therapist, library):
    return build(patient, therapist, red_flag_intake())


# --- The patient plan ------------------------------------------------------------------


def test_patient_plan_sections_in_order(vulva_plan):
    text = text_of(pdf(vulva_plan))
    assert_in_order(
        text,
        [
            "Your pelvic floor plan",
            "Your plan at a glance",
            "Good to know",
            "Breathing and relaxation",
            "Your exercises",
            "Your week: tick a box each time you practise",
            "Your bladder",
            "Week by week",
            "Everyday habits",
            "Later, at your review",
            "Warning signs: stop and get checked",
            "Your next review",
            "Contact us",
        ],
    )
    assert "See a doctor promptly" not in text


def test_the_vulva_cue_and_not_the_penis_cue(vulva_plan):
    text = text_of(pdf(vulva_plan)).lower()
    assert "close and lift the vaginal opening" in text
    assert "penis" not in text and "testicles" not in text


def test_the_penis_cue_and_not_the_vulva_cue(prostate_plan):
    text = text_of(pdf(prostate_plan)).lower()
    assert "draw the penis up and in" in text
    assert "vagina" not in text


def test_pronouns_as_given_and_the_preferred_name(prostate_plan):
    text = text_of(pdf(prostate_plan))
    assert "For Sam Patel" in text
    assert "Samantha" not in text
    assert "pronouns: she/her" in text
    assert "he/him" not in text


def test_no_tighter_is_better_and_no_promise_of_better_sex(vulva_plan, prostate_plan):
    for plan in (vulva_plan, prostate_plan):
        text = text_of(pdf(plan)).lower()
        assert "tighter is better" not in text
        assert "better sex" not in text


def test_exercises_show_holds_repetitions_and_sets(prostate_plan):
    dosing = prostate_plan.items.get(code="strengthening.pfmt").dosing
    text = text_of(pdf(prostate_plan))
    assert f"Hold {dosing['hold_s']} seconds" in text
    assert f"Repeat {dosing['contractions']} times" in text
    assert f"Sets {dosing['sets_per_day']} a day" in text
    assert "Mon Tue Wed Thu Fri Sat Sun" in text


def test_bladder_training_week_by_week(vulva_plan):
    dosing = vulva_plan.items.get(code="bladder_training.schedule").dosing
    text = text_of(pdf(vulva_plan))
    rows = documents.bladder_schedule(dosing)
    assert len(rows) == dosing["weeks"]
    for row in rows:
        assert f"Week {row['week']} {row['interval_min']} minutes" in text


def test_red_flags_come_first(red_flag_plan):
    text = text_of(pdf(red_flag_plan))
    assert_in_order(
        text, ["See a doctor promptly", "Your plan at a glance", "Breathing and relaxation"]
    )
    # The safe first steps still follow (safety rule 4).
    assert "Belly breathing" in text


def test_phase_two_waits_for_the_review_with_its_reason(vulva_plan):
    later = [i for i in vulva_plan.items.all() if i.phase == 2]
    assert later, "the example plan has phase-2 items"
    text = text_of(pdf(vulva_plan))
    section = text[text.index("Later, at your review") : text.index("Warning signs: stop and")]
    for item in later:
        assert item.title in section
    assert "Why it waits" in section


def test_removed_items_never_reach_the_patient(vulva_plan):
    item = vulva_plan.items.get(code="lifestyle.weight")
    services.careplan_item_remove(item=item, reason="Already working with a dietitian")
    assert item.title not in text_of(pdf(vulva_plan))


def test_a_draft_is_marked_and_the_signed_plan_says_who_signed(vulva_plan, therapist):
    assert "DRAFT" in text_of(pdf(vulva_plan))
    signed = services.careplan_sign(plan=vulva_plan, user=therapist)
    with signed.pdf.open("rb") as file:
        text = text_of(file.read())
    assert "DRAFT" not in text
    when = f"{signed.signed_at:%b}"  # the month, as the date format prints it
    assert re.search(rf"Checked and signed by Tess Morgan on {when}\S* \d+, \d{{4}}", text)


def test_the_standalone_plan_of_the_command_line_prints(db):
    from careplans import rules

    intake = example_intake()
    text = text_of(documents.pdf_from_standalone_plan(intake, rules.build_plan(intake)))
    assert_in_order(text, ["Your pelvic floor plan", "Your plan at a glance", "DRAFT"])


# --- Clinician summary and referral letter ---------------------------------------------


def test_clinician_summary(vulva_plan):
    html = documents.render_html(vulva_plan, "clinician")
    assert html.count('src="data:image/svg+xml;base64,') == 2  # one chart per diary day
    text = text_of(pdf(vulva_plan, "clinician"))
    assert_in_order(
        text,
        ["Findings", "Questionnaire scores", "Bladder diary", "Classification", "Plan items"],
    )
    assert "ICIQ-UI SF" in text
    for reason in vulva_plan.classification["reasons"]:
        assert squashed(reason) in squashed(text)
    for item in vulva_plan.items.all():
        assert squashed(item.title) in squashed(text)
        assert squashed(item.rationale) in squashed(text)
        assert squashed(f"Source: {item.source}") in squashed(text)


def test_removed_items_are_struck_through_with_the_reason(vulva_plan):
    item = vulva_plan.items.get(code="lifestyle.weight")
    services.careplan_item_remove(item=item, reason="Already working with a dietitian")
    html = documents.render_html(vulva_plan, "clinician")
    assert f'<del class="struck"><strong>{item.title}</strong></del>' in html
    assert "Removed: Already working with a dietitian" in text_of(pdf(vulva_plan, "clinician"))


def test_referral_letter_is_urgent_with_red_flags(red_flag_plan):
    text = text_of(pdf(red_flag_plan, "referral", recipient="urology"))
    assert_in_order(text, ["To: Urology", "URGENT", "Red flags", "Visible haematuria"])
    assert "Relevant findings" in text


def test_referral_letter_is_not_urgent_without_red_flags(vulva_plan):
    text = text_of(pdf(vulva_plan, "referral"))
    assert "URGENT" not in text.upper().replace("URGENCY", "")
    assert "To: General practitioner" in text
    assert "Relevant findings" in text


# --- The PDF itself ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", documents.DOCUMENTS)
def test_tagged_pdf_with_title_and_language(vulva_plan, kind):
    reader = read(pdf(vulva_plan, kind))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en"
    assert "Maria Santos" in reader.metadata.title


def test_patient_plan_title(vulva_plan):
    assert read(pdf(vulva_plan)).metadata.title == "Pelvic floor plan for Maria Santos"


def test_local_fonts_are_embedded(vulva_plan):
    # Only when the print stylesheet reached WeasyPrint are its fonts used.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in read(pdf(vulva_plan)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Atkinson-Hyperlegible" in name for name in fonts), fonts


@pytest.mark.parametrize(("paper_size", "points"), [("A4", (595, 842)), ("letter", (612, 792))])
def test_page_size_follows_the_clinic_setting(vulva_plan, clinic, paper_size, points):
    clinic.paper_size = paper_size
    clinic.save()
    plan = CarePlan.objects.get(pk=vulva_plan.pk)
    for kind in documents.DOCUMENTS:
        box = read(pdf(plan, kind)).pages[0].mediabox
        assert (round(box.width), round(box.height)) == points


# --- The HTML preview --------------------------------------------------------------------


@pytest.mark.parametrize("kind", documents.DOCUMENTS)
def test_the_preview_is_the_same_html_without_inline_styles(therapist_client, vulva_plan, kind):
    response = therapist_client.get(reverse("plan_document", args=[vulva_plan.pk, kind, "html"]))
    html = response.content.decode()
    assert html == documents.render_html(vulva_plan, kind)
    # The preview's Content-Security-Policy allows stylesheets from 'self' only.
    assert not re.search(r"\sstyle=|<style", html)
    assert 'href="/static/careplans/print.css"' in html
    assert 'href="/static/careplans/print-a4.css"' in html


def test_see_a_doctor_stays_when_the_urgent_item_was_removed(clinic, therapist, patient):
    from assessments.intake_io import intake_import
    from assessments.models import Status
    from careplans import documents, services
    from careplans.library import library_install
    from tests.careplans.conftest import example_intake

    library_install(clinic=clinic)
    intake = example_intake()
    intake["red_flags"] = ["visible_haematuria"]
    assessment = intake_import(patient=patient, intake=intake, therapist=therapist)
    assessment.status = Status.COMPLETE
    assessment.save()
    plan = services.careplan_build(assessment=assessment, user=therapist)
    services.careplan_item_remove(
        item=plan.items.get(code="urgent_referral.red_flags"), reason="Referred by phone today"
    )
    html = documents.render_html(plan, "patient")
    assert "See a doctor promptly" in html
    assert html.index("See a doctor promptly") < html.index("Your plan at a glance")
