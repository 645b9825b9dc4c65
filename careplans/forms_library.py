from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.staticfiles import finders
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careplans import dosing
from careplans.library import (
    MAX_DOSE,
    PLACEHOLDERS,
    TEXT_FIELDS,
    WORDING_FIELDS,
    code_from_title,
    entry_errors,
    readers_of,
    translation_errors,
)
from careplans.models import Drawing, Intervention, InterventionText
from clinic.models import Anatomy, Clinic

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# The dose fields of the form, grouped as a clinician reads them: every key of the one
# vocabulary (careplans.dosing), each once.
_DOSE_GROUPS: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = (
    (_("Exercise"), dosing.EXERCISE_GRID),
    (_("Timed practice"), dosing.TIMED_GRID),
    (
        _("Bladder training"),
        ("start_interval_min", "increase_min", "every_days", "target_interval_min"),
    ),
    (_("Drinks"), ("max_drinks_per_day", "target_ml_per_day")),
)
DOSE_PREFIX = "dose_"


def _dose_groups() -> list[tuple[StrOrPromise, tuple[str, ...]]]:
    grouped = {key for _label, keys in _DOSE_GROUPS for key in keys}
    rest = tuple(key for key in dosing.DOSING if key not in grouped)
    return [*_DOSE_GROUPS, *([(_("Other"), rest)] if rest else [])]


@dataclass(frozen=True)
class DrawingChoice:
    value: str
    label: str
    image: str  # the static path of its line drawing; "" while it has none


def drawing_choices() -> list[DrawingChoice]:
    """The pictures an entry may have, each with its drawing when the file exists."""
    choices = []
    for value, label in Drawing.choices:
        path = f"floorplan/drawings/{value}.svg"
        choices.append(DrawingChoice(value, str(label), path if finders.find(path) else ""))
    return choices


def _one_line_breaks(text: str) -> str:
    # A browser sends a textarea's lines as CRLF: keep the library's plain newlines, so an
    # unchanged text compares equal to what is stored.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class InterventionForm(forms.ModelForm[Intervention]):
    """A library entry as a clinician writes it: no code to type (a new entry's is made
    from its title), the dosing as labelled numbers from the one vocabulary, a picture.

    An edit of an existing entry that types patient wording no patient would read
    differently is refused (``readers_of``)."""

    class Meta:
        model = Intervention
        # The default dosing is typed as one number a key (``dose_<key>``), not a field.
        fields = [
            "category",
            "title",
            "patient_text",
            "patient_text_vulva",
            "patient_text_penis",
            "clinician_text",
            "drawing",
            "source",
            "is_active",
        ]
        widgets = {
            "patient_text": forms.Textarea(attrs={"rows": 7}),
            "patient_text_vulva": forms.Textarea(attrs={"rows": 9}),
            "patient_text_penis": forms.Textarea(attrs={"rows": 9}),
            "clinician_text": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
            "drawing": forms.RadioSelect,
        }
        help_texts = {
            "is_active": _("Untick to stop offering this item in new plans. It is kept."),
            "patient_text_vulva": "",
            "patient_text_penis": "",
            "drawing": "",
        }

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        # What the entry said before this edit (the form changes its instance as it checks).
        self.before = {name: getattr(self.instance, name) for name in TEXT_FIELDS}
        self.code = self.instance.code
        drawing = cast(forms.ChoiceField, self.fields["drawing"])
        drawing.choices = [("", _("No picture")), *Drawing.choices]
        self.fields["drawing"].required = False
        if self.instance.pk:
            # Plans and the builder look entries up by code; the category goes with it.
            self.fields["category"].disabled = True
            self.fields["category"].help_text = _("Fixed once the entry exists.")
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
        self.fields["source"].help_text = _(
            "Where the advice comes from, for the clinic's records."
        )
        self._add_dose_fields(dict(self.instance.default_dosing or {}))

    def _add_dose_fields(self, current: dict[str, int]) -> None:
        self.dose_groups: list[tuple[str, list[str]]] = []
        own = [key for key in current if key not in dosing.DOSING]
        groups = [*_dose_groups(), *([(_("This clinic's own"), tuple(own))] if own else [])]
        for label, keys in groups:
            names = []
            for key in keys:
                name = DOSE_PREFIX + key
                self.fields[name] = forms.IntegerField(
                    label=dosing.clinician_label(key),
                    required=False,
                    min_value=0,
                    max_value=MAX_DOSE,
                    initial=current.get(key),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "dose"}),
                )
                names.append(name)
            self.dose_groups.append((str(label), names))

    @property
    def dose_keys(self) -> list[str]:
        return [name[len(DOSE_PREFIX) :] for _label, names in self.dose_groups for name in names]

    def clean_patient_text(self) -> str:
        return _one_line_breaks(self.cleaned_data["patient_text"])

    def clean_patient_text_vulva(self) -> str:
        return _one_line_breaks(self.cleaned_data["patient_text_vulva"])

    def clean_patient_text_penis(self) -> str:
        return _one_line_breaks(self.cleaned_data["patient_text_penis"])

    def clean_clinician_text(self) -> str:
        return _one_line_breaks(self.cleaned_data["clinician_text"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        cleaned["default_dosing"] = {
            key: cleaned[DOSE_PREFIX + key]
            for key in self.dose_keys
            if cleaned.get(DOSE_PREFIX + key) is not None
        }
        cleaned["drawing"] = cleaned.get("drawing") or ""
        if not self.instance.pk and cleaned.get("category") and cleaned.get("title"):
            taken = Intervention.objects.filter(clinic=self.clinic).values_list("code", flat=True)
            self.code = code_from_title(
                category=cleaned["category"], title=cleaned["title"], taken=taken
            )
        entry = {"code": self.code or "-.-", "category": cleaned.get("category")}
        entry["default_dosing"] = cleaned["default_dosing"]
        entry.update({name: cleaned.get(name) or "" for name in WORDING_FIELDS})
        for field, messages in entry_errors({**entry, "title": "-", "source": "-"}).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, list(messages))
        if self.instance.pk:
            for field, message in self._unread_edits(cleaned).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def _unread_edits(self, cleaned: Mapping[str, Any]) -> dict[str, str]:
        """The patient texts this edit types that change what no patient reads.

        Every anatomy reads ``text_for`` it: the main text always reaches the patients whose
        anatomy is unspecified (clinical reference, section 8: neutral cues only), so a
        change to it is never refused, only explained. A variant typed the same as the main
        text changes what no one reads, and would stop later changes of the main text from
        reaching that anatomy: refused. Emptying a text is never refused."""
        after = {name: cleaned.get(name) or "" for name in TEXT_FIELDS}
        printed_before = {a: self._printed(self.before, a) for a in Anatomy.values}
        printed_after = {a: self._printed(after, a) for a in Anatomy.values}
        if any(printed_before[a] != printed_after[a] for a in Anatomy.values):
            return {}
        problems = {}
        for name in ("patient_text_vulva", "patient_text_penis"):
            if after[name] and after[name] != self.before[name]:
                problems[name] = gettext(
                    "This is the same as the main text (%(main)s), so saving it reaches no "
                    "patient: nothing anyone reads would change, and later changes to the main "
                    "text would no longer reach %(readers)s. Leave it empty to print the main "
                    "text for them, or word it for %(readers)s."
                ) % {
                    "main": f"“{capfirst(self.fields['patient_text'].label)}”",
                    "readers": READERS[name.removeprefix("patient_text_")],
                }
        return problems

    @staticmethod
    def _printed(texts: Mapping[str, str], anatomy: str) -> str:
        probe = Intervention(**{name: texts.get(name) or "" for name in TEXT_FIELDS})
        return probe.text_for(anatomy)

    def readers_notes(self) -> dict[str, str]:
        """For each patient text, who it is printed for, from what the form holds now."""
        return readers_notes(self.texts())

    def texts(self) -> dict[str, str]:
        """The patient texts as typed (valid or not), else as stored."""
        if self.is_bound:
            return {
                name: _one_line_breaks(str(self.data.get(name, "")).strip()) for name in TEXT_FIELDS
            }
        return {name: getattr(self.instance, name) or "" for name in TEXT_FIELDS}

    def preview_dosing(self) -> dict[str, int]:
        """The dosing as typed, each number that reads as one (for the preview)."""
        if not self.is_bound:
            return dict(self.instance.default_dosing or {})
        numbers = {}
        for key in self.dose_keys:
            value = str(self.data.get(DOSE_PREFIX + key, "")).strip()
            # ASCII digits only, and short: "²" is a digit to isdigit(), and a
            # 5,000-digit number is refused by int().
            if value.isascii() and value.isdecimal() and len(value) <= 5:
                numbers[key] = int(value)
        return numbers


# Who reads a text, by anatomy, in the author's words.
READERS: Mapping[str, StrOrPromise] = {
    "vulva": _("patients with a vulva"),
    "penis": _("patients with a penis"),
    "unspecified": _("patients whose anatomy is unspecified (neutral cues only)"),
}


def readers_notes(texts: Mapping[str, str]) -> dict[str, str]:
    """ "Printed for: ..." under each patient text of an entry."""
    notes = {}
    for name, anatomies in readers_of(texts).items():
        if anatomies == list(Anatomy.values):
            notes[name] = gettext("Printed for: every patient (no anatomy has its own wording).")
        elif anatomies:
            notes[name] = gettext("Printed for: %(readers)s.") % {
                "readers": gettext(" and ").join(str(READERS[a]) for a in anatomies)
            }
        else:
            notes[name] = gettext("Empty: %(readers)s read the main text.") % {
                "readers": capfirst(str(READERS[name.removeprefix("patient_text_")]))
            }
    if readers_of(texts)["patient_text"] == [Anatomy.UNSPECIFIED]:
        notes["patient_text"] += " " + gettext(
            "Patients with a vulva or a penis read their own wording below: change it there too."
        )
    return notes


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
