from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from careplans.library import PLACEHOLDERS, WORDING_FIELDS, entry_errors, translation_errors
from careplans.models import Intervention, InterventionText
from clinic.models import Clinic


class DosingField(forms.CharField):
    """Default dosing typed as one "name: number" a line, e.g. "hold_s: 5"."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "font-monospace"})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, dict):
            return "\n".join(f"{key}: {number}" for key, number in value.items())
        return value or ""

    # Any, not dict[str, int]: a CharField's to_python gives text, this one the dosing.
    def to_python(self, value: Any) -> Any:
        if isinstance(value, dict):
            return value
        dosing: dict[str, int] = {}
        for number, line in enumerate(str(value or "").splitlines(), start=1):
            if not line.strip():
                continue
            key, colon, amount = line.partition(":")
            key, amount = key.strip(), amount.strip()
            if not colon or not key or not amount.isdigit():
                raise forms.ValidationError(
                    _('Line %(line)s: write a name, a colon and a whole number, like "hold_s: 5".'),
                    params={"line": number},
                )
            dosing[key] = int(amount)
        return dosing


class InterventionForm(forms.ModelForm[Intervention]):
    default_dosing = DosingField(
        label=_("Default dosing"),
        required=False,
        help_text=_(
            'One a line, as "name: number" (e.g. "hold_s: 5"). Used when a therapist adds this '
            "item by hand; a built plan sets its own numbers from the findings."
        ),
    )

    class Meta:
        model = Intervention
        fields = [
            "code",
            "category",
            "title",
            "patient_text",
            "patient_text_vulva",
            "patient_text_penis",
            "clinician_text",
            "default_dosing",
            "source",
            "is_active",
        ]
        widgets = {
            "patient_text": forms.Textarea(attrs={"rows": 7}),
            "patient_text_vulva": forms.Textarea(attrs={"rows": 9}),
            "patient_text_penis": forms.Textarea(attrs={"rows": 9}),
            "clinician_text": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _("Lower-case words joined by dots, starting with the category."),
            "is_active": _("Untick to stop offering this item in new plans. It is kept."),
        }

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        if self.instance.pk:
            # Scripts and the builder look entries up by code; the category goes with it.
            for name in ("code", "category"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once the entry exists.")
        placeholders = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        self.fields["patient_text"].help_text = _(
            "Plain words, short sentences, second person. Numbers can come from the dosing "
            "with placeholders: %(placeholders)s."
        ) % {"placeholders": placeholders}
        self.fields["clinician_text"].help_text = _(
            "What a referral letter says about this item, in clinical language: what is "
            "requested or what the clinic provides. Never the patient's instructions, never "
            '"you". Printed as written, without placeholders.'
        )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        taken = Intervention.objects.filter(clinic=self.clinic, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This clinic's library already has this code."))
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        entry = {name: cleaned.get(name) for name in ("code", "category", "default_dosing")}
        entry.update({name: cleaned.get(name) or "" for name in WORDING_FIELDS})
        for field, messages in entry_errors({**entry, "title": "-", "source": "-"}).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, list(messages))
        return cleaned


class InterventionTextForm(forms.ModelForm[InterventionText]):
    """An entry's wording in another language, checked against the English entry."""

    reviewed = forms.BooleanField(
        label=_("Reviewed: a clinician fluent in this language has checked this wording"),
        required=False,
        help_text=_(
            "Saving changes without this ticked makes the text a draft again. Plans printed "
            "from a draft tell the therapist before signing."
        ),
    )

    class Meta:
        model = InterventionText
        fields = [
            "title",
            "patient_text",
            "patient_text_vulva",
            "patient_text_penis",
            "clinician_text",
        ]
        widgets = {
            "patient_text": forms.Textarea(attrs={"rows": 7}),
            "patient_text_vulva": forms.Textarea(attrs={"rows": 9}),
            "patient_text_penis": forms.Textarea(attrs={"rows": 9}),
            "clinician_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, intervention: Intervention, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        for name, field in self.fields.items():
            if name != "reviewed":
                field.widget.attrs.update({"lang": language, "class": "form-control"})

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-describedby"] = f"{name}-errors"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        english = {
            name: getattr(self.intervention, name)
            for name in ("code", "category", "default_dosing", "source", *WORDING_FIELDS)
        }
        wording = {name: cleaned.get(name) or "" for name in ("title", *WORDING_FIELDS)}
        for field, messages in translation_errors(wording, english).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, list(messages))
        return cleaned
