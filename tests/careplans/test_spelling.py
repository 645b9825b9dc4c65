"""A US clinic's patient plan uses US words: the application's strings through the en-us
catalogue, the library's texts through the UK-to-US table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from careplans.spelling import (
    UK_TO_US,
    US_WORDING,
    english_variant,
    in_clinic_spelling,
    printed_in,
    us_english,
)
from clinic.models import Clinic, EnglishSpelling
from tests.clinic.test_translations import msgids

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "interventions.json"
PATIENT_FIELDS = ("title", "patient_text", "patient_text_vulva", "patient_text_penis")
UK_ONLY = re.compile(
    r"\b(GP|wind|back passage|practise|programme|fibre|millilitres|wee|womb|tick|toilet visits)\b"
)


def test_the_clinics_setting_chooses_the_variant():
    assert english_variant(Clinic(english_spelling=EnglishSpelling.UK)) == "en"
    assert english_variant(Clinic(english_spelling=EnglishSpelling.US)) == "en-us"


@pytest.mark.parametrize(
    ("uk", "us"),
    [
        ("Squeeze as if stopping wind.", "Squeeze as if holding in gas."),
        ("the muscles around your back passage", "the muscles around your bottom"),
        ("Ask your GP (family doctor) today.", "Ask your family doctor today."),
        ("Your GP will check it.", "Your family doctor will check it."),
        ("It works.\nGP visits help.", "It works.\nFamily doctor visits help."),
        ("Practise daily. Keep practising.", "Practice daily. Keep practicing."),
        ("your flow of urine (wee)", "your flow of urine (pee)"),
        ("Eat more fibre.", "Eat more fiber."),
    ],
)
def test_uk_words_become_us_words_keeping_the_capital(uk, us):
    assert us_english(uk) == us


def test_only_whole_words_change():
    # "window", "sweet", "GPS", "pool", "wind down" keep their letters.
    text = "Open the window, a sweet, GPS, the pool; wind down."
    assert us_english(text) == text
    assert us_english("gp") == "gp"


def test_a_uk_clinic_and_other_languages_keep_the_text():
    assert in_clinic_spelling("as if stopping wind", "en") == "as if stopping wind"
    assert in_clinic_spelling("as if stopping wind", "es") == "as if stopping wind"
    assert in_clinic_spelling("as if stopping wind", "en-us") == "as if holding in gas"


def test_no_uk_word_is_left_in_the_librarys_patient_texts_for_a_us_clinic():
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    left = [
        (entry["code"], field, found)
        for entry in entries
        for field in PATIENT_FIELDS
        for found in UK_ONLY.findall(us_english(entry.get(field) or ""))
    ]
    assert left == []


def test_the_table_has_no_entry_that_another_one_hides():
    # A shorter UK phrase listed before a longer one holding it would win the match.
    for index, (uk, _us) in enumerate(UK_TO_US):
        for later, _later_us in UK_TO_US[index + 1 :]:
            assert uk.casefold() not in later.casefold(), (uk, later)


def test_the_applications_own_patient_strings_have_a_us_wording():
    uk = "See your GP (family doctor) within the next few days"
    with printed_in("en-us"):
        assert translation.gettext(uk) == "See your family doctor within the next few days"
        assert translation.gettext("Tick when done") == "Check when done"
        # A string the table does not change prints as written.
        assert translation.gettext("Warning signs: when to get help") == (
            "Warning signs: when to get help"
        )
    # A UK clinic, and the interface, keep the UK wording.
    with printed_in("en"):
        assert translation.gettext(uk) == uk
    assert translation.gettext(uk) == uk


def test_every_us_wording_replaces_a_string_the_code_still_marks():
    # The Spanish catalogue holds exactly the strings the code marks (test_translations).
    catalogue = msgids(Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po")
    assert set(US_WORDING) <= {msgid for _context, msgid in catalogue}


def test_no_uk_word_is_left_in_the_us_wording():
    assert [us for us in US_WORDING.values() if UK_ONLY.search(us)] == []
