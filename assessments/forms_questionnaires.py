"""The questionnaires page: PFDI-20, PFIQ-7 and the 3IQ with their wording; ICIQ-UI SF
and OAB-V8 as item scores only (their wording is licensed or of unknown licence).

Each questionnaire is optional: left entirely blank it is not stored; partly filled, the
missing items are named. The answers come out in the intake-v1 shape (``form.answers``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import questionnaires as q
from assessments.questionnaires import score_all

PFDI20_SCALE_TITLES = {
    "popdi6": gettext_lazy("POPDI-6: prolapse symptoms (items 1–6)"),
    "cradi8": gettext_lazy("CRADI-8: bowel symptoms (items 7–14)"),
    "udi6": gettext_lazy("UDI-6: bladder symptoms (items 15–20)"),
}
PFIQ7_SHORT = {
    "bladder": gettext_lazy("bladder"),
    "bowel": gettext_lazy("bowel"),
    "prolapse": gettext_lazy("vagina or pelvis"),
}
ICIQ_SHORT = {
    "frequency": gettext_lazy("frequency score"),
    "amount": gettext_lazy("amount score"),
    "interference": gettext_lazy("interference score"),
}
IQQ3_FIELDS = ("iqq3_any_leak_3_months", "iqq3_when", "iqq3_most_often")
# Radio questionnaires cannot be un-ticked in a browser, so each has a "discard" box.
DISCARDABLE = ("pfdi20", "pfiq7", "iqq3")


def _pfdi20_name(number: int) -> str:
    return f"pfdi20_{number}"


def _pfiq7_name(scale: str, number: int) -> str:
    return f"pfiq7_{scale}_{number}"


def _oab_name(number: int) -> str:
    return f"oab_v8_{number}"


def _iciq_name(key: str) -> str:
    return f"iciq_ui_sf_{key}"


def _radio(label: str, choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


def _select(label: str, scores: list[int]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—"), *[(n, str(n)) for n in scores]],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _names_list(names: list[str]) -> str:
    return ", ".join(names)


class QuestionnairesForm(forms.Form):
    """Built per request, so labels and wordings follow the active language."""

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers: dict[str, Any] = {}
        pfdi_choices = [(code, _(label)) for code, label in q.PFDI20_ANSWERS]
        for number in range(1, len(q.PFDI20_ITEMS) + 1):
            label = _("PFDI-20 item %(number)d") % {"number": number}
            self.fields[_pfdi20_name(number)] = _radio(label, pfdi_choices)
        pfiq_choices = [(code, str(code)) for code, _label in q.PFIQ7_ANSWERS]
        for scale, scale_label in q.PFIQ7_SCALES:
            for number in range(1, len(q.PFIQ7_ITEMS) + 1):
                label = _("PFIQ-7 item %(number)d, %(scale)s") % {
                    "number": number,
                    "scale": _(scale_label).lower(),
                }
                self.fields[_pfiq7_name(scale, number)] = _radio(label, pfiq_choices)

        yes_no = [("yes", _("Yes")), ("no", _("No"))]
        self.fields["iqq3_any_leak_3_months"] = forms.ChoiceField(
            label=_(q.IQQ3_QUESTIONS[0]),
            choices=yes_no,
            required=False,
            widget=forms.RadioSelect,
            help_text=_("If no, questions 2 and 3 are skipped."),
        )
        self.fields["iqq3_when"] = forms.MultipleChoiceField(
            label=_(q.IQQ3_QUESTIONS[1]),
            choices=[(code, _(text)) for code, text in q.IQQ3_WHEN_CHOICES],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["iqq3_most_often"] = forms.ChoiceField(
            label=_(q.IQQ3_QUESTIONS[2]),
            choices=[(code, _(text)) for code, text in q.IQQ3_MOST_OFTEN_CHOICES],
            required=False,
            widget=forms.RadioSelect,
        )

        ranges = {"frequency": range(6), "amount": q.ICIQ_UI_SF_AMOUNTS, "interference": range(11)}
        for key, label in q.ICIQ_UI_SF_LABELS.items():
            self.fields[_iciq_name(key)] = _select(_(label), list(ranges[key]))
        for number in range(1, q.OAB_V8_ITEM_COUNT + 1):
            label = _(q.OAB_V8_ITEM_LABEL) % {"number": number}
            self.fields[_oab_name(number)] = _select(label, list(range(6)))

        for code in DISCARDABLE:
            self.fields[f"discard_{code}"] = forms.BooleanField(
                label=_("Discard this questionnaire’s answers when saving"), required=False
            )
        if read_only:
            for code in DISCARDABLE:
                del self.fields[f"discard_{code}"]
            for field in self.fields.values():
                field.disabled = True

    # --- From stored answers (intake-v1 shape) to initial values ----------------------

    @staticmethod
    def initial_from(stored: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for number, value in enumerate(stored.get("pfdi20") or [], start=1):
            initial[_pfdi20_name(number)] = value
        for scale, values in (stored.get("pfiq7") or {}).items():
            for number, value in enumerate(values, start=1):
                initial[_pfiq7_name(scale, number)] = value
        iqq3 = stored.get("iqq3") or {}
        if "any_leak_3_months" in iqq3:
            initial["iqq3_any_leak_3_months"] = "yes" if iqq3["any_leak_3_months"] else "no"
        initial["iqq3_when"] = list(iqq3.get("when") or [])
        if iqq3.get("most_often"):
            initial["iqq3_most_often"] = iqq3["most_often"]
        for key, value in (stored.get("iciq_ui_sf") or {}).items():
            initial[_iciq_name(key)] = value
        for number, value in enumerate(stored.get("oab_v8") or [], start=1):
            initial[_oab_name(number)] = value
        return initial

    # --- Validation ---------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        answers: dict[str, Any] = {}
        pfdi = self._complete(
            "pfdi20",
            "PFDI-20",
            {str(n): _pfdi20_name(n) for n in range(1, len(q.PFDI20_ITEMS) + 1)},
        )
        if pfdi is not None:
            answers["pfdi20"] = list(pfdi.values())
        pfiq_names = {
            _("%(scale)s item %(number)d") % {"scale": PFIQ7_SHORT[scale], "number": n}: (
                _pfiq7_name(scale, n)
            )
            for scale, _label in q.PFIQ7_SCALES
            for n in range(1, len(q.PFIQ7_ITEMS) + 1)
        }
        pfiq = self._complete("pfiq7", "PFIQ-7", pfiq_names)
        if pfiq is not None:
            answers["pfiq7"] = {
                scale: [pfiq[_pfiq7_name(scale, n)] for n in range(1, len(q.PFIQ7_ITEMS) + 1)]
                for scale, _label in q.PFIQ7_SCALES
            }
        iqq3 = self._iqq3(data)
        if iqq3 is not None:
            answers["iqq3"] = iqq3
        iciq = self._complete(
            "iciq_ui_sf",
            "ICIQ-UI SF",
            {str(said): _iciq_name(key) for key, said in ICIQ_SHORT.items()},
        )
        if iciq is not None:
            answers["iciq_ui_sf"] = {
                key: iciq[_iciq_name(key)] for key in ("frequency", "amount", "interference")
            }
        oab = self._complete(
            "oab_v8",
            "OAB-V8",
            {str(n): _oab_name(n) for n in range(1, q.OAB_V8_ITEM_COUNT + 1)},
        )
        if oab is not None:
            answers["oab_v8"] = list(oab.values())

        if not self.errors:
            try:
                score_all(answers)
            except q.QuestionnaireError as error:
                name = error.field.replace(".", "_")
                self.add_error(name if name in self.fields else None, error.message)
        self.answers = answers
        return data

    def _complete(self, code: str, title: str, items: dict[str, str]) -> dict[str, int] | None:
        """All items of one questionnaire by field name; None when left blank or in error.

        ``items`` maps the name of an item as said in a message to its form field.
        """
        if self.cleaned_data.get(f"discard_{code}"):
            return None
        values: dict[str, Any] = {name: self.cleaned_data.get(name) for name in items.values()}
        typed = [name for name, value in values.items() if value is not None]
        if not typed and not any(name in self.errors for name in items.values()):
            return None
        missing = {
            said: name
            for said, name in items.items()
            if values[name] is None and name not in self.errors
        }
        if missing:
            for name in missing.values():
                self.add_error(name, _("Not answered."))
            self.add_error(
                None,
                _("%(title)s is partly filled: %(missing)s not answered.")
                % {"title": title, "missing": self._items_phrase(code, list(missing))},
            )
            return None
        if any(name in self.errors for name in items.values()):
            return None
        return values

    @staticmethod
    def _items_phrase(code: str, missing: list[str]) -> str:
        if code in ("iciq_ui_sf", "pfiq7"):
            return _names_list(missing)
        if len(missing) == 1:
            return _("item %(items)s") % {"items": missing[0]}
        return _("items %(items)s") % {"items": _names_list(missing)}

    def _iqq3(self, data: dict[str, Any]) -> dict[str, Any] | None:
        if data.get("discard_iqq3"):
            return None
        if any(name in self.errors for name in IQQ3_FIELDS):
            return None
        any_leak = data.get("iqq3_any_leak_3_months") or None
        when = list(data.get("iqq3_when") or [])
        most_often = data.get("iqq3_most_often") or None
        if any_leak is None and not when and most_often is None:
            return None
        if any_leak is None:
            self.add_error("iqq3_any_leak_3_months", _("Not answered."))
            self.add_error(None, _("3IQ is partly filled: question 1 not answered."))
            return None
        if any_leak == "no":
            # "No" to question 1 ends the questionnaire: questions 2 and 3 are skipped.
            return {"any_leak_3_months": False}
        if not when:
            self.add_error("iqq3_when", _("Tick at least one."))
        if most_often is None:
            self.add_error("iqq3_most_often", _("Not answered."))
        if not when and most_often is None:
            self.add_error(None, _("3IQ is partly filled: questions 2 and 3 not answered."))
        elif not when or most_often is None:
            self.add_error(
                None,
                _("3IQ is partly filled: question %(number)d not answered.")
                % {"number": 2 if not when else 3},
            )
        if not when or most_often is None:
            return None
        needed = {"activity", "urge"} if most_often == "equal" else {most_often}
        if not needed <= set(when):
            self.add_error(
                "iqq3_most_often",
                _("Question 3 must agree with question 2: tick the kinds of leak it names there."),
            )
            return None
        return {"any_leak_3_months": True, "when": when, "most_often": most_often}

    def full_clean(self) -> None:
        super().full_clean()
        # Mark each bad field for the eye and for screen readers.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    # --- Layout helpers for the template ----------------------------------------------

    def pfdi20_scales(self) -> list[dict[str, Any]]:
        scales = []
        for code, part in q.PFDI20_SCALES.items():
            numbers = range(part.start + 1, part.stop + 1)
            rows = [
                {
                    "number": n,
                    "text": _(q.PFDI20_ITEMS[n - 1]),
                    "field": self[_pfdi20_name(n)],
                }
                for n in numbers
            ]
            scales.append({"title": PFDI20_SCALE_TITLES[code], "rows": rows})
        return scales

    def pfdi20_no(self) -> str:
        return _(q.PFDI20_ANSWERS[0][1])

    def pfdi20_bother(self) -> list[tuple[int, str]]:
        # Answers 1-4 are "yes" with the bother words of PFIQ-7's 0-3, shown once as a header.
        return [(code + 1, _(label)) for code, label in q.PFIQ7_ANSWERS]

    def pfiq7_rows(self) -> list[dict[str, Any]]:
        """Each item with one cell per scale: the field, the scale's name (shown above the
        answers on a narrow screen), and each answer with its words."""
        words = dict(self.pfiq7_answers())
        return [
            {
                "number": n,
                "text": _(q.PFIQ7_ITEMS[n - 1]),
                "cells": [
                    {
                        "field": self[_pfiq7_name(scale, n)],
                        "scale": _(label),
                        "choices": [
                            (radio, words.get(int(radio.data["value"]), ""))
                            for radio in self[_pfiq7_name(scale, n)]
                        ],
                    }
                    for scale, label in q.PFIQ7_SCALES
                ],
            }
            for n in range(1, len(q.PFIQ7_ITEMS) + 1)
        ]

    def pfiq7_scales(self) -> list[str]:
        return [_(label) for _code, label in q.PFIQ7_SCALES]

    def pfiq7_answers(self) -> list[tuple[int, str]]:
        return [(code, _(label)) for code, label in q.PFIQ7_ANSWERS]

    def iciq_fields(self) -> list[forms.BoundField]:
        return [self[_iciq_name(key)] for key in q.ICIQ_UI_SF_LABELS]

    def oab_fields(self) -> list[forms.BoundField]:
        return [self[_oab_name(n)] for n in range(1, q.OAB_V8_ITEM_COUNT + 1)]

    def stems(self) -> dict[str, str]:
        return {"pfdi20": _(q.PFDI20_STEM), "pfiq7": _(q.PFIQ7_STEM)}
