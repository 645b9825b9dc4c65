"""The printed documents: one context builder per document; the same template renders
the HTML preview and the PDF (WeasyPrint)."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessments.models import RED_FLAG_LABELS
from careplans.models import CarePlan, CarePlanItem, Intervention
from clinic.models import Clinic, Patient

DOCUMENTS = ("patient", "clinician", "referral")
TEMPLATES = {
    "patient": "careplans/documents/patient_plan.html",
    "clinician": "careplans/documents/clinician_summary.html",
    "referral": "careplans/documents/referral_letter.html",
}
REFERRAL_RECIPIENTS = {
    "gp": gettext_lazy("General practitioner"),
    "urology": gettext_lazy("Urology"),
    "urogynaecology": gettext_lazy("Urogynaecology"),
}
# WeasyPrint reads /static/ from the project's own files and nothing from the network.
PRINT_BASE_URL = "https://floorplan.invalid/"


@dataclass(frozen=True)
class PatientItem:
    item: CarePlanItem
    text: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.item, name)


def document_language(plan: CarePlan) -> str:
    wanted = plan.patient.preferred_language
    available = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in available else settings.LANGUAGE_CODE


@dataclass
class Printable:
    """What a document prints: a stored plan, or one built from a file on the command line."""

    plan: CarePlan
    items: list[CarePlanItem]
    library: dict[str, Intervention]

    @classmethod
    def stored(cls, plan: CarePlan) -> Printable:
        library = Intervention.objects.filter(clinic_id=plan.patient.clinic_id)
        return cls(plan=plan, items=list(plan.items.all()), library={i.code: i for i in library})


def _patient_items(printable: Printable) -> list[PatientItem]:
    from careplans.library import render_patient_text

    library = printable.library
    anatomy = printable.plan.patient.anatomy
    items = []
    for item in printable.items:
        if item.removed:
            continue
        entry = library.get(item.code)
        text = render_patient_text(entry.text_for(anatomy), item.dosing) if entry else ""
        items.append(PatientItem(item=item, text=text))
    return items


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
    from assessments.progress import has_outcome, mid_reached, progress_series
    from assessments.progress_charts import progress_chart_svg
    from assessments.progress_store import patient_visits
    from careplans.models import PlanStatus

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


def patient_context(printable: Printable) -> dict[str, Any]:
    plan = printable.plan
    items = _patient_items(printable)
    now = [i for i in items if i.phase == 1]
    later = [i for i in items if i.phase == 2]

    def of(*categories: str, phase_items=now) -> list[PatientItem]:
        return [i for i in phase_items if i.category in categories]

    warning = [i for i in items if i.code == "education.warning_signs"]
    bladder = of("bladder_training")
    return {
        "urgent": of("urgent_referral"),
        # Safety rule 1: red flags print this section first, even if the therapist
        # removed the urgent-referral item (with a reason).
        "see_a_doctor": bool(plan.red_flags),
        "red_flags": [str(RED_FLAG_LABELS.get(f, f)) for f in plan.red_flags],
        "glance": now,
        "relaxation": of("relaxation"),
        "exercises": of("strengthening", "coordination"),
        "bladder": bladder,
        "bladder_schedule": bladder_schedule(bladder[0].dosing) if bladder else [],
        "lifestyle": of("lifestyle"),
        "referrals": of("medical_referral", "specialist_referral"),
        "education": [i for i in of("education") if i.code != "education.warning_signs"],
        "warning_signs": warning,
        "later": later,
        "tick_days": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        **_progress_context(plan),
    }


def clinician_context(printable: Printable) -> dict[str, Any]:
    from assessments.charts import diary_day_svg
    from assessments.summary import assessment_summary

    summary = assessment_summary(printable.plan.assessment)
    charts = [
        {
            "day": day.number,
            "src": _svg_data_uri(
                diary_day_svg(day, title=_("Diary day %(n)d") % {"n": day.number})
            ),
        }
        for day in summary["diary_days"]
    ]
    return {
        "summary": summary,
        "charts": charts,
        "items": printable.items,
    }


def referral_context(printable: Printable, recipient: str) -> dict[str, Any]:
    from assessments.summary import assessment_summary

    plan = printable.plan
    summary = assessment_summary(plan.assessment)
    return {
        "summary": summary,
        "recipient": recipient if recipient in REFERRAL_RECIPIENTS else "gp",
        "recipient_name": REFERRAL_RECIPIENTS.get(recipient, REFERRAL_RECIPIENTS["gp"]),
        "urgent": bool(plan.red_flags),
        "red_flags": summary["red_flags"],
        "referral_items": [
            i
            for i in printable.items
            if not i.removed
            and i.category in ("urgent_referral", "medical_referral", "specialist_referral")
        ],
    }


def document_context(printable: Printable, kind: str, *, recipient: str = "gp") -> dict[str, Any]:
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
    }
    if kind == "patient":
        context.update(patient_context(printable))
    elif kind == "clinician":
        context.update(clinician_context(printable))
    else:
        context.update(referral_context(printable, recipient))
    return context


def render_html(plan: CarePlan | Printable, kind: str, *, recipient: str = "gp") -> str:
    printable = plan if isinstance(plan, Printable) else Printable.stored(plan)
    language = (
        document_language(printable.plan) if kind == "patient" else translation.get_language()
    )
    with translation.override(language):
        context = document_context(printable, kind, recipient=recipient)
        return render_to_string(TEMPLATES[kind], context)


class StaticFetcher(URLFetcher):
    """Serves /static/ from the project's files and data: URLs; fetches nothing else."""

    def fetch(self, url, headers=None):
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


def pdf_from_html(html: str) -> bytes:
    """Tagged PDF (PDF/UA-1) for screen readers; title and language come from the HTML."""
    document = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=StaticFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(plan: CarePlan, kind: str, *, recipient: str = "gp") -> bytes:
    return pdf_from_html(render_html(plan, kind, recipient=recipient))


def pdf_from_standalone_plan(intake: dict[str, Any], built: dict[str, Any]) -> bytes:
    """The patient plan for `build_plan --pdf`: no database, the library from fixtures/."""
    from careplans.library import load_library_entries

    person = intake["patient"]
    clinic = Clinic(name="")
    patient = Patient(
        clinic=clinic,
        first_name="",
        last_name="",
        anatomy=person["anatomy"],
        pronouns=person.get("pronouns", ""),
        preferred_language=person.get("language", "en"),
    )
    plan = CarePlan(patient=patient, built=built, version=1)
    items = [
        CarePlanItem(plan=plan, position=n, **{k: item[k] for k in ITEM_FIELDS})
        for n, item in enumerate(built["items"], start=1)
    ]
    library = {
        entry["code"]: Intervention(clinic=clinic, **entry) for entry in load_library_entries()
    }
    return pdf_from_html(render_html(Printable(plan, items, library), "patient"))


ITEM_FIELDS = ("code", "category", "phase", "title", "rationale", "dosing", "source")
