"""My Flow Check import, properties: any input gives events or a DiaryError naming where,
never another exception; a well-formed export reads back on the clock of the zone it
states, or on the clinic's when it states none."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.diary import EVENT_TYPES, DiaryError, DiaryEvent
from assessments.my_flow_check import parse_my_flow_check

ZONES = st.sampled_from(["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe"])
HEADER = (
    "type,timestamp,dayNumber,volumeMl,doubleVoidMl,drinkType,sensation,"
    "isFirstMorningVoid,leak,note,trigger,urgencyBeforeLeak,amount"
)


def check(data: bytes, zone: str) -> None:
    try:
        diary = parse_my_flow_check(data, clinic_time_zone=zone)
    except DiaryError as error:
        assert error.errors
        for row in error.errors:
            assert row.line >= 1
            assert row.message
        return
    events = diary.events
    assert events
    assert diary.time_zone == (diary.zone_stated if diary.zone_from_export else zone)
    for event in events:
        assert isinstance(event, DiaryEvent)
        assert event.event in EVENT_TYPES
        assert event.volume_ml is None or 0 <= event.volume_ml <= 2000
        assert event.urgency is None or 0 <= event.urgency <= 4
    assert [e.time for e in events] == sorted(e.time for e in events)


@given(st.binary(max_size=2000), ZONES)
def test_any_bytes(data, zone):
    check(data, zone)


# Cells a My Flow Check CSV has, and some it should not.
CELLS = st.sampled_from(
    [
        "",
        "wake",
        "void",
        "drink",
        "leak",
        "bedtime",
        "nap",
        "2026-03-29T01:30:00.000Z",
        "2026-10-25T01:30:00Z",
        "0002-01-01T00:00:00+23:59",
        "9998-12-31T23:59:59-23:59",
        "2026-02-30T10:00:00Z",
        "2026-03-02T10:00",
        "250",
        "2000",
        "2000.5",
        "1e3",
        "-5",
        "4",
        "9",
        "true",
        "false",
        "water",
        "sneeze",
        "oz",
        "mL",
        '"a, b"',
        "\x00",
        "## EVENTS",
        "## METADATA",
        "## SOMETHING",
        "volume_unit",
        "type",
        "timestamp",
        "timezone",
        "Europe/London",
        "Pacific/Kiritimati",
        "Not/AZone",
    ]
) | st.text(max_size=12)


@given(
    st.lists(st.lists(CELLS, max_size=14).map(",".join), max_size=30),
    st.booleans(),
    ZONES,
)
def test_any_csv_like_text(rows, with_header, zone):
    head = (
        ["## METADATA", "key,value", "volume_unit,mL", "## EVENTS", HEADER] if with_header else []
    )
    check("\n".join(head + rows).encode(), zone)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(
        ["Observation", "QuestionnaireResponse", "Patient", "9187-6", "http://loinc.org", "mL"]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resourceType",
                    "resource",
                    "entry",
                    "code",
                    "coding",
                    "system",
                    "effectiveDateTime",
                    "valueQuantity",
                    "value",
                    "unit",
                    "note",
                    "text",
                    "item",
                    "linkId",
                    "answer",
                    "valueDateTime",
                    "id",
                    "status",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@given(JSON, ZONES)
def test_any_json(value, zone):
    check(json.dumps(value).encode(), zone)


@given(st.lists(JSON, max_size=5), ZONES)
def test_any_bundle(resources, zone):
    entries = [{"resource": r} for r in resources]
    check(json.dumps({"resourceType": "Bundle", "entry": entries}).encode(), zone)


def test_deeply_nested_json_is_refused_not_crashed():
    check(b"[" * 100_000 + b"]" * 100_000, "UTC")
    check(b'{"resourceType": "Bundle", "entry": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}", "UTC")


def test_non_finite_and_huge_numbers_are_named():
    for value in (b"NaN", b"Infinity", b"1e999", b"1" + b"0" * 5000, b"-1", b"true"):
        resource = (
            b'{"resourceType": "Observation", "id": "v", '
            b'"code": {"coding": [{"system": "http://loinc.org", "code": "9187-6"}]}, '
            b'"effectiveDateTime": "2026-03-02T08:00:00Z", '
            b'"valueQuantity": {"value": ' + value + b', "unit": "mL"}}'
        )
        check(b'{"resourceType": "Bundle", "entry": [{"resource": ' + resource + b"}]}", "UTC")


INSTANTS = st.datetimes(
    min_value=datetime.fromisoformat("2000-01-01"),
    max_value=datetime.fromisoformat("2099-12-31"),
    timezones=st.just(UTC),
)
KINDS = st.sampled_from(["wake", "void", "drink", "leak", "bedtime"])


@settings(max_examples=50)
@given(st.lists(st.tuples(INSTANTS, KINDS, st.integers(0, 1000)), min_size=1, max_size=20), ZONES)
def test_an_export_reads_back_on_the_clinics_clock(rows, zone):
    lines = ["## EVENTS", HEADER]
    for moment, kind, volume in rows:
        stamp = moment.replace(microsecond=0).isoformat(timespec="milliseconds")
        stamp = stamp.replace("+00:00", "Z")
        amount = volume if kind in ("void", "drink") else ""
        lines.append(f"{kind},{stamp},1,{amount},,,,,,,,,")
    events = parse_my_flow_check("\n".join(lines).encode(), clinic_time_zone=zone).events
    expected = sorted(
        (
            moment.replace(microsecond=0).astimezone(ZoneInfo(zone)).replace(tzinfo=None),
            {"wake": "rise", "bedtime": "bed"}.get(kind, kind),
            volume if kind in ("void", "drink") else None,
        )
        for moment, kind, volume in rows
    )
    assert sorted((e.time, e.event, e.volume_ml) for e in events) == expected
    # A wall clock is never more than a day from UTC.
    for event in events:
        assert any(abs(event.time - m.replace(tzinfo=None)) < timedelta(days=1) for m, _, _ in rows)


@settings(max_examples=50)
@given(INSTANTS, ZONES, ZONES)
def test_the_zone_an_export_states_wins_over_the_clinics(moment, stated, clinic):
    stamp = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    data = f"## METADATA\nkey,value\ntimezone,{stated}\n## EVENTS\n{HEADER}\nwake,{stamp},1"
    diary = parse_my_flow_check(data.encode(), clinic_time_zone=clinic)
    local = moment.replace(microsecond=0).astimezone(ZoneInfo(stated)).replace(tzinfo=None)
    assert [e.time for e in diary.events] == [local]
    assert (diary.time_zone, diary.zone_from_export) == (stated, True)
