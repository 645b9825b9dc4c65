"""Forms of the bladder-diary page: one quick-entry row, and a CSV upload.

The row is checked by the diary module's own parser (diary-v1), so the rules of a row are
written once; these fields only collect text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import diary
from assessments.models import DiaryEntry

URGENCY_CHOICES = [
    ("", "—"),
    ("0", _("0 none")),
    ("1", _("1 mild")),
    ("2", _("2 moderate")),
    ("3", _("3 severe")),
    ("4", _("4 leaked before the toilet")),
]
# The parser names "Line 2:" (the row as if in a file); on a one-row form that is noise.
_LINE_PREFIX = re.compile(r"^[^\d:]{0,30}\b2\s*:\s*")
# The time field when only the kept date is in it (or nothing at all).
_KEPT_DATE_ONLY = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")


class DiaryRowForm(forms.Form):
    time = forms.CharField(
        label=_("Time"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": "2026-03-02 07:05",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "diary-time",
            }
        ),
    )
    event = forms.CharField(
        label=_("Event"),
        required=False,
        widget=forms.Select(choices=[("", "—"), *DiaryEntry.Event.choices]),
    )
    volume_ml = forms.CharField(
        label=_("Volume (mL)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    urgency = forms.CharField(
        label=_("Urgency (0–4)"), required=False, widget=forms.Select(choices=URGENCY_CHOICES)
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args: Any, day: date | None = None, **kwargs: Any) -> None:
        if day is not None:
            # The date is typed once; the next row needs only its clock time.
            kwargs.setdefault("initial", {})["time"] = f"{day.isoformat()} "
        super().__init__(*args, **kwargs)

    @staticmethod
    def is_blank(data: Any) -> bool:
        """Nothing typed but the date the form keeps from the last row."""
        time = str(data.get("time", "")).strip()
        others = ("event", "volume_ml", "urgency", "note")
        return bool(_KEPT_DATE_ONLY.match(time)) and not any(
            str(data.get(name, "")).strip() for name in others
        )

    def focus_first(self) -> None:
        """Put the cursor where typing goes on: the first bad field, else the time."""
        name = next((n for n in self.fields if n in self.errors), "time")
        self.fields[name].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        row = {column: cleaned.get(column, "") for column in diary.CSV_COLUMNS}
        try:
            (self.diary_event,) = diary.parse_diary_rows([row])
        except diary.DiaryError as error:
            for problem in error.errors:
                field = problem.field if problem.field in self.fields else None
                if field == "event" and not row["event"]:
                    # The parser lists the file's words; the menu shows its own labels.
                    self.add_error(field, _("Choose the event."))
                else:
                    self.add_error(field, _LINE_PREFIX.sub("", problem.message, count=1))
        return cleaned


class DiaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Diary file (CSV)"),
        help_text=_("UTF-8, with the header row time,event,volume_ml,urgency,note."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
