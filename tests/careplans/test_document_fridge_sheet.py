"""The printed plan's layout (issue 13): page 1 is the fridge sheet, the details follow, the
tick chart and the bladder table come last; the demo story's plan fits on 4 A4 pages.
Rendered with WeasyPrint and read back page by page with pypdf."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from careplans import documents, services
from careplans.library import FIXTURE_PATH, LibraryError, load_library_entries
from careplans.models import CarePlan, Drawing, Intervention
from careplans.services.library import library_install

# A typical patient's goals, in her words (the demo intake may not carry any yet).
GOALS = (
    "Play with my grandchildren and laugh without worrying about leaks. Walk to the market "
    "without planning every toilet stop."
)


def pages_of(pdf: bytes) -> list[str]:
    """Each page's words, whitespace collapsed."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def demo_story(db) -> None:
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_library", verbosity=0)
    call_command("load_demo_story", verbosity=0)


@pytest.fixture
def demo_plan(demo_story) -> CarePlan:
    """Maria's signed plan from the demo story, as `make demo` loads it."""
    plan = CarePlan.objects.get(patient__record_number="R0001", patient__clinic__pk=1)
    assessment = plan.assessment
    if not assessment.goals:
        assessment.goals = GOALS
        assessment.save(update_fields=["goals"])
    return CarePlan.objects.get(pk=plan.pk)


def daily_titles(plan: CarePlan) -> list[str]:
    return list(
        plan.items.filter(
            phase=1, removed=False, category__in=documents.DAILY_CATEGORIES
        ).values_list("title", flat=True)
    )


def test_the_demo_story_plan_prints_on_four_a4_pages_with_the_fridge_sheet_first(demo_plan):
    clinic = demo_plan.patient.clinic
    assert clinic.paper_size != "letter"
    pages = pages_of(documents.render_pdf(demo_plan, "patient"))
    assert len(pages) <= 4, f"{len(pages)} pages"

    first = pages[0]
    titles = daily_titles(demo_plan)
    assert len(titles) >= 5  # a typical plan: several things to do each day
    for title in titles:
        assert squashed(title) in squashed(first), title
    assert "Warning signs: when to get help" in first
    assert clinic.phone and clinic.phone in first
    assert "Play with my grandchildren" in first  # the goals, in the patient's words
    # The details start on page 2; the practice page is the last.
    assert "Good to know" not in first and "Good to know" in pages[1]
    assert pages[-1].startswith("Your week: tick a box each time you practise")
    assert "Week by week" in pages[-1]


def test_the_demo_story_plan_is_laid_out_once(demo_plan, monkeypatch):
    """Its page 1 fits as designed: measuring it costs nothing more than printing it."""
    layouts = []
    lay_out = documents.Typesetter.__call__

    def counted(typesetter, html_text):
        layouts.append(html_text)
        return lay_out(typesetter, html_text)

    monkeypatch.setattr(documents.Typesetter, "__call__", counted)
    documents.render_pdf(demo_plan, "patient")
    assert len(layouts) == 1


def test_on_letter_paper_page_one_still_stands_alone(demo_plan):
    clinic = demo_plan.patient.clinic
    clinic.paper_size = "letter"
    clinic.save()
    plan = CarePlan.objects.get(pk=demo_plan.pk)
    pages = pages_of(documents.render_pdf(plan, "patient"))
    assert len(pages) <= 5
    first = pages[0]
    for title in daily_titles(plan):
        assert squashed(title) in squashed(first), title
    assert "Warning signs: when to get help" in first
    assert clinic.phone in first


def test_each_daily_item_prints_its_drawing_once_drawn(demo_plan):
    html = documents.render_html(demo_plan, "patient")
    breathing = Intervention.objects.get(
        clinic=demo_plan.patient.clinic, code="relaxation.diaphragmatic_breathing"
    )
    assert breathing.drawing == Drawing.BELLY_BREATHING
    src = "/static/floorplan/drawings/belly_breathing.svg"
    if finders.find("floorplan/drawings/belly_breathing.svg"):
        # On the fridge sheet and beside the item's instructions, with words for it.
        assert html.count(f'src="{src}"') == 2
        assert f'alt="{Drawing.BELLY_BREATHING.label}"' in html
    else:
        assert src not in html


def test_a_missing_drawing_prints_no_picture(demo_plan, monkeypatch):
    monkeypatch.setattr(finders, "find", lambda path, **kwargs: None)
    monkeypatch.setattr(documents.staticfiles_storage, "exists", lambda name: False)
    html = documents.render_html(demo_plan, "patient")
    assert "floorplan/drawings/" not in html
    # The page still prints whole.
    first = pages_of(documents.render_pdf(demo_plan, "patient"))[0]
    assert "Warning signs: when to get help" in first


def test_the_library_names_a_drawing_where_one_fits():
    drawings = {entry["code"]: entry["drawing"] for entry in load_library_entries()}
    assert drawings["relaxation.diaphragmatic_breathing"] == "belly_breathing"
    assert drawings["coordination.knack"] == "knack"
    assert drawings["lifestyle.voiding_habits"] == "toilet_footstool"
    assert drawings["lifestyle.bowel"] == "toilet_footstool"
    assert drawings["strengthening.pfmt"] == "lying_knees_bent"
    assert set(drawings.values()) <= {"", *Drawing.values}


def test_an_unknown_drawing_in_the_library_is_refused(tmp_path):
    entries = json.loads(FIXTURE_PATH.read_text())
    entries[1]["drawing"] = "cartwheel"
    path = tmp_path / "interventions.json"
    path.write_text(json.dumps(entries))
    with pytest.raises(LibraryError, match="cartwheel"):
        load_library_entries(path)


def test_installing_the_library_fills_a_missing_drawing_and_keeps_a_chosen_one(clinic):
    library_install(clinic=clinic)
    pfmt = Intervention.objects.get(clinic=clinic, code="strengthening.pfmt")
    assert pfmt.drawing == "lying_knees_bent"
    breathing = Intervention.objects.get(clinic=clinic, code="relaxation.diaphragmatic_breathing")
    Intervention.objects.filter(pk=pfmt.pk).update(drawing="")
    Intervention.objects.filter(pk=breathing.pk).update(drawing="sitting")  # the clinic's choice
    library_install(clinic=clinic)
    pfmt.refresh_from_db()
    breathing.refresh_from_db()
    assert pfmt.drawing == "lying_knees_bent"
    assert breathing.drawing == "sitting"


# --- Page 1 stands alone whatever the plan: measured, not estimated -------------------------
# Bob's draft plan in the demo story: the urgent tier (blood in his urine) and 4 daily items.
# Each case is one that pushed the warning signs, and the contact at their foot, to page 2
# when page 1's density was estimated from a count of rows.

BOB = "R0010"
# Daily items a therapist may add from the library, the longest dose line first.
MORE_DAILY = (
    "bladder_training.schedule",
    "lifestyle.fluids",
    "lifestyle.caffeine",
    "lifestyle.voiding_habits",
    "lifestyle.bowel",
)
TWO_LINES_OF_GOALS = (
    "Get round eighteen holes of golf with my friends without looking for a toilet at every "
    "green, and stop wearing pads when I go out.\n"
    "Lift my granddaughter, play football with her in the garden and sleep through the night "
    "without getting up more than once."
)
SIX_FLAGS = [
    "visible_haematuria",
    "non_visible_haematuria",
    "dysuria",
    "recurrent_uti",
    "unexplained_weight_loss",
    "pelvic_mass",
]
URGENT_FLAGS = [
    *SIX_FLAGS,
    "suspected_fistula",
    "palpable_bladder_after_voiding",
    "persistent_bloating",
]
EVERY_FLAG = [
    *URGENT_FLAGS,
    "saddle_anaesthesia",
    "new_leg_weakness_or_numbness",
    "new_bowel_or_bladder_loss_with_back_pain",
    "sudden_severe_pelvic_pain",
]
CASES = {
    "urgent tier and 5 daily items": {"add": 1},
    "urgent tier and two long lines of goals": {"goals": TWO_LINES_OF_GOALS},
    "urgent tier and 7 daily items": {"add": 3},
    "6 red flags and 4 daily items": {"flags": SIX_FLAGS},
    "6 red flags, 6 daily items and goals": {
        "flags": SIX_FLAGS,
        "add": 2,
        "goals": TWO_LINES_OF_GOALS,
    },
    # Every red flag there is: cauda equina and eight more, each named in the urgent box.
    "emergency tier, every red flag": {"flags": EVERY_FLAG, "tier": "emergency"},
}


def bobs_plan(
    *,
    paper: str,
    language: str,
    add: int = 0,
    codes: tuple[str, ...] = MORE_DAILY,
    goals: str = "",
    flags: list[str] | None = None,
    tier: str = "urgent",
) -> CarePlan:
    plan = CarePlan.objects.get(patient__record_number=BOB, patient__clinic__pk=1)
    patient = plan.patient
    patient.clinic.paper_size = paper
    patient.clinic.save(update_fields=["paper_size"])
    patient.preferred_language = language
    patient.save(update_fields=["preferred_language"])
    library = {entry.code: entry for entry in Intervention.objects.filter(clinic=patient.clinic)}
    for code in codes[:add]:
        services.careplan_item_add(
            plan=plan, intervention=library[code], phase=1, rationale="Added at the visit."
        )
    if flags:
        # As the builder stores them for an assessment with these red flags.
        plan.built = {**plan.built, "red_flags": flags, "referral_urgency": tier}
        plan.save(update_fields=["built"])
    if goals:
        plan.assessment.goals = goals
        plan.assessment.save(update_fields=["goals"])
    return CarePlan.objects.get(pk=plan.pk)


def words(text: str) -> str:
    """Text to compare with a page's: no spaces, no hyphens (Spanish breaks long words)."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def daily_titles_printed(plan: CarePlan) -> list[str]:
    """The titles on the fridge sheet, in the plan's language."""
    found = re.findall(r'class="daily-title"[^>]*>([^<]*)<', documents.render_html(plan, "patient"))
    return list(dict.fromkeys(html.unescape(title) for title in found))


def in_language(language: str, message: str, **values: str) -> str:
    with translation.override(language):
        return gettext(message) % values if values else gettext(message)


def assert_the_warning_signs_and_the_contact_on(page: str, plan: CarePlan, language: str):
    clinic = plan.patient.clinic
    assert words(in_language(language, "Warning signs: when to get help")) in words(page)
    # The contact line at the foot of the warning signs (the page footer has the number too).
    contact = in_language(language, "phone %(phone)s", phone=clinic.phone)
    assert words(contact) in words(page), contact


PAPERS_AND_LANGUAGES = [
    pytest.param(paper, language, id=f"{paper}-{language}")
    for paper in ("A4", "letter")
    for language in ("en", "es")
]


@pytest.mark.parametrize("paper,language", PAPERS_AND_LANGUAGES)
@pytest.mark.parametrize("case", CASES)
def test_page_one_holds_the_daily_items_the_warning_signs_and_the_contact(
    demo_story, case, paper, language
):
    plan = bobs_plan(paper=paper, language=language, **CASES[case])
    pages = pages_of(documents.render_pdf(plan, "patient"))
    first = pages[0]
    assert_the_warning_signs_and_the_contact_on(first, plan, language)
    if plan.referral_urgency == "emergency":
        # The exercises wait for a doctor: page 1 is the instruction and the warning signs.
        assert words(in_language(language, "Go to an emergency department now")) in words(first)
        assert daily_titles_printed(plan) == []
    else:
        heading = "See your GP (family doctor) within the next few days"
        assert words(in_language(language, heading)) in words(first)
        titles = daily_titles_printed(plan)
        assert len(titles) == 4 + CASES[case].get("add", 0)
        for title in titles:
            assert words(title) in words(first), title
    # The detail pages start on page 2.
    assert words(in_language(language, "Good to know")) not in words(first)


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_with_more_than_page_one_can_hold_the_warning_signs_come_before_the_daily_items(
    demo_story, paper
):
    """The last resort: nine red flags and 34 daily items. The warning signs and the contact
    never leave page 1; the daily items start there and run on before the detail pages."""
    every_daily = tuple(
        Intervention.objects.filter(clinic__pk=1, category__in=documents.DAILY_CATEGORIES)
        .order_by("code")
        .values_list("code", flat=True)
    )
    plan = bobs_plan(paper=paper, language="es", codes=every_daily * 2, add=30, flags=URGENT_FLAGS)
    pages = pages_of(documents.render_pdf(plan, "patient"))
    first = pages[0]
    assert_the_warning_signs_and_the_contact_on(first, plan, "es")
    titles = daily_titles_printed(plan)
    assert len(titles) > 10
    glance = in_language("es", "Your plan at a glance: start now")
    assert words(glance) in words(first)
    assert words(first).index(words(in_language("es", "Warning signs: when to get help"))) < (
        words(first).index(words(glance))
    )
    assert words(titles[0]) in words(first)
    # Every daily item is listed before the detail pages begin.
    text = words(" ".join(pages))
    details = text.index(words(in_language("es", "Good to know")))
    for title in titles:
        assert words(title) in text[:details], title
