from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.findings import (
    INTERNAL_EXAM_FINDINGS,
    RED_FLAGS,
    SECTIONS,
    STRESS_LEAK_TRIGGERS,
    column,
)
from assessments.models import RED_FLAG_LABELS, TRIGGER_LABELS, Assessment
from assessments.steps import GOAL_FIELDS, SECTION_STEP

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_ASSESSED = _("Not assessed")

SECTION_TITLES = {
    "goals": _("Main concern and goals"),
    "symptoms": _("Symptoms"),
    "exam": _("Examination"),
    "hormonal": _("Hormonal status"),
    "history": _("History"),
    "lifestyle": _("Lifestyle"),
    "red_flags": _("Red flags"),
}


# The form's sections in the order of the guided flow (steps.SECTION_STEP says which step
# shows each): history and goals first, as a first visit goes.
SECTION_ORDER = ("goals", "history", "lifestyle", "symptoms", "red_flags", "exam", "hormonal")

# Findings asked only of some anatomies. "Anatomy never blocks a finding" (intake-v1): for
# another anatomy they wait behind "Fields for other anatomy", and show as usual once they
# hold a value.
OTHER_ANATOMY: dict[str, tuple[str, ...]] = {
    "vulva": ("prostatectomy", "prostatectomy_weeks_ago"),
    "penis": (
        "vaginal_births",
        "instrumental_birth",
        "weeks_postpartum",
        "breastfeeding",
        "vaginal_atrophy",
        "vaginal_estrogen",
    ),
}

# Child field -> (parent field, the parent's answers under which the child is asked). The
# page's script disables a child whose parent rules it out (and restores what it held if the
# parent is changed back); the server refuses the contradictions that cannot be stored.
DEPENDENT_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stress_leak_triggers": ("effort_leaks", ("true", "unknown")),
    "red_flags": ("any_red_flags", ("true", "unknown")),
    "weeks_postpartum": ("hormonal_status", ("postpartum",)),
    "prostatectomy_weeks_ago": ("prostatectomy", ("true",)),
    **{name: ("consent_recorded", ("true",)) for name in INTERNAL_EXAM_FINDINGS},
}
WIDE_FIELDS = ("stress_leak_triggers", "red_flags", "chief_complaint", "goals")


def _is_empty(value: object) -> bool:
    return value is None or value in ("", "unknown", [], ())


# Treatment and cancer history (intake-v1 additions, 2026-12-01): the model's short labels,
# said in full on the form (labels here, so the model and its migrations stay as they are).
FORM_WORDING = {
    "bladder_training_weeks_tried": (
        _("Weeks of bladder training already done"),
        _("0 if never tried; leave empty if not asked."),
    ),
    "oab_medication_tried": (
        _("Overactive-bladder medicine already tried"),
        _("An antimuscarinic or a beta-3 agonist (such as mirabegron)."),
    ),
    "hormone_sensitive_cancer": (
        _("Hormone-sensitive cancer, ever"),
        _("Breast, womb (endometrial) or another hormone-sensitive cancer."),
    ),
    "aromatase_inhibitor": (
        _("Currently takes an aromatase inhibitor"),
        _("Such as anastrozole, letrozole or exemestane."),
    ),
}


class NullBooleanChoice(forms.NullBooleanSelect):
    """Not assessed / Yes / No: an unanswered question is not a "no"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = (("unknown", NOT_ASSESSED), ("true", _("Yes")), ("false", _("No")))


def _null_boolean(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=label, required=False, help_text=help_text, widget=NullBooleanChoice
    )


class AssessmentForm(forms.ModelForm[Assessment]):
    effort_leaks = _null_boolean(_("Leaks on effort"))
    stress_leak_triggers = forms.MultipleChoiceField(
        label=_("Leaks on"),
        required=False,
        choices=[(t, TRIGGER_LABELS[t]) for t in STRESS_LEAK_TRIGGERS],
        widget=forms.CheckboxSelectMultiple,
    )
    any_red_flags = _null_boolean(_("Any red flag"))
    red_flags = forms.MultipleChoiceField(
        label=_("Red flags found"),
        required=False,
        choices=[(f, RED_FLAG_LABELS[f]) for f in RED_FLAGS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "red-flag-box"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Assessment
        fields = [
            "kind",
            "assessed_on",
            "weight_kg",
            *GOAL_FIELDS,
            *[column(s, k) for s, keys in SECTIONS.items() for k in keys],
            "notes",
        ]
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "chief_complaint": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.NullBooleanField) and name not in (
                "effort_leaks",
                "any_red_flags",
            ):
                field.widget = NullBooleanChoice()
            elif isinstance(field, forms.TypedChoiceField) and name != "kind":
                # A model field's choices, already a list: the blank first, then the rest.
                choices = cast("list[tuple[str, StrOrPromise]]", field.choices)
                field.choices = [("", NOT_ASSESSED), *choices[1:]]
        for name, (label, help_text) in FORM_WORDING.items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text
        instance = self.instance
        if not self.is_bound:
            triggers = instance.stress_leak_triggers
            self.initial["effort_leaks"] = None if triggers is None else bool(triggers)
            self.initial["stress_leak_triggers"] = triggers or []
            flags = instance.red_flags
            self.initial["any_red_flags"] = None if flags is None else bool(flags)
            self.initial["red_flags"] = flags or []

    def clean_original(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["original"] or "{}")
        except ValueError:
            value = {}
        return value if isinstance(value, dict) else {}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        effort = cleaned.get("effort_leaks")
        triggers = cleaned.get("stress_leak_triggers") or []
        if effort is True and not triggers:
            self.add_error("stress_leak_triggers", _("Tick when the leaks happen."))
        elif effort is False and triggers:
            # Both are someone's deliberate input: which one is meant is not guessed.
            ticked = ", ".join(str(TRIGGER_LABELS[t]) for t in triggers if t in TRIGGER_LABELS)
            self.add_error(
                "effort_leaks",
                _(
                    "“Leaks on effort” is No, but “Leaks on” has %(ticked)s ticked: "
                    "answer Yes, or untick them."
                )
                % {"ticked": ticked},
            )
            self.add_error("stress_leak_triggers", _("Ticked while “Leaks on effort” is No."))
        cleaned["stress_leak_triggers"] = None if effort is None and not triggers else triggers

        any_flags = cleaned.get("any_red_flags")
        flags = cleaned.get("red_flags") or []
        if any_flags is True and not flags:
            self.add_error("red_flags", _("Tick which red flag you found."))
        elif any_flags is False and flags:
            self.add_error(
                "any_red_flags",
                _(
                    "“Any red flag” is No, but red flags are ticked below: answer Yes, "
                    "or untick them."
                ),
            )
            self.add_error("red_flags", _("Ticked while “Any red flag” is No."))
        cleaned["red_flags"] = None if any_flags is None and not flags else flags

        if cleaned.get("consent_recorded") is not True:
            # No internal examination finding without recorded consent (intake-v1).
            for name in INTERNAL_EXAM_FINDINGS:
                if cleaned.get(name) is not None:
                    self.add_error(name, _("Record consent for an internal examination first."))
        return cleaned

    def finding_values(self) -> dict[str, Any]:
        """What the service saves: every model field of the form."""
        names = [*cast("list[str]", self._meta.fields), "stress_leak_triggers", "red_flags"]
        return {name: self.cleaned_data.get(name) for name in names}

    def _section_names(self, section: str) -> list[str]:
        if section == "goals":
            return list(GOAL_FIELDS)
        if section == "red_flags":
            return ["any_red_flags", "red_flags"]
        names = [column(section, k) for k in SECTIONS[section]]
        return ["effort_leaks", *names] if section == "symptoms" else names

    def _holds_value(self, name: str) -> bool:
        return not _is_empty(getattr(self.instance, name, None)) or not _is_empty(
            self[name].value()
        )

    def sections(self) -> list[dict[str, Any]]:
        """Fields by section in the order of the flow, each section with its step and
        whether it holds any finding yet. Fields asked of another anatomy and still empty
        are apart (``other_anatomy``), for a disclosure."""
        other = OTHER_ANATOMY.get(self.instance.patient.anatomy, ())
        result = []
        for section in SECTION_ORDER:
            names = self._section_names(section)
            apart = [n for n in names if n in other and not self._holds_value(n)]
            apart = [n for n in apart if n not in self.errors]
            done = any(
                not _is_empty(getattr(self.instance, n, None))
                for n in names
                if n not in ("effort_leaks", "any_red_flags")
            )
            result.append(
                {
                    "key": section,
                    "title": SECTION_TITLES[section],
                    "step": SECTION_STEP[section],
                    "fields": [self[n] for n in names if n not in apart],
                    "items": [self._item(n) for n in names if n not in apart],
                    "other_anatomy": [self._item(n) for n in apart],
                    "has_errors": any(n in self.errors for n in names),
                    "done": done,
                }
            )
        return result

    def _item(self, name: str) -> dict[str, Any]:
        """A field with what the template needs around it: its width, and its parent."""
        item: dict[str, Any] = {
            "field": self[name],
            "wide": name in WIDE_FIELDS,
            "internal": name in INTERNAL_EXAM_FINDINGS,
        }
        if name in DEPENDENT_FIELDS:
            parent, answers = DEPENDENT_FIELDS[name]
            item["depends_on"] = parent
            item["enabled_when"] = " ".join(answers)
            item["note"] = self._dependency_note(parent, answers)
        return item

    def _dependency_note(self, parent: str, answers: tuple[str, ...]) -> str:
        field = self.fields[parent]
        if parent == "consent_recorded":
            return str(_("Record consent for an internal examination first."))
        labels = dict(getattr(field.widget, "choices", []) or getattr(field, "choices", []))
        if "unknown" in answers:
            return str(
                _("Not asked: “%(parent)s” is %(answer)s.")
                % {"parent": field.label, "answer": labels.get("false", _("No"))}
            )
        said = " / ".join(str(labels.get(a, a)) for a in answers)
        return str(
            _("Asked when “%(parent)s” is %(answer)s.") % {"parent": field.label, "answer": said}
        )

    def errors_by_label(self) -> list[dict[str, Any]]:
        """Every field error with the field's label and the step showing it, for the
        summary above the form (a field of another step is named, not hidden)."""
        found = []
        for name, errors in self.errors.items():
            if name == "__all__" or name not in self.fields:
                continue
            for error in errors:
                found.append({"name": name, "label": self.fields[name].label, "message": error})
        return found


class ReferralForm(forms.Form):
    note = forms.CharField(
        label=_("Referral made"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("To whom, how and when, e.g. “GP, urgent letter faxed 12 May”."),
    )


class IntakeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Intake file (pelvic-intake/1 JSON)"),
        help_text=_("The diary may be inside the file as rows."),
    )
