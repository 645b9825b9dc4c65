"""Bladder diary: parsing, diary days and metrics (contract: diary-v1).

Pure Python, no Django. Definitions follow the International Continence Society:
nocturia, nocturnal urine volume and the first morning void from ICS 2019 (Hashim et al.),
the nocturnal polyuria index and its cut-offs from ICS 2002 (van Kerrebroeck et al.),
24-hour polyuria as more than 40 mL/kg (ICS). See clinical-reference.md, section 5.

Means and thresholds are computed with exact fractions, so a threshold is never crossed
by floating-point noise and halves round up as the contract asks.
"""

import csv
import io
import math
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from clinic.csv_rows import StrictRows, UnreadableLine
from clinic.i18n import gettext as _

EVENT_TYPES: tuple[str, ...] = ("rise", "bed", "void", "drink", "leak")
CSV_COLUMNS = ("time", "event", "volume_ml", "urgency", "note")

MAX_ROWS = 20_000
MAX_FILE_BYTES = 5_000_000  # 20,000 rows of a real diary fit well within this
MAX_FIELD_CHARS = 1_000
MAX_VOLUME_ML = 2_000
MAX_URGENCY = 4
# PPIUS 3 (urgency) and 4 (urge incontinence) count as urgency episodes.
URGENCY_EPISODE_MIN = 3
# Nocturnal polyuria: NPi > 0.20 for younger, > 0.33 for older adults (ICS 2002);
# 65 years as the cut is a convention.
NPI_LIMIT_YOUNGER = Fraction("0.20")
NPI_LIMIT_OLDER = Fraction("0.33")
OLDER_ADULT_AGE = 65
# 24-hour polyuria: more than 40 mL per kg of body weight (ICS).
POLYURIA_ML_PER_KG = 40

_URGENCY_EVENTS = ("void", "leak")
_COLUMN_LIST = ", ".join(CSV_COLUMNS)
_TIME_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_OFFSET_RE = re.compile(r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)", re.IGNORECASE)
_WHOLE_RE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class DiaryEvent:
    line: int
    time: datetime  # naive, local
    event: str  # one of EVENT_TYPES
    volume_ml: int | None
    urgency: int | None
    note: str


@dataclass(frozen=True)
class RowError:
    line: int
    field: str  # a column name, or "" for the line as a whole
    message: str


class DiaryError(ValueError):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(error.message for error in errors))


# --- Parsing -----------------------------------------------------------------------------


# The years a diary's dates may fall in: every year but the calendar's first and last, as
# a diary's days and charts reach into the day before and after (year 1 or 9999 would
# overflow Python's dates there).
FIRST_YEAR = 2
LAST_YEAR = 9998


def _shown(value: str) -> str:
    """A value quoted back to the user, cut short so a message stays readable."""
    return value if len(value) <= 40 else value[:40] + "…"


def _parse_time(line: int, text: str, errors: list[RowError]) -> datetime | None:
    if not text:
        message = _("Line %(line)d: time is empty; expected a date and time like %(example)s.")
        errors.append(
            RowError(line, "time", message % {"line": line, "example": "2026-03-02T07:05"})
        )
        return None
    match = _TIME_RE.match(text)
    if match and match.end() < len(text) and _OFFSET_RE.fullmatch(text, match.end()):
        message = _(
            "Line %(line)d: time must be local time without a time-zone offset, not '%(value)s'."
        )
        errors.append(RowError(line, "time", message % {"line": line, "value": _shown(text)}))
        return None
    if match and match.end() == len(text):
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            message = _(
                "Line %(line)d: the year of '%(value)s' is at the edge of the calendar "
                "(a diary's years run from %(first)d to %(last)d); check the year."
            )
            values = {"line": line, "value": _shown(text), "first": FIRST_YEAR, "last": LAST_YEAR}
            errors.append(RowError(line, "time", message % values))
            return None
        try:
            return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 (local)
        except ValueError:
            pass
    message = _(
        "Line %(line)d: time must be a date and time like %(example)s (seconds optional), "
        "not '%(value)s'."
    )
    values = {"line": line, "example": "2026-03-02T07:05", "value": _shown(text)}
    errors.append(RowError(line, "time", message % values))
    return None


def _parse_whole(
    line: int, column: str, text: str, maximum: int, errors: list[RowError]
) -> int | None:
    if not text:
        return None
    if _WHOLE_RE.fullmatch(text) and int(text) <= maximum:
        return int(text)
    message = _(
        "Line %(line)d: %(column)s must be a whole number from 0 to %(max)d, not '%(value)s'."
    )
    values = {"line": line, "column": column, "max": maximum, "value": _shown(text)}
    errors.append(RowError(line, column, message % values))
    return None


def _parse_row(line: int, fields: Mapping[str, str], errors: list[RowError]) -> DiaryEvent | None:
    """One event from its text fields (already stripped), or None with errors added."""
    found = len(errors)
    for column in CSV_COLUMNS:
        if len(fields.get(column, "")) > MAX_FIELD_CHARS:
            message = _("Line %(line)d: %(column)s is longer than %(limit)d characters.")
            values = {"line": line, "column": column, "limit": MAX_FIELD_CHARS}
            errors.append(RowError(line, column, message % values))
        elif "\x00" in fields.get(column, ""):
            # A NUL character is never meant, and databases cannot store it in text.
            message = _("Line %(line)d: %(column)s contains a NUL character.")
            errors.append(RowError(line, column, message % {"line": line, "column": column}))
    if len(errors) > found:
        return None

    time = _parse_time(line, fields.get("time", ""), errors)
    event = fields.get("event", "").lower()
    if event not in EVENT_TYPES:
        message = _("Line %(line)d: event must be one of %(choices)s, not '%(value)s'.")
        values = {"line": line, "choices": ", ".join(EVENT_TYPES), "value": _shown(event)}
        errors.append(RowError(line, "event", message % values))
    volume = _parse_whole(line, "volume_ml", fields.get("volume_ml", ""), MAX_VOLUME_ML, errors)
    urgency = _parse_whole(line, "urgency", fields.get("urgency", ""), MAX_URGENCY, errors)
    if len(errors) > found or time is None:
        return None
    return DiaryEvent(line, time, event, volume, urgency, fields.get("note", ""))


def _too_many_rows(line: int) -> RowError:
    message = _("Line %(line)d: a diary may have at most %(limit)d rows; split the file.")
    return RowError(line, "", message % {"line": line, "limit": MAX_ROWS})


def _check_header(line: int, header: list[str]) -> list[RowError]:
    errors = []
    named = [name for name in header if name]
    for name in sorted(set(named), key=named.index):
        if name not in CSV_COLUMNS:
            message = _(
                "Line %(line)d: unknown column '%(column)s'; the header must name the columns "
                "%(columns)s."
            )
            values = {"line": line, "column": _shown(name), "columns": _COLUMN_LIST}
            errors.append(RowError(line, name, message % values))
        elif named.count(name) > 1:
            message = _("Line %(line)d: column '%(column)s' appears more than once.")
            errors.append(RowError(line, name, message % {"line": line, "column": name}))
    for column in CSV_COLUMNS:
        if column not in named:
            message = _(
                "Line %(line)d: column '%(column)s' is missing; the header must name the "
                "columns %(columns)s."
            )
            values = {"line": line, "column": column, "columns": _COLUMN_LIST}
            errors.append(RowError(line, column, message % values))
    return errors


def _unreadable(broken: UnreadableLine) -> RowError:
    if broken.cell_too_long:
        message = _("Line %(line)d: a field is longer than %(limit)d characters.")
        values: dict[str, object] = {"line": broken.line, "limit": MAX_FIELD_CHARS}
    else:
        message = _(
            "Line %(line)d: the file cannot be read as CSV from here on (%(problem)s); "
            "check the quotes."
        )
        values = {"line": broken.line, "problem": broken.problem}
    return RowError(broken.line, "", message % values)


def decode_diary_file(data: bytes) -> str:
    """A diary file's bytes as text; read at most MAX_FILE_BYTES + 1 so nothing is cut off
    unnoticed. Raises DiaryError saying why the file cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        message = _("The file is larger than %(mb)d MB; split the diary.")
        raise DiaryError([RowError(1, "", message % {"mb": MAX_FILE_BYTES // 1_000_000})])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("The file is not UTF-8 text; save it as “CSV UTF-8” and try again.")
        raise DiaryError([RowError(1, "", message)]) from None


def parse_diary_csv(text: str) -> list[DiaryEvent]:
    """Events of a diary CSV in file order; DiaryError lists every bad line.

    A header with no rows is a diary with no events. Blank lines are skipped; trailing
    empty cells (spreadsheets add them) are allowed.
    """
    errors: list[RowError] = []
    events: list[DiaryEvent] = []
    header: list[str] | None = None
    rows = 0
    try:
        for line, cells in StrictRows(text.removeprefix("\ufeff")):
            if header is None:
                header = [cell.lower() for cell in cells]
                header_errors = _check_header(line, header)
                if header_errors:
                    raise DiaryError(header_errors)
                continue
            rows += 1
            if rows > MAX_ROWS:
                errors.append(_too_many_rows(line))
                break
            fields: dict[str, str] = {}
            for position, cell in enumerate(cells):
                name = header[position] if position < len(header) else ""
                if name:
                    fields[name] = cell
                elif cell:
                    message = _(
                        "Line %(line)d: unexpected value '%(value)s' outside the columns "
                        "%(columns)s."
                    )
                    values = {"line": line, "value": _shown(cell), "columns": _COLUMN_LIST}
                    errors.append(RowError(line, "", message % values))
            event = _parse_row(line, fields, errors)
            if event is not None:
                events.append(event)
    except UnreadableLine as broken:
        errors.append(_unreadable(broken))
    if header is None and not errors:
        message = _(
            "Line 1: the file is empty; expected a header row with the columns %(columns)s."
        )
        errors.append(RowError(1, "", message % {"columns": _COLUMN_LIST}))
    if errors:
        raise DiaryError(errors)
    return events


def _as_text(line: int, column: str, value: object, errors: list[RowError]) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return str(value)  # a float such as 12.5 is then refused as "not a whole number"
        except ValueError:  # an int too long to print
            pass
    message = _("Line %(line)d: %(column)s must be text or a whole number.")
    errors.append(RowError(line, column, message % {"line": line, "column": column}))
    return ""


def parse_diary_rows(rows: Sequence[Mapping[str, object]]) -> list[DiaryEvent]:
    """Events from inline rows (an intake JSON); row i is reported as line i + 2, as in a CSV.

    Missing volume_ml, urgency and note keys mean empty; unknown keys are errors.
    """
    errors: list[RowError] = []
    events: list[DiaryEvent] = []
    for index, row in enumerate(rows):
        line = index + 2
        if index >= MAX_ROWS:
            errors.append(_too_many_rows(line))
            break
        if not isinstance(row, Mapping):
            message = _("Line %(line)d: expected a row with the keys %(columns)s.")
            errors.append(RowError(line, "", message % {"line": line, "columns": _COLUMN_LIST}))
            continue
        found = len(errors)
        for key in row:
            if key not in CSV_COLUMNS:
                message = _(
                    "Line %(line)d: unknown key '%(key)s'; a row has only the keys %(columns)s."
                )
                values = {"line": line, "key": _shown(str(key)), "columns": _COLUMN_LIST}
                errors.append(RowError(line, "", message % values))
        fields = {column: _as_text(line, column, row.get(column), errors) for column in CSV_COLUMNS}
        if len(errors) > found:
            continue
        event = _parse_row(line, fields, errors)
        if event is not None:
            events.append(event)
    if errors:
        raise DiaryError(errors)
    return events


def events_to_csv(events: Sequence[DiaryEvent]) -> str:
    """A diary CSV of the events, in the order given; parse_diary_csv reads it back."""
    out = io.StringIO()
    writer = csv.writer(out)  # CRLF (RFC 4180): a note with a lone CR is then quoted too
    writer.writerow(CSV_COLUMNS)
    for e in events:
        time = e.time.isoformat(timespec="seconds" if e.time.second else "minutes")
        volume = "" if e.volume_ml is None else e.volume_ml
        urgency = "" if e.urgency is None else e.urgency
        writer.writerow((time, e.event, volume, urgency, e.note))
    return out.getvalue()


# --- Days and metrics ---------------------------------------------------------------------


@dataclass(frozen=True)
class DiaryDay:
    number: int  # 1-based, one day per rise
    rise: datetime
    bed: datetime | None  # the last bed before next_rise
    next_rise: datetime | None
    end: datetime  # next_rise (excluded), or the diary's last event (included)
    daytime_voids: int | None  # None without a bed
    night_voids: int | None  # None without a bed or a next rise
    leaks: int
    urgency_episodes: int
    drinks_ml: int  # drinks without a volume are left out
    complete: bool
    voided_volume_24h_ml: int | None  # complete days only
    nocturnal_urine_volume_ml: int | None  # complete days only
    npi: float | None  # unrounded; complete days with a 24-hour volume above 0
    events: tuple[DiaryEvent, ...]  # the events of this day, in time order (for charts)


def _volumes(voids: Sequence[DiaryEvent]) -> list[int] | None:
    """The volumes of the voids, or None if any was not measured."""
    volumes = [void.volume_ml for void in voids]
    return None if None in volumes else [v for v in volumes if v is not None]


def _first_morning_void(voids: list[DiaryEvent], bed: datetime | None) -> DiaryEvent | None:
    """The first void at or after rise, and not after bed (diary-v1)."""
    return next((v for v in voids if bed is None or v.time <= bed), None)


def diary_days(events: Sequence[DiaryEvent]) -> list[DiaryDay]:
    """One DiaryDay per rise, in time order; events before the first rise belong to none."""
    ordered = sorted(events, key=lambda e: e.time)  # stable: ties keep their given order
    times = [e.time for e in ordered]
    rises = [e.time for e in ordered if e.event == "rise"]
    # An event at the very minute of a rise belongs to the new day, hence bisect_left.
    starts = [bisect_left(times, rise) for rise in rises] + [len(ordered)]
    spans = [tuple(ordered[starts[k] : starts[k + 1]]) for k in range(len(rises))]
    voids = [[e for e in span if e.event == "void"] for span in spans]
    beds = [max((e.time for e in span if e.event == "bed"), default=None) for span in spans]
    # The FMV is the first void at or after rise; one after bed is a night void, never an
    # FMV (else a day without daytime voids would count it in the NUV but not the 24 h).
    fmvs = [_first_morning_void(voids[k], beds[k]) for k in range(len(rises))]

    days = []
    for k, rise in enumerate(rises):
        span = spans[k]
        next_rise = rises[k + 1] if k + 1 < len(rises) else None
        # Of several beds the last starts the night; a void at the minute of bed is daytime.
        bed = beds[k]
        daytime = [v for v in voids[k] if bed is not None and v.time <= bed]
        night = [v for v in voids[k] if bed is not None and v.time > bed]
        next_fmv = fmvs[k + 1] if next_rise is not None else None

        # The FMV of day k belongs to the night before (ICS 2019, Hashim et al.): the
        # 24-hour volume runs from after it up to and including the FMV of day k + 1.
        v24 = nuv = None
        npi: Fraction | None = None
        complete = False
        if bed is not None and next_fmv is not None:
            v24_volumes = _volumes([*[v for v in voids[k] if v is not fmvs[k]], next_fmv])
            nuv_volumes = _volumes([*night, next_fmv])
            if v24_volumes is not None and nuv_volumes is not None:
                complete = True
                v24, nuv = sum(v24_volumes), sum(nuv_volumes)
                npi = Fraction(nuv, v24) if v24 else None

        days.append(
            DiaryDay(
                number=k + 1,
                rise=rise,
                bed=bed,
                next_rise=next_rise,
                end=next_rise if next_rise is not None else times[-1],
                daytime_voids=len(daytime) if bed is not None else None,
                night_voids=len(night) if bed is not None and next_rise is not None else None,
                leaks=sum(1 for e in span if e.event == "leak"),
                urgency_episodes=sum(1 for e in span if _is_urgency_episode(e)),
                drinks_ml=sum(e.volume_ml or 0 for e in span if e.event == "drink"),
                complete=complete,
                voided_volume_24h_ml=v24,
                nocturnal_urine_volume_ml=nuv,
                npi=float(npi) if npi is not None else None,
                events=span,
            )
        )
    return days


def days_kept(events: Sequence[DiaryEvent]) -> list[date]:
    """The dates a patient kept the diary on (for "entries on 2 of the 3 days"). A day runs
    from rise to rise (diary-v1), so an entry after bed and before the next rise belongs to
    the evening before it, and a morning with nothing but getting up and the first void
    only closes the day before."""
    by_date: dict[date, list[DiaryEvent]] = {}
    night_of: date | None = None
    for event in sorted(events, key=lambda e: e.time):
        if event.event == "rise":
            night_of = None
        by_date.setdefault(night_of or event.time.date(), []).append(event)
        if event.event == "bed":
            night_of = event.time.date()
    return sorted(day for day, kept in by_date.items() if not _only_getting_up(kept))


def _only_getting_up(events: Sequence[DiaryEvent]) -> bool:
    others = [e.event for e in events if e.event != "rise"]
    return len(others) < len(events) and others in ([], ["void"])


def _is_urgency_episode(event: DiaryEvent) -> bool:
    return (
        event.event in _URGENCY_EVENTS
        and event.urgency is not None
        and event.urgency >= URGENCY_EPISODE_MIN
    )


def _round_half_up(value: Fraction, places: int) -> Fraction:
    """Round halves away from zero (Python's round() rounds them to even)."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


def _mean(values: Sequence[int | Fraction]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def _whole(value: Fraction | None) -> int | None:
    return None if value is None else int(_round_half_up(value, 0))


def _decimal(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(_round_half_up(value, places))


def _exact(number: float, name: str) -> Fraction:
    """A setting as the exact decimal it was written as (82.1 stays 82.1, not a near float)."""
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a number of at least 0, not {number!r}")
    return Fraction(str(number))


def diary_metrics(
    events: Sequence[DiaryEvent],
    *,
    age: int | None = None,
    weight_kg: float | None = None,
    daytime_frequency_threshold: float = 8,
) -> dict[str, object]:
    """The Output of diary-v1: its keys in its order, rounded as it says, JSON-ready."""
    if age is not None and age < 0:
        raise ValueError(f"age must not be negative, not {age!r}")
    if weight_kg is not None and not weight_kg > 0:
        raise ValueError(f"weight_kg must be above 0, not {weight_kg!r}")
    threshold = _exact(daytime_frequency_threshold, "daytime_frequency_threshold")
    weight = _exact(weight_kg, "weight_kg") if weight_kg is not None else None

    days = diary_days(events)
    recorded = [d for d in days if d.bed is not None]
    complete = [d for d in days if d.complete]
    recorded_events = [e for d in recorded for e in d.events]

    daytime_frequency = _mean([d.daytime_voids or 0 for d in recorded])
    nocturia = _mean([d.night_voids for d in recorded if d.night_voids is not None])
    v24 = _mean([d.voided_volume_24h_ml or 0 for d in complete])
    nuv = _mean([d.nocturnal_urine_volume_ml or 0 for d in complete])
    # Mean of the daily indices, not total over total (contract). Exact, from the volumes.
    npi = _mean(
        [
            Fraction(d.nocturnal_urine_volume_ml or 0, d.voided_volume_24h_ml)
            for d in complete
            if d.voided_volume_24h_ml
        ]
    )

    nocturnal_polyuria = None
    if age is not None and npi is not None:
        nocturnal_polyuria = npi > (
            NPI_LIMIT_OLDER if age >= OLDER_ADULT_AGE else NPI_LIMIT_YOUNGER
        )
    polyuria_24h = None
    if weight is not None and v24 is not None:
        polyuria_24h = v24 > POLYURIA_ML_PER_KG * weight

    # Every measured void in the file counts here, before the first rise included.
    measured = [e.volume_ml for e in events if e.event == "void" and e.volume_ml is not None]
    drinks = [
        e.volume_ml for e in recorded_events if e.event == "drink" and e.volume_ml is not None
    ]

    def per_day(count: int) -> Fraction | None:
        return Fraction(count, len(recorded)) if recorded else None

    leaks = sum(d.leaks for d in recorded)
    urgency = sum(d.urgency_episodes for d in recorded)
    return {
        "days_recorded": len(recorded),
        "complete_days": len(complete),
        "daytime_frequency": _decimal(daytime_frequency, 1),
        "nocturia": _decimal(nocturia, 1),
        "voided_volume_24h_ml": _whole(v24),
        "nocturnal_urine_volume_ml": _whole(nuv),
        "npi": _decimal(npi, 3),
        "nocturnal_polyuria": nocturnal_polyuria,
        "max_voided_volume_ml": max(measured) if measured else None,
        "mean_voided_volume_ml": _whole(_mean(measured)),
        "polyuria_24h": polyuria_24h,
        "incontinence_episodes_per_day": _decimal(per_day(leaks), 1),
        "urgency_episodes_per_day": _decimal(per_day(urgency), 1),
        "fluid_intake_ml_per_day": _whole(per_day(sum(drinks))) if drinks else None,
        "increased_daytime_frequency": (
            daytime_frequency > threshold if daytime_frequency is not None else None
        ),
    }


def mean_daytime_interval_min(events: Sequence[DiaryEvent]) -> int | None:
    """Mean minutes between consecutive daytime voids (rise k to bed k) of recorded days.

    All gaps of all recorded days are pooled. The starting interval of bladder training.
    """
    gaps: list[Fraction] = []
    for day in diary_days(events):
        if day.bed is None:
            continue
        times = [e.time for e in day.events if e.event == "void" and e.time <= day.bed]
        gaps += [
            Fraction((later - earlier) // timedelta(microseconds=1), 60_000_000)
            for earlier, later in zip(times, times[1:], strict=False)
        ]
    return _whole(_mean(gaps))
