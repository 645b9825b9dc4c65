"""Bladder diary (contract diary-v1): parsing, days and nights, metrics."""

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils.translation import gettext

from assessments.diary import (
    CSV_COLUMNS,
    EVENT_TYPES,
    DiaryError,
    DiaryEvent,
    days_kept,
    diary_days,
    diary_metrics,
    events_to_csv,
    mean_daytime_interval_min,
    parse_diary_csv,
    parse_diary_rows,
)
from clinic import i18n
from tests.assessments.diary_contract import OUTPUT_KEYS

# A copy of contracts/examples/diary-example.csv, the contract's worked example.
EXAMPLE = (Path(__file__).parent / "data" / "diary-example.csv").read_text()
HEADER = "time,event,volume_ml,urgency,note\n"

# Diary times are naive local times (contract: no offsets).
local = datetime.fromisoformat


def csv_text(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def events(*rows: str) -> list[DiaryEvent]:
    return parse_diary_csv(csv_text(*rows))


def metrics(*rows: str, **options: object) -> dict[str, object]:
    return diary_metrics(events(*rows), **options)  # type: ignore[arg-type]


def errors_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(DiaryError) as caught:
        parse_diary_csv(text)
    return [(error.line, error.field, error.message) for error in caught.value.errors]


def full_day(day: int, volumes: list[int | None], night: list[int | None] = []) -> list[str]:  # noqa: B006
    """Rise 07:00 on 2026-03-<day>, daytime voids hourly from 07:30, bed 22:00, night voids
    from 01:00; None is a void without a volume."""
    ml = ["" if v is None else str(v) for v in volumes]
    night_ml = ["" if v is None else str(v) for v in night]
    rows = [f"2026-03-{day:02d}T07:00,rise,,,"]
    rows += [f"2026-03-{day:02d}T{7 + i:02d}:30,void,{v},," for i, v in enumerate(ml)]
    rows += [f"2026-03-{day:02d}T22:00,bed,,,"]
    rows += [f"2026-03-{day + 1:02d}T0{1 + i}:00,void,{v},," for i, v in enumerate(night_ml)]
    return rows


# --- The worked example -------------------------------------------------------------------


def test_worked_example():
    # By hand, from diary-example.csv (one diary day: rise 03-02 06:45, bed 22:30,
    # rise 03-03 06:40; 03-03 has no bed, so it is not a recorded day):
    # - daytime voids 06:50 (the FMV), 09:05, 11:20, 14:05, 16:30, 19:10, 22:10 = 7
    # - night voids: 03:20 = 1
    # - complete: rise, bed, next rise, FMV of 03-03 (06:45, 400 mL), every volume known
    # - 24-h volume: after the FMV of day 1 up to the FMV of day 2
    #   210 + 180 + 240 + 200 + 260 + 150 + 310 + 400 = 1950
    # - NUV: night 310 + FMV of day 2 400 = 710;  NPi = 710 / 1950 = 0.36410 -> 0.364
    # - age 54 is under 65, 0.364 > 0.20: nocturnal polyuria
    # - voids in the whole file: 380 + 1950 = 2330 over 9 voids = 258.9 -> 259; max 400
    # - 40 mL x 82 kg = 3280 > 1950: no 24-hour polyuria
    # - one leak; urgency 3+ at 11:20 (void) and 12:40 (leak) = 2; the 06:45 void on 03-03
    #   (urgency 2) is outside the recorded day anyway
    # - drinks 250 + 300 + 350 + 400 = 1300 over 1 day
    # - 7 voids a day is not more than 8
    result = diary_metrics(parse_diary_csv(EXAMPLE), age=54, weight_kg=82)

    assert result == {
        "days_recorded": 1,
        "complete_days": 1,
        "daytime_frequency": 7.0,
        "nocturia": 1.0,
        "voided_volume_24h_ml": 1950,
        "nocturnal_urine_volume_ml": 710,
        "npi": 0.364,
        "nocturnal_polyuria": True,
        "max_voided_volume_ml": 400,
        "mean_voided_volume_ml": 259,
        "polyuria_24h": False,
        "incontinence_episodes_per_day": 1.0,
        "urgency_episodes_per_day": 2.0,
        "fluid_intake_ml_per_day": 1300,
        "increased_daytime_frequency": False,
    }
    assert list(result) == OUTPUT_KEYS
    assert json.loads(json.dumps(result)) == result


def test_worked_example_days_and_interval():
    parsed = parse_diary_csv(EXAMPLE)
    first, second = diary_days(parsed)

    assert (first.number, first.daytime_voids, first.night_voids) == (1, 7, 1)
    assert first.bed == local("2026-03-02T22:30")
    assert first.next_rise == first.end == local("2026-03-03T06:40")
    assert (first.leaks, first.urgency_episodes, first.drinks_ml) == (1, 2, 1300)
    assert first.npi == pytest.approx(710 / 1950)
    assert [e.line for e in first.events] == list(range(2, 17))
    assert (second.bed, second.daytime_voids, second.complete) == (None, None, False)
    assert second.end == local("2026-03-03T06:45")  # the diary's last event
    # Daytime voids 06:50 .. 22:10 = 920 minutes over 6 gaps = 153.3 -> 153.
    assert mean_daytime_interval_min(parsed) == 153


def test_example_round_trips_through_csv():
    parsed = parse_diary_csv(EXAMPLE)

    assert parse_diary_csv(events_to_csv(parsed)) == parsed
    assert events_to_csv(parsed) == EXAMPLE.replace("\n", "\r\n")


# --- Parsing: times -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02T07:05", local("2026-03-02T07:05")),
        ("2026-03-02T07:05:09", local("2026-03-02T07:05:09")),
        ("2026-03-02 07:05", local("2026-03-02T07:05")),
        ("2026-03-02 07:05:09", local("2026-03-02T07:05:09")),
        (" 2026-03-02T07:05 ", local("2026-03-02T07:05")),
    ],
)
def test_it_reads_times_with_seconds_or_a_space(text, expected):
    (event,) = events(f"{text},rise,,,")

    assert event.time == expected
    assert event.time.tzinfo is None


@pytest.mark.parametrize(
    "text", ["2026-03-02T07:05+01:00", "2026-03-02T07:05Z", "2026-03-02T07:05:00-0500"]
)
def test_it_refuses_time_zone_offsets(text):
    ((line, field, message),) = errors_of(csv_text(f"{text},rise,,,"))

    assert (line, field) == (2, "time")
    assert "time-zone offset" in message
    assert text in message


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30T07:05",
        "2026-03-02T24:00",
        "2026-03-02",
        "07:05",
        "2026-03-02T7:05",
        "2026-03-02t07:05",
        "2026-03-02T07:05:00.5",
        "02/03/2026 07:05",
        "２０２６-03-02T07:05",
    ],
)
def test_it_refuses_bad_times(text):
    ((line, field, message),) = errors_of(csv_text(f"{text},rise,,,"))

    assert (line, field) == (2, "time")
    assert message.startswith("Line 2: time must be a date and time like 2026-03-02T07:05")
    assert f"not '{text}'" in message


def test_an_empty_time_is_an_error():
    ((line, field, message),) = errors_of(csv_text(",rise,,,"))

    assert (line, field) == (2, "time")
    assert "time is empty" in message


# --- Parsing: other columns ----------------------------------------------------------------


def test_it_reads_every_column():
    (event,) = events('2026-03-02T07:05,void,0,4,"  long, quoted "')

    assert event == DiaryEvent(2, local("2026-03-02T07:05"), "void", 0, 4, "long, quoted")


def test_event_names_ignore_case_and_spaces():
    assert [e.event for e in events("2026-03-02T07:05, Void ,,,", "2026-03-02T07:06,RISE,,,")] == [
        "void",
        "rise",
    ]


def test_it_refuses_an_unknown_event():
    ((line, field, message),) = errors_of(csv_text("2026-03-02T07:05,pee,200,,"))

    assert (line, field) == (2, "event")
    assert message == "Line 2: event must be one of rise, bed, void, drink, leak, not 'pee'."


@pytest.mark.parametrize("value", ["0", "2000", "0250"])
def test_it_accepts_volumes_from_0_to_2000(value):
    (event,) = events(f"2026-03-02T07:05,drink,{value},,")

    assert event.volume_ml == int(value)


@pytest.mark.parametrize("value", ["12.5", "-5", "2001", "abc", "+5", "1e3", "１２", "1_000"])
def test_it_refuses_bad_volumes(value):
    ((line, field, message),) = errors_of(csv_text(f"2026-03-02T07:05,void,{value},,"))

    assert (line, field) == (2, "volume_ml")
    assert message == (f"Line 2: volume_ml must be a whole number from 0 to 2000, not '{value}'.")


@pytest.mark.parametrize("value", ["5", "-1", "2.0", "high"])
def test_it_refuses_bad_urgency(value):
    ((line, field, message),) = errors_of(csv_text(f"2026-03-02T07:05,leak,,{value},"))

    assert (line, field) == (2, "urgency")
    assert message == f"Line 2: urgency must be a whole number from 0 to 4, not '{value}'."


def test_a_volume_or_urgency_on_another_event_is_kept_but_not_counted():
    # The contract lists what makes a line bad; a leak's estimated volume is not among
    # those, so the file is accepted and the value plays no part in the metrics.
    events = parse_diary_csv(
        csv_text(
            "2026-03-02T07:00,rise,,,",
            "2026-03-02T07:05,leak,50,2,",
            "2026-03-02T07:10,drink,200,3,",
            "2026-03-02T22:00,bed,,,",
        )
    )
    assert [e.volume_ml for e in events] == [None, 50, 200, None]
    metrics = diary_metrics(events)
    assert metrics["max_voided_volume_ml"] is None
    assert metrics["urgency_episodes_per_day"] == 0.0
    assert metrics["fluid_intake_ml_per_day"] == 200


def test_every_bad_line_is_reported_and_nothing_is_returned():
    text = csv_text(
        "2026-03-02T07:00,rise,,,",
        "2026-03-02T07:05,void,12.5,,",
        "2026-03-02T08:00,void,200,,",
        "yesterday,wee,,9,",
        "2026-03-02T09:00,drink,3000,,",
    )
    with pytest.raises(DiaryError) as caught:
        parse_diary_csv(text)

    found = [(e.line, e.field) for e in caught.value.errors]
    assert found == [(3, "volume_ml"), (5, "time"), (5, "event"), (5, "urgency"), (6, "volume_ml")]
    assert str(caught.value).splitlines() == [e.message for e in caught.value.errors]
    assert isinstance(caught.value, ValueError)


# --- Parsing: the file as a whole --------------------------------------------------------


def test_header_only_is_a_diary_with_no_events():
    assert parse_diary_csv(HEADER) == []
    assert parse_diary_csv(HEADER.rstrip("\n")) == []


@pytest.mark.parametrize("text", ["", "\n\n", "  \r\n"])
def test_an_empty_file_is_an_error(text):
    ((line, field, message),) = errors_of(text)

    assert (line, field) == (1, "")
    assert "the file is empty" in message


def test_missing_and_unknown_columns_are_errors_on_line_1():
    found = errors_of("time,event,volume,urgency\n2026-03-02T07:00,rise,,\n")

    assert [(line, field) for line, field, _ in found] == [
        (1, "volume"),
        (1, "volume_ml"),
        (1, "note"),
    ]
    assert found[0][2].startswith("Line 1: unknown column 'volume'")
    assert found[1][2].startswith("Line 1: column 'volume_ml' is missing")


def test_a_repeated_column_is_an_error():
    found = errors_of("time,event,volume_ml,urgency,note,note\n")

    assert found == [(1, "note", "Line 1: column 'note' appears more than once.")]


def test_columns_may_come_in_any_order_and_case():
    (event,) = parse_diary_csv(
        " Note ,URGENCY,volume_ml,event,time\nafter tea,2,150,void,2026-03-02T07:05\n"
    )

    assert event == DiaryEvent(2, local("2026-03-02T07:05"), "void", 150, 2, "after tea")


def test_it_handles_a_bom_crlf_and_blank_lines():
    text = (
        "\ufeff"
        + HEADER.replace("\n", "\r\n")
        + "\r\n2026-03-02T07:00,rise,,,\r\n\r\n,,,,\r\n2026-03-02T07:05,void,x,,\r\n"
    )

    ((line, field, _),) = errors_of(text)

    # Blank lines still count: the bad row is the sixth line of the file.
    assert (line, field) == (6, "volume_ml")


def test_old_mac_line_endings():
    assert len(parse_diary_csv(HEADER.replace("\n", "\r") + "2026-03-02T07:00,rise,,,\r")) == 1


def test_lines_are_counted_across_quoted_line_breaks():
    text = csv_text('2026-03-02T07:00,rise,,,"slept\nbadly"', "2026-03-02T07:05,void,x,,")

    ((line, _, _),) = errors_of(text)

    assert line == 4
    assert parse_diary_csv(text.replace(",x,", ",1,"))[0].note == "slept\nbadly"


def test_trailing_empty_cells_are_allowed_but_extra_values_are_not():
    assert len(events("2026-03-02T07:00,rise,,,,,", "2026-03-02T07:05,void")) == 2

    ((line, field, message),) = errors_of(csv_text("2026-03-02T07:00,rise,,,,extra"))

    assert (line, field) == (2, "")
    assert "unexpected value 'extra'" in message


def test_an_unclosed_quote_is_an_error_not_a_note_swallowing_the_file():
    ((line, _, message),) = errors_of(
        csv_text('2026-03-02T07:00,rise,,,"oops', "2026-03-02T07:05,void,1,,")
    )

    assert line == 2
    assert "cannot be read as CSV" in message


def test_a_field_over_1000_characters_is_refused():
    assert events("2026-03-02T07:00,rise,,," + "n" * 1000)[0].note == "n" * 1000

    ((line, field, message),) = errors_of(csv_text("2026-03-02T07:00,rise,,," + "n" * 1001))
    assert (line, field) == (2, "note")
    assert message == "Line 2: note is longer than 1000 characters."

    ((line, _, message),) = errors_of(csv_text("2026-03-02T07:00,rise,,," + "n" * 200_000))
    assert line == 2
    assert "longer than 1000 characters" in message


def test_a_diary_over_20000_rows_is_refused():
    rows = ["2026-03-02T07:00,drink,100,,"] * 20_000
    assert len(events(*rows)) == 20_000

    found = errors_of(csv_text(*rows, *rows))

    assert found == [
        (20_002, "", "Line 20002: a diary may have at most 20000 rows; split the file.")
    ]


def test_messages_go_through_the_translation_hook():
    i18n.install(lambda message: "[fr] " + message)
    try:
        found = errors_of(csv_text("2026-03-02T07:00,wee,,,"))
    finally:
        i18n.install(gettext)  # Django's, as clinic.apps installs it

    assert (
        found[0][2] == "[fr] Line 2: event must be one of rise, bed, void, drink, leak, not 'wee'."
    )


# --- Parsing: inline rows -----------------------------------------------------------------


def test_it_reads_inline_rows():
    rows = [
        {"time": "2026-03-02T07:00", "event": "rise"},
        {
            "time": "2026-03-02 07:05:30",
            "event": "void",
            "volume_ml": 250,
            "urgency": "2",
            "note": None,
        },
        {
            "time": "2026-03-02T07:10",
            "event": "drink",
            "volume_ml": "300",
            "urgency": None,
            "note": "tea",
        },
    ]

    assert parse_diary_rows(rows) == [
        DiaryEvent(2, local("2026-03-02T07:00"), "rise", None, None, ""),
        DiaryEvent(3, local("2026-03-02T07:05:30"), "void", 250, 2, ""),
        DiaryEvent(4, local("2026-03-02T07:10"), "drink", 300, None, "tea"),
    ]
    assert parse_diary_rows([]) == []


def test_inline_rows_report_every_bad_row_by_csv_line():
    rows = [
        {"time": "2026-03-02T07:00", "event": "rise", "colour": "yellow"},
        {"time": "2026-03-02T07:05", "event": "void", "volume_ml": 12.5},
        {"time": "2026-03-02T07:06", "event": "void", "volume_ml": True},
        "2026-03-02T07:07,void",
        {"event": "void", "urgency": [3]},
        {"time": "2026-03-02T07:08+01:00", "event": "leak", "urgency": 7},
    ]
    with pytest.raises(DiaryError) as caught:
        parse_diary_rows(rows)  # type: ignore[list-item]

    found = [(e.line, e.field) for e in caught.value.errors]
    assert found == [
        (2, ""),
        (3, "volume_ml"),
        (4, "volume_ml"),
        (5, ""),
        (6, "urgency"),
        (7, "time"),
        (7, "urgency"),
    ]
    messages = [e.message for e in caught.value.errors]
    assert messages[0].startswith("Line 2: unknown key 'colour'")
    assert messages[1] == "Line 3: volume_ml must be a whole number from 0 to 2000, not '12.5'."


def test_inline_rows_are_limited_too():
    rows = [{"time": "2026-03-02T07:00", "event": "drink"}] * 20_001

    with pytest.raises(DiaryError) as caught:
        parse_diary_rows(rows)

    assert [e.line for e in caught.value.errors] == [20_002]


def test_events_to_csv_round_trips_awkward_notes_and_seconds():
    original = [
        DiaryEvent(7, local("2026-03-02T07:00:59"), "void", None, 0, 'said "oops", then\nlaughed'),
        DiaryEvent(3, local("0999-01-01T00:00"), "drink", 2000, None, ""),
    ]

    back = parse_diary_csv(events_to_csv(original))

    # The note's line break pushes the second row to line 4.
    assert back == [replace(e, line=line) for e, line in zip(original, [2, 4], strict=True)]


def test_the_public_names():
    assert EVENT_TYPES == ("rise", "bed", "void", "drink", "leak")
    assert CSV_COLUMNS == ("time", "event", "volume_ml", "urgency", "note")


# --- Days and nights ----------------------------------------------------------------------


def test_a_void_at_the_minute_of_rise_belongs_to_the_new_day():
    days = diary_days(
        events(
            "2026-03-02T07:00,rise,,,",
            "2026-03-02T07:00,void,300,,",
            "2026-03-02T22:00,bed,,,",
            "2026-03-03T06:30,void,200,,",
            "2026-03-03T07:00,void,400,,",
            "2026-03-03T07:00,rise,,,",  # listed after its void: order in the file is free
        )
    )

    assert days[0].daytime_voids == 1  # the 07:00 void on day 1 is its FMV
    assert days[0].night_voids == 1  # 06:30 only; 07:00 on 03-03 is the FMV of day 2
    assert days[0].nocturnal_urine_volume_ml == 600
    assert days[0].voided_volume_24h_ml == 600
    assert [e.time.hour for e in days[1].events] == [7, 7]


def test_a_void_at_the_minute_of_bed_belongs_to_the_day():
    days = diary_days(
        events(
            "2026-03-02T07:00,rise,,,",
            "2026-03-02T22:00,void,300,,",
            "2026-03-02T22:00,bed,,,",
            "2026-03-03T07:00,rise,,,",
        )
    )

    assert (days[0].daytime_voids, days[0].night_voids) == (1, 0)


def test_times_compare_in_full_with_seconds():
    days = diary_days(
        events(
            "2026-03-02T07:00,rise,,,",
            "2026-03-02T22:00:30,bed,,,",
            "2026-03-02T22:00:31,void,100,,",  # after bed: night
            "2026-03-03T07:00:10,void,200,,",  # before the rise at 07:00:20: night
            "2026-03-03T07:00:20,rise,,,",
        )
    )

    assert (days[0].daytime_voids, days[0].night_voids) == (0, 2)


def test_the_last_of_several_beds_starts_the_night():
    days = diary_days(
        events(
            "2026-03-02T07:00,rise,,,",
            "2026-03-02T08:00,void,300,,",
            "2026-03-02T13:00,bed,,,nap",
            "2026-03-02T15:00,void,200,,",
            "2026-03-02T22:00,bed,,,",
            "2026-03-02T23:30,void,100,,",
            "2026-03-02T23:45,bed,,,",
            "2026-03-03T03:00,void,250,,",
            "2026-03-03T07:00,rise,,,",
        )
    )

    assert days[0].bed == local("2026-03-02T23:45")
    assert (days[0].daytime_voids, days[0].night_voids) == (3, 1)


def test_a_void_after_bed_is_a_night_void_never_a_first_morning_void():
    # No void between rise and bed: day 1 has no FMV, so its night void counts in both
    # the NUV and the 24-hour volume (else NPi could exceed 1).
    rows = [
        "2026-03-02T07:00,rise,,,",
        "2026-03-02T22:00,bed,,,",
        "2026-03-02T23:00,void,300,,",
        "2026-03-03T07:00,rise,,,",
        "2026-03-03T07:30,void,200,,",
    ]

    (day, _) = diary_days(events(*rows))

    assert (day.daytime_voids, day.night_voids, day.complete) == (0, 1, True)
    assert (day.voided_volume_24h_ml, day.nocturnal_urine_volume_ml, day.npi) == (500, 500, 1.0)


def test_events_before_the_first_rise_belong_to_no_day():
    rows = [
        "2026-03-01T23:00,bed,,,",
        "2026-03-02T03:00,void,900,4,",
        "2026-03-02T04:00,leak,,4,",
        "2026-03-02T05:00,drink,500,,",
        *full_day(2, [100, 100]),
        "2026-03-03T07:00,rise,,,",
        "2026-03-03T07:30,void,100,,",
    ]

    result = metrics(*rows)

    assert len(diary_days(events(*rows))) == 2
    assert result["daytime_frequency"] == 2.0
    assert result["incontinence_episodes_per_day"] == 0.0
    assert result["urgency_episodes_per_day"] == 0.0
    assert result["fluid_intake_ml_per_day"] is None
    # ... but max and mean voided volume use every measured void in the file.
    assert result["max_voided_volume_ml"] == 900
    assert result["mean_voided_volume_ml"] == 300  # (900 + 100 + 100 + 100) / 4


def test_a_day_without_bed_is_not_recorded_and_the_last_day_has_no_night():
    rows = [
        "2026-03-02T07:00,rise,,,",
        "2026-03-02T08:00,void,200,,",
        "2026-03-03T07:00,rise,,,",  # no bed on day 1
        "2026-03-03T08:00,void,200,,",
        "2026-03-03T09:00,leak,,,",
        "2026-03-03T22:00,bed,,,",
        "2026-03-04T02:00,void,200,,",  # after the last bed, no rise follows
        "2026-03-04T03:00,leak,,,",
    ]

    result = metrics(*rows)
    first, second = diary_days(events(*rows))

    assert (first.daytime_voids, first.night_voids, first.complete) == (None, None, False)
    assert (second.daytime_voids, second.night_voids) == (1, None)
    assert second.end == local("2026-03-04T03:00")
    assert result["days_recorded"] == 1
    assert result["daytime_frequency"] == 1.0
    assert result["nocturia"] is None
    assert result["complete_days"] == 0
    assert result["voided_volume_24h_ml"] is None
    # Both leaks fall inside the recorded day, which runs to the diary's last event.
    assert result["incontinence_episodes_per_day"] == 2.0


def test_a_missing_volume_makes_the_day_incomplete_but_frequency_still_counts():
    rows = [*full_day(2, [300, 200], night=[None]), *full_day(3, [None, 200]), *full_day(4, [300])]

    result = metrics(*rows)
    days = diary_days(events(*rows))

    # Day 1 misses its night volume, day 2 misses its FMV volume only (allowed).
    assert [d.complete for d in days] == [False, True, False]
    assert result["complete_days"] == 1
    assert result["voided_volume_24h_ml"] == 500  # day 2: 200 + FMV of day 3, 300
    assert result["daytime_frequency"] == 1.7  # 5 / 3
    assert result["nocturia"] == 0.5


def test_the_fmv_of_the_next_day_needs_a_volume():
    rows = [*full_day(2, [300, 200]), "2026-03-03T07:00,rise,,,", "2026-03-03T07:30,void,,,"]

    assert diary_days(events(*rows))[0].complete is False
    assert metrics(*rows)["npi"] is None


def test_a_day_needs_the_fmv_of_the_next_day_to_be_complete():
    rows = [*full_day(2, [300, 200]), "2026-03-03T07:00,rise,,,", "2026-03-03T07:30,drink,200,,"]

    assert diary_days(events(*rows))[0].complete is False


def test_two_rises_at_the_same_minute_do_not_break_the_days():
    rows = [*full_day(2, [300]), "2026-03-03T07:00,rise,,,", "2026-03-03T07:00,rise,,,"]

    assert [d.number for d in diary_days(events(*rows))] == [1, 2, 3]
    assert metrics(*rows)["days_recorded"] == 1


def test_a_complete_day_with_no_volume_has_no_npi():
    rows = [*full_day(2, [0, 0]), "2026-03-03T07:00,rise,,,", "2026-03-03T07:30,void,0,,"]

    result = metrics(*rows)

    assert (result["complete_days"], result["voided_volume_24h_ml"], result["npi"]) == (1, 0, None)


# --- Metrics ------------------------------------------------------------------------------


def test_with_no_recorded_day_every_per_day_value_is_null():
    result = metrics("2026-03-02T07:00,rise,,,", "2026-03-02T08:00,void,250,,")

    assert result == {
        "days_recorded": 0,
        "complete_days": 0,
        "daytime_frequency": None,
        "nocturia": None,
        "voided_volume_24h_ml": None,
        "nocturnal_urine_volume_ml": None,
        "npi": None,
        "nocturnal_polyuria": None,
        "max_voided_volume_ml": 250,
        "mean_voided_volume_ml": 250,
        "polyuria_24h": None,
        "incontinence_episodes_per_day": None,
        "urgency_episodes_per_day": None,
        "fluid_intake_ml_per_day": None,
        "increased_daytime_frequency": None,
    }
    assert list(diary_metrics([], age=70, weight_kg=60)) == OUTPUT_KEYS
    assert diary_metrics([])["mean_voided_volume_ml"] is None


def test_only_leaks_are_incontinence_and_urgency_3_or_4_is_an_episode():
    rows = [
        "2026-03-02T07:00,rise,,,",
        "2026-03-02T08:00,void,200,4,",  # urgency episode, not an incontinence episode
        "2026-03-02T09:00,void,200,3,",  # urgency episode
        "2026-03-02T10:00,void,200,2,",
        "2026-03-02T11:00,leak,,4,",  # both
        "2026-03-02T12:00,leak,,,",  # incontinence only
        "2026-03-02T22:00,bed,,,",
    ]

    result = metrics(*rows)

    assert result["incontinence_episodes_per_day"] == 2.0
    assert result["urgency_episodes_per_day"] == 3.0


def test_drinks_without_volume_are_left_out():
    rows = full_day(2, [200]) + ["2026-03-02T09:00,drink,,,", "2026-03-02T10:00,drink,333,,"]
    assert metrics(*rows)["fluid_intake_ml_per_day"] == 333

    assert (
        metrics(*full_day(2, [200]), "2026-03-02T09:00,drink,,,")["fluid_intake_ml_per_day"] is None
    )


def test_npi_is_the_mean_of_daily_values_not_total_over_total():
    # Day 1: 24-h 1000 (900 + FMV 100), NUV 100 -> 0.1.  Day 2: 24-h 500 (FMV 500), NUV 500 -> 1.0.
    rows = [
        *full_day(2, [300, 900]),
        *full_day(3, [100]),
        "2026-03-04T07:00,rise,,,",
        "2026-03-04T07:30,void,500,,",
    ]

    result = metrics(*rows)

    assert result["npi"] == 0.55  # total over total would be 600 / 1500 = 0.4
    assert result["voided_volume_24h_ml"] == 750
    assert result["nocturnal_urine_volume_ml"] == 300


def test_halves_round_up():
    # 4 recorded days, 1 leak: 0.25 -> 0.3 (round() would give 0.2).
    rows = [row for day in (2, 3, 4, 5) for row in full_day(day, [100])]
    assert metrics(*rows, "2026-03-02T12:00,leak,,,")["incontinence_episodes_per_day"] == 0.3

    # Voids of 100 and 101 mL: mean 100.5 -> 101 (round() would give 100).
    rows = full_day(2, [100, 101])
    assert metrics(*rows)["mean_voided_volume_ml"] == 101

    # 24-h 1600 (1000 + 500 + FMV 100), NUV 100: NPi 0.0625 -> 0.063 (round(): 0.062).
    rows = [
        *full_day(2, [300, 1000, 500]),
        "2026-03-03T07:00,rise,,,",
        "2026-03-03T07:30,void,100,,",
    ]
    assert metrics(*rows)["npi"] == 0.063

    # Daytime voids 1, 2, 1, 1 over 4 days: 1.25 -> 1.3.
    rows = [*full_day(2, [100]), *full_day(3, [100, 100]), *full_day(4, [100]), *full_day(5, [100])]
    assert metrics(*rows)["daytime_frequency"] == 1.3


def test_interval_halves_round_up_and_gaps_are_pooled():
    rows = [
        "2026-03-02T07:00,rise,,,",
        "2026-03-02T07:00,void,100,,",
        "2026-03-02T07:30:30,void,100,,",  # 30.5 minutes
        "2026-03-02T22:00,bed,,,",
        "2026-03-02T23:00,void,100,,",  # night: not a daytime gap
        "2026-03-03T07:00,rise,,,",
    ]
    assert mean_daytime_interval_min(events(*rows)) == 31

    # Day 1: one gap of 60; day 2: two gaps of 120 -> (60 + 120 + 120) / 3 = 100.
    rows = [
        *full_day(2, []),
        "2026-03-02T08:00,void,,,",
        "2026-03-02T09:00,void,,,",
        *full_day(3, []),
        "2026-03-03T08:00,void,,,",
        "2026-03-03T10:00,void,,,",
        "2026-03-03T12:00,void,,,",
    ]
    assert mean_daytime_interval_min(events(*rows)) == 100


def test_no_interval_without_two_daytime_voids():
    assert mean_daytime_interval_min([]) is None
    assert mean_daytime_interval_min(events(*full_day(2, [100], night=[100, 100]))) is None
    # Voids in a day without bed are not daytime voids of a recorded day.
    rows = ["2026-03-02T07:00,rise,,,", "2026-03-02T08:00,void,,,", "2026-03-02T09:00,void,,,"]
    assert mean_daytime_interval_min(events(*rows)) is None


def test_thresholds_compare_unrounded_values():
    # Daytime voids 7, 7, 8: mean 7.333 shows as 7.3 yet is above a threshold of 7.3.
    rows = [*full_day(2, [100] * 7), *full_day(3, [100] * 7), *full_day(4, [100] * 8)]
    result = metrics(*rows, daytime_frequency_threshold=7.3)
    assert (result["daytime_frequency"], result["increased_daytime_frequency"]) == (7.3, True)

    # NPi 501 / 2500 = 0.2004 shows as 0.2 yet is above 0.20.
    rows = [*full_day(2, [100, 1999]), "2026-03-03T07:00,rise,,,", "2026-03-03T07:30,void,501,,"]
    result = metrics(*rows, age=40)
    assert (result["npi"], result["nocturnal_polyuria"]) == (0.2, True)

    # NPi exactly 0.20 (500 / 2500) is not above it.
    rows = [*full_day(2, [100, 2000]), "2026-03-03T07:00,rise,,,", "2026-03-03T07:30,void,500,,"]
    assert metrics(*rows, age=40)["nocturnal_polyuria"] is False

    # 24-h volumes 3280 and 3281: mean 3280.5 is above 40 x 82 = 3280.
    rows = [
        *full_day(2, [100, 1500, 1500], night=[280]),
        *full_day(3, [0, 1500, 1500], night=[281]),
        "2026-03-04T07:00,rise,,,",
        "2026-03-04T07:30,void,0,,",
    ]
    assert metrics(*rows, weight_kg=82)["voided_volume_24h_ml"] == 3281
    assert metrics(*rows, weight_kg=82)["polyuria_24h"] is True


def test_daytime_frequency_above_8_by_default():
    nine = [row for day in (2, 3) for row in full_day(day, [100] * 9)]
    assert metrics(*nine)["increased_daytime_frequency"] is True

    eight = [row for day in (2, 3) for row in full_day(day, [100] * 8)]
    assert metrics(*eight)["increased_daytime_frequency"] is False


@pytest.mark.parametrize(
    ("age", "nuv", "expected"),
    [
        (64, 750, True),  # 0.30 > 0.20
        (65, 750, False),  # 0.30 is not > 0.33
        (65, 850, True),  # 0.34 > 0.33
        (90, 825, False),  # 0.33 exactly
        (None, 850, None),
    ],
)
def test_nocturnal_polyuria_cut_at_age_65(age, nuv, expected):
    # 24-h volume 2500 = daytime 2500 - nuv, plus the FMV of day 2, nuv.
    rows = [
        *full_day(2, [100, 2500 - nuv]),
        "2026-03-03T07:00,rise,,,",
        f"2026-03-03T07:30,void,{nuv},,",
    ]

    assert metrics(*rows, age=age)["nocturnal_polyuria"] is expected


@pytest.mark.parametrize(
    ("weight", "expected"), [(82, True), (82.1, False), (82.2, False), (None, None)]
)
def test_polyuria_above_40_ml_per_kg(weight, expected):
    # 24-h volume 1500 + 1500 + 284 + 0 = 3284: above 40 x 82 = 3280, not above
    # 40 x 82.1 = 3284 (compared as the decimal 82.1, not the nearest float).
    rows = [
        *full_day(2, [100, 1500, 1500], night=[284]),
        "2026-03-03T07:00,rise,,,",
        "2026-03-03T07:30,void,0,,",
    ]

    assert metrics(*rows, weight_kg=weight)["polyuria_24h"] is expected


def test_metrics_do_not_depend_on_the_order_of_events():
    parsed = parse_diary_csv(EXAMPLE)

    assert diary_metrics(parsed[::-1], age=54) == diary_metrics(parsed, age=54)


@pytest.mark.parametrize("options", [{"age": -1}, {"weight_kg": 0}, {"weight_kg": float("nan")}])
def test_nonsense_settings_are_refused(options):
    with pytest.raises(ValueError):
        diary_metrics([], **options)


def test_a_nul_character_is_a_bad_line():
    with pytest.raises(DiaryError) as caught:
        parse_diary_csv(csv_text("2026-03-02T07:00,rise,,,", "2026-03-02T07:05,void,100,,a\x00b"))
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "note")]


# --- The days a patient kept (for "entries on 2 of the 3 days") ---------------------------


def test_days_kept_counts_each_date_with_entries():
    assert days_kept(events("2026-03-02T09:00,drink,200,,", "2026-03-04T10:00,void,300,,")) == [
        date(2026, 3, 2),
        date(2026, 3, 4),
    ]
    assert days_kept([]) == []


def test_the_night_belongs_to_the_evening_before_and_the_last_morning_closes_it():
    # Two full days (rise to rise) and the third morning's getting up and first void.
    kept = days_kept(
        events(
            *full_day(2, [300, 250], night=[200]),
            *full_day(3, [280], night=[150]),
            "2026-03-04T07:00,rise,,,",
            "2026-03-04T07:05,void,310,,",
        )
    )
    assert kept == [date(2026, 3, 2), date(2026, 3, 3)]


def test_a_morning_with_more_than_the_first_void_is_a_day_kept():
    kept = days_kept(
        events(
            "2026-03-04T07:00,rise,,,",
            "2026-03-04T07:05,void,310,,",
            "2026-03-04T08:00,drink,250,,",
        )
    )
    assert kept == [date(2026, 3, 4)]


def test_without_bed_and_rise_every_entry_counts_on_its_own_date():
    kept = days_kept(events("2026-03-02T23:30,void,200,,", "2026-03-03T02:00,void,150,,"))
    assert kept == [date(2026, 3, 2), date(2026, 3, 3)]
