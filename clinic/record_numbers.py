"""Record numbers made from a clinic's pattern (Clinic.record_number_pattern).

Pure Python, no Django. A pattern is text with placeholders: {number} the running number,
{number:04} padded with zeros to four digits, {year} the current year; {{ and }} write a
brace itself. "R{number:04}" gives R0001, R0002, ...; "{year}-{number}" gives 2026-1, and
starts again at 1 each year (the year is part of what is counted).
"""

import re
import string
from collections.abc import Iterable

from clinic.i18n import gettext as _

DEFAULT_PATTERN = "R{number:04}"
MAX_CHARS = 40  # Patient.record_number
# A zero-padded width such as 04, or nothing.
_NUMBER_FORMAT = re.compile(r"(?:0[1-9][0-9]?)?")


def pattern_problem(pattern: str) -> str | None:
    """Why the pattern cannot make record numbers, in words for the clinic admin; None if
    it can."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        return _("A { or } has no partner. Write {{ or }} for a brace itself.")
    numbers = 0
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in ("number", "year") or conversion:
            return _(
                "Unknown placeholder {%(name)s}: the placeholders are {number} and {year}."
            ) % {"name": name + (f"!{conversion}" if conversion else "")}
        if name == "year" and spec:
            return _("{year} takes no format: write it as {year}.")
        if name == "number":
            numbers += 1
            if not _NUMBER_FORMAT.fullmatch(spec or ""):
                return _(
                    "The format of {number} must be a zero-padded width such as "
                    "{number:04} (four digits), not {number:%(spec)s}."
                ) % {"spec": spec}
    if numbers != 1:
        return _("The pattern must contain {number} exactly once, such as R{number:04}.")
    if len(record_number(pattern, number=1, year=2000)) > MAX_CHARS:
        return _("The record numbers would be longer than %(max)d characters.") % {"max": MAX_CHARS}
    return None


def record_number(pattern: str, *, number: int, year: int) -> str:
    """The pattern filled in (a valid pattern: see pattern_problem)."""
    return pattern.format(number=number, year=year)


def _matcher(pattern: str, year: int) -> re.Pattern[str]:
    """Which record numbers the pattern made this year, with their running number."""
    regex = ""
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        regex += re.escape(literal)
        if name == "number":
            regex += "([0-9]+)"
        elif name == "year":
            regex += str(year)
    return re.compile(regex, re.IGNORECASE)


def next_record_number(pattern: str, *, taken: Iterable[str], year: int) -> str:
    """The number after the highest the pattern has made this year (typed numbers that fit
    the pattern count too), skipping any already taken; the first is 1."""
    if pattern_problem(pattern) is not None:
        pattern = DEFAULT_PATTERN
    matcher = _matcher(pattern, year)
    folded = {number.casefold() for number in taken}
    highest = 0
    for number in folded:
        found = matcher.fullmatch(number)
        # A typed number whose successor would not fit is not followed (one odd number
        # typed at the desk must not end automatic numbering).
        if (
            found
            and len(record_number(pattern, number=int(found.group(1)) + 1, year=year)) <= MAX_CHARS
        ):
            highest = max(highest, int(found.group(1)))
    candidate = highest + 1
    while record_number(pattern, number=candidate, year=year).casefold() in folded:
        candidate += 1
    return record_number(pattern, number=candidate, year=year)
