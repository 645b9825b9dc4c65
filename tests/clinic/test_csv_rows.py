"""clinic.csv_rows: the one strict CSV reader of the imports, and the one formula guard of
the exports. Pure: no database."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import diary, progress_store
from assessments.progress import VisitOutcomes
from clinic import csv_rows, patient_csv
from clinic.csv_rows import (
    FORMULA_STARTS,
    StrictRows,
    UnreadableLine,
    csv_safe,
    csv_safe_phone,
    csv_unguard,
)
from clinic.patient_csv import PatientRow, parse_patient_csv, patients_to_csv

# --- Reading ------------------------------------------------------------------------------


def test_rows_come_with_the_line_they_start_on_stripped_and_without_blank_lines():
    text = 'a,b\n\n  x , y \n"two\nlines",z\n , \nlast,row'
    assert list(StrictRows(text)) == [
        (1, ["a", "b"]),
        (3, ["x", "y"]),
        (4, ["two\nlines", "z"]),
        (7, ["last", "row"]),
    ]


def test_the_delimiter_may_be_a_semicolon_but_quotes_are_double():
    assert list(StrictRows("a;'b;c'\n\"d;e\";O'Brien", delimiter=";")) == [
        (1, ["a", "'b", "c'"]),
        (2, ["d;e", "O'Brien"]),
    ]


def test_lines_read_counts_blank_lines_too():
    rows = StrictRows("a,b\r\n\r\n\r\n")
    assert list(rows) == [(1, ["a", "b"])]
    assert rows.lines_read == 3


def test_a_broken_quote_stops_the_reading_at_the_line_its_record_starts():
    rows = iter(StrictRows('a,b\nc,d\ne,"f\ng,h\n'))
    assert next(rows) == (1, ["a", "b"])
    assert next(rows) == (2, ["c", "d"])
    with pytest.raises(UnreadableLine) as raised:
        next(rows)
    assert raised.value.line == 3
    assert not raised.value.cell_too_long
    assert raised.value.problem == "unexpected end of data"


def test_text_after_a_closing_quote_is_broken_too():
    with pytest.raises(UnreadableLine) as raised:
        list(StrictRows('a,b\nc,"d"e\n'))
    assert raised.value.line == 2 and not raised.value.cell_too_long


def test_a_cell_over_the_csv_field_limit_says_so():
    with pytest.raises(UnreadableLine) as raised:
        list(StrictRows("a\n" + "x" * (csv.field_size_limit() + 1) + "\n"))
    assert raised.value.line == 2 and raised.value.cell_too_long


BROKEN = 'time,event,volume_ml,urgency,note\n2026-03-02T06:45,rise,,,\n2026-03-02T07:00,void,"1\n'


def test_both_imports_stop_at_the_same_broken_line_in_their_own_words():
    with pytest.raises(diary.DiaryError) as raised:
        diary.parse_diary_csv(BROKEN)
    (diary_error,) = raised.value.errors
    assert diary_error.line == 3
    assert diary_error.message.startswith("Line 3: the file cannot be read as CSV from here on")

    text = 'record_number,first_name,last_name,date_of_birth,anatomy\nR1,Ana,"Lopez\n'
    (patient_error,) = parse_patient_csv(text.encode(), today=date(2026, 6, 1)).errors
    assert patient_error.line == 2
    assert patient_error.message.startswith("The file cannot be read as CSV from here on")


def test_the_imports_read_through_strict_rows():
    assert diary.StrictRows is patient_csv.StrictRows is csv_rows.StrictRows


# --- Writing ------------------------------------------------------------------------------

DANGEROUS = sorted(FORMULA_STARTS)


def test_every_character_a_spreadsheet_runs_is_guarded():
    assert set("=+-@\t\r\n") == FORMULA_STARTS


@pytest.mark.parametrize("start", DANGEROUS)
def test_text_starting_like_a_formula_gets_an_apostrophe(start):
    assert csv_safe(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("'=1+1", "''=1+1"),  # past apostrophes already there: csv_unguard undoes one
        ("'quoted", "'quoted"),
        ("-1", "'-1"),  # a phone or record number typed as text stays text
        (-4, "-4"),  # a number the export computed stays a number
        (-79.5, "-79.5"),
        (True, "True"),
        (None, ""),
        ("", ""),
        ("Ana", "Ana"),
    ],
)
def test_numbers_stay_numbers_and_text_is_text(cell, safe):
    assert csv_safe(cell) == safe


@given(st.text())
def test_unguard_undoes_the_guard(text):
    assert csv_unguard(csv_safe(text)) == text


@pytest.mark.parametrize(
    "phone",
    ["+44 20 7946 0000", "020 7946 0000", "+1 (555) 010-0199", "+351.21.000.0000", "-1", ""],
)
def test_a_phone_number_is_written_as_typed(phone):
    assert csv_safe_phone(phone) == phone


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://x","call")',
        "+1+cmd|' /C calc'!A0",  # letters, | and ! : a DDE command, not a phone number
        "+1+1",  # a "+" past the front: a sum a spreadsheet would compute
        "-2+3",
        "@SUM(A1)",
        "+44\t20",
        "+",  # no digit
    ],
)
def test_anything_else_in_the_phone_column_stays_guarded(cell):
    assert csv_safe_phone(cell) == "'" + cell
    assert csv_unguard(csv_safe_phone(cell)) == cell


@given(st.text())
def test_an_exported_phone_reads_back_as_typed(text):
    assert csv_unguard(csv_safe_phone(text)) == text


# --- Both exports use the one guard -------------------------------------------------------


def test_both_exports_use_the_one_guard():
    assert patient_csv.csv_safe is progress_store.csv_safe is csv_rows.csv_safe


def cells_of(text: str) -> list[str]:
    return [cell for record in csv.reader(io.StringIO(text, newline="")) for cell in record]


@pytest.mark.parametrize("start", DANGEROUS)
def test_the_patient_export_neutralises_each_dangerous_start(start):
    row = PatientRow(
        line=2,
        record_number="R1",
        first_name="Ana",
        last_name=start + "SUM(A1)",
        preferred_name="",
        date_of_birth=date(1984, 6, 30),
        anatomy="vulva",
        gender_identity="",
        pronouns="",
        preferred_language="en",
        email="",
        phone="",
        therapist="",
    )
    cells = cells_of(patients_to_csv([row]).removeprefix("\ufeff"))
    assert "'" + start + "SUM(A1)" in cells
    assert not any(cell[:1] in FORMULA_STARTS for cell in cells)


@pytest.mark.parametrize("start", DANGEROUS)
def test_the_outcome_export_neutralises_each_dangerous_start(start):
    visit = VisitOutcomes(
        assessment_id=1, assessed_on=date(2026, 3, 2), kind=start + "SUM(A1)", iciq_ui_sf=12
    )
    _, row = progress_store.outcome_rows([visit])
    assert row[1] == "'" + start + "SUM(A1)"
    assert not any(cell[:1] in FORMULA_STARTS for cell in row)
