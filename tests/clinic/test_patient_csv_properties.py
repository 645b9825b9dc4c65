"""Patient CSV properties: any bytes give rows or row errors, never an exception; what the
export writes, the import reads back; no exported cell is a formula."""

import csv
import io
import re
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.csv_rows import FORMULA_STARTS
from clinic.models import Patient
from clinic.patient_csv import (
    ANATOMIES,
    COLUMNS,
    DATE_ORDERS,
    MAX_CHARS,
    ParsedImport,
    PatientRow,
    parse_patient_csv,
    patients_to_csv,
)

TODAY = date(2026, 6, 1)
HEADER = ",".join(COLUMNS)


def physical_lines(text: str) -> int:
    # The csv reader is fed through StringIO(newline=""), which ends lines at \r, \n, \r\n.
    return max(1, len(re.findall(r"\r\n|\r|\n", text)) + 1)


def check(parsed: ParsedImport, last_line: int) -> None:
    assert isinstance(parsed, ParsedImport)
    for error in parsed.errors:
        assert 0 <= error.line <= last_line
        assert isinstance(error.field, str)
        assert error.message
    assert len(parsed.rows) <= parsed.row_count
    assert len(parsed.keys) in (0, parsed.row_count)
    bad_lines = {error.line for error in parsed.errors}
    numbers = [row.record_number.casefold() for row in parsed.rows]
    assert len(numbers) == len(set(numbers))
    for row in parsed.rows:
        assert row.line not in bad_lines
        assert row.anatomy in ANATOMIES
        assert date(1900, 1, 1) <= row.date_of_birth <= TODAY
        for column in COLUMNS:
            value = getattr(row, column)
            if isinstance(value, str):
                assert len(value) <= MAX_CHARS[column]
                assert "\x00" not in value
                assert value == value.strip()


# --- Hostile input ------------------------------------------------------------------------


@given(st.binary(max_size=2_000))
def test_any_bytes_give_rows_or_errors(data):
    check(parse_patient_csv(data, today=TODAY), last_line=len(data) + 1)


@given(st.text(max_size=500), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_text_gives_rows_or_errors(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # a lone surrogate
        return
    check(parse_patient_csv(data, today=TODAY), physical_lines(text))


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "R0001",
            "r0001",
            "Ana",
            "O'Brien",
            "1984-06-30",
            "30/06/1984",
            "31/02/1984",
            "6/30/1984",
            "30.06.84",
            "2999-01-01",
            "1899-12-31",
            "0000-00-00",
            "٣٠/٠٦/١٩٨٤",
            "vulva",
            "PENIS",
            "other",
            "en",
            "EN",
            "pt_BR",
            "English",
            "x@y",
            "not an email",
            "'=1+1",
            "=HYPERLINK()",
            "+44 20 7946 0000",
            "x" * 300,
            '"',
            '""',
            '"a,b"',
            '"a;b"',
            "a\nb",
            "\r",
            "\t",
            "\x00",
            "\ufeff",
        ]
    ),
)
delimiter = st.sampled_from([",", ";", "\t"])


@st.composite
def hostile_csv(draw: st.DrawFn) -> str:
    sep = draw(delimiter)
    header = draw(
        st.one_of(
            st.just(COLUMNS),
            st.permutations(COLUMNS),
            st.lists(st.one_of(st.sampled_from(COLUMNS), cell), max_size=14),
        )
    )
    lines = [sep.join(header)]
    lines += [sep.join(draw(st.lists(cell, max_size=14))) for _ in range(draw(st.integers(0, 20)))]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


@given(hostile_csv(), st.sampled_from(["utf-8", "utf-8-sig"]), st.sampled_from(DATE_ORDERS))
def test_hostile_csv_gives_rows_or_errors(text, encoding, order):
    data = text.encode(encoding, "surrogatepass")
    check(parse_patient_csv(data, today=TODAY, date_order=order), physical_lines(text))


# --- Dates: read in the clinic's declared order, or refused; never guessed ---------------

DOB_HEADER = "record_number,first_name,last_name,date_of_birth,anatomy\n"


def date_cell(text: str, order: str) -> ParsedImport:
    data = f"{DOB_HEADER}R1,Ana,Lopez,{text},vulva\n".encode()
    return parse_patient_csv(data, today=TODAY, date_order=order)


@given(st.dates(date(1900, 1, 1), TODAY), st.sampled_from(DATE_ORDERS))
def test_an_iso_date_reads_in_every_clinic(born, order):
    (row,) = date_cell(born.isoformat(), order).rows
    assert row.date_of_birth == born


@given(
    st.integers(1, 31),
    st.integers(1, 31),
    st.integers(1900, TODAY.year),
    st.sampled_from(["/", ".", "-"]),
    st.booleans(),
    st.sampled_from(DATE_ORDERS),
)
def test_a_numeric_date_is_read_in_the_declared_order_or_named_as_an_error(
    first, second, year, sep, padded, order
):
    text = sep.join([f"{first:02d}", f"{second:02d}"] if padded else [str(first), str(second)])
    text += f"{sep}{year}"
    day, month = (first, second) if order == "dmy" else (second, first)
    try:
        meant = date(year, month, day) if order != "iso_only" else None
    except ValueError:
        meant = None  # 31/02 or month 13: no such date

    parsed = date_cell(text, order)

    if meant is not None and meant <= TODAY:
        assert parsed.errors == []
        assert [row.date_of_birth for row in parsed.rows] == [meant]
    else:
        assert parsed.rows == []
        assert [(e.line, e.field) for e in parsed.errors] == [(2, "date_of_birth")]
        assert text in parsed.errors[0].message


# --- Valid rows ---------------------------------------------------------------------------

printable = st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"])


def text_of(column: str, *, required: bool = False) -> st.SearchStrategy[str]:
    return (
        st.text(printable, min_size=int(required), max_size=min(MAX_CHARS[column], 20))
        .map(str.strip)
        .filter(lambda value: bool(value) or not required)
    )


@st.composite
def patient_row(draw: st.DrawFn) -> PatientRow:
    return PatientRow(
        line=0,
        record_number=draw(text_of("record_number", required=True)),
        first_name=draw(text_of("first_name", required=True)),
        last_name=draw(text_of("last_name", required=True)),
        preferred_name=draw(text_of("preferred_name")),
        date_of_birth=draw(st.dates(date(1900, 1, 1), TODAY)),
        anatomy=draw(st.sampled_from(ANATOMIES)),
        gender_identity=draw(text_of("gender_identity")),
        pronouns=draw(text_of("pronouns")),
        preferred_language=draw(st.sampled_from(["en", "es", "pt-br", "zh-hans"])),
        email=draw(st.sampled_from(["", "ana@example.org", "=x@example.org"])),
        phone=draw(st.sampled_from(["", "+44 20 7946 0000", "-1", "020 7946 0000"])),
        therapist=draw(st.sampled_from(["", "tess", "@tess"])),
    )


def unique_numbers(rows: list[PatientRow]) -> bool:
    numbers = [row.record_number.casefold() for row in rows]
    return len(numbers) == len(set(numbers))


patient_rows = st.lists(patient_row(), min_size=1, max_size=10).filter(unique_numbers)


@given(patient_rows)
def test_what_is_exported_reads_back(rows):
    text = patients_to_csv(rows)
    parsed = parse_patient_csv(text.encode(), today=TODAY)

    assert parsed.errors == []
    assert [replace(row, line=0) for row in parsed.rows] == rows
    assert [row.line for row in parsed.rows] == list(range(2, len(rows) + 2))


def plainly_a_phone_number(value: str) -> bool:
    """Digits, spaces and ( ) - . with a "+" only in front: nothing a spreadsheet runs."""
    return set(value) <= set("0123456789 ()-.+") and "+" not in value[1:]


@given(patient_rows)
def test_no_exported_cell_is_a_formula(rows):
    text = patients_to_csv(rows).removeprefix("\ufeff")
    for record in csv.reader(io.StringIO(text, newline="")):
        for value in record:
            assert value[:1] not in FORMULA_STARTS or plainly_a_phone_number(value)


@given(patient_rows, delimiter)
def test_semicolons_and_tabs_read_as_commas(rows, sep):
    text = patients_to_csv(rows)
    out = io.StringIO()
    csv.writer(out, delimiter=sep).writerows(csv.reader(io.StringIO(text, newline="")))

    parsed = parse_patient_csv(out.getvalue().encode(), today=TODAY)

    assert parsed.errors == []
    assert [replace(row, line=0) for row in parsed.rows] == rows


@settings(max_examples=50)
@given(patient_rows)
def test_a_row_that_parses_passes_the_models_validation(rows):
    parsed = parse_patient_csv(patients_to_csv(rows).encode(), today=TODAY)
    for row in parsed.rows:
        values = {column: getattr(row, column) for column in COLUMNS if column != "therapist"}
        Patient(**values).full_clean(
            exclude=["clinic", "assigned_therapist"],
            validate_unique=False,
            validate_constraints=False,
        )
