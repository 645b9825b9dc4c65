"""Writes for assessments: small, atomic, keyword-only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.findings import all_columns
from assessments.models import Assessment, DiaryEntry, Kind, Status
from clinic.models import Patient

FINDING_COLUMNS = [name for _, _, name in all_columns()]
EDITABLE = [*FINDING_COLUMNS, "kind", "assessed_on", "weight_kg", "red_flags", "notes"]


class EditConflict(Exception):
    """Someone else saved this assessment since the editor opened it."""

    def __init__(self, current: Assessment) -> None:
        super().__init__("edit conflict")
        self.current = current


class NotADraft(Exception):
    pass


def snapshot(assessment: Assessment) -> dict[str, Any]:
    """The editable values as plain JSON, to tell later what someone else changed."""
    values = {}
    for name in EDITABLE:
        value = getattr(assessment, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        values[name] = value
    return values


@transaction.atomic
def assessment_create(
    *, patient: Patient, therapist, kind: str = Kind.INTAKE, prefill_from: Assessment | None = None
) -> Assessment:
    assessment = Assessment(patient=patient, therapist=therapist, kind=kind, updated_by=therapist)
    if prefill_from is not None:
        # A review starts from what was found last time; the therapist updates what changed.
        for name in [*FINDING_COLUMNS, "weight_kg"]:
            setattr(assessment, name, getattr(prefill_from, name))
    assessment.full_clean()
    assessment.save()
    return assessment


def latest_assessment(patient: Patient) -> Assessment | None:
    return patient.assessments.order_by("-assessed_on", "-id").first()


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    values: dict[str, Any],
    expected_version: int,
    user,
    complete: bool = False,
) -> Assessment:
    """Save a draft (or complete it). Refused if someone saved since `expected_version`."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.status != Status.DRAFT:
        raise NotADraft()
    if current.version != expected_version:
        raise EditConflict(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.has_red_flags = bool(current.red_flags)
    current.version += 1
    current.updated_by = user
    if complete:
        current.status = Status.COMPLETE
        current.completed_at = timezone.now()
    current.full_clean()
    current.save()
    if complete and current.kind == Kind.REVIEW:
        from careplans.services import reviews_close_for_visit  # careplans builds on us

        reviews_close_for_visit(assessment=current)
    return current


@transaction.atomic
def assessment_record_referral(*, assessment: Assessment, user, note: str) -> Assessment:
    assessment.referral_recorded_at = timezone.now()
    assessment.referral_recorded_by = user
    assessment.referral_note = note
    assessment.save(update_fields=["referral_recorded_at", "referral_recorded_by", "referral_note"])
    return assessment


def diary_time_to_db(local: datetime) -> datetime:
    # A diary is local wall-clock time without an offset (diary-v1); it is stored as
    # that wall-clock time labelled UTC, so it reads back unchanged in any time zone.
    return local.replace(tzinfo=UTC)


def diary_time_from_db(stored: datetime) -> datetime:
    return stored.astimezone(UTC).replace(tzinfo=None)


def _lock_draft(assessment: Assessment) -> None:
    # Re-read under a lock: someone may have completed the assessment meanwhile.
    if Assessment.objects.select_for_update().get(pk=assessment.pk).status != Status.DRAFT:
        raise NotADraft()


@transaction.atomic
def diary_replace(*, assessment: Assessment, events: list) -> int:
    """Replace the diary with parsed events (all or nothing)."""
    _lock_draft(assessment)
    assessment.diary_entries.all().delete()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            assessment=assessment,
            time=diary_time_to_db(e.time),
            event=e.event,
            volume_ml=e.volume_ml,
            urgency=e.urgency,
            note=e.note,
        )
        for e in events
    )
    return len(events)


@transaction.atomic
def diary_add(*, assessment: Assessment, event) -> DiaryEntry:
    _lock_draft(assessment)
    entry = DiaryEntry(
        assessment=assessment,
        time=diary_time_to_db(event.time),
        event=event.event,
        volume_ml=event.volume_ml,
        urgency=event.urgency,
        note=event.note,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def diary_entry_delete(*, entry: DiaryEntry) -> None:
    # A diary row may be corrected while the assessment is a draft; never after.
    _lock_draft(entry.assessment)
    entry.delete()
