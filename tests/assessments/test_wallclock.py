"""assessments.wallclock: the one converter of diary times between the wall-clock time a
diary records and the value stored. Pure: no database."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import wallclock
from assessments.models import DiaryEntry

WALL = datetime(2026, 3, 2, 6, 45)  # noqa: DTZ001 (wall-clock)


def test_a_wall_clock_time_is_stored_as_the_same_time_labelled_utc():
    assert wallclock.to_db(WALL) == datetime(2026, 3, 2, 6, 45, tzinfo=UTC)


def test_a_stored_time_reads_back_as_the_wall_clock_time_in_any_zone():
    # The database may hand the value back in another zone; the instant is what counts.
    stored = wallclock.to_db(WALL).astimezone(timezone(timedelta(hours=-5)))
    assert wallclock.from_db(stored) == WALL
    assert wallclock.from_db(stored).tzinfo is None


@given(st.datetimes())
def test_what_is_stored_reads_back_unchanged(local):
    assert wallclock.from_db(wallclock.to_db(local)) == local


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Auckland"])
def test_a_diary_entry_names_its_wall_clock_time_in_any_zone(settings, zone):
    settings.TIME_ZONE = zone
    entry = DiaryEntry(time=wallclock.to_db(WALL), event="rise")
    assert str(entry) == "2026-03-02 06:45 rise"
