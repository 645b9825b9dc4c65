"""The intake as one guided flow: its steps, in the order of a first visit, each with its
address and whether it holds anything yet; and, before completing, what is still missing.

History and goals come first (what brings the patient, in their words), then symptoms and
the patient's own reports (questionnaires, diary), then the examination and hormonal
status, then a review that says what completing will lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.findings import SECTIONS, column
from assessments.intake import FieldError, intake_errors
from assessments.models import Assessment
from assessments.selectors import assessment_to_intake

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Step key -> its title. The order is the order of the flow.
STEP_TITLES: dict[str, StrOrPromise] = {
    "history": _("History and goals"),
    "symptoms": _("Symptoms"),
    "questionnaires": _("Questionnaires"),
    "diary": _("Bladder diary"),
    "examination": _("Examination"),
    "hormonal": _("Hormonal status"),
    "review": _("Review and complete"),
}
STEP_ORDER: tuple[str, ...] = tuple(STEP_TITLES)
# The steps that are parts of the intake form itself (the others have pages of their own).
FORM_STEPS = ("history", "symptoms", "examination", "hormonal", "review")

# The form's sections (findings.SECTIONS, plus the form's own) -> the step showing them.
SECTION_STEP: dict[str, str] = {
    "visit": "history",
    "goals": "history",
    "history": "history",
    "lifestyle": "history",
    "symptoms": "symptoms",
    "red_flags": "symptoms",
    "exam": "examination",
    "hormonal": "hormonal",
    "notes": "review",
}
VISIT_FIELDS = ("kind", "assessed_on", "weight_kg")
GOAL_FIELDS = ("chief_complaint", "goals")


def field_step(name: str) -> str:
    """The step whose page shows a form field."""
    if name in VISIT_FIELDS:
        return "history"
    if name in GOAL_FIELDS:
        return "history"
    if name in ("effort_leaks", "stress_leak_triggers"):
        return "symptoms"
    if name in ("any_red_flags", "red_flags"):
        return "symptoms"
    for section, keys in SECTIONS.items():
        if name in (column(section, k) for k in keys):
            return SECTION_STEP[section]
    return "review"


def field_for_path(path: str) -> str | None:
    """A contract path ("exam.oxford_grade", "red_flags[1]") -> the form field showing it."""
    head = path.split("[", 1)[0]
    if head == "patient.weight_kg":
        return "weight_kg"
    if head == "red_flags":
        return "red_flags"
    section, _dot, key = head.partition(".")
    if section in SECTIONS and key in SECTIONS[section]:
        return column(section, key)
    return None


def step_url(assessment: Assessment, step: str) -> str:
    if step == "history":
        return reverse("assessment_edit", args=[assessment.pk])
    if step == "questionnaires":
        return reverse("assessment_questionnaires", args=[assessment.pk])
    if step == "diary":
        return reverse("assessment_diary", args=[assessment.pk])
    return reverse("assessment_step", args=[assessment.pk, step])


def next_step(step: str) -> str:
    index = STEP_ORDER.index(step)
    return STEP_ORDER[min(index + 1, len(STEP_ORDER) - 1)]


def _recorded(assessment: Assessment, section: str) -> bool:
    return any(getattr(assessment, column(section, k)) is not None for k in SECTIONS[section])


def step_state(assessment: Assessment, step: str, *, has_diary: bool) -> str:
    """ "done" when a step holds what it asks for, "partial" when it holds some of it,
    "missing" when nothing (the review is done once the assessment is complete)."""
    if step == "history":
        parts = [
            bool(assessment.chief_complaint.strip()),
            bool(assessment.goals.strip()),
            _recorded(assessment, "history"),
        ]
    elif step == "symptoms":
        parts = [_recorded(assessment, "symptoms"), assessment.red_flags is not None]
    elif step == "questionnaires":
        parts = [bool(assessment.questionnaires)]
    elif step == "diary":
        parts = [has_diary]
    elif step == "examination":
        parts = [_recorded(assessment, "exam")]
    elif step == "hormonal":
        parts = [_recorded(assessment, "hormonal")]
    else:
        parts = [not assessment.is_draft]
    if all(parts):
        return "done"
    return "partial" if any(parts) else "missing"


@dataclass(frozen=True)
class Step:
    key: str
    number: int
    title: StrOrPromise
    url: str
    state: str  # "done", "partial" or "missing"
    current: bool

    @property
    def done(self) -> bool:
        return self.state == "done"


def intake_steps(assessment: Assessment, *, current: str) -> list[Step]:
    has_diary = assessment.diary_entries.exists()
    return [
        Step(
            key=key,
            number=number,
            title=STEP_TITLES[key],
            url=step_url(assessment, key),
            state=step_state(assessment, key, has_diary=has_diary),
            current=key == current,
        )
        for number, key in enumerate(STEP_ORDER, start=1)
    ]


@dataclass(frozen=True)
class Missing:
    text: StrOrPromise
    url: str


def missing_items(assessment: Assessment) -> list[Missing]:
    """What the saved draft does not hold yet, each with the step that asks for it.

    None of these blocks completing (every section is optional in intake-v1); but the
    questionnaires and the diary cannot be entered once the assessment is complete."""
    found: list[Missing] = []

    def add(text: StrOrPromise, step: str, anchor: str = "") -> None:
        found.append(Missing(text=text, url=step_url(assessment, step) + anchor))

    if not assessment.chief_complaint.strip():
        add(_("The main concern is not recorded."), "history", "#id_chief_complaint")
    if not assessment.goals.strip():
        add(_("The patient's goals are not recorded."), "history", "#id_goals")
    if not _recorded(assessment, "history"):
        add(_("History: nothing recorded."), "history", "#section-history")
    if not _recorded(assessment, "symptoms"):
        add(_("Symptoms: nothing recorded."), "symptoms")
    if assessment.red_flags is None:
        add(_("Red flags: not screened."), "symptoms", "#section-red_flags")
    if not assessment.questionnaires:
        add(_("No questionnaire entered."), "questionnaires")
    if not assessment.diary_entries.exists():
        add(_("No bladder diary."), "diary")
    if not _recorded(assessment, "exam"):
        add(_("Examination: nothing recorded."), "examination")
    if not _recorded(assessment, "hormonal"):
        add(_("Hormonal status: nothing recorded."), "hormonal")
    return found


def completion_problems(assessment: Assessment) -> list[tuple[FieldError, str | None]]:
    """The saved draft's breaches of intake-v1, which completing refuses, each with the form
    field that shows it (None when no field does)."""
    errors = intake_errors(assessment_to_intake(assessment, with_diary=False))
    return [(error, field_for_path(error.field)) for error in errors]
