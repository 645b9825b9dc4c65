"""Reads for assessments that span models: an assessment as intake-v1 JSON, its diary
events, the latest visit."""

from __future__ import annotations

from typing import Any

from assessments import diary, wallclock
from assessments.findings import FINDING_COLUMNS, findings_to_intake
from assessments.models import Assessment
from clinic.models import Patient
from clinic.patient_languages import OTHER

SCHEMA = "pelvic-intake/1"


def _plain(value: Any) -> Any:
    # 82.0 kg reads back as 82, as the therapist typed it.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def diary_events(assessment: Assessment) -> list[diary.DiaryEvent]:
    return [
        diary.DiaryEvent(
            line=n,
            time=wallclock.from_db(entry.time),
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
    # "other" is no language tag: the file then says nothing (the plan prints in the
    # clinic's language, and the patient record names the language).
    if patient.preferred_language and patient.preferred_language != OTHER:
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


def latest_assessment(patient: Patient) -> Assessment | None:
    return patient.assessments.order_by("-assessed_on", "-id").first()
