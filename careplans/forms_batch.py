from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from careplans.models import BatchPrint
from clinic.ids import is_possible_id

# Only a signed plan prints: the default lists the patients who have one.
PICKS = [
    ("", _("With a signed plan")),
    ("week", _("Signed plan, review due this week")),
    ("overdue", _("Reviews overdue")),
    ("all", _("All current patients")),
]
# The only parameters the selection page's address carries.
LIST_PARAMETERS = ("pick", "q", "page")


class BatchFilterForm(forms.Form):
    """Which patients the selection page lists (GET)."""

    pick = forms.ChoiceField(choices=PICKS, required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("Name or record number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class IdListField(forms.Field):
    """Patient ids, from several checkboxes or one comma-separated hidden field."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids: list[int] = []
        for item in values:
            for part in str(item).split(","):
                part = part.strip()
                if not part:
                    continue
                # ASCII digits only ("²" is a digit to str.isdigit), and no id past 64 bits.
                if not (part.isascii() and part.isdigit()) or not is_possible_id(int(part)):
                    raise forms.ValidationError(_("Not a patient."))
                ids.append(int(part))
        return ids


def list_query(value: str) -> str:
    """A query string for the selection page, keeping only its own parameters."""
    given = QueryDict(value)
    kept = QueryDict(mutable=True)
    for key in LIST_PARAMETERS:
        if given.get(key):
            kept[key] = given[key][:100]
    return kept.urlencode()


class BatchSelectForm(forms.Form):
    """The selection page's one form (POST): ticks on this page, then what to do."""

    ACTIONS = [
        ("keep", _("Keep the ticks")),
        ("add_all", _("Select every patient listed")),
        ("clear", _("Clear the selection")),
        ("print", _("Print")),
    ]

    shown = IdListField(required=False)
    tick = IdListField(required=False)
    action = forms.ChoiceField(choices=ACTIONS, required=False)
    # Where to go after keeping the ticks: another page of the list.
    go = forms.CharField(required=False, max_length=500)
    here = forms.CharField(required=False, max_length=500)
    format = forms.ChoiceField(
        label=_("Print as"),
        choices=BatchPrint.Format.choices,
        initial=BatchPrint.Format.PDF,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or BatchPrint.Format.PDF

    def clean_go(self) -> str:
        return list_query(self.cleaned_data["go"])

    def clean_here(self) -> str:
        return list_query(self.cleaned_data["here"])
