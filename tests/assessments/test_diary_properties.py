"""Bladder diary properties: hostile input only ever raises DiaryError; metrics always hold."""

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

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
from tests.assessments.diary_contract import OUTPUT_KEYS

HEADER = ",".join(CSV_COLUMNS)
START = datetime.fromisoformat("2026-03-02T00:00")  # diary times are naive local


def check_error(error: DiaryError, last_line: int) -> None:
    assert error.errors
    for row_error in error.errors:
        assert 1 <= row_error.line <= last_line
        assert row_error.message.startswith(f"Line {row_error.line}: ")
    assert str(error) == "\n".join(e.message for e in error.errors)


def physical_lines(text: str) -> int:
    # The csv reader is fed through StringIO(newline=""), which ends lines at \r, \n, \r\n.
    return max(1, len(re.findall(r"\r\n|\r|\n", text)) + 1)


# --- Hostile text -------------------------------------------------------------------------

field = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            "2026-03-02T07:05",
            "2026-03-02 07:05:59",
            "2026-03-02T07:05+01:00",
            "2026-02-30T07:05",
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            *EVENT_TYPES,
            "VOID",
            "0",
            "4",
            "2000",
            "2001",
            "-1",
            "1e3",
            "12.5",
            "٣",
            "9" * 5000,
            '"',
            '""',
            '"a,b"',
            "a\nb",
            "\r",
            "\x00",
            "\ufeff",
        ]
    ),
)
row_text = st.lists(field, max_size=8).map(",".join)
header_text = st.one_of(st.just(HEADER), st.just("\ufeff" + HEADER.upper()), row_text)
newline = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def hostile_csv(draw: st.DrawFn) -> str:
    lines = [draw(header_text), *draw(st.lists(row_text, max_size=30))]
    return draw(newline).join(lines) + draw(st.sampled_from(["", "\n"]))


@given(st.text())
def test_any_text_gives_events_or_a_diary_error(text):
    try:
        parsed = parse_diary_csv(text)
    except DiaryError as error:
        check_error(error, physical_lines(text))
    else:
        assert all(isinstance(event, DiaryEvent) for event in parsed)


@given(hostile_csv())
def test_hostile_csv_gives_events_or_a_diary_error(text):
    try:
        parsed = parse_diary_csv(text)
    except DiaryError as error:
        check_error(error, physical_lines(text))
    else:
        for event in parsed:
            assert event.event in EVENT_TYPES
            assert event.volume_ml is None or 0 <= event.volume_ml <= 2000
            assert event.urgency is None or 0 <= event.urgency <= 4
            assert event.time.tzinfo is None
            diary_metrics(parsed, age=70, weight_kg=70)


value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**4000, max_value=10**5000),
    st.floats(),
    field,
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
inline_row = st.one_of(
    st.dictionaries(st.sampled_from(CSV_COLUMNS), value),
    st.dictionaries(st.one_of(st.sampled_from(CSV_COLUMNS), st.text(max_size=5)), value),
    value,
)


@given(st.lists(inline_row, max_size=20))
def test_hostile_inline_rows_give_events_or_a_diary_error(rows):
    try:
        parsed = parse_diary_rows(rows)
    except DiaryError as error:
        check_error(error, len(rows) + 1)
    else:
        assert [event.line for event in parsed] == list(range(2, len(rows) + 2))


# --- Valid events -------------------------------------------------------------------------


@st.composite
def diary_event(draw: st.DrawFn, line: int = 0) -> DiaryEvent:
    # Four days in whole minutes, some with seconds, so that events often share a minute.
    minutes = draw(st.integers(min_value=0, max_value=4 * 24 * 60))
    seconds = draw(st.sampled_from([0, 0, 0, 30]))
    kind = draw(st.sampled_from(EVENT_TYPES))
    volume = draw(st.none() | st.integers(0, 2000)) if kind in ("void", "drink") else None
    urgency = draw(st.none() | st.integers(0, 4)) if kind in ("void", "leak") else None
    # A NUL character is a bad line (databases cannot store it), so a valid note has none.
    note = draw(st.text(max_size=30).filter(lambda text: "\x00" not in text)).strip()
    time = START + timedelta(minutes=minutes, seconds=seconds)
    return DiaryEvent(line, time, kind, volume, urgency, note)


@st.composite
def structured_diary(draw: st.DrawFn) -> list[DiaryEvent]:
    """Days in order (rise, day events, one or more beds, night voids), mostly measured, so
    that complete days are common; then a few stray events anywhere."""
    volume = st.one_of(st.integers(0, 2000), st.integers(0, 2000), st.integers(0, 2000), st.none())
    time = START + timedelta(minutes=draw(st.integers(0, 600)))
    events = []

    def add(kind: str, ml: int | None = None, urgency: int | None = None) -> None:
        nonlocal time
        time += timedelta(minutes=draw(st.integers(1, 300)))
        events.append(DiaryEvent(0, time, kind, ml, urgency, ""))

    for _ in range(draw(st.integers(0, 4))):
        add("rise")
        for _ in range(draw(st.integers(0, 10))):
            kind = draw(st.sampled_from(["void", "void", "drink", "leak"]))
            ml = draw(volume) if kind != "leak" else None
            add(kind, ml, draw(st.none() | st.integers(0, 4)) if kind != "drink" else None)
        for _ in range(draw(st.integers(0, 2))):
            add("bed")
        for _ in range(draw(st.integers(0, 3))):
            add("void", draw(volume), draw(st.none() | st.integers(0, 4)))
    return events + draw(st.lists(diary_event(), max_size=3))


# Either events anywhere (rises and beds are drawn often enough to make days and nights),
# or days in order.
diary = st.one_of(st.lists(diary_event(), max_size=60), structured_diary())


@given(diary, st.none() | st.integers(0, 120), st.none() | st.floats(1, 300))
def test_metrics_of_any_valid_diary(events, age, weight):
    result = diary_metrics(events, age=age, weight_kg=weight)

    assert list(result) == OUTPUT_KEYS
    json.dumps(result, allow_nan=False)
    assert 0 <= result["complete_days"] <= result["days_recorded"]
    if result["npi"] is not None:
        assert 0 <= result["npi"] <= 1
        assert (result["nocturnal_polyuria"] is None) == (age is None)
    else:
        assert result["nocturnal_polyuria"] is None
    if result["days_recorded"] == 0:
        assert result["daytime_frequency"] is None
        assert result["increased_daytime_frequency"] is None
        assert result["incontinence_episodes_per_day"] is None
    for key, number in result.items():
        assert number is None or isinstance(number, bool | int | float)
        assert isinstance(number, bool) or number is None or number >= 0, key
    if result["max_voided_volume_ml"] is not None:
        assert result["mean_voided_volume_ml"] <= result["max_voided_volume_ml"]
    interval = mean_daytime_interval_min(events)
    assert interval is None or interval >= 0


@given(diary)
def test_days_split_the_diary_from_the_first_rise(events):
    days = diary_days(events)

    in_days = [event for day in days for event in day.events]
    rises = [event.time for event in events if event.event == "rise"]
    after_first_rise = [e for e in events if rises and e.time >= min(rises)]
    assert sorted(in_days, key=id) == sorted(after_first_rise, key=id)
    for number, day in enumerate(days, start=1):
        assert day.number == number
        assert all(day.rise <= event.time <= day.end for event in day.events)
        if day.npi is not None:
            assert 0 <= day.npi <= 1
        if day.complete:
            assert day.bed is not None and day.next_rise is not None
            assert day.voided_volume_24h_ml is not None
            assert day.nocturnal_urine_volume_ml is not None
            assert day.nocturnal_urine_volume_ml <= day.voided_volume_24h_ml


@given(diary)
def test_days_kept_are_dates_of_entries_in_order(events):
    kept = days_kept(events)
    dates = {event.time.date() for event in events}
    assert kept == sorted(set(kept))
    # A night after midnight counts for the evening before, never for a date with no entry.
    assert set(kept) <= dates
    assert len(kept) <= len(dates)
    assert bool(kept) or not any(e.event not in ("rise", "void") for e in events)


@given(diary.map(lambda events: list({e.time: e for e in events}.values())), st.randoms())
def test_metrics_do_not_depend_on_the_order_of_rows(events, random):
    shuffled = list(events)
    random.shuffle(shuffled)

    assert diary_metrics(shuffled, age=50, weight_kg=60) == diary_metrics(
        events, age=50, weight_kg=60
    )


@given(diary)
def test_events_round_trip_through_csv(events):
    back = parse_diary_csv(events_to_csv(events))

    assert [replace(e, line=0) for e in back] == events
