"""A bladder diary kept in My Flow Check, read from its CSV or FHIR export (issue 11, item 5).

Pure Python, no Django. My Flow Check (myflowcheck.com) keeps a 3-day diary on the
patient's phone and exports it; the formats below were read from the app's public source
(teamipc/bladderdiary-patient: src/lib/exportCsv.ts, src/lib/exportFhir/).

Both exports give every time as an instant in UTC (ISO 8601, ``2026-03-02T07:05:00.000Z``);
a diary-v1 diary is the patient's local wall clock, so each time is converted to the
patient's time zone, daylight saving time included. Both exports name it (the app's
``timeZone``, the phone's IANA zone, which the patient may change): the CSV in the
METADATA row ``timezone``, the FHIR export in the QuestionnaireResponse item
``qr-diary-timezone`` (``valueString``). That zone is used when it is a zone of the IANA
database; otherwise (no zone named, as in older CSV exports, or a name that is not a zone)
the clinic's, and the result says which and why (``MyFlowCheckDiary``).

CSV export: sections opened by ``## NAME`` lines. ``## METADATA`` (``key,value`` rows;
``volume_unit`` is ``mL`` or ``oz``; ``timezone`` as above), ``## EVENTS`` (a header row,
then one row per event, grouped by type) and, in some versions, ``## CALCULATED_METRICS``
(the app's own sums, not read: FloorPlan works the metrics out itself).

Volumes: the current export (the one that writes the ``timezone`` row) writes them in
``volume_unit``, whole ounces when it is ``oz`` (``mlToDisplayVolume``). An older export,
with no ``timezone`` row, wrote the stored millilitres (``v.volumeMl``) whatever
``volume_unit`` said (seen in exportCsv.ts at commit 106aca22). So the volumes of a CSV
without a ``timezone`` row are read as mL, and the result says so when it claimed oz.

Event types and what they become:

- ``wake`` -> ``rise``; ``bedtime`` -> ``bed``;
- ``void`` -> ``void``: ``volumeMl``; ``sensation`` is a bladder-sensation scale, not an
  urgency scale (constants.ts ``SENSATION_LABELS``: 0 no sensation, 1 first awareness,
  2 normal desire, 3 strong desire, 4 urgency / leak). diary-v1's urgency is the PPIUS
  0-4, where 3 (urgency) or more is an urgency episode, so the sensation is mapped
  conservatively, only the app's urgency level counting as urgency:
  0 -> 0, 1 -> 1, 2 -> 1 (a normal desire is at most mild), 3 -> 2 (a strong desire is
  not yet urgency), 4 -> 3. The app's own words go in the note ("My Flow Check
  sensation: strong desire"). A double void (a second void straight after, its volume in
  ``doubleVoidMl``) stays the one void it is, with both parts added as the app's own
  volume sums and its FHIR export do, and both written in the note. ``leak`` = true (some
  leakage with this void) adds a ``leak`` at the same time (an incontinence episode);
- ``drink`` -> ``drink``: ``volumeMl``, the drink type in the note;
- ``leak`` (a leak on its own) -> ``leak``: ``urgencyBeforeLeak`` true is urge
  incontinence, urgency 4 (the diary-v1 scale's "leaked before reaching the toilet"),
  false is urgency 0; trigger and amount go in the note.

FHIR export: a ``Bundle`` (type collection) of a ``Patient`` (no names: skipped), a
``QuestionnaireResponse`` whose items ``qr-wake-day-N`` and ``qr-bedtime-day-N`` hold the
wake and bed times (``valueDateTime``; an empty answer is a time not recorded) and whose
``qr-diary-*`` and ``qr-metric-*`` items are the diary's details and the app's sums (not
read, but for ``qr-diary-timezone``), and one ``Observation`` per event: LOINC 9187-6
(urine output) a void, its ``valueQuantity`` always in mL (a double void already added
up), LOINC 8999-5 (oral fluid intake) a drink, SNOMED CT 162172004 (with LOINC 28232-7) a
leak. The FHIR export has no sensation and does not mark a leak with a void: the CSV
export says more.

Anything else (an unknown event type, section or resource, a time that is not an instant,
a volume out of range) is an error naming its line (CSV) or entry (FHIR); nothing is
imported from a file with one. What is read then goes through the diary-v1 parser, so
every check of an uploaded diary applies too.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, available_timezones

from assessments.diary import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_FIELD_CHARS,
    MAX_ROWS,
    MAX_URGENCY,
    MAX_VOLUME_ML,
    DiaryError,
    DiaryEvent,
    RowError,
    decode_diary_file,
    events_to_csv,
    parse_diary_csv,
)
from clinic.csv_rows import StrictRows, UnreadableLine
from clinic.i18n import gettext as _

# The app's own conversion (src/lib/utils.ts): volumes shown in fl oz are whole ounces.
ML_PER_OZ = Decimal("29.5735")
TIME_EXAMPLE = "2026-03-02T07:05:00.000Z"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
# (system, code) of an Observation -> the diary-v1 event it is.
OBSERVATION_EVENTS: dict[tuple[str, str], str] = {
    (LOINC, "9187-6"): "void",  # Urine output
    (LOINC, "8999-5"): "drink",  # Fluid intake oral Estimated
    (SNOMED, "162172004"): "leak",  # Urinary incontinence
    (LOINC, "28232-7"): "leak",  # Total urinary incontinence
}
CSV_EVENTS = {"wake": "rise", "bedtime": "bed", "void": "void", "drink": "drink", "leak": "leak"}
CSV_SECTIONS = ("METADATA", "EVENTS", "CALCULATED_METRICS")
_QR_TIME_ITEM = re.compile(r"qr-(wake|bedtime)-day-[0-9]+")
_QR_SUMMARY_PREFIXES = ("qr-diary-", "qr-metric-")

_INSTANT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.[0-9]{1,9})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9})?")
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+){0,3}")

# The app's bladder sensation (0-4) -> diary-v1 urgency (PPIUS 0-4): only the app's
# "urgency / leak" reaches PPIUS 3, an urgency episode (see the module's docstring).
SENSATION_URGENCY = {0: 0, 1: 1, 2: 1, 3: 2, 4: 3}
MAX_SENSATION = 4


@dataclass(frozen=True)
class MyFlowCheckDiary:
    """What an export gave: its events, and the time zone they were put in and why."""

    events: list[DiaryEvent]
    time_zone: str  # the IANA zone of the events' wall-clock times
    zone_stated: str  # the zone the export names, "" when it names none
    zone_from_export: bool  # False: the clinic's zone (none named, or not a zone)
    oz_read_as_ml: bool  # an older CSV export that says oz but wrote mL


def zone_sentence(diary: MyFlowCheckDiary) -> str:
    """Which clock the times are on, and why, for the person importing."""
    values = {"zone": diary.time_zone, "stated": _shown(diary.zone_stated)}
    if diary.zone_from_export:
        return _("times in %(zone)s, as the export states") % values
    if not diary.zone_stated:
        return _("times in the clinic's zone (%(zone)s): the export names none") % values
    problem = _(
        "times in the clinic's zone (%(zone)s): the export names '%(stated)s', "
        "which is not a time zone"
    )
    return problem % values


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _drink_label(kind: str) -> str:
    labels = {
        "water": _("water"),
        "coffee": _("coffee"),
        "tea": _("tea"),
        "juice": _("juice"),
        "carbonated": _("fizzy drink"),
        "alcohol": _("alcohol"),
        "milk": _("milk"),
        "other": _("other drink"),
    }
    return labels.get(kind, kind)


def _trigger_label(kind: str) -> str:
    labels = {
        "cough": _("cough"),
        "sneeze": _("sneeze"),
        "laugh": _("laugh"),
        "lifting": _("lifting"),
        "exercise": _("exercise"),
        "toilet_way": _("on the way to the toilet"),
        "other": _("other cause"),
        "not_sure": _("cause not known"),
    }
    return labels.get(kind, kind)


def _amount_label(kind: str) -> str:
    labels = {
        "drops": _("a few drops"),
        "small": _("a small amount"),
        "medium": _("a medium amount"),
        "large": _("a large amount"),
    }
    return labels.get(kind, kind)


def _sensation_label(level: int) -> str:
    labels = {
        0: _("no sensation"),
        1: _("first awareness"),
        2: _("normal desire"),
        3: _("strong desire"),
        4: _("urgency / leak"),
    }
    return _("My Flow Check sensation: %(words)s") % {"words": labels[level]}


def _joined(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _known_zone(name: str) -> ZoneInfo | None:
    """The zone of an IANA name from the time zone database, else None."""
    if len(name) > 64 or not _ZONE_NAME.fullmatch(name) or name not in available_timezones():
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return None


def _instant(text: str) -> datetime | None:
    """The instant (in UTC) of an ISO 8601 time with Z or an offset.

    Its year is kept a year inside diary-v1's so that its wall clock in any zone (less
    than a day away) is a diary year too.
    """
    match = _INSTANT.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
    second = int(match.group(6) or 0)
    offset_text = match.group(7).upper()
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if offset_text == "Z":
        offset = timedelta(0)
    else:
        digits = offset_text[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes)
        if offset_text[0] == "-":
            offset = -offset
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
        instant = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return instant if FIRST_YEAR < instant.year < LAST_YEAR else None


def _whole_ml(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class _Reader:
    """Collects the events of one file and every problem, each named where it is.

    The events' times are instants in UTC until the file is read: the zone they are put
    in is known only then (the export may name it anywhere).
    """

    def __init__(self, where: Callable[[int], str]) -> None:
        self.where = where  # "Line 4" or "Entry 7 (id …)"
        self.events: list[DiaryEvent] = []
        self.errors: list[RowError] = []
        self.zone_stated = ""
        self.oz_read_as_ml = False

    def error(self, number: int, field: str, problem: str) -> None:
        message = _("%(where)s: %(problem)s") % {"where": self.where(number), "problem": problem}
        self.errors.append(RowError(number, field, message))

    def time(self, number: int, field: str, value: object) -> datetime | None:
        if isinstance(value, str) and len(value) <= 64:
            instant = _instant(value.strip())
            if instant is not None:
                return instant
        problem = _(
            "%(field)s must be a date and time with its time zone, like %(example)s, "
            "not '%(value)s'."
        )
        values = {"field": field, "example": TIME_EXAMPLE, "value": _shown(value)}
        self.error(number, field, problem % values)
        return None

    def volume(self, number: int, field: str, amount: Decimal, unit: str) -> int | None:
        ml = amount * ML_PER_OZ if unit == "oz" else amount
        if ml <= MAX_VOLUME_ML:
            return _whole_ml(ml)
        problem = _("%(field)s is %(value)s %(unit)s; a diary volume is at most %(max)d mL.")
        values = {"field": field, "value": _shown(amount), "unit": unit, "max": MAX_VOLUME_ML}
        self.error(number, field, problem % values)
        return None

    def note(self, number: int, text: str) -> str:
        if "\x00" in text:
            self.error(number, "note", _("the note contains a NUL character."))
            return ""
        if len(text) > MAX_FIELD_CHARS:
            problem = _("the note is longer than %(limit)d characters.")
            self.error(number, "note", problem % {"limit": MAX_FIELD_CHARS})
            return ""
        return text

    def add(self, number: int, event: DiaryEvent) -> None:
        if len(self.events) >= MAX_ROWS:
            problem = _("a diary may have at most %(limit)d entries.")
            self.error(number, "", problem % {"limit": MAX_ROWS})
            raise DiaryError(self.errors)
        self.events.append(event)


# --- CSV ---------------------------------------------------------------------------------


def _line(number: int) -> str:
    return _("Line %(line)d") % {"line": number}


def _csv_number(reader: _Reader, line: int, field: str, text: str) -> Decimal | None:
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        return Decimal(text)
    problem = _("%(field)s must be a number, not '%(value)s'.")
    reader.error(line, field, problem % {"field": field, "value": _shown(text)})
    return None


def _csv_yes_no(reader: _Reader, line: int, field: str, text: str) -> bool | None:
    answer = {"": None, "true": True, "false": False}
    if text.lower() in answer:
        return answer[text.lower()]
    problem = _("%(field)s must be true, false or empty, not '%(value)s'.")
    reader.error(line, field, problem % {"field": field, "value": _shown(text)})
    return None


def _csv_row(reader: _Reader, line: int, cells: Mapping[str, str], unit: str) -> None:
    found = len(reader.errors)
    kind = cells.get("type", "").lower()
    event = CSV_EVENTS.get(kind)
    if event is None:
        problem = _(
            "unknown event type '%(value)s'; a My Flow Check diary has the types "
            "wake, void, drink, leak and bedtime."
        )
        reader.error(line, "type", problem % {"value": _shown(cells.get("type", ""))})
        return
    time = reader.time(line, "timestamp", cells.get("timestamp", ""))
    note = cells.get("note", "")
    volume: int | None = None
    urgency: int | None = None
    leaked = False
    if event in ("void", "drink"):
        amount = _csv_number(reader, line, "volumeMl", cells.get("volumeml", ""))
        second = _csv_number(reader, line, "doubleVoidMl", cells.get("doublevoidml", ""))
        if event == "void" and second:  # "0" or empty: no double void
            total = (amount or Decimal(0)) + second
            volume = reader.volume(line, "doubleVoidMl", total, unit)
            double = _("double void: %(first)s + %(second)s %(unit)s") % {
                "first": amount or 0,
                "second": second,
                "unit": unit,
            }
            note = _joined(double, note)
        elif amount is not None:
            volume = reader.volume(line, "volumeMl", amount, unit)
    if event == "void":
        sensation = cells.get("sensation", "")
        if sensation.isdigit() and len(sensation) == 1 and int(sensation) <= MAX_SENSATION:
            urgency = SENSATION_URGENCY[int(sensation)]
            note = _joined(_sensation_label(int(sensation)), note)
        elif sensation:
            problem = _("sensation must be a whole number from 0 to %(max)d, not '%(value)s'.")
            values = {"max": MAX_SENSATION, "value": _shown(sensation)}
            reader.error(line, "sensation", problem % values)
        leaked = bool(_csv_yes_no(reader, line, "leak", cells.get("leak", "")))
    elif event == "drink":
        note = _joined(_drink_label(cells.get("drinktype", "")), note)
    elif event == "leak":
        before = _csv_yes_no(reader, line, "urgencyBeforeLeak", cells.get("urgencybeforeleak", ""))
        urgency = None if before is None else (MAX_URGENCY if before else 0)
        amount_text = cells.get("amount", "")
        how = _joined(_trigger_label(cells.get("trigger", "")), _amount_label(amount_text))
        note = _joined(how, note)
    note = reader.note(line, note)
    if len(reader.errors) > found or time is None:
        return
    reader.add(line, DiaryEvent(line, time, event, volume, urgency, note))
    if leaked:
        reader.add(line, DiaryEvent(line, time, "leak", None, None, _("leaked with this void")))


def _csv_header_errors(reader: _Reader, line: int, header: list[str]) -> bool:
    missing = [name for name in ("type", "timestamp") if name not in header]
    for name in missing:
        problem = _("the events table has no '%(column)s' column.")
        reader.error(line, name, problem % {"column": name})
    return bool(missing)


def _from_csv(text: str, reader: _Reader) -> None:
    section = ""  # before any "## NAME" line
    header: list[str] | None = None
    unit = "mL"
    saw_events = False
    saw_zone = False
    try:
        for line, cells in StrictRows(text):
            if any(len(cell) > MAX_FIELD_CHARS for cell in cells):
                problem = _("a field is longer than %(limit)d characters.")
                reader.error(line, "", problem % {"limit": MAX_FIELD_CHARS})
                continue
            if cells[0].startswith("#"):
                section = cells[0].lstrip("#").strip().upper()
                header = None
                if section not in CSV_SECTIONS:
                    problem = _("unknown section '%(value)s'; expected %(sections)s.")
                    values = {"value": _shown(cells[0]), "sections": ", ".join(CSV_SECTIONS)}
                    reader.error(line, "", problem % values)
                continue
            if header is None:
                header = [cell.lower() for cell in cells]
                if not section and "type" in header and "timestamp" in header:
                    section = "EVENTS"  # an events table with no section lines
                if section == "EVENTS":
                    saw_events = True
                    if _csv_header_errors(reader, line, header):
                        raise DiaryError(reader.errors)
                    if unit == "oz" and not saw_zone:  # an older export: mL, whatever it says
                        unit = "mL"
                        reader.oz_read_as_ml = True
                elif not section:
                    problem = _(
                        "this is not a My Flow Check export: its CSV starts with "
                        "“## METADATA” or an events table (type, timestamp, …), its FHIR "
                        "export is a JSON Bundle."
                    )
                    reader.error(line, "", problem)
                    raise DiaryError(reader.errors)
                continue
            if section == "METADATA" and cells[0].lower() == "volume_unit":
                unit_text = cells[1] if len(cells) > 1 else ""
                if unit_text.lower() in ("ml", "oz"):
                    unit = "oz" if unit_text.lower() == "oz" else "mL"
                else:
                    problem = _("volume_unit must be mL or oz, not '%(value)s'.")
                    reader.error(line, "volume_unit", problem % {"value": _shown(unit_text)})
            elif section == "METADATA" and cells[0].lower() == "timezone":
                saw_zone = True
                reader.zone_stated = cells[1].strip() if len(cells) > 1 else ""
            elif section == "EVENTS":
                fields = {name: cell for name, cell in zip(header, cells, strict=False) if name}
                _csv_row(reader, line, fields, unit)
    except UnreadableLine as broken:
        problem = _("the file cannot be read as CSV from here on (%(problem)s); check the quotes.")
        reader.error(broken.line, "", problem % {"problem": broken.problem})
    if not saw_events and not reader.errors:
        problem = _("the file has no “## EVENTS” table.")
        reader.error(1, "", problem)


# --- FHIR --------------------------------------------------------------------------------


def _fhir_volume(reader: _Reader, number: int, resource: Mapping[str, object]) -> int | None:
    quantity = resource.get("valueQuantity")
    if quantity is None:
        return None
    if isinstance(quantity, Mapping):
        value = quantity.get("value")
        unit = quantity.get("code", quantity.get("unit", "mL"))
        if isinstance(value, bool) or not isinstance(value, int | float):
            pass
        elif math.isfinite(value) and value >= 0 and unit in ("mL", "ml"):
            return reader.volume(number, "valueQuantity", Decimal(value), "mL")
    problem = _("valueQuantity must be a volume in mL, not %(value)s.")
    reader.error(number, "valueQuantity", problem % {"value": _shown(json.dumps(quantity))})
    return None


def _fhir_notes(reader: _Reader, number: int, resource: Mapping[str, object]) -> str:
    notes = resource.get("note", [])
    texts = []
    if isinstance(notes, list):
        texts = [n.get("text") for n in notes if isinstance(n, Mapping)]
    if not isinstance(notes, list) or not all(isinstance(t, str) for t in texts):
        reader.error(number, "note", _("note must be a list of texts."))
        return ""
    return reader.note(number, _joined(*(str(t).strip() for t in texts)))


def _fhir_observation(reader: _Reader, number: int, resource: Mapping[str, object]) -> None:
    code = resource.get("code")
    codings = code.get("coding") if isinstance(code, Mapping) else None
    pairs = [
        (str(c.get("system")), str(c.get("code")))
        for c in (codings if isinstance(codings, list) else [])
        if isinstance(c, Mapping)
    ]
    kinds = {OBSERVATION_EVENTS[p] for p in pairs if p in OBSERVATION_EVENTS}
    if len(kinds) != 1:
        problem = _(
            "an Observation FloorPlan cannot read as a diary event (codes %(codes)s); a "
            "diary has LOINC 9187-6 voids, LOINC 8999-5 drinks and SNOMED CT 162172004 leaks."
        )
        codes = ", ".join(f"{_shown(s)}|{_shown(c)}" for s, c in pairs) or "—"
        reader.error(number, "code", problem % {"codes": codes})
        return
    event = kinds.pop()
    found = len(reader.errors)
    time = reader.time(number, "effectiveDateTime", resource.get("effectiveDateTime"))
    volume = _fhir_volume(reader, number, resource) if event != "leak" else None
    note = _fhir_notes(reader, number, resource)
    if len(reader.errors) == found and time is not None:
        reader.add(number, DiaryEvent(number, time, event, volume, None, note))


def _fhir_string_answer(item: Mapping[str, object]) -> str:
    answers = item.get("answer")
    first = answers[0] if isinstance(answers, list) and answers else None
    value = first.get("valueString") if isinstance(first, Mapping) else None
    return value.strip() if isinstance(value, str) else ""


def _fhir_questionnaire(reader: _Reader, number: int, resource: Mapping[str, object]) -> None:
    items = resource.get("item", [])
    if not isinstance(items, list):
        reader.error(number, "item", _("item must be a list."))
        return
    for item in items:
        link = item.get("linkId") if isinstance(item, Mapping) else None
        if link == "qr-diary-timezone" and isinstance(item, Mapping):
            reader.zone_stated = _fhir_string_answer(item)
            continue
        if isinstance(link, str) and link.startswith(_QR_SUMMARY_PREFIXES):
            continue  # the diary's details and the app's own sums
        if not isinstance(item, Mapping) or not isinstance(link, str):
            reader.error(number, "item", _("an item without a linkId."))
            continue
        kind = _QR_TIME_ITEM.fullmatch(link)
        if kind is None:
            problem = _(
                "item '%(link)s' is not a wake or bed time (qr-wake-day-N, qr-bedtime-day-N)."
            )
            reader.error(number, link, problem % {"link": _shown(link)})
            continue
        answers = item.get("answer", [])
        if not isinstance(answers, list) or not all(isinstance(a, Mapping) for a in answers):
            reader.error(number, link, _("%(link)s: answer must be a list.") % {"link": link})
            continue
        event = "rise" if kind.group(1) == "wake" else "bed"
        for answer in answers:  # none: the time was not recorded
            time = reader.time(number, link, answer.get("valueDateTime"))
            if time is not None:
                reader.add(number, DiaryEvent(number, time, event, None, None, ""))


def _from_fhir(text: str, reader: _Reader, labels: dict[int, str]) -> None:
    try:
        bundle = json.loads(text)
    except (ValueError, RecursionError):
        raise DiaryError([RowError(1, "", _("The file is not valid JSON."))]) from None
    entries = bundle.get("entry", []) if isinstance(bundle, dict) else None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        problem = _("The file is JSON but not a FHIR Bundle, as My Flow Check's FHIR export is.")
        raise DiaryError([RowError(1, "", problem)])
    if not isinstance(entries, list):
        raise DiaryError([RowError(1, "entry", _("The Bundle's entry must be a list."))])
    for number, entry in enumerate(entries, start=1):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            reader.error(number, "resource", _("an entry without a resource."))
            continue
        if isinstance(resource.get("id"), str):
            labels[number] = _shown(resource["id"])
        kind = resource.get("resourceType")
        if kind == "Patient":
            continue  # no names in it, and the patient is the one the diary is imported for
        if kind == "Observation" and resource.get("status") == "entered-in-error":
            continue  # withdrawn by whoever recorded it
        if kind == "Observation":
            _fhir_observation(reader, number, resource)
        elif kind == "QuestionnaireResponse":
            _fhir_questionnaire(reader, number, resource)
        else:
            problem = _(
                "a %(kind)s resource, which is not part of a diary "
                "(Patient, QuestionnaireResponse, Observation)."
            )
            reader.error(number, "resourceType", problem % {"kind": _shown(kind)})


# --- Both --------------------------------------------------------------------------------


def parse_my_flow_check(data: bytes, *, clinic_time_zone: str) -> MyFlowCheckDiary:
    """The diary-v1 events of a My Flow Check export (CSV or FHIR JSON), in time order,
    their times converted from UTC to the wall clock of the zone the export names, or of
    ``clinic_time_zone`` (an IANA name) when it names none or a name that is not a zone.

    Raises DiaryError naming every line (CSV) or entry (FHIR) that cannot be read; then
    nothing is imported. Never raises anything else, whatever the bytes.
    """
    text = decode_diary_file(data).lstrip("\ufeff")
    if not text.strip():
        raise DiaryError([RowError(1, "", _("The file is empty."))])
    labels: dict[int, str] = {}
    is_json = text.lstrip().startswith(("{", "["))

    def where(number: int) -> str:
        if not is_json:
            return _line(number)
        if number in labels:
            return _("Entry %(number)d (id %(id)s)") % {"number": number, "id": labels[number]}
        return _("Entry %(number)d") % {"number": number}

    reader = _Reader(where)
    if is_json:
        _from_fhir(text, reader, labels)
    else:
        _from_csv(text, reader)
    if not reader.errors and not reader.events:
        reader.errors.append(RowError(1, "", _("The file has no diary entries.")))
    if reader.errors:
        raise DiaryError(reader.errors)
    stated = _known_zone(reader.zone_stated) if reader.zone_stated else None
    zone = stated or ZoneInfo(clinic_time_zone)
    # The wall clock in the patient's zone; equal times keep the order they happened in.
    on_the_clock = sorted(
        (
            (replace(e, time=e.time.astimezone(zone).replace(tzinfo=None)), e.time)
            for e in reader.events
        ),
        key=lambda pair: (pair[0].time, pair[1]),
    )
    events = [event for event, _moment in on_the_clock]
    try:
        parsed = parse_diary_csv(events_to_csv(events))
    except DiaryError as error:  # a check of diary-v1 not made above: say where it came from
        named = []
        for row in error.errors:
            index = row.line - 2
            source = events[index].line if 0 <= index < len(events) else 1
            message = _("%(where)s: %(problem)s") % {
                "where": where(source),
                "problem": row.message,
            }
            named.append(RowError(source, row.field, message))
        raise DiaryError(named) from None
    return MyFlowCheckDiary(
        events=parsed,
        time_zone=reader.zone_stated if stated else clinic_time_zone,
        zone_stated=reader.zone_stated,
        zone_from_export=stated is not None,
        oz_read_as_ml=reader.oz_read_as_ml,
    )
