"""Questionnaire scoring and the freely available item wordings.

Scoring follows the clinical reference, section 6. PFDI-20, PFIQ-7 (Barber 2005) and
the 3IQ (Brown 2006) are freely available, so their wordings are here for the forms.
ICIQ-UI SF is licensed and OAB-V8's licence is unknown: their question text is never
reproduced, only neutral score labels. Every answer is checked; anything outside the
instrument's range raises QuestionnaireError, never another exception.

Pure Python, no Django: messages go through ``clinic.i18n.gettext``; item wordings are
marked with ``gettext_noop`` and translated where they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from clinic.i18n import gettext as _


def gettext_noop(message: str) -> str:
    """Mark a string for makemessages; it is translated where it is shown."""
    return message


class QuestionnaireError(ValueError):
    """An answer outside the instrument; ``field`` names it, e.g. "pfdi20.3"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- PFDI-20: Pelvic Floor Distress Inventory, short form (Barber 2005) --------------

PFDI20_STEM = gettext_noop(
    "Please answer each question about your symptoms over the last 3 months. If you have "
    "the symptom, say how much it bothers you."
)
PFDI20_ANSWERS: tuple[tuple[int, str], ...] = (
    (0, gettext_noop("No")),
    (1, gettext_noop("Yes, not at all")),
    (2, gettext_noop("Yes, somewhat")),
    (3, gettext_noop("Yes, moderately")),
    (4, gettext_noop("Yes, quite a bit")),
)
PFDI20_ITEMS: tuple[str, ...] = (
    # POPDI-6, items 1-6
    gettext_noop("Do you usually experience pressure in the lower abdomen?"),
    gettext_noop("Do you usually experience heaviness or dullness in the pelvic area?"),
    gettext_noop(
        "Do you usually have a bulge or something falling out that you can see or feel in "
        "the vaginal area?"
    ),
    gettext_noop(
        "Do you usually have to push on the vagina or around the rectum to have or complete "
        "a bowel movement?"
    ),
    gettext_noop("Do you usually experience a feeling of incomplete bladder emptying?"),
    gettext_noop(
        "Do you ever have to push up on a bulge in the vaginal area with your fingers to "
        "start or complete urination?"
    ),
    # CRADI-8, items 7-14
    gettext_noop("Do you feel you need to strain too hard to have a bowel movement?"),
    gettext_noop(
        "Do you feel you have not completely emptied your bowels at the end of a bowel movement?"
    ),
    gettext_noop("Do you usually lose stool beyond your control if your stool is well formed?"),
    gettext_noop("Do you usually lose stool beyond your control if your stool is loose?"),
    gettext_noop("Do you usually lose gas from the rectum beyond your control?"),
    gettext_noop("Do you usually have pain when you pass your stool?"),
    gettext_noop(
        "Do you experience a strong sense of urgency and have to rush to the bathroom to "
        "have a bowel movement?"
    ),
    gettext_noop(
        "Does part of your bowel ever pass through the rectum and bulge outside during or "
        "after a bowel movement?"
    ),
    # UDI-6, items 15-20
    gettext_noop("Do you usually experience frequent urination?"),
    gettext_noop(
        "Do you usually experience urine leakage associated with a feeling of urgency, that "
        "is, a strong sensation of needing to go to the bathroom?"
    ),
    gettext_noop(
        "Do you usually experience urine leakage related to coughing, sneezing, or laughing?"
    ),
    gettext_noop("Do you usually experience small amounts of urine leakage (that is, drops)?"),
    gettext_noop("Do you usually experience difficulty emptying your bladder?"),
    gettext_noop(
        "Do you usually experience pain or discomfort in the lower abdomen or genital region?"
    ),
)
# Scale name -> item positions (0-based slices of the 20 answers).
PFDI20_SCALES: dict[str, slice] = {
    "popdi6": slice(0, 6),
    "cradi8": slice(6, 14),
    "udi6": slice(14, 20),
}


@dataclass(frozen=True)
class PFDI20Score:
    popdi6: float  # 0-100
    cradi8: float  # 0-100
    udi6: float  # 0-100
    total: float  # 0-300


def score_pfdi20(items: Sequence[int]) -> PFDI20Score:
    # Clinical reference, section 6 (Barber 2005): each item 0 (no) or 1-4 (bother); each
    # scale = mean of its items x 25; total = sum of the three scales. Exact arithmetic,
    # rounded to 1 decimal once, at the end.
    answers = _answers(items, "pfdi20", "PFDI-20", len(PFDI20_ITEMS), 4)
    scales = {
        name: Fraction(sum(answers[part]) * 25, len(answers[part]))
        for name, part in PFDI20_SCALES.items()
    }
    return PFDI20Score(
        popdi6=_round1(scales["popdi6"]),
        cradi8=_round1(scales["cradi8"]),
        udi6=_round1(scales["udi6"]),
        total=_round1(sum(scales.values(), Fraction(0))),
    )


# --- PFIQ-7: Pelvic Floor Impact Questionnaire, short form (Barber 2005) -------------

PFIQ7_STEM = gettext_noop("How do symptoms or conditions in the following usually affect your:")
PFIQ7_SCALES: tuple[tuple[str, str], ...] = (
    ("bladder", gettext_noop("Bladder or urine")),
    ("bowel", gettext_noop("Bowel or rectum")),
    ("prolapse", gettext_noop("Vagina or pelvis")),
)
PFIQ7_ANSWERS: tuple[tuple[int, str], ...] = (
    (0, gettext_noop("Not at all")),
    (1, gettext_noop("Somewhat")),
    (2, gettext_noop("Moderately")),
    (3, gettext_noop("Quite a bit")),
)
PFIQ7_ITEMS: tuple[str, ...] = (
    gettext_noop("Ability to do household chores (cooking, housecleaning, laundry)?"),
    gettext_noop("Ability to do physical activities such as walking, swimming, or other exercise?"),
    gettext_noop("Entertainment activities such as going to a movie or concert?"),
    gettext_noop(
        "Ability to travel by car or bus for a distance greater than 30 minutes away from home?"
    ),
    gettext_noop("Participating in social activities outside your home?"),
    gettext_noop("Emotional health (nervousness, depression, etc.)?"),
    gettext_noop("Feeling frustrated?"),
)


@dataclass(frozen=True)
class PFIQ7Score:
    bladder: float  # 0-100
    bowel: float  # 0-100
    prolapse: float  # 0-100
    total: float  # 0-300


def score_pfiq7(answers: Mapping[str, Sequence[int]]) -> PFIQ7Score:
    # Clinical reference, section 6 (Barber 2005): 3 scales x 7 items 0-3; each scale =
    # mean x 100 / 3; total = sum of the three. Rounded to 1 decimal at the end only.
    scales = _known_keys(answers, "pfiq7", "PFIQ-7", tuple(code for code, _label in PFIQ7_SCALES))
    exact = {}
    for code, label in PFIQ7_SCALES:
        name = _("PFIQ-7 %(scale)s") % {"scale": _(label)}
        items = _answers(scales[code], f"pfiq7.{code}", name, len(PFIQ7_ITEMS), 3)
        exact[code] = Fraction(sum(items) * 100, len(items) * 3)
    return PFIQ7Score(
        bladder=_round1(exact["bladder"]),
        bowel=_round1(exact["bowel"]),
        prolapse=_round1(exact["prolapse"]),
        total=_round1(sum(exact.values(), Fraction(0))),
    )


# --- ICIQ-UI SF (licensed: score entry only, no question text) ------------------------

ICIQ_UI_SF_LABELS: dict[str, str] = {
    "frequency": gettext_noop("Frequency score (0–5)"),
    "amount": gettext_noop("Amount score (0, 2, 4 or 6)"),
    "interference": gettext_noop("Interference score (0–10)"),
}
ICIQ_UI_SF_AMOUNTS: tuple[int, ...] = (0, 2, 4, 6)


@dataclass(frozen=True)
class ICIQUISFScore:
    # No severity band: the ICIQ group advises that a total has no absolute severity
    # meaning, so show the number and its change (clinical reference, section 6).
    frequency: int
    amount: int
    interference: int
    total: int  # 0-21


def score_iciq_ui_sf(answers: Mapping[str, int]) -> ICIQUISFScore:
    # Clinical reference, section 6: frequency 0-5 + amount 0/2/4/6 + interference 0-10.
    scores = _known_keys(answers, "iciq_ui_sf", "ICIQ-UI SF", tuple(ICIQ_UI_SF_LABELS))
    frequency = _score(scores["frequency"], "iciq_ui_sf.frequency", "ICIQ-UI SF frequency", 5)
    interference = _score(
        scores["interference"], "iciq_ui_sf.interference", "ICIQ-UI SF interference", 10
    )
    amount = scores["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount not in ICIQ_UI_SF_AMOUNTS:
        raise QuestionnaireError(
            "iciq_ui_sf.amount", _("The ICIQ-UI SF amount score must be 0, 2, 4 or 6.")
        )
    return ICIQUISFScore(
        frequency=frequency,
        amount=amount,
        interference=interference,
        total=frequency + amount + interference,
    )


# --- OAB-V8 (licence unknown: score entry only, no question text) ---------------------

# One label for the 8 items: _(OAB_V8_ITEM_LABEL) % {"number": 1..8}.
OAB_V8_ITEM_LABEL = gettext_noop("Item %(number)d score (0–5)")
OAB_V8_ITEM_COUNT = 8
OAB_V8_THRESHOLD = 8


@dataclass(frozen=True)
class OABV8Score:
    total: int  # 0-40
    suggests_oab: bool


def score_oab_v8(items: Sequence[int]) -> OABV8Score:
    # Clinical reference, section 6: 8 items 0-5, total 0-40; 8 or more suggests OAB.
    answers = _answers(items, "oab_v8", "OAB-V8", OAB_V8_ITEM_COUNT, 5)
    total = sum(answers)
    return OABV8Score(total=total, suggests_oab=total >= OAB_V8_THRESHOLD)


# --- 3IQ: the 3 Incontinence Questions (Brown 2006) ----------------------------------

IQQ3_QUESTIONS: tuple[str, str, str] = (
    gettext_noop("During the last 3 months, have you leaked urine (even a small amount)?"),
    gettext_noop("During the last 3 months, did you leak urine (check all that apply):"),
    gettext_noop("During the last 3 months, did you leak urine most often (check only one):"),
)
IQQ3_ACTIVITY = gettext_noop(
    "When you were performing some physical activity, such as coughing, sneezing, lifting, "
    "or exercise?"
)
IQQ3_URGE = gettext_noop(
    "When you had the urge or the feeling that you needed to empty your bladder, but you "
    "could not get to the toilet fast enough?"
)
IQQ3_OTHER = gettext_noop("Without physical activity and without a sense of urgency?")
# Question 2 (check all that apply) and question 3 (only one), as (code, wording) choices.
IQQ3_WHEN_CHOICES: tuple[tuple[str, str], ...] = (
    ("activity", IQQ3_ACTIVITY),
    ("urge", IQQ3_URGE),
    ("other", IQQ3_OTHER),
)
IQQ3_MOST_OFTEN_CHOICES: tuple[tuple[str, str], ...] = (
    *IQQ3_WHEN_CHOICES,
    (
        "equal",
        gettext_noop("About equally as often with physical activity as with a sense of urgency?"),
    ),
)
# Brown 2006: the type follows the answer to question 3.
IQQ3_TYPES: dict[str, str] = {
    "activity": "stress",  # stress only or stress predominant
    "urge": "urgency",  # urge only or urge predominant
    "other": "other",  # other cause only or other cause predominant
    "equal": "mixed",
}


def iqq3_type(answers: Mapping[str, object]) -> str | None:
    """The 3IQ type: "stress", "urgency", "other" or "mixed"; None if no leaks or no answer."""
    if not isinstance(answers, Mapping):
        raise QuestionnaireError("iqq3", _("The 3IQ answers must be a set of named answers."))
    for key in answers:
        if key not in ("any_leak_3_months", "when", "most_often"):
            raise QuestionnaireError(
                "iqq3", _("The 3IQ has no answer named %(key)s.") % {"key": str(key)}
            )
    any_leak = answers.get("any_leak_3_months")
    if any_leak is not None and not isinstance(any_leak, bool):
        raise QuestionnaireError(
            "iqq3.any_leak_3_months", _("The first 3IQ answer must be yes or no.")
        )
    when = answers.get("when", ())
    if (
        isinstance(when, str | bytes)
        or not isinstance(when, Sequence)
        or any(code not in ("activity", "urge", "other") for code in when)
    ):
        raise QuestionnaireError(
            "iqq3.when", _("The second 3IQ answer must list activity, urge or other.")
        )
    most_often = answers.get("most_often")
    if most_often is not None and (not isinstance(most_often, str) or most_often not in IQQ3_TYPES):
        raise QuestionnaireError(
            "iqq3.most_often", _("The third 3IQ answer must be activity, urge, other or equal.")
        )
    # "No" to question 1 ends the questionnaire: no leaks, no type.
    if any_leak is False or most_often is None:
        return None
    return IQQ3_TYPES[most_often]


# --- Minimal important change, for "improved" markers on progress charts -------------

MINIMAL_IMPORTANT_CHANGE: dict[str, float] = {
    "iciq_ui_sf": 2.52,  # after PFMT for stress incontinence (Nyström 2015)
    "pfdi20": 24.0,  # Karjalainen
}


# --- Checks shared by the scorers ----------------------------------------------------


def _score(value: object, field: str, name: str, high: int) -> int:
    # bool is an int subclass, but True is not an answer of 1.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise QuestionnaireError(
            field,
            _("%(name)s must be a whole number from 0 to %(high)d.") % {"name": name, "high": high},
        )
    return value


def _answers(items: object, field: str, name: str, count: int, high: int) -> list[int]:
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise QuestionnaireError(field, _("%(name)s answers must be a list.") % {"name": name})
    if len(items) != count:
        raise QuestionnaireError(
            field,
            _("%(name)s needs %(count)d answers; %(got)d given.")
            % {"name": name, "count": count, "got": len(items)},
        )
    answers = []
    for number, value in enumerate(items, start=1):
        item = _("%(name)s item %(number)d") % {"name": name, "number": number}
        answers.append(_score(value, f"{field}.{number}", item, high))
    return answers


def _known_keys(
    answers: object, field: str, name: str, keys: tuple[str, ...]
) -> Mapping[str, object]:
    if not isinstance(answers, Mapping):
        raise QuestionnaireError(
            field, _("%(name)s answers must be a set of named answers.") % {"name": name}
        )
    for key in answers:
        if key not in keys:
            raise QuestionnaireError(
                field, _("%(name)s has no answer named %(key)s.") % {"name": name, "key": str(key)}
            )
    for key in keys:
        if key not in answers:
            raise QuestionnaireError(
                f"{field}.{key}", _("%(name)s: %(key)s is missing.") % {"name": name, "key": key}
            )
    return answers


def _round1(value: Fraction) -> float:
    # Half up (6.25 -> 6.3), as on paper; float round() would give 6.2.
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score_all(answers: dict[str, Any]) -> dict[str, Any]:
    """The scores of every questionnaire answered (intake-v1 ``questionnaires``)."""
    scores: dict[str, Any] = {}
    if "pfdi20" in answers:
        scores["pfdi20"] = score_pfdi20(answers["pfdi20"])
    if "pfiq7" in answers:
        scores["pfiq7"] = score_pfiq7(answers["pfiq7"])
    if "iciq_ui_sf" in answers:
        scores["iciq_ui_sf"] = score_iciq_ui_sf(answers["iciq_ui_sf"])
    if "oab_v8" in answers:
        scores["oab_v8"] = score_oab_v8(answers["oab_v8"])
    if "iqq3" in answers:
        scores["iqq3"] = iqq3_type(answers["iqq3"])
    return scores
