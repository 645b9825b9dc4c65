from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from careplans.dosing import clinician_label
from careplans.models import Intervention

DOSING_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class RemoveItemForm(forms.Form):
    reason = forms.CharField(
        label=_("Why remove it?"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("Needed for a safety item")}),
    )


class ItemForm(forms.Form):
    phase = forms.TypedChoiceField(
        label=_("Phase"),
        coerce=int,
        choices=[(1, _("1: start now")), (2, _("2: at review"))],
    )

    phase_reason = forms.CharField(
        label=_("Why start it now?"),
        required=False,
        max_length=1000,
        help_text=_("Needed when an item that waits for a reason moves to phase 1."),
    )

    rationale = forms.CharField(
        label=_("Why (for the clinician summary and letters)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The sentence with the starting dose follows a changed dose."),
    )

    def __init__(self, *args: Any, dosing: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dosing_keys = list(dosing)
        for key, value in dosing.items():
            # The one vocabulary (careplans.dosing); a clinic's own key reads as its words.
            self.fields[f"dosing_{key}"] = forms.IntegerField(
                label=clinician_label(key),
                min_value=0,
                max_value=10000,
                initial=value,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def dosing(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"dosing_{key}"] for key in self.dosing_keys}

    def dosing_fields(self) -> list[forms.BoundField]:
        return [self[f"dosing_{key}"] for key in self.dosing_keys]


def entry_title(entry: Intervention) -> str:
    return f"{entry.title} ({entry.get_category_display()})"


class AddItemForm(forms.Form):
    intervention = forms.ModelChoiceField(
        label=_("Add from the library"), queryset=Intervention.objects.none()
    )
    phase = forms.TypedChoiceField(
        label=_("Phase"), coerce=int, choices=[(1, _("1: start now")), (2, _("2: at review"))]
    )
    rationale = forms.CharField(label=_("Why"), max_length=1000, required=False)

    def __init__(self, *args: Any, clinic_id: int, exclude_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Intervention]", self.fields["intervention"])
        field.queryset = Intervention.objects.filter(clinic_id=clinic_id, is_active=True).exclude(
            code__in=exclude_codes
        )
        # Clinicians choose by the title; the code stays behind the item's "Details".
        field.label_from_instance = entry_title  # type: ignore[method-assign,assignment]


class PlanNoteForm(forms.Form):
    personal_note = forms.CharField(
        label=_("Personal note to the patient"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SignForm(forms.Form):
    reason = forms.CharField(
        label=_("Why sign it despite the safety warnings?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
