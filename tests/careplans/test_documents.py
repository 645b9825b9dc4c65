"""The printed documents: plans built from intakes through the real builder, rendered to
PDF with WeasyPrint, and read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from assessments.intake import intake_diary
from assessments.services.intake_import import intake_import
from careplans import documents, services
from careplans.models import CarePlan
from careplans.rules import phrases
from careplans.services import visit_complete
from tests.careplans.conftest import DATA, SAMPLES, example_intake
from tests.factories import PatientFactory, SignedCarePlanFactory

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
    assessment = visit_complete(assessment=assessment, user=therapist)
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
            "Warning signs: when to get help",
            "Good to know",
            "Breathing and relaxation",
            "Everyday habits",
            "Other help: your doctor and specialists",
            "Later, at your review",
            "Your next review",
            "Contact us",
            # The practice page, last: the tick chart, then bladder training with its table.
            "Your week: tick a box each time you practise",
            "Your bladder",
            "Week by week",
        ],
    )
    # No red flags: no urgent section.
    assert "You told us that:" not in text


def test_the_vulva_cue_and_not_the_penis_cue(patient, therapist, library):
    # Without the painful penetration the squeezes start now, so their cues print.
    intake = example_intake()
    intake["symptoms"]["painful_penetration"] = False
    plan = build(patient, therapist, intake)
    assert plan.items.get(code="strengthening.pfmt").phase == 1
    text = text_of(pdf(plan)).lower()
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
        text,
        [
            "See your GP (family doctor) within the next few days",
            "you have noticed blood in your urine",
            "Your plan at a glance",
            "Breathing and relaxation",
        ],
    )
    # The safe first steps still follow (safety rule 4).
    assert "Belly breathing" in text


def test_phase_two_waits_for_the_review_with_its_reason(vulva_plan):
    later = [i for i in vulva_plan.items.all() if i.phase == 2]
    assert later, "the example plan has phase-2 items"
    text = text_of(pdf(vulva_plan))
    # The last "Later, at your review": the first is its line in the table on page 1.
    section = text[text.rindex("Later, at your review") : text.rindex("Your next review")]
    for item in later:
        assert squashed(item.title) in squashed(section)
    assert "Why it waits:" in section
    # Painful penetration holds the squeezes: the patient reads that reason.
    assert "penetration is comfortable" in section


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
    when = date_format(signed.signed_at, "DATE_FORMAT")  # 1 December 2026
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", when)
    assert f"Checked and signed by Tess Morgan on {when}." in text


def test_the_standalone_plan_of_the_command_line_prints(db):
    from careplans import rules

    intake = example_intake()
    text = text_of(documents.pdf_from_standalone_plan(intake, rules.build(intake)))
    assert_in_order(
        text, ["Your pelvic floor plan", "Your plan at a glance", "Warning signs", "DRAFT"]
    )


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
    # Visible haematuria at 56: urgent, to the GP (section 3 rule 1).
    text = text_of(pdf(red_flag_plan, "referral", recipient="gp"))
    assert_in_order(
        text,
        ["To: GP (family doctor)", "URGENT", "56 years old", "Red flags", "Visible haematuria"],
    )
    assert "Relevant findings" in text


def test_referral_letter_is_not_urgent_without_red_flags(vulva_plan):
    text = text_of(pdf(vulva_plan, "referral"))
    assert "URGENT" not in text.upper().replace("URGENCY", "")
    assert "To: GP (family doctor)" in text
    assert "EMERGENCY" not in text
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
    from assessments.services.intake_import import intake_import
    from careplans import documents, services
    from careplans.services.library import library_install
    from tests.careplans.conftest import example_intake

    library_install(clinic=clinic)
    intake = example_intake()
    intake["red_flags"] = ["visible_haematuria"]
    assessment = intake_import(patient=patient, intake=intake, therapist=therapist)
    assessment = visit_complete(assessment=assessment, user=therapist)
    plan = services.careplan_build(assessment=assessment, user=therapist)
    services.careplan_item_remove(
        item=plan.items.get(code="urgent_referral.red_flags"), reason="Referred by phone today"
    )
    html = documents.render_html(plan, "patient")
    heading = "See your GP (family doctor) within the next few days"
    assert heading in html
    assert html.index(heading) < html.index("Your plan at a glance")


# --- Page 1 stands alone (section 8), for every sample intake ------------------------------

SAMPLE_NAMES = sorted(path.stem for path in DATA.glob("*.json"))
TIER_INSTRUCTION = {
    "emergency": "Go to an emergency department now. Do not wait for an appointment.",
    "urgent": "See your GP (family doctor) within the next few days",
    "soon": "See your GP (family doctor) within the next two weeks",
}
WARNING_TIERS = [
    "Go to an emergency department now if you have:",
    "See your GP (family doctor) within a few days if you have:",
    "Contact your therapist if:",
]
# What an item that waits says when the plan carries no reason of its own.
GENERIC_WHY = [
    "Squeezing exercises come once your pelvic floor can relax fully and your therapist "
    "has checked how you squeeze.",
    "You may not need this. We will look at it together if things have not improved "
    "enough after the first weeks.",
    "One step at a time works best. We will add this at your review.",
]


def page_one(pdf_bytes: bytes) -> str:
    return " ".join(read(pdf_bytes).pages[0].extract_text().split())


def test_the_sample_intakes_are_all_here():
    assert set(SAMPLES) <= set(SAMPLE_NAMES)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_page_one_stands_alone(plan_from_intake, name):
    plan = plan_from_intake(name)
    first = page_one(pdf(plan))
    tier = plan.referral_urgency
    if plan.red_flags:
        assert TIER_INSTRUCTION[tier] in first
        # Each flag in plain words, never only "some signs".
        for flag in plan.red_flags:
            assert squashed(phrases.red_flag_plain(flag)) in squashed(first), flag
    else:
        assert tier is None and "You told us that:" not in first
    assert "Warning signs: when to get help" in first
    for heading in WARNING_TIERS:  # in two columns: their order on the page varies
        assert heading in first
    assert "Your therapist: Riverside Pelvic Health" in first
    if tier != "emergency":
        # What to do each day, with the dose, and when the next review is.
        assert "Your plan at a glance" in first
        for item in plan.items.filter(phase=1, category__in=documents.DAILY_CATEGORIES):
            assert squashed(item.title) in squashed(first), item.code
        assert date_format(plan.next_review_on, "DATE_FORMAT") in first


def test_at_the_emergency_tier_nothing_on_page_one_suggests_waiting(plan_from_intake):
    plan = plan_from_intake("emergency-saddle")
    assert plan.referral_urgency == "emergency"
    first = page_one(pdf(plan))
    assert "Go to an emergency department now. Do not wait for an appointment." in first
    assert "Do not start the exercises in this plan until a doctor has seen you." in first
    assert "Your plan at a glance" not in first
    assert "Your next review" not in first
    assert date_format(plan.next_review_on, "DATE_FORMAT") not in first
    assert "may be today" not in text_of(pdf(plan))
    # The items keep their phases; the printed plan holds them until a doctor has seen them.
    assert plan.items.filter(phase=1, code="strengthening.pfmt").exists()
    assert "Start the steps below only after a doctor has seen you" in text_of(pdf(plan))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_each_item_that_waits_says_why_in_its_own_words(plan_from_intake, name):
    plan = plan_from_intake(name)
    later = list(plan.items.filter(phase=2))
    text = text_of(pdf(plan))
    for generic in GENERIC_WHY:
        assert squashed(generic) not in squashed(text)
    if not later:
        return
    section = squashed(text[text.rindex("Later, at your review") : text.rindex("Your next review")])
    for item in later:
        holds = [note for note in item.patient_notes if note["code"].startswith("hold.")]
        assert holds, f"{item.code} waits without a reason of its own"
        for why in phrases.patient_notes(holds):
            assert squashed(why) in section, item.code


def test_painful_penetration_holds_the_squeezes_until_penetration_is_comfortable(
    plan_from_intake,
):
    plan = plan_from_intake("postpartum-penetration-pain")
    assert set(plan.items.filter(phase=2).values_list("code", flat=True)) >= {
        "strengthening.pfmt",
        "coordination.knack",
    }
    text = text_of(pdf(plan))
    section = text[text.rindex("Later, at your review") : text.rindex("Your next review")]
    assert section.count("Why it waits:") == 2
    assert section.count("penetration is comfortable") == 2
    assert "You have pain with penetration." in section


def test_unspecified_anatomy_prints_neutral_cues_only(plan_from_intake):
    plan = plan_from_intake("unspecified-anatomy")
    text = text_of(pdf(plan)).lower()
    assert "as if stopping wind" in text
    for word in ("vagina", "penis", "testicle"):
        assert word not in text


@pytest.mark.parametrize("name", ["urgent-haematuria", "unspecified-anatomy"])
def test_the_bladder_table_waits_at_least_and_reaches_the_target(plan_from_intake, name):
    plan = plan_from_intake(name)
    dosing = plan.items.get(code="bladder_training.schedule").dosing
    text = text_of(pdf(plan))
    assert "Week by week: wait at least this long between toilet visits by day" in text
    table = text[text.index("Week Wait at least") :]
    weeks, target = dosing["weeks"], dosing["target_interval_min"]
    assert f"Week {dosing['weeks']} {target} minutes" in table
    assert f"Week 1 {dosing['start_interval_min']} minutes" in table
    assert f"Week {weeks + 1} " not in table


def test_a_plan_built_before_tiers_and_hold_reasons_still_prints(plan_from_intake):
    plan = plan_from_intake("urgent-haematuria")
    # As stored before the 2026-12-01 additions of careplan-v1.
    plan.built.pop("referral_urgency")
    for item in plan.built["items"]:
        item.pop("hold_reason", None)
    plan.save(update_fields=["built"])
    plan.items.update(hold_reason="", hold_code="", patient_notes=[])
    plan = CarePlan.objects.get(pk=plan.pk)
    assert plan.referral_urgency == "urgent"  # read again from the flags and the age

    text = text_of(pdf(plan))
    first = page_one(pdf(plan))
    assert TIER_INSTRUCTION["urgent"] in first
    assert "you have noticed blood in your urine" in first
    section = text[text.rindex("Later, at your review") : text.rindex("Your next review")]
    assert "Why it waits:" in section
    assert squashed(GENERIC_WHY[1]) in squashed(section)
    assert "Urgent referral: suspected-cancer pathway requested" in text_of(pdf(plan, "referral"))
    assert "Plan items" in text_of(pdf(plan, "clinician"))


def test_the_signed_plan_is_served_byte_for_byte(therapist_client, patient, therapist):
    # The stored file (here a blank sample page), never a new rendering.
    plan = SignedCarePlanFactory(assessment__patient=patient, assessment__therapist=therapist)
    with plan.pdf.open("rb") as file:
        stored = file.read()
    response = therapist_client.get(reverse("plan_document", args=[plan.pk, "patient", "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored


@pytest.mark.parametrize("kind", ["patient", "clinician", "referral"])
def test_documents_do_not_follow_the_browsers_language(vulva_plan, kind):
    # A therapist whose browser asks for Spanish prints the same documents as anyone.
    english = documents.render_html(vulva_plan, kind)
    with translation.override("es"):
        assert documents.render_html(vulva_plan, kind) == english


def test_a_language_the_clinic_does_not_print_prints_whole_in_the_clinics(vulva_plan):
    # The clinic prints English only (the default): never a plan half in one language.
    # (tests/careplans/test_plan_languages.py: a clinic that prints Spanish.)
    vulva_plan.patient.preferred_language = "es"
    vulva_plan.patient.save()
    html = documents.render_html(vulva_plan, "patient")
    assert 'lang="en"' in html
    assert "Warning signs: when to get help" in html


def test_a_us_clinics_plan_prints_us_words(vulva_plan):
    uk = documents.render_html(vulva_plan, "patient")
    assert "See your GP (family doctor) within a few days if you have:" in uk
    clinic = vulva_plan.patient.clinic
    clinic.english_spelling = "us"
    clinic.save()
    vulva_plan.patient.refresh_from_db()
    us = documents.render_html(vulva_plan, "patient")
    assert "See your family doctor within a few days if you have:" in us
    assert "Tick when done" not in us
    assert 'lang="en-us"' in us
    # A UK clinic in the same process still prints UK words.
    clinic.english_spelling = "uk"
    clinic.save()
    vulva_plan.patient.refresh_from_db()
    assert documents.render_html(vulva_plan, "patient") == uk
