"""The printed documents: one context builder per document; the same template renders
the HTML preview and the PDF (WeasyPrint)."""

from __future__ import annotations

import base64
import itertools
import logging
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML  # type: ignore[import-untyped]  # WeasyPrint ships no types
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

from assessments import home_tokens
from assessments.charts import diary_day_svg
from assessments.diary import DiaryEvent
from assessments.findings import intake_to_findings
from assessments.models import Assessment
from assessments.progress import has_outcome, mid_reached, progress_series
from assessments.progress_charts import progress_chart_svg
from assessments.progress_store import patient_visits
from assessments.red_flags import EMERGENCY, URGENT, flag_tiers, suspected_cauda_equina
from assessments.selectors import diary_events
from assessments.summary import assessment_summary
from careplans.letters import (
    GP,
    REFERRAL_CATEGORIES,
    LetterItem,
    due_letters,
    items_for,
    tier_recipient,
)
from careplans.library import drafted_codes, fixture_library, render_patient_text
from careplans.models import (
    BASE_LANGUAGE,
    CarePlan,
    CarePlanItem,
    Drawing,
    Intervention,
    LibraryWording,
    PlanStatus,
    Recipient,
    RecipientKind,
    items_from_built,
)
from careplans.rules import BuiltPlan, phrases
from careplans.rules.education import WARNING_SIGNS
from careplans.selectors import plan_safety_warnings, recipients_for_clinic
from careplans.spelling import english_variant, in_clinic_spelling, printed_in
from clinic.models import Clinic, Patient
from clinic.patient_languages import (
    available_codes,
    language_name,
    print_language,
    printed_by,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOGGER = logging.getLogger(__name__)

DOCUMENTS = ("patient", "clinician", "referral")
TEMPLATES = {
    "patient": "careplans/documents/patient_plan.html",
    "clinician": "careplans/documents/clinician_summary.html",
    "referral": "careplans/documents/referral_letter.html",
}
# WeasyPrint reads /static/ from the project's own files and nothing from the network.
PRINT_BASE_URL = "https://floorplan.invalid/"


@dataclass(frozen=True)
class PatientItem:
    """A plan item as the patient reads it: the library text, the notes the builder chose
    for this patient, and, for an item that waits, why -- in the document's language."""

    item: CarePlanItem
    title: str
    text: str
    notes: list[str]
    why_it_waits: list[str]
    # The item's line drawing: a static file's name, "" when it has none (or none drawn yet).
    drawing: str = ""
    drawing_alt: str = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.item, name)


def document_language(plan: CarePlan) -> str:
    """Reference section 10: the patient's language when the clinic prints it, else the
    clinic's (and the plan page tells the therapist to arrange an interpreter)."""
    clinic = plan.patient.clinic
    language = print_language(
        plan.patient.preferred_language, printed=printed_by(clinic), fallback=clinic.language
    )
    # English prints in the clinic's spelling (UK or US words).
    return english_variant(clinic) if language == "en" else language


@dataclass(frozen=True)
class PrintLanguage:
    """What the therapist should know about a plan's language before signing it."""

    language: str  # the language the patient plan prints in
    interpreter: bool  # the patient reads another language (or one not named)
    drafted: list[str]  # titles of the items printed from a drafted translation
    untranslated: list[str]  # titles of the items with no text in the plan's language

    @property
    def language_name(self) -> StrOrPromise:
        return language_name(self.language)


def print_language_of(plan: CarePlan, *, items: Sequence[CarePlanItem]) -> PrintLanguage:
    language = document_language(plan)
    # "en-us" (a US clinic's spelling) is English: the language, not the variant, decides
    # whether the patient reads the plan and which library texts it prints.
    base = language.split("-")[0]
    wanted = plan.patient.preferred_language.lower()
    interpreter = wanted.split("-")[0] != base
    codes = {item.code for item in items if not item.removed}
    library = {
        entry.code: entry
        for entry in Intervention.objects.filter(
            clinic_id=plan.patient.clinic_id, code__in=codes
        ).prefetch_related("texts")
    }
    wordings = {code: entry.in_language(base) for code, entry in library.items()}
    drafted = set(drafted_codes(library, base))
    untranslated = {code for code, wording in wordings.items() if wording.language != base}
    if base == BASE_LANGUAGE:
        untranslated = set()

    def titles(chosen: set[str]) -> list[str]:
        return [wordings[i.code].title for i in items if i.code in chosen and not i.removed]

    return PrintLanguage(language, interpreter, titles(drafted), titles(untranslated))


@dataclass
class Printable:
    """What a document prints: a stored plan, or one built from a file on the command line
    (then nothing is in the database: the assessment and patient are unsaved)."""

    plan: CarePlan
    items: list[CarePlanItem]
    library: dict[str, Intervention]
    assessment: Assessment
    events: list[DiaryEvent]
    age: int
    recipients: dict[str, Recipient] = field(default_factory=dict)
    # Issue 11: the patient's new home-task link, printed on the plan being signed when the
    # clinic asks for it (the token exists only in this render and the stored PDF).
    home_link_url: str = ""

    @classmethod
    def stored(cls, plan: CarePlan) -> Printable:
        # Its texts in every language come in one query: Intervention.in_language reads them.
        library = Intervention.objects.filter(clinic_id=plan.patient.clinic_id).prefetch_related(
            "texts"
        )
        assessment = plan.assessment
        recipients: dict[str, Recipient] = {}
        for recipient in recipients_for_clinic(clinic_id=plan.patient.clinic_id):
            recipients.setdefault(recipient.kind, recipient)
        return cls(
            plan=plan,
            items=list(plan.items.all()),
            library={i.code: i for i in library},
            assessment=assessment,
            events=diary_events(assessment),
            age=plan.patient.age_on(assessment.assessed_on),
            recipients=recipients,
        )

    @classmethod
    def standalone(
        cls, intake: dict[str, Any], built: BuiltPlan, events: list[DiaryEvent]
    ) -> Printable:
        """A plan built from an intake file (`build_plan`): no database, the library from
        fixtures/, and no name, date of birth or clinic to print."""
        person = intake["patient"]
        today = timezone.localdate()
        # No clinic: the plan prints in any language the application has (intake-v1's
        # patient.language), else in the default one.
        clinic = Clinic(
            name="", language=settings.LANGUAGE_CODE, printed_languages=available_codes()
        )
        patient = Patient(
            clinic=clinic,
            first_name="",
            last_name="",
            # Only the age is known; it is what the documents print for a file's patient.
            date_of_birth=today.replace(year=today.year - person["age"], day=1),
            anatomy=person["anatomy"],
            pronouns=person.get("pronouns", ""),
            preferred_language=person.get("language", "en"),
        )
        assessment = Assessment(
            patient=patient,
            clinic=clinic,
            assessed_on=today,
            weight_kg=person.get("weight_kg"),
            red_flags=intake.get("red_flags"),
            questionnaires=intake.get("questionnaires") or {},
            **intake_to_findings(intake),
        )
        plan = CarePlan(patient=patient, assessment=assessment, built=built.plan, version=1)
        library = fixture_library(clinic)
        return cls(
            plan=plan,
            items=items_from_built(plan, built),
            library=library,
            assessment=assessment,
            events=events,
            age=person["age"],
        )


def _patient_items(printable: Printable) -> list[PatientItem]:
    library = printable.library
    anatomy = printable.plan.patient.anatomy
    # render_html has activated the plan's language: titles and texts come in it.
    language = translation.get_language()
    items = []
    for item in printable.items:
        if item.removed:
            continue
        entry = library.get(item.code)
        wording = entry.in_language(language) if entry else None
        text = render_patient_text(wording.text_for(anatomy), item.dosing) if wording else ""
        text = in_clinic_spelling(text, language)
        title = in_clinic_spelling(_printed_title(item, entry, wording), language)
        notes = item.patient_notes or []
        holds = [note for note in notes if str(note.get("code", "")).startswith("hold.")]
        others = [note for note in notes if note not in holds]
        why = phrases.patient_notes(holds)
        if item.phase == 2 and not why:
            why = [_default_why(item)]
        drawing = drawing_file(entry.drawing if entry else "")
        items.append(
            PatientItem(
                item=item,
                title=title,
                text=text,
                notes=phrases.patient_notes(others),
                why_it_waits=why,
                drawing=drawing,
                drawing_alt=str(Drawing(entry.drawing).label) if entry and drawing else "",
            )
        )
    return items


DRAWINGS_DIR = "floorplan/drawings"


def drawing_file(name: str) -> str:
    """The static name of a library entry's drawing, or "" when it has none or its file is
    missing: the plan then prints no picture."""
    if name not in Drawing.values:
        return ""
    path = f"{DRAWINGS_DIR}/{name}.svg"
    return path if finders.find(path) or staticfiles_storage.exists(path) else ""


def _printed_title(
    item: CarePlanItem, entry: Intervention | None, wording: LibraryWording | None
) -> str:
    """The item's title in the plan's language: the library's, or the builder's own for
    this patient ("Try swapping to decaf"), a string of the catalogue. The stored title is
    in the language the plan was built in."""
    if entry is not None and wording is not None:
        if item.title in {entry.in_language(code).title for code in available_codes()}:
            return wording.title
    return _(item.title) if item.title else ""


def _default_why(item: CarePlanItem) -> str:
    """Why an item waits when the plan carries no reason of its own: an item the therapist
    added at review, or a plan built before hold reasons existed."""
    if item.category in ("strengthening", "coordination"):
        return _(
            "Squeezing exercises come once your pelvic floor can relax fully and your therapist "
            "has checked how you squeeze."
        )
    if item.category in ("medical_referral", "specialist_referral"):
        return _(
            "You may not need this. We will look at it together if things have not improved "
            "enough after the first weeks."
        )
    return _("One step at a time works best. We will add this at your review.")


def bladder_schedule(dosing: dict[str, int]) -> list[dict[str, int]]:
    """Week by week target intervals between voids (NICE NG123 bladder training)."""
    start = dosing.get("start_interval_min")
    if not start:
        return []
    step = dosing.get("increase_min", 15)
    every_days = max(dosing.get("every_days", 7), 1)
    target = dosing.get("target_interval_min", 180)
    weeks = dosing.get("weeks", 6)
    rows = []
    for week in range(1, weeks + 1):
        steps = (week - 1) * 7 // every_days
        rows.append({"week": week, "interval_min": min(start + steps * step, max(target, start))})
    return rows


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _progress_context(plan: CarePlan) -> dict[str, Any]:
    """A re-issued plan shows the patient's progress. Re-issued: a new version of a plan,
    or a plan made after an earlier signed one (the plan of a review). It charts the
    completed visits up to this plan's assessment, so the plan prints the same later, and
    only when two of them have an outcome to compare."""

    if plan.pk is None:  # `build_plan --pdf`: a plan from a file has no history
        return {}
    earlier = CarePlan.objects.filter(
        patient_id=plan.patient_id, status=PlanStatus.SIGNED, created_at__lt=plan.created_at
    ).exclude(pk=plan.pk)
    if plan.version == 1 and not earlier.exists():
        return {}
    visits = patient_visits(plan.patient, until=plan.assessment.assessed_on)
    visits = [visit for visit in visits if has_outcome(visit)]
    if len(visits) < 2:
        return {}
    series = [s for s in progress_series(visits) if s.points]
    # "reached": the latest value is a big enough change from the first (see progress.py).
    progress = [{"series": s, "reached": len(s.points) - 1 in mid_reached(s)} for s in series]
    return {
        "progress_svg": _svg_data_uri(
            progress_chart_svg(series, title=_("Your results at each visit"), for_patient=True)
        ),
        "progress": progress,
        "progress_reached": any(p["reached"] for p in progress),
    }


DAILY_CATEGORIES = ("relaxation", "coordination", "strengthening", "bladder_training", "lifestyle")


def patient_context(printable: Printable) -> dict[str, Any]:
    plan = printable.plan
    items = _patient_items(printable)
    now = [i for i in items if i.phase == 1]
    later = [i for i in items if i.phase == 2]

    def of(*categories: str) -> list[PatientItem]:
        return [i for i in now if i.category in categories]

    bladder = of("bladder_training")
    tier = plan.referral_urgency
    glance = [i for i in now if i.category in DAILY_CATEGORIES]
    referrals = of("medical_referral", "specialist_referral")
    goals = (getattr(printable.assessment, "goals", "") or "").strip()
    # Page 1 stands alone: pdf_from_html measures it once laid out (fit_page_one).
    return {
        # Safety rule 1: red flags print this section first, at their tier, even if the
        # therapist removed the urgent-referral item (with a reason).
        "tier": tier,
        "emergency": tier == EMERGENCY,
        "red_flags_plain": [phrases.red_flag_plain(flag) for flag in plan.red_flags],
        "cauda_equina": suspected_cauda_equina(plan.red_flags),
        # Page 1: what to do each day, with the dose; referrals get one line of their own.
        "glance": glance,
        # The patient's goals in their own words (the plan's assessment), on page 1.
        "goals": goals,
        "relaxation": of("relaxation"),
        "exercises": of("strengthening", "coordination"),
        "bladder": bladder,
        "bladder_schedule": bladder_schedule(bladder[0].dosing) if bladder else [],
        "lifestyle": of("lifestyle"),
        "referrals": referrals,
        # The warning signs print on page 1 from the template, in their three tiers.
        "education": [i for i in of("education") if i.code != WARNING_SIGNS],
        "later": later,
        "tick_days": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "home_link": _home_link_context(printable),
        **_progress_context(plan),
    }


def _home_link_context(printable: Printable) -> dict[str, Any] | None:
    url = printable.home_link_url
    if not url:
        return None
    token = url.rstrip("/").rsplit("/", 1)[-1]
    clinic = printable.plan.patient.clinic
    return {
        "url": url,
        "code": home_tokens.grouped(token),
        "qr": _svg_data_uri(home_tokens.qr_svg(url, title=_("QR code of your page"))),
        "until": timezone.localdate() + timedelta(days=clinic.home_link_days),
    }


def _summary(printable: Printable) -> dict[str, Any]:
    return assessment_summary(printable.assessment, events=printable.events)


def clinician_context(printable: Printable) -> dict[str, Any]:
    summary = _summary(printable)
    charts = [
        {
            "day": day.number,
            "src": _svg_data_uri(
                diary_day_svg(day, title=_("Diary day %(n)d") % {"n": day.number})
            ),
        }
        for day in summary["diary_days"]
    ]
    plan = printable.plan
    return {
        "summary": summary,
        "charts": charts,
        "items": printable.items,
        "tier": plan.referral_urgency,
        "flag_tiers": _flag_tiers(plan, printable.age),
        # Unsigned: the warnings as the plan stands; signed: those the signature answered.
        "safety_warnings": (
            plan.signing_warnings
            if plan.is_signed or plan.pk is None
            else plan_safety_warnings(plan, items=printable.items)
        ),
        "letters_due": [label for _kind, label in letters_due(plan, items=printable.items)],
    }


def _flag_tiers(plan: CarePlan, age: int) -> list[dict[str, Any]]:
    return [
        {
            "name": phrases.red_flag_name(t.flag),
            "tier": t.tier,
            "cancer_pathway": t.cancer_pathway,
        }
        for t in flag_tiers(plan.red_flags, age)
    ]


def _letter_items(items: Sequence[CarePlanItem]) -> list[LetterItem]:
    return [LetterItem(i.code, i.category, i.phase, i.removed) for i in items]


def _due(plan: CarePlan, items: Sequence[CarePlanItem]) -> list[str]:
    return due_letters(
        referral_urgency=plan.referral_urgency,
        items=_letter_items(items),
        anatomy=plan.patient.anatomy,
    )


def letters_due(
    plan: CarePlan, *, items: Sequence[CarePlanItem] | None = None
) -> list[tuple[str, StrOrPromise]]:
    """(recipient kind, label) of each letter due now, most urgent first; from the plan's
    items alone (the plan page passes those it has already read)."""
    items = list(plan.items.all()) if items is None else items
    return [(kind, RecipientKind(kind).label) for kind in _due(plan, items)]


def _findings_for_letter(summary: dict[str, Any]) -> dict[str, Any]:
    """Section 9: positive findings apart; assessed-and-negative apart from not assessed;
    consent and other process fields never among the findings."""
    positive, negative, not_assessed = [], [], []
    for section in summary["findings"]:
        for row in section["rows"]:
            if row["state"] == "positive":
                positive.append({"section": section["title"], **row})
            elif row["state"] == "negative":
                negative.append(row["label"])
        not_assessed += section["not_assessed_labels"]
    return {"positive": positive, "negative": negative, "not_assessed": not_assessed}


# Section 9: the emergency letter names every finding behind it, voiding difficulty and
# retention included.
EMERGENCY_CONTEXT_FINDINGS = ("voiding_difficulty", "incomplete_emptying")


def referral_context(printable: Printable, recipient: str) -> dict[str, Any]:
    plan = printable.plan
    anatomy = plan.patient.anatomy
    kind = recipient if recipient in RecipientKind.values else GP
    due = _due(printable.plan, printable.items)
    tier = plan.referral_urgency
    about_red_flags = tier is not None and kind == tier_recipient(tier)
    # A letter asks about what is due now; one on request also names what waits.
    chosen = {
        item.code
        for item in items_for(kind, _letter_items(printable.items), anatomy)
        if item.phase == 1 or kind not in due
    }
    referral_items = [
        {"item": item, "wording": _clinical_wording(printable, item)}
        for item in printable.items
        if item.code in chosen and not item.removed
    ]
    summary = _summary(printable)
    metrics = summary["diary_metrics"] or {}
    complete_days = metrics.get("complete_days") or 0
    context_findings = [
        phrases.finding_name(key)
        for key in EMERGENCY_CONTEXT_FINDINGS
        if getattr(printable.assessment, key, None) is True
    ]
    flags = _flag_tiers(plan, printable.age) if about_red_flags else []
    return {
        "summary": summary,
        "recipient_kind": kind,
        "recipient_name": RecipientKind(kind).label,
        "recipient": printable.recipients.get(kind),
        "on_request": kind not in due,
        "tier": tier if about_red_flags else None,
        "flag_tiers": flags,
        "cauda_equina": about_red_flags and suspected_cauda_equina(plan.red_flags),
        "cancer_pathway": any(f["cancer_pathway"] for f in flags),
        "specialist_opinion": any(f["tier"] == URGENT and not f["cancer_pathway"] for f in flags),
        "emergency_findings": context_findings,
        "age": printable.age,
        "referral_items": referral_items,
        "findings": _findings_for_letter(summary),
        "diary_provisional": bool(metrics) and complete_days < MIN_DIARY_DAYS,
        # Section 3 rules 4 and 6: at the emergency tier every letter says the programme
        # waits; otherwise what has started, in clinical words (section 9).
        "programme_on_hold": tier == EMERGENCY,
        "started": [
            {"item": i, "wording": _clinical_wording(printable, i, first_sentence=True)}
            for i in printable.items
            if not i.removed
            and i.phase == 1
            and i.category not in (*REFERRAL_CATEGORIES, "education")
        ],
    }


def _clinical_wording(
    printable: Printable, item: CarePlanItem, *, first_sentence: bool = False
) -> str:
    """Section 9: the library's clinician wording, never the patient's; the therapist's
    rationale for an item the library has no clinical wording for."""
    entry = printable.library.get(item.code)
    # The letter's language (the clinic's) is active: render_html.
    wording = entry.in_language(translation.get_language()) if entry else None
    text = wording.clinician_text if wording and wording.clinician_text else item.rationale
    if first_sentence:
        text = text.split(". ")[0].rstrip(".") + "."
    return text


# NICE CG171 / NG123: a bladder diary covers at least 3 days; fewer are provisional.
MIN_DIARY_DAYS = 3


def document_context(printable: Printable, kind: str, *, recipient: str = GP) -> dict[str, Any]:
    plan = printable.plan
    patient = plan.patient
    context: dict[str, Any] = {
        "plan": plan,
        "patient": patient,
        "clinic": patient.clinic,
        "kind": kind,
        "paper_size": "letter" if patient.clinic.paper_size == "letter" else "A4",
        # render_html has activated the document's language: the patient's for their plan.
        "lang": translation.get_language(),
        "today": timezone.localdate(),
        "draft": not plan.is_signed,
        "from_file": plan.pk is None,
        "age": printable.age,
    }
    if kind == "patient":
        context.update(patient_context(printable))
    elif kind == "clinician":
        context.update(clinician_context(printable))
    else:
        context.update(referral_context(printable, recipient))
    return context


def render_html(plan: CarePlan | Printable, kind: str, *, recipient: str = GP) -> str:
    printable = plan if isinstance(plan, Printable) else Printable.stored(plan)
    # The clinician summary and letters are in the clinic's language, whatever the
    # language of the browser that asked for them.
    clinic = printable.plan.patient.clinic
    language = document_language(printable.plan) if kind == "patient" else clinic.language
    with printed_in(language):
        context = document_context(printable, kind, recipient=recipient)
        return render_to_string(TEMPLATES[kind], context)


class StaticFetcher(URLFetcher):  # type: ignore[misc]  # URLFetcher is untyped (Any)
    """Serves /static/ from the project's files and data: URLs; fetches nothing else."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = PRINT_BASE_URL + settings.STATIC_URL.lstrip("/")
        name = url.removeprefix(prefix).split("?")[0] if url.startswith(prefix) else ""
        path = finders.find(name) if name else None
        if not path and name and staticfiles_storage.exists(name):
            path = staticfiles_storage.path(name)  # collected files, hashed names
        if not path:
            raise ValueError(f"a printed document fetches only its own static files, not {url}")
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            return URLFetcherResponse(url, body=file.read(), headers={"Content-Type": kind})


# Tagged PDF (PDF/UA-1) for screen readers; title and language come from the HTML.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}


class PageOneDoesNotFit(Exception):
    """A patient plan to be signed whose page 1 cannot hold its warning signs and contact."""


def pdf_from_html(html: str, *, signing: bool = False) -> bytes:
    """The PDF of a document's HTML, laid out once; a patient plan whose page 1 turns out
    not to hold its daily items, warning signs and contact is laid out again, denser
    (fit_page_one). Every layout of page 1 is in the HTML (print.css classes), so this
    needs nothing but the HTML; the preview on screen shows the layout as designed.

    When ``signing`` a patient plan, a page 1 that holds no layout at all raises
    PageOneDoesNotFit: a draft may print anyway, a signed plan is what the patient keeps."""
    if signing and PAGE_ONE_TAG not in html:
        raise PageOneDoesNotFit("a patient plan without its page 1 (_fridge_sheet.html)")
    lay_out = Typesetter()
    document = lay_out(html)
    if PAGE_ONE_TAG in html and not page_one_stands_alone(document):
        document = fit_page_one(html, lay_out)
        if document is None:
            LOGGER.error("The warning signs of a patient plan do not fit on its page 1.")
            if signing:
                raise PageOneDoesNotFit("the warning signs do not fit on page 1")
            document = lay_out(html.replace(PAGE_ONE_TAG, tagged_page_one(PAGE_ONE_FITS[-1]), 1))
    pdf: bytes = document.write_pdf(**PDF_OPTIONS)
    return pdf


class Typesetter:
    """Lays HTML out in pages (a weasyprint.Document); the layouts of one document share
    its fonts and pictures, loaded once."""

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self.pictures: dict[str, Any] = {}

    def __call__(self, html: str) -> Any:
        page = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=StaticFetcher())
        return page.render(font_config=self.fonts, cache=self.pictures, **PDF_OPTIONS)


# Page 1 of the patient plan stands alone (clinical reference, section 8): it carries the
# urgent instruction, each daily item, the warning signs and the clinic's contact (the last
# line of the warning signs). How much room they take depends on the words, the language and
# the paper, so it is measured, never estimated: the plan is laid out as designed, and when
# page 1 does not hold them it is laid out again with the next of these layouts, each a set
# of print.css classes on page 1, each denser than the one before, until one does.
PAGE_ONE_FITS: tuple[str, ...] = (
    "",  # as designed
    "dense",  # smaller pictures and type, tighter boxes
    "dense rows-to-details",  # "other help" and "later" only on the detail pages
    "dense rows-to-details goals-to-details",  # the goals open the detail pages instead
    "dense rows-to-details goals-to-details compact",  # smaller type, small pictures
    "dense rows-to-details goals-to-details compact denser",  # no pictures
    "dense rows-to-details goals-to-details compact denser densest",  # three columns
    # The last resort: the urgent instruction, then the warning signs and the contact, then
    # the daily items, which start on page 1 and may run onto page 2. Of the two promises,
    # the warning signs and the contact on page 1 is the one that keeps a patient safe: the
    # daily items are also in full on the detail pages, a missed warning sign is not.
    "dense rows-to-details goals-to-details compact denser densest signs-first",
)
# What a layout moves from page 1 to the detail pages, by its class (the markup that shows it).
TO_DETAILS = {"rows-to-details": 'class="to-details"', "goals-to-details": "goals-first"}
# The opening tag of page 1 (_fridge_sheet.html); a layout adds its classes to it.
PAGE_ONE_TAG = '<div class="page-one" id="page-one">'
# Where page 1 ends in the HTML: a layout is tried on page 1 alone, a quicker layout.
PAGE_ONE_END = "<!-- end of page one -->"
BLANK_PICTURE = _svg_data_uri('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"/>')


def tagged_page_one(classes: str) -> str:
    return PAGE_ONE_TAG.replace('class="page-one"', f'class="page-one {classes}"')


def fit_page_one(html: str, lay_out: Typesetter) -> Any:
    """The plan laid out with the first of PAGE_ONE_FITS (after the designed one) whose
    page 1 stands alone, else None (not seen with every red flag and every library item
    at once)."""
    page_one = html.split(PAGE_ONE_END)[0]
    # Page 1 alone, with the targets of its page numbers ("p. 3") on a page after it.
    targets = dict.fromkeys(re.findall(r'href="#([\w-]+)"', page_one))
    anchors = "".join(f'<p id="{target}"></p>' for target in targets)
    page_one += f'<div style="break-before: page">{anchors}</div>'
    # Its pictures blank: print.css sets their width and height, drawing them takes time.
    page_one = re.sub(r'src="[^"]*\.svg"', f'src="{BLANK_PICTURE}"', page_one)
    for before, classes in itertools.pairwise(PAGE_ONE_FITS):
        last_resort = classes == PAGE_ONE_FITS[-1]
        moved = TO_DETAILS.get(classes.removeprefix(before).strip())
        if moved and moved not in page_one:
            continue  # a plan with nothing to move: the same layout as the one before
        tagged = tagged_page_one(classes)
        if not last_resort:
            trial = lay_out(page_one.replace(PAGE_ONE_TAG, tagged, 1))
            if not page_one_stands_alone(trial):
                continue
        document = lay_out(html.replace(PAGE_ONE_TAG, tagged, 1))
        if page_one_stands_alone(document, signs_first=last_resort):
            return document
    return None


def page_one_stands_alone(document: Any, *, signs_first: bool = False) -> bool:
    """Whether page 1 holds, whole, the urgent instruction, each daily item and the warning
    signs with the contact. WeasyPrint lists on each page the ids of the elements laid out
    on it (Page.anchors): an element is whole on page 1 when its id is there and on no
    other page. With the signs first (the last resort), the daily items need only start
    on page 1."""
    pages = [set(page.anchors) for page in document.pages]
    first, later = pages[0], set().union(*pages[1:])
    everywhere = first | later
    daily = {name for name in everywhere if name.startswith("daily-")}
    whole = {"warning-signs"} | ({"see-a-doctor"} & everywhere)
    if signs_first:
        start = {"at-a-glance-after"} & everywhere
    else:
        whole |= {name for name in daily if not name.endswith("-after")}
        start = set()
    return whole <= first - later and start <= first


def render_pdf(
    plan: CarePlan | Printable, kind: str, *, recipient: str = GP, signing: bool = False
) -> bytes:
    html = render_html(plan, kind, recipient=recipient)
    return pdf_from_html(html, signing=True) if signing else pdf_from_html(html)


def pdf_from_standalone_plan(
    intake: dict[str, Any],
    built: BuiltPlan,
    *,
    events: Sequence[DiaryEvent] = (),
    kind: str = "patient",
    recipient: str = GP,
) -> bytes:
    """A document for `build_plan`: no database, the library from fixtures/."""
    printable = Printable.standalone(intake, built, list(events))
    return render_pdf(printable, kind, recipient=recipient)
