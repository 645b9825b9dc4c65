"""Forms of the patient's own pages (issue 11): one questionnaire screen at a time, and the
entries of the bladder diary. Plain words; every bad value is named by its field; nothing
here writes (the views call assessments/services/home.py).

Answers keep the intake-v1 shape while partial: PFDI-20 a list of 20 (None where not yet
answered), PFIQ-7 three lists of 7, the 3IQ its named answers. Only a questionnaire
answered in full is scored (services.home.complete_answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import diary
from assessments import questionnaires as q
from assessments.services.home import iqq3_complete

# --- Questionnaire screens -------------------------------------------------------------------

# Each questionnaire's screens, in order: PFDI-20 by its three scales, PFIQ-7 by its three
# parts of the body, the 3IQ on one screen.
SCREENS: dict[str, tuple[str, ...]] = {
    "pfdi20": tuple(q.PFDI20_SCALES),
    "pfiq7": tuple(code for code, _label in q.PFIQ7_SCALES),
    "iqq3": ("iqq3",),
}
TITLES: dict[str, Promise] = {
    "pfdi20": gettext_lazy("Your pelvic floor symptoms"),
    "pfiq7": gettext_lazy("How symptoms affect your daily life"),
    "iqq3": gettext_lazy("Leaking urine"),
}
# The instrument's own name, shown small: the clinic knows it by this name.
INSTRUMENTS = {"pfdi20": "PFDI-20", "pfiq7": "PFIQ-7", "iqq3": "3IQ"}
SCREEN_TITLES: dict[str, Promise] = {
    "popdi6": gettext_lazy("Pressure, heaviness or a bulge"),
    "cradi8": gettext_lazy("Your bowels"),
    "udi6": gettext_lazy("Your bladder"),
}
PFDI20_LENGTH = len(q.PFDI20_ITEMS)
PFIQ7_LENGTH = len(q.PFIQ7_ITEMS)


def screen_title(name: str, screen: str) -> str:
    if name == "pfiq7":
        return _(dict(q.PFIQ7_SCALES)[screen])
    if name == "pfdi20":
        return str(SCREEN_TITLES[screen])
    return str(TITLES[name])


def _pfdi20_list(stored: Any) -> list[int | None]:
    if isinstance(stored, list) and len(stored) == PFDI20_LENGTH:
        return [value if isinstance(value, int) else None for value in stored]
    return [None] * PFDI20_LENGTH


def _pfiq7_lists(stored: Any) -> dict[str, list[int | None]]:
    stored = stored if isinstance(stored, dict) else {}
    lists: dict[str, list[int | None]] = {}
    for code in SCREENS["pfiq7"]:
        values = stored.get(code)
        if isinstance(values, list) and len(values) == PFIQ7_LENGTH:
            lists[code] = [value if isinstance(value, int) else None for value in values]
        else:
            lists[code] = [None] * PFIQ7_LENGTH
    return lists


def screen_values(name: str, screen: str, stored: Any) -> list[int | None]:
    """The answers stored for one screen of PFDI-20 or PFIQ-7, None where not answered."""
    if name == "pfdi20":
        return _pfdi20_list(stored)[q.PFDI20_SCALES[screen]]
    return _pfiq7_lists(stored)[screen]


def merge_screen(name: str, screen: str, stored: Any, values: Sequence[int | None]) -> Any:
    """The questionnaire's stored answers with one screen's answers put in."""
    if name == "pfdi20":
        answers = _pfdi20_list(stored)
        answers[q.PFDI20_SCALES[screen]] = list(values)
        return answers
    scales = _pfiq7_lists(stored)
    scales[screen] = list(values)
    return scales


@dataclass(frozen=True)
class Progress:
    done: int  # screens answered in full
    total: int
    started: bool

    @property
    def complete(self) -> bool:
        return self.done == self.total


def progress(name: str, stored: Any) -> Progress:
    """How far the patient is with one questionnaire."""
    if name == "iqq3":
        complete = iqq3_complete(stored)
        started = isinstance(stored, dict) and bool(stored)
        return Progress(done=int(complete), total=1, started=started)
    screens = [screen_values(name, screen, stored) for screen in SCREENS[name]]
    done = sum(all(value is not None for value in values) for values in screens)
    started = any(value is not None for values in screens for value in values)
    return Progress(done=done, total=len(screens), started=started)


def first_unfinished(name: str, stored: Any) -> int:
    """The number (1-based) of the first screen not answered in full, else 1."""
    if name == "iqq3":
        return 1
    for number, screen in enumerate(SCREENS[name], start=1):
        if any(value is None for value in screen_values(name, screen, stored)):
            return number
    return 1


def _radios() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "home-choice-input"})


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "home-choice-input"})


def _radio_field(label: str, choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=_radios(),
        error_messages={"invalid_choice": gettext_lazy("Please choose one of the answers shown.")},
    )


class ScreenForm(forms.Form):
    """One screen of PFDI-20 or PFIQ-7: each question a set of big radio answers; any may be
    left for later."""

    def __init__(self, *args: Any, name: str, screen: str, stored: Any, **kwargs: Any) -> None:
        self.name = name
        self.screen = screen
        if name == "pfdi20":
            part = q.PFDI20_SCALES[screen]
            numbers = list(range(part.start + 1, part.stop + 1))
            texts = [q.PFDI20_ITEMS[n - 1] for n in numbers]
            choices = [(code, _(label)) for code, label in q.PFDI20_ANSWERS]
        else:
            numbers = list(range(1, PFIQ7_LENGTH + 1))
            texts = list(q.PFIQ7_ITEMS)
            choices = [(code, _(label)) for code, label in q.PFIQ7_ANSWERS]
        stored_values = screen_values(name, screen, stored)
        kwargs["initial"] = {
            f"item_{n}": value for n, value in zip(numbers, stored_values, strict=True)
        }
        super().__init__(*args, **kwargs)
        for number, text in zip(numbers, texts, strict=True):
            self.fields[f"item_{number}"] = _radio_field(_(text), choices)
        self.numbers = numbers

    def questions(self) -> list[tuple[int, forms.BoundField]]:
        return [(n, self[f"item_{n}"]) for n in self.numbers]

    def values(self) -> list[int | None]:
        return [self.cleaned_data.get(f"item_{n}") for n in self.numbers]

    def unanswered(self) -> int:
        return sum(value is None for value in self.values())


class IQQ3Form(forms.Form):
    """The 3 Incontinence Questions on one screen; partial answers are kept."""

    def __init__(self, *args: Any, stored: Any, **kwargs: Any) -> None:
        stored = stored if isinstance(stored, dict) else {}
        initial: dict[str, Any] = {"when": list(stored.get("when") or [])}
        if isinstance(stored.get("any_leak_3_months"), bool):
            initial["any_leak"] = "yes" if stored["any_leak_3_months"] else "no"
        if stored.get("most_often"):
            initial["most_often"] = stored["most_often"]
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        invalid = {"invalid_choice": gettext_lazy("Please choose one of the answers shown.")}
        self.fields["any_leak"] = forms.ChoiceField(
            label=_(q.IQQ3_QUESTIONS[0]),
            choices=[("yes", _("Yes")), ("no", _("No"))],
            required=False,
            widget=_radios(),
            help_text=_("If you answer no, you can skip questions 2 and 3."),
            error_messages=invalid,
        )
        self.fields["when"] = forms.MultipleChoiceField(
            label=_(q.IQQ3_QUESTIONS[1]),
            choices=[(code, _(text)) for code, text in q.IQQ3_WHEN_CHOICES],
            required=False,
            widget=_checkboxes(),
            error_messages=invalid,
        )
        self.fields["most_often"] = forms.ChoiceField(
            label=_(q.IQQ3_QUESTIONS[2]),
            choices=[(code, _(text)) for code, text in q.IQQ3_MOST_OFTEN_CHOICES],
            required=False,
            widget=_radios(),
            error_messages=invalid,
        )
        self.answers: dict[str, Any] = {}

    def questions(self) -> list[tuple[int, forms.BoundField]]:
        return [(1, self["any_leak"]), (2, self["when"]), (3, self["most_often"])]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        any_leak = data.get("any_leak") or None
        when = list(data.get("when") or [])
        most_often = data.get("most_often") or None
        if any_leak == "no":
            # "No" to question 1 ends the questionnaire: questions 2 and 3 are not asked.
            self.answers = {"any_leak_3_months": False}
            return data
        answers: dict[str, Any] = {}
        if any_leak == "yes":
            answers["any_leak_3_months"] = True
        if when:
            answers["when"] = when
        if most_often:
            answers["most_often"] = most_often
        if when and most_often:
            needed = {"activity", "urge"} if most_often == "equal" else {most_often}
            if not needed <= set(when):
                self.add_error(
                    "most_often",
                    _(
                        "Question 3 does not match question 2: in question 2, tick the kind "
                        "of leak you choose here."
                    ),
                )
        self.answers = answers
        return data

    def unanswered(self) -> int:
        if self.answers.get("any_leak_3_months") is False:
            return 0
        return sum(key not in self.answers for key in ("any_leak_3_months", "when", "most_often"))


# --- The bladder diary -----------------------------------------------------------------------

# What each button says, and how an entry is named afterwards ("Saved: toilet at 07:40").
EVENT_BUTTONS: tuple[tuple[str, Promise], ...] = (
    ("void", gettext_lazy("I went to the toilet")),
    ("drink", gettext_lazy("I had a drink")),
    ("leak", gettext_lazy("I leaked")),
    ("bed", gettext_lazy("I’m going to bed")),
    ("rise", gettext_lazy("I got up")),
)
EVENT_NAMES: dict[str, Promise] = {
    "void": gettext_lazy("toilet"),
    "drink": gettext_lazy("drink"),
    "leak": gettext_lazy("leak"),
    "bed": gettext_lazy("going to bed"),
    "rise": gettext_lazy("getting up"),
}
EVENT_LABELS: dict[str, Promise] = {
    "void": gettext_lazy("Toilet"),
    "drink": gettext_lazy("Drink"),
    "leak": gettext_lazy("Leak"),
    "bed": gettext_lazy("Went to bed"),
    "rise": gettext_lazy("Got up"),
}
# The Patient Perception of Intensity of Urgency Scale (0-4), in plain words.
URGENCY_CHOICES: tuple[tuple[int, Promise], ...] = (
    (0, gettext_lazy("0 – No urge: I went because it was time")),
    (1, gettext_lazy("1 – Mild: I could wait as long as I liked")),
    (2, gettext_lazy("2 – Moderate: I could wait a short while")),
    (3, gettext_lazy("3 – Strong: I had to rush to the toilet")),
    (4, gettext_lazy("4 – I leaked before I got to the toilet")),
)
# Volume belongs to the toilet and drinks, urgency to the toilet and leaks (diary-v1).
HAS_VOLUME = ("void", "drink")
HAS_URGENCY = ("void", "leak")
TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
# How far a diary time may be from now: a phone's clock and a typo have their limits.
LATEST_AHEAD = timedelta(days=1)
EARLIEST_BACK = timedelta(days=60)


def time_value(moment: datetime) -> str:
    """A wall-clock time as a datetime-local input shows it."""
    return moment.strftime("%Y-%m-%dT%H:%M")


class DiaryEntryForm(forms.Form):
    """One diary entry: what happened (the big buttons, or a choice when editing), when,
    and the optional amount, urge and note. ``now`` is the local wall-clock time."""

    event = forms.ChoiceField(
        label=gettext_lazy("What happened"),
        choices=[(code, label) for code, label in EVENT_LABELS.items()],
        widget=_radios(),
        error_messages={
            "required": gettext_lazy("Tap one of the big buttons to say what happened."),
            "invalid_choice": gettext_lazy("Tap one of the big buttons to say what happened."),
        },
    )
    time = forms.CharField(
        label=gettext_lazy("When"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "datetime-local", "class": "form-control"}),
        error_messages={
            "required": gettext_lazy("When: please give the date and time."),
            "max_length": gettext_lazy("When: this is not a date and time."),
        },
    )
    volume_ml = forms.IntegerField(
        label=gettext_lazy("Amount in mL"),
        required=False,
        min_value=0,
        max_value=diary.MAX_VOLUME_ML,
        help_text=gettext_lazy("Only if you measured it: for the toilet or a drink."),
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        error_messages={
            "invalid": gettext_lazy("Amount: write a whole number of mL from 0 to 2000."),
            "min_value": gettext_lazy("Amount: write a whole number of mL from 0 to 2000."),
            "max_value": gettext_lazy("Amount: write a whole number of mL from 0 to 2000."),
        },
    )
    urgency = forms.TypedChoiceField(
        label=gettext_lazy("How strong was the urge?"),
        choices=[*URGENCY_CHOICES, ("", gettext_lazy("Not noted"))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("For the toilet or a leak."),
        widget=_radios(),
        error_messages={
            "invalid_choice": gettext_lazy("Urge: choose one of the answers 0 to 4."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=diary.MAX_FIELD_CHARS,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={
            "max_length": gettext_lazy("Note: please keep it under 1000 characters."),
            "null_characters_not_allowed": gettext_lazy(
                "Note: it contains a character we cannot keep."
            ),
        },
    )

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now

    def clean_time(self) -> datetime:
        text = str(self.cleaned_data.get("time", "")).strip()
        moment = None
        for pattern in TIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)  # noqa: DTZ007 (wall clock)
                break
            except ValueError:
                continue
        if moment is None:
            raise forms.ValidationError(
                _("When: this is not a date and time. Write it like %(example)s.")
                % {"example": "2026-03-02 07:40"}
            )
        if moment > self.now + LATEST_AHEAD:
            raise forms.ValidationError(_("When: this time is in the future. Check the date."))
        if moment < self.now - EARLIEST_BACK:
            raise forms.ValidationError(_("When: this date is too long ago. Check the date."))
        return moment

    def diary_event(self) -> diary.DiaryEvent:
        """The entry as a diary-v1 event. An amount is kept only for the toilet and drinks,
        an urge only for the toilet and leaks (the details are shared by all the buttons)."""
        data = self.cleaned_data
        event = str(data["event"])
        return diary.DiaryEvent(
            line=0,
            time=data["time"],
            event=event,
            volume_ml=data.get("volume_ml") if event in HAS_VOLUME else None,
            urgency=data.get("urgency") if event in HAS_URGENCY else None,
            note=str(data.get("note") or "").strip(),
        )
