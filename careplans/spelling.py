"""The clinic's English: UK or US words in the patient's plan (reference §10, clinic
setting Clinic.english_spelling). The application is written in UK English.

Two sources of patient text, two mechanisms, both explicit tables below:
- the application's own patient strings (templates, rules, dosing) print in the "en-us"
  language for a US clinic, whose catalogue is Django's English with US_WORDING laid on
  top: only the strings that differ, every other one prints as written. (Not a
  locale/en_US catalogue: Python's gettext reads "en" as "en_US", so a UK clinic would get
  the US words too.)
- the intervention library's texts are clinic data, written in UK English in
  fixtures/interventions.json: for a US clinic UK_TO_US swaps the UK words, whole words
  only, keeping a capital letter. A clinic that edits its texts in US English leaves
  nothing for the table to change.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import trans_real

from clinic.models import Clinic, EnglishSpelling

US_ENGLISH = "en-us"

# msgid (UK, as in the code) -> US wording, for the patient plan's own strings.
# tests/careplans/test_spelling.py checks that every msgid is still one the code marks.
US_WORDING: dict[str, str] = {
    "See your GP (family doctor) within the next few days": (
        "See your family doctor within the next few days"
    ),
    "See your GP (family doctor) within the next two weeks": (
        "See your family doctor within the next two weeks"
    ),
    "Call your GP practice today for an appointment within the next few days, and take "
    "this plan with you.": (
        "Call your doctor's office today for an appointment within the next few days, and "
        "take this plan with you."
    ),
    "Make an appointment with your GP for the next two weeks, and take this plan with you.": (
        "Make an appointment with your family doctor for the next two weeks, and take this "
        "plan with you."
    ),
    "See your GP (family doctor) within a few days if you have:": (
        "See your family doctor within a few days if you have:"
    ),
    "Your week: tick a box each time you practise": (
        "Your week: check a box each time you practice"
    ),
    "Tick when done": "Check when done",
    "Week by week: wait at least this long between toilet visits by day": (
        "Week by week: wait at least this long between bathroom trips by day"
    ),
    "Wait at least %(start)s minutes between toilet visits by day, building up to "
    "%(target)s minutes": (
        "Wait at least %(start)s minutes between bathroom trips by day, building up to "
        "%(target)s minutes"
    ),
    "Because of your cancer history or treatment, ask your cancer team (not only your GP) "
    "whether vaginal estrogen is right for you. Meanwhile, a non-hormonal vaginal "
    "moisturiser can help with dryness.": (
        "Because of your cancer history or treatment, ask your cancer team (not only your "
        "family doctor) whether vaginal estrogen is right for you. Meanwhile, a "
        "non-hormonal vaginal moisturizer can help with dryness."
    ),
    "Tell your doctor if you have ever had breast or womb cancer.": (
        "Tell your doctor if you have ever had breast or uterine cancer."
    ),
    "Ask your GP (family doctor) about low-dose vaginal estrogen": (
        "Ask your family doctor about low-dose vaginal estrogen"
    ),
    "Ask your GP (family doctor) to review the timing of your water tablets": (
        "Ask your family doctor to review the timing of your water pills"
    ),
    "Ask your GP (family doctor) about bladder medicine": (
        "Ask your family doctor about bladder medicine"
    ),
    "If urgency persists: ask your GP (family doctor) about bladder medicine": (
        "If urgency persists: ask your family doctor about bladder medicine"
    ),
    "Ask your GP (family doctor) to check your blood sugar": (
        "Ask your family doctor to check your blood sugar"
    ),
    "Bladder training: stretch the time between toilet visits": (
        "Bladder training: stretch the time between bathroom trips"
    ),
}

# UK wording -> US wording, for the library's patient texts. Longer phrases first, so that
# "GP (family doctor)" is not read as "GP" followed by "(family doctor)". Words that are
# right in both (bottom, pelvic floor, toilet seat) are left alone.
UK_TO_US: tuple[tuple[str, str], ...] = (
    ("GP (family doctor)", "family doctor"),
    ("GP practice", "doctor's office"),
    ("GP", "family doctor"),
    ("A&E", "the emergency room"),
    ("stopping wind", "holding in gas"),
    ("back passage", "bottom"),
    ("water tablets", "water pills"),
    ("washing up", "washing the dishes"),
    ("public toilet", "public restroom"),
    ("toilet visits", "bathroom trips"),
    ("to the toilet", "to the bathroom"),
    ("practising", "practicing"),
    ("practise", "practice"),
    ("programme", "program"),
    ("millilitres", "milliliters"),
    ("litres", "liters"),
    ("fibre", "fiber"),
    ("colour", "color"),
    ("moisturiser", "moisturizer"),
    ("womb", "uterus"),
    ("wee", "pee"),
    ("poo", "poop"),
    ("nappies", "diapers"),
    ("nappy", "diaper"),
    ("trousers", "pants"),
    ("tights", "pantyhose"),
    ("mum", "mom"),
)

_WORDS = {uk.casefold(): us for uk, us in UK_TO_US}
_PROPER = {uk.casefold() for uk, _us in UK_TO_US if uk[0].isupper()}
# A phrase written with a capital (GP, A&E) matches only as written; the others in any case.
_PATTERN = re.compile(
    "|".join(
        (re.escape(uk) if uk[0].isupper() else "(?i:" + re.escape(uk) + ")") for uk, _us in UK_TO_US
    ).join((r"(?<![\w&])(?:", r")(?![\w&])"))
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n-?\s*)$")


def english_variant(clinic: Clinic) -> str:
    """The locale the clinic's patient plans print in when they print in English."""
    return US_ENGLISH if clinic.english_spelling == EnglishSpelling.US else "en"


def us_english(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        found = match.group(0).casefold()
        us = _WORDS[found]
        if found in _PROPER:
            capital = _SENTENCE_START.search(text, 0, match.start()) is not None
        else:
            capital = match.group(0)[0].isupper()
        return us[0].upper() + us[1:] if capital else us

    return _PATTERN.sub(swap, text)


def in_clinic_spelling(text: str, language: str) -> str:
    """A library text as the clinic spells it, in the plan's `language`."""
    return us_english(text) if language == US_ENGLISH else text


class _TableCatalogue(gettext.GNUTranslations):
    """A catalogue read from a Python table, in the form DjangoTranslation.merge reads."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()  # no file to parse
        self._catalog: dict[str, str] = dict(table)
        self.plural: Callable[[int], int] = lambda n: int(n != 1)


@contextmanager
def printed_in(language: str) -> Iterator[None]:
    """translation.override(language); for "en-us" with the US wording laid on Django's
    English catalogue, once (Django keeps one catalogue per language and process, and
    starts a new one when a test changes the translation settings)."""
    with translation.override(language):
        if language == US_ENGLISH:
            active = trans_real.translation(language)
            probe, wording = next(iter(US_WORDING.items()))
            if active.gettext(probe) != wording:
                active.merge(_TableCatalogue(US_WORDING))
        yield
