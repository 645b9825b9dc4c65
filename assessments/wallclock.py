"""Diary times are local wall-clock times with no offset (diary-v1): the one place that
stores and reads them.

They are stored as that wall-clock time labelled UTC, so they read back unchanged in any
time zone and sort as they were written.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(local: datetime) -> datetime:
    return local.replace(tzinfo=UTC)


def from_db(stored: datetime) -> datetime:
    return stored.astimezone(UTC).replace(tzinfo=None)
