"""CSV the one way: strict rows in (the diary and patient imports), formula-safe cells out
(the patient and outcome exports).

Pure Python, no Django. Reading is strict: a stray or unclosed quote is an error at the
line where its record starts, not a cell that swallows the rest of the file. Each parser
words its own messages; this module only says where and what went wrong.
"""

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal

# A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r\n")
_FIELD_LIMIT_PROBLEM = "field larger than field limit"
# Plainly a phone number: digits, spaces and ( ) - . only, a "+" only in front, at least
# one digit. Nothing a spreadsheet could run: no function name, no cell reference, no
# DDE command (those need letters, "!" or "|").
_PHONE = re.compile(r"\+?[0-9 ().-]*[0-9][0-9 ().-]*")


class UnreadableLine(ValueError):
    """The file cannot be read as CSV from this line on (the line its record starts on)."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")

    @property
    def cell_too_long(self) -> bool:
        """A cell is over csv's field size limit, rather than a quote being broken."""
        return self.problem.startswith(_FIELD_LIMIT_PROBLEM)


class StrictRows:
    """The records of a CSV text as ``(line, cells)``: the line each record starts on and
    its cells stripped of surrounding spaces; records with every cell empty (blank lines)
    are skipped. Iterating raises UnreadableLine at the first record csv cannot read,
    after every record before it. Quotes are always double quotes (as Excel writes them:
    a guessed ' would split O'Brien); only the delimiter varies."""

    def __init__(self, text: str, *, delimiter: str = ",") -> None:
        self._reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True
        )

    @property
    def lines_read(self) -> int:
        """The physical lines read so far (blank lines included)."""
        return self._reader.line_num

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            line = self._reader.line_num + 1  # where the next record starts
            try:
                record = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise UnreadableLine(line, str(error)) from None
            cells = [cell.strip() for cell in record]
            if any(cells):
                yield line, cells


# --- Writing ------------------------------------------------------------------------------


def _runs_as_formula(text: str) -> bool:
    # Past any apostrophes already there, so csv_unguard can undo exactly what was added.
    return text.lstrip("'")[:1] in FORMULA_STARTS


def csv_safe(cell: object) -> str:
    """A cell a spreadsheet shows as written and never runs as a formula.

    Text that could start a formula gets a leading apostrophe, even a negative number
    written as text ("-1" in a phone column). A number (int, float, Decimal) is written
    as the number it is: a change of -4 stays a number a spreadsheet can add up.
    """
    if cell is None:
        return ""
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return str(cell)
    text = str(cell)
    return "'" + text if _runs_as_formula(text) else text


def csv_safe_phone(cell: str) -> str:
    """A phone number as typed ("+44 20 7946 0000", "-" and all); anything else that
    could start a formula is guarded as csv_safe guards it ("+1+cmd", "=HYPERLINK(...)")."""
    return cell if _PHONE.fullmatch(cell) else csv_safe(cell)


def csv_unguard(text: str) -> str:
    """Undo csv_safe, so a file this project exported reads back as it was."""
    if text.startswith("'") and _runs_as_formula(text[1:]):
        return text[1:]
    return text
