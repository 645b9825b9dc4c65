"""The staff side of home tasks (issue 11): what to send the patient, the link by email,
and where to accept what the patient sent in."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, HomeTasks

# The questionnaires a patient may answer on their own phone, in HomeTasks.QUESTIONNAIRES order.
QUESTIONNAIRE_CHOICES = [
    ("pfdi20", gettext_lazy("PFDI-20: pelvic floor distress (20 questions)")),
    ("pfiq7", gettext_lazy("PFIQ-7: impact on daily life (21 questions)")),
    ("iqq3", gettext_lazy("3IQ: which type of leaking (3 questions)")),
]
QUESTIONNAIRE_NAMES = {
    "pfdi20": gettext_lazy("PFDI-20"),
    "pfiq7": gettext_lazy("PFIQ-7"),
    "iqq3": gettext_lazy("3IQ"),
}
NEW = "new"


def task_names(tasks: HomeTasks) -> list[str]:
    """What the patient is asked for, in words: "PFDI-20", "3-day bladder diary"."""
    names = [str(QUESTIONNAIRE_NAMES.get(name, name)) for name in tasks.questionnaires]
    if tasks.diary_days:
        names.append(_("%(n)d-day bladder diary") % {"n": tasks.diary_days})
    return names


class HomeTasksForm(forms.Form):
    questionnaires = forms.MultipleChoiceField(
        label=gettext_lazy("Questionnaires"),
        choices=QUESTIONNAIRE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "ICIQ-UI SF and OAB-V8 are not offered: their licences allow clinician entry "
            "only, not patients filling them in on their own in software. Enter them in "
            "clinic on the assessment's questionnaires page."
        ),
    )
    diary_days = forms.IntegerField(
        label=gettext_lazy("Bladder diary (days)"),
        min_value=0,
        max_value=14,
        initial=3,
        help_text=gettext_lazy("0 for no diary. NICE asks for at least 3 days."),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Shown to the patient; nothing stops after it."),
    )

    def __init__(self, *args: Any, link_days: int, tasks: HomeTasks | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if tasks is not None:  # the open tasks: changed in place
            self.initial.update(
                questionnaires=tasks.questionnaires,
                diary_days=tasks.diary_days,
                due_on=tasks.due_on,
            )
        else:
            self.initial["due_on"] = timezone.localdate() + timedelta(days=link_days)

    def clean_due_on(self) -> date | None:
        due: date | None = self.cleaned_data.get("due_on")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("The due date has passed: choose today or later."))
        return due

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not cleaned.get("questionnaires") and cleaned.get("diary_days") == 0:
            raise forms.ValidationError(
                _("Choose at least one questionnaire, or a diary of one day or more.")
            )
        return cleaned


class LinkEmailForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    email = forms.EmailField(
        label=gettext_lazy("Patient's email address"),
        help_text=gettext_lazy(
            "The email holds the link, the clinic's name and the date it stops working: "
            "nothing else about the patient."
        ),
    )


def _draft_label(assessment: Assessment) -> str:
    return _("%(kind)s of %(date)s (draft)") % {
        "kind": assessment.get_kind_display(),
        "date": date_format(assessment.assessed_on, "DATE_FORMAT"),
    }


class AcceptForm(forms.Form):
    target = forms.ChoiceField(
        label=gettext_lazy("Put it into"),
        help_text=gettext_lazy(
            "The diary replaces the assessment's diary; each questionnaire answered in full "
            "replaces the same questionnaire in the assessment. Its other findings stay."
        ),
    )

    def __init__(self, *args: Any, drafts: list[Assessment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(NEW, _("A new intake")), *((str(a.pk), _draft_label(a)) for a in drafts)]
        self.drafts = {str(a.pk): a for a in drafts}
        # The draft in progress is the likeliest home for what the patient sent.
        self.initial.setdefault("target", str(drafts[0].pk) if drafts else NEW)

    def assessment(self) -> Assessment | None:
        """The draft chosen, or None for a new intake (after is_valid)."""
        return self.drafts.get(self.cleaned_data["target"])
