"""Patient lists as CSV: the front desk's import file and the patient-list export.

Pure Python, no Django. Clinics export from Excel, so the file may be comma, semicolon or
tab separated (csv.Sniffer picks which), UTF-8 with or without a byte-order mark, or the
UTF-16 of Excel's "Unicode text". Every bad line is reported; nothing is half-read.

The rules of a row mirror the Patient model (lengths, anatomy choices) and the patient
form (a date of birth from 1900 to today), so a row that passes here saves as is.
"""

import codecs
import csv
import dataclasses
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from clinic.csv_rows import StrictRows, UnreadableLine, csv_safe, csv_safe_phone, csv_unguard
from clinic.i18n import gettext as _

COLUMNS: tuple[str, ...] = (
    "record_number",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "anatomy",
    "gender_identity",
    "pronouns",
    "preferred_language",
    "email",
    "phone",
    "therapist",
)
REQUIRED: tuple[str, ...] = ("record_number", "first_name", "last_name", "date_of_birth", "anatomy")
# The column the file of rows with problems adds (bad_rows_csv): read back, it is ignored.
PROBLEM = "problem"
# The columns that file adds after the named ones, extra_1, extra_2 ...: a row's cells
# outside the named columns (a comma not in quotes shifts a row's cells to the right), kept
# so that nothing typed is lost. Read back, such a column is ignored where it is empty; a
# value in it is that row's problem, named by the column, until moved into its column.
EXTRA_PREFIX = "extra_"
_EXTRA = re.compile(re.escape(EXTRA_PREFIX) + r"([0-9]+)")
# The Patient model's anatomy choices; "unspecified" words the cues neutrally (intake-v1).
ANATOMIES: tuple[str, ...] = ("vulva", "penis", "unspecified")
# The Patient model's max_length of each column; therapist is a Django username.
MAX_CHARS: Mapping[str, int] = {
    "record_number": 40,
    "first_name": 100,
    "last_name": 100,
    "preferred_name": 100,
    "date_of_birth": 40,
    "anatomy": 40,
    "gender_identity": 60,
    "pronouns": 40,
    "preferred_language": 20,
    "email": 254,
    "phone": 40,
    "therapist": 150,
}
DEFAULT_LANGUAGE = "en"
OTHER_LANGUAGE = "other"  # clinic.patient_languages.OTHER (this module has no Django)
MAX_FILE_BYTES = 5_000_000
MAX_ROWS = 50_000
EARLIEST_BIRTH_YEAR = 1900  # as the patient form: an earlier year is a typing slip
DELIMITERS = ",;\t"
SNIFF_CHARS = 4_096  # csv.Sniffer is quadratic on hostile text: 4 KB stays under 0.1 s

_COLUMN_LIST = ", ".join(COLUMNS)
# How the clinic writes numeric dates (Clinic.import_date_order): ISO dates are always read;
# 04/07/1984 only in the order the clinic declared, never guessed.
DateOrder = Literal["iso_only", "dmy", "mdy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("iso_only", "dmy", "mdy")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{2,4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


@dataclass(frozen=True)
class PatientRow:
    line: int
    record_number: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    anatomy: str
    gender_identity: str
    pronouns: str
    preferred_language: str
    email: str
    phone: str
    therapist: str  # a username, or "" for no therapist
    # The language named when preferred_language is "other" (the clinic does not print it).
    other_language: str = ""


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header row; 0 is the file as a whole
    field: str  # a column name, or "" for the line as a whole
    message: str


@dataclass(frozen=True)
class RowKeys:
    """What the clinic's own records decide about a row, good or bad: whether its record
    number is taken, whether its therapist works there. Checked for every row, so one
    upload shows every problem."""

    line: int
    record_number: str
    therapist: str


@dataclass(frozen=True)
class ParsedImport:
    rows: list[PatientRow]  # the good rows, in file order
    errors: list[RowError]  # every problem, in file order
    row_count: int = 0  # data rows read, good and bad
    keys: list[RowKeys] = dataclasses.field(default_factory=list)  # one per data row
    # Every row was read (no broken quote cut the file short, no row limit was reached):
    # the rows with problems can then be written out on their own (bad_rows_csv).
    readable: bool = True


def _shown(value: str) -> str:
    """A value quoted back to the user, cut short so a message stays readable."""
    return value if len(value) <= 40 else value[:40] + "…"


def _whole_file(message: str) -> ParsedImport:
    return ParsedImport([], [RowError(0, "", message)], readable=False)


# --- Reading the file ---------------------------------------------------------------------


def _decode(data: bytes) -> str | None:
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")  # Excel's "Unicode text": tab separated
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _normalise_name(name: str) -> str:
    """'Date of birth' and 'DATE-OF-BIRTH' name the column date_of_birth."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _delimiter(text: str) -> str:
    """The delimiter of the file: csv.Sniffer's guess, unless another of the three reads
    more known column names from the header (a header is what we can be sure of)."""
    sample = text[:SNIFF_CHARS]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    if sniffed not in DELIMITERS:
        sniffed = ","
    first_line = next((line for line in sample.splitlines() if line.strip()), "")

    def known(delimiter: str) -> int:
        cells = first_line.split(delimiter)
        return len({_normalise_name(cell.strip('"')) for cell in cells} & set(COLUMNS))

    best = max(DELIMITERS, key=known)
    return best if known(best) > known(sniffed) else sniffed


def _unreadable(broken: UnreadableLine) -> RowError:
    if broken.cell_too_long:
        message = _("A cell is longer than %(limit)d characters.")
        values: dict[str, object] = {"limit": csv.field_size_limit()}
    else:
        message = _("The file cannot be read as CSV from here on (%(problem)s); check the quotes.")
        values = {"problem": broken.problem}
    return RowError(broken.line, "", message % values)


def _check_header(line: int, header: list[str]) -> list[RowError]:
    errors = []
    named = [name for name in header if name]
    for name in sorted(set(named), key=named.index):
        if name not in COLUMNS and name != PROBLEM and not _EXTRA.fullmatch(name):
            message = _("Unknown column '%(column)s'. The columns are: %(columns)s.")
            values = {"column": _shown(name), "columns": _COLUMN_LIST}
            errors.append(RowError(line, name, message % values))
        elif named.count(name) > 1:
            message = _("Column '%(column)s' appears more than once in the header row.")
            errors.append(RowError(line, name, message % {"column": name}))
    for column in REQUIRED:
        if column not in named:
            message = _("The header row has no column %(column)s; it is required.")
            errors.append(RowError(line, column, message % {"column": column}))
    return errors


# --- Reading a row ------------------------------------------------------------------------


def parse_date_of_birth(text: str, date_order: DateOrder = "iso_only") -> date | None:
    """1984-06-30 always; 30/06/1984 (or 30.06.1984) in a "dmy" clinic, 06/30/1984 in an
    "mdy" one; None for anything else, including a date that does not exist."""
    iso = _ISO_DATE.fullmatch(text)
    numeric = _NUMERIC_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif numeric and date_order != "iso_only" and len(numeric.group(4)) == 4:
        first, second, year = (int(numeric.group(n)) for n in (1, 3, 4))
        day, month = (first, second) if date_order == "dmy" else (second, first)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_error(text: str, date_order: DateOrder) -> tuple[str, dict[str, object]]:
    """Why a date of birth cannot be read, and how to write it."""
    numeric = _NUMERIC_DATE.fullmatch(text)
    if _ISO_DATE.fullmatch(text):
        message = _(
            "%(column)s '%(value)s' is not a date: write it as year-month-day, like 1984-06-30."
        )
    elif numeric and date_order == "iso_only":
        message = _(
            "%(column)s '%(value)s' could be read day first or month first: write it as "
            "1984-06-30, or choose the order of your file's dates in the clinic settings."
        )
    elif numeric and len(numeric.group(4)) != 4:
        message = _("%(column)s '%(value)s' needs a four-digit year, like 1984-06-30.")
    elif numeric and date_order == "dmy":
        message = _(
            "%(column)s '%(value)s' is not a date in day/month/year order (the clinic's "
            "setting), like 30/06/1984 for 30 June 1984."
        )
    elif numeric:
        message = _(
            "%(column)s '%(value)s' is not a date in month/day/year order (the clinic's "
            "setting), like 06/30/1984 for 30 June 1984."
        )
    else:
        message = _("%(column)s must be a date like 1984-06-30, not '%(value)s'.")
    return message, {"value": _shown(text)}


def _language(
    text: str, languages: Mapping[str, str] | None, printed: Collection[str] | None
) -> tuple[str, str] | None:
    """(code, the language named when the code is "other"), or None."""
    if not text:
        return DEFAULT_LANGUAGE, ""
    code = text.lower().replace("_", "-")
    if code == OTHER_LANGUAGE:
        return None  # the therapist must know which: the file names the language itself
    if languages is None:
        return (code, "") if _LANGUAGE_CODE.fullmatch(code) else None
    if code not in languages:
        # The front desk may write the language's name: "Spanish" for es.
        by_name = {name.casefold(): known for known, name in languages.items()}
        found = by_name.get(text.casefold())
        if found is None:
            return None
        code = found
    if printed is not None and code not in printed:
        # As the patient form: a language the clinic does not print is "other", named.
        return OTHER_LANGUAGE, languages[code]
    return code, ""


def _parse_row(
    line: int,
    cells: Mapping[str, str],
    *,
    today: date,
    languages: Mapping[str, str] | None,
    printed: Collection[str] | None = None,
    date_order: DateOrder,
) -> tuple[PatientRow | None, list[RowError]]:
    """A row from its cells (stripped), or None; every bad cell of the row is reported."""
    errors: list[RowError] = []

    def error(column: str, message: str, **values: object) -> None:
        errors.append(RowError(line, column, message % {"column": column, **values}))

    for column in COLUMNS:
        value = cells.get(column, "")
        if "\x00" in value:
            # A NUL character is never meant, and databases cannot store it in text.
            error(column, _("%(column)s contains a NUL character."))
        elif len(value) > MAX_CHARS[column]:
            limit = MAX_CHARS[column]
            error(column, _("%(column)s is longer than %(limit)d characters."), limit=limit)
        elif column in REQUIRED and not value:
            error(column, _("%(column)s is empty; it is required."))
    checked = {column: cells.get(column, "") for column in COLUMNS} | {e.field: "" for e in errors}

    born = parse_date_of_birth(text := checked["date_of_birth"], date_order)
    if text and born is None:
        message, values = _date_error(text, date_order)
        error("date_of_birth", message, **values)
    elif born is not None and born > today:
        error("date_of_birth", _("%(column)s %(value)s is in the future."), value=text)
    elif born is not None and born.year < EARLIEST_BIRTH_YEAR:
        error(
            "date_of_birth",
            _("%(column)s %(value)s is before %(year)d; please check the year."),
            value=text,
            year=EARLIEST_BIRTH_YEAR,
        )

    anatomy = (text := checked["anatomy"]).lower()
    if text and anatomy not in ANATOMIES:
        error(
            "anatomy",
            _("%(column)s must be vulva, penis or unspecified, not '%(value)s'."),
            value=_shown(text),
        )

    email = checked["email"]
    if email and not _EMAIL.fullmatch(email):
        error("email", _("%(column)s '%(value)s' is not an email address."), value=_shown(email))

    language = _language(text := checked["preferred_language"], languages, printed)
    if language is None:
        error(
            "preferred_language",
            _(
                "%(column)s '%(value)s' is not a language: write its code such as en or es, "
                "or its name such as Portuguese."
            ),
            value=_shown(text),
        )

    if errors or born is None or language is None:
        return None, errors
    row = PatientRow(
        line=line,
        record_number=checked["record_number"],
        first_name=checked["first_name"],
        last_name=checked["last_name"],
        preferred_name=checked["preferred_name"],
        date_of_birth=born,
        anatomy=anatomy,
        gender_identity=checked["gender_identity"],
        pronouns=checked["pronouns"],
        preferred_language=language[0],
        email=email,
        phone=checked["phone"],
        therapist=checked["therapist"],
        other_language=language[1],
    )
    return row, errors


def parse_patient_csv(
    data: bytes,
    *,
    today: date | None = None,
    languages: Mapping[str, str] | None = None,
    printed: Collection[str] | None = None,
    date_order: DateOrder = "iso_only",
) -> ParsedImport:
    """The patients of an import file, and every problem with it; never raises.

    The first non-blank row names the columns (any order; optional columns may be left
    out). Blank lines are skipped. Record numbers must be unique within the file, compared
    without regard to case as the patient form does. ``languages`` maps the codes a
    preferred language may take to their names; without it any code-like text passes.
    ``printed``: the clinic's printed languages; any other known language becomes
    "other" with its name (as the patient form has it); "other" itself is accepted.
    ``date_order`` is how the clinic writes numeric dates; ISO dates are always read.
    """
    today = today or date.today()  # noqa: DTZ011 - a birth date is a calendar date
    if len(data) > MAX_FILE_BYTES:
        message = _("The file is larger than %(mb)d MB; split it into smaller files.")
        return _whole_file(message % {"mb": MAX_FILE_BYTES // 1_000_000})
    text = _decode(data)
    if text is None:
        return _whole_file(
            _(
                "The file is not UTF-8 text. In Excel, choose Save As and the type "
                "“CSV UTF-8 (Comma delimited)”, then upload it again."
            )
        )

    # Only the delimiter is guessed; the quotes are Excel's ".
    records = StrictRows(text, delimiter=_delimiter(text))
    errors: list[RowError] = []
    rows: list[PatientRow] = []
    keys: list[RowKeys] = []
    header: list[str] | None = None
    first_line_of: dict[str, int] = {}
    row_count = 0
    readable = True
    try:
        for line, stripped in records:
            cells = [csv_unguard(cell) for cell in stripped]
            if header is None:
                header = [_normalise_name(cell) for cell in cells]
                header_errors = _check_header(line, header)
                if header_errors:
                    return ParsedImport([], header_errors, readable=False)
                continue
            row_count += 1
            if row_count > MAX_ROWS:
                message = _(
                    "The file has more than %(limit)d patients; split it into files of at "
                    "most %(limit)d rows."
                )
                too_many = RowError(line, "", message % {"limit": MAX_ROWS})
                return ParsedImport([], [too_many], row_count, readable=False)
            by_column: dict[str, str] = {}
            row_errors: list[RowError] = []
            for position, cell in enumerate(cells):
                name = header[position] if position < len(header) else ""
                if name and not _EXTRA.fullmatch(name):
                    by_column[name] = cell
                elif name and cell:
                    message = _(
                        "%(column)s holds '%(value)s', a value from outside the named "
                        "columns: move it into its column, or clear it."
                    )
                    shifted = {"column": name, "value": _shown(cell)}
                    row_errors.append(RowError(line, name, message % shifted))
                elif cell:
                    message = _("Unexpected value '%(value)s' outside the named columns.")
                    row_errors.append(RowError(line, "", message % {"value": _shown(cell)}))
            row, cell_errors = _parse_row(
                line,
                by_column,
                today=today,
                languages=languages,
                printed=printed,
                date_order=date_order,
            )
            keys.append(
                RowKeys(line, by_column.get("record_number", ""), by_column.get("therapist", ""))
            )
            row_errors += cell_errors
            number = by_column.get("record_number", "")
            if number.casefold() in first_line_of:
                message = _("record_number %(value)s is also on line %(other)d of this file.")
                values = {"value": _shown(number), "other": first_line_of[number.casefold()]}
                row_errors.append(RowError(line, "record_number", message % values))
            elif number:
                first_line_of[number.casefold()] = line
            if row_errors:
                errors += row_errors
            elif row is not None:
                rows.append(row)
    except UnreadableLine as broken:
        errors.append(_unreadable(broken))
        readable = False
    if header is None and not errors:
        message = _("The file is empty; its first row must name the columns: %(columns)s.")
        return _whole_file(message % {"columns": _COLUMN_LIST})
    if header is not None and row_count == 0 and not errors:
        errors.append(RowError(max(records.lines_read, 1), "", _("The file has no patients.")))
    return ParsedImport(rows, errors, row_count, keys, readable)


# --- Writing ------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def patient_csv_lines(rows: Iterable[PatientRow]) -> Iterator[str]:
    """The export line by line (for streaming): a byte-order mark so Excel reads UTF-8,
    then the header and one line per patient; parse_patient_csv reads it back."""
    writer = csv.writer(_Echo())  # CRLF (RFC 4180), as Excel writes
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([_cell(name, getattr(row, name)) for name in COLUMNS])


def _cell(column: str, value: object) -> str:
    """An exported cell: formula-safe, a phone number as typed."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return csv_safe_phone(text) if column == "phone" else csv_safe(text)


def patients_to_csv(rows: Iterable[PatientRow]) -> str:
    return "".join(patient_csv_lines(rows))


def bad_rows_csv(data: bytes, problems: Mapping[int, str]) -> str:
    """The rows of an import file on the given lines, with the file's own columns, then
    extra_1, extra_2 ... for the cells of a row outside those columns (none is lost), and
    a last column naming each row's problem: fixed and uploaded again, it imports (the
    problem column and empty extra columns are ignored). ``data`` is a file
    parse_patient_csv read to the end."""
    text = _decode(data)
    if text is None:
        return ""
    header: list[str] | None = None
    kept: list[str] = []
    rows: list[tuple[list[str], list[str], str]] = []
    try:
        for line, stripped in StrictRows(text, delimiter=_delimiter(text)):
            cells = [csv_unguard(cell) for cell in stripped]
            if header is None:
                header = [_normalise_name(cell) for cell in cells]
                kept = [name for name in header if name and name != PROBLEM]
                continue
            if line not in problems:
                continue
            by_column: dict[str, str] = {}
            extras: list[str] = []
            for position, cell in enumerate(cells):
                name = header[position] if position < len(header) else ""
                if name and name != PROBLEM:
                    by_column[name] = cell
                elif not name:
                    extras.append(cell)
            while extras and not extras[-1]:
                extras.pop()
            values = [_cell(name, by_column.get(name, "")) for name in kept]
            rows.append((values, [csv_safe(cell) for cell in extras], problems[line]))
    except UnreadableLine:
        pass  # not for such a file: the caller checks ParsedImport.readable
    if header is None:
        return ""
    # Numbered after the extra columns the file already has (a file of this kind again).
    first = 1 + max((int(m.group(1)) for m in map(_EXTRA.fullmatch, kept) if m), default=0)
    width = max((len(extras) for _values, extras, _problem in rows), default=0)
    extra_names = [f"{EXTRA_PREFIX}{first + n}" for n in range(width)]
    writer = csv.writer(_Echo())
    lines = ["\ufeff" + writer.writerow([*kept, *extra_names, PROBLEM])]
    for values, extras, problem in rows:
        padded = extras + [""] * (width - len(extras))
        lines.append(writer.writerow([*values, *padded, csv_safe(problem)]))
    return "".join(lines)
