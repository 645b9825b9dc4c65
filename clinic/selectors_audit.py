"""The audit report's rows: a clinic's access log, filtered as its clinic admin asks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from clinic.models import AccessLog, Clinic, Patient


def _start_of(day: date) -> datetime:
    # The clinic's days: settings.TIME_ZONE, the default time zone.
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def audit_rows(clinic: Clinic, filters: dict[str, Any]) -> QuerySet[AccessLog]:
    """Newest first; ``filters`` are the clean data of AuditFilterForm (any may be empty).
    Ordered on the clinic's (clinic, at) index, with the id as a tie-breaker the index
    holds too, so a page reads a few index entries whatever the size of the log."""
    rows = AccessLog.objects.filter(clinic=clinic)
    if filters.get("user"):
        rows = rows.filter(user=filters["user"])
    if filters.get("patient"):
        patients = Patient.objects.filter(clinic=clinic).search(filters["patient"])
        rows = rows.filter(patient__in=patients.values("pk"))
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("date_from"):
        rows = rows.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        rows = rows.filter(at__lt=_start_of(filters["date_to"] + timedelta(days=1)))
    return rows.select_related("user", "patient").order_by("-at", "pk")


def audit_page(
    rows: QuerySet[AccessLog], *, number: int, size: int
) -> tuple[list[AccessLog], bool]:
    """One page of rows and whether an older page follows. No COUNT: counting a log of
    millions of rows would make the page slower as the clinic's history grows."""
    start = (number - 1) * size
    found = list(rows[start : start + size + 1])
    return found[:size], len(found) > size


def audit_csv_rows(rows: QuerySet[AccessLog]) -> Iterator[list[object]]:
    """The rows of the CSV export, read in chunks: an export of a year is not held in memory."""
    for entry in rows.iterator(chunk_size=2_000):
        yield [
            timezone.localtime(entry.at, timezone.get_default_timezone()).isoformat(),
            entry.user.get_username() if entry.user else entry.username,
            entry.user.get_full_name() if entry.user else "",
            entry.get_role_display(),
            entry.get_action_display(),
            entry.what,
            entry.patient.record_number if entry.patient else "",
            entry.query,
            entry.ip_address or "",
            entry.path,
        ]
