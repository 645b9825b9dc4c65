"""Assessments to and from intake-v1 JSON (the contract at the project's edge)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from assessments import diary
from assessments.findings import findings_to_intake, intake_to_findings
from assessments.intake import FieldError, IntakeError
from assessments.models import Assessment, Kind
from assessments.services import (
    FINDING_COLUMNS,
    assessment_create,
    diary_replace,
    diary_time_from_db,
)
from clinic.i18n import gettext as _
from clinic.models import Patient

SCHEMA = "pelvic-intake/1"


def _plain(value: Any) -> Any:
    # 82.0 kg reads back as 82, as the therapist typed it.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def diary_events(assessment: Assessment) -> list[diary.DiaryEvent]:
    return [
        diary.DiaryEvent(
            line=n,
            time=diary_time_from_db(entry.time),
            event=entry.event,
            volume_ml=entry.volume_ml,
            urgency=entry.urgency,
            note=entry.note,
        )
        for n, entry in enumerate(assessment.diary_entries.all(), start=2)
    ]


def _diary_row(event: diary.DiaryEvent) -> dict[str, Any]:
    row: dict[str, Any] = {
        "time": event.time.isoformat(timespec="seconds" if event.time.second else "minutes"),
        "event": event.event,
    }
    if event.volume_ml is not None:
        row["volume_ml"] = event.volume_ml
    if event.urgency is not None:
        row["urgency"] = event.urgency
    if event.note:
        row["note"] = event.note
    return row


def assessment_to_intake(assessment: Assessment, *, with_diary: bool = True) -> dict[str, Any]:
    patient = assessment.patient
    person: dict[str, Any] = {
        "anatomy": patient.anatomy,
        "age": patient.age_on(assessment.assessed_on),
    }
    if assessment.weight_kg is not None:
        person["weight_kg"] = _plain(assessment.weight_kg)
    if patient.pronouns:
        person["pronouns"] = patient.pronouns[:40]
    if patient.preferred_language:
        person["language"] = patient.preferred_language
    intake: dict[str, Any] = {"schema": SCHEMA, "patient": person}
    values = {name: _plain(getattr(assessment, name)) for name in FINDING_COLUMNS}
    intake.update(findings_to_intake(values))
    if assessment.red_flags is not None:
        intake["red_flags"] = list(assessment.red_flags)
    if assessment.questionnaires:
        intake["questionnaires"] = assessment.questionnaires
    if with_diary:
        events = diary_events(assessment)
        if events:
            intake["diary"] = [_diary_row(e) for e in events]
    return intake


@transaction.atomic
def intake_import(
    *,
    patient: Patient,
    intake: dict[str, Any],
    therapist,
    events: list[diary.DiaryEvent] | None = None,
    kind: str = Kind.INTAKE,
) -> Assessment:
    """A validated intake becomes a draft assessment the therapist reviews and completes."""
    from assessments.questionnaire_store import apply_questionnaires

    assessment = assessment_create(patient=patient, therapist=therapist, kind=kind)
    for name, value in intake_to_findings(intake).items():
        setattr(assessment, name, value)
    weight = intake["patient"].get("weight_kg")
    assessment.weight_kg = weight
    assessment.red_flags = intake.get("red_flags")
    assessment.has_red_flags = bool(assessment.red_flags)
    apply_questionnaires(assessment, intake.get("questionnaires") or {})
    assessment.full_clean()
    assessment.save()
    if events:
        diary_replace(assessment=assessment, events=events)
    return assessment


def intake_diary(intake: dict[str, Any], *, folder: Path | None) -> list[diary.DiaryEvent]:
    """The diary of an intake: inline rows, or a CSV path relative to the intake's folder.

    Raises IntakeError naming the `diary` field and each bad line.
    """
    source = intake.get("diary")
    if source is None:
        return []
    try:
        if isinstance(source, list):
            return diary.parse_diary_rows(source)
        if folder is None:
            raise _diary_error(
                _("a file path cannot be followed from an upload: put the diary rows in the file")
            )
        try:
            with (folder / source).open("rb") as file:
                text = diary.decode_diary_file(file.read(diary.MAX_FILE_BYTES + 1))
        except OSError as error:
            raise _diary_error(
                _("cannot read %(path)s: %(reason)s") % {"path": source, "reason": error}
            ) from None
        return diary.parse_diary_csv(text)
    except diary.DiaryError as error:
        raise IntakeError([FieldError("diary", e.message) for e in error.errors]) from None


def _diary_error(message: str) -> IntakeError:
    return IntakeError([FieldError("diary", message)])
