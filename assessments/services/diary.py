"""Writes for a bladder diary: all or nothing, and only while the assessment is a draft."""

from __future__ import annotations

from django.db import transaction

from assessments import wallclock
from assessments.diary import DiaryEvent
from assessments.models import Assessment, DiaryEntry, Status
from assessments.services.assessments import NotADraft


def _lock_draft(assessment: Assessment) -> None:
    # Re-read under a lock: someone may have completed the assessment meanwhile.
    if Assessment.objects.select_for_update().get(pk=assessment.pk).status != Status.DRAFT:
        raise NotADraft()


@transaction.atomic
def diary_replace(*, assessment: Assessment, events: list[DiaryEvent]) -> int:
    """Replace the diary with parsed events (all or nothing)."""
    _lock_draft(assessment)
    assessment.diary_entries.all().delete()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            assessment=assessment,
            time=wallclock.to_db(e.time),
            event=e.event,
            volume_ml=e.volume_ml,
            urgency=e.urgency,
            note=e.note,
        )
        for e in events
    )
    return len(events)


@transaction.atomic
def diary_add(*, assessment: Assessment, event: DiaryEvent) -> DiaryEntry:
    _lock_draft(assessment)
    entry = DiaryEntry(
        assessment=assessment,
        time=wallclock.to_db(event.time),
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
