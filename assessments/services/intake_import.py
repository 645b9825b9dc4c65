"""A validated intake file becomes a draft assessment the therapist reviews and completes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from assessments import diary
from assessments.findings import intake_to_findings
from assessments.models import Assessment, Kind
from assessments.services import assessment_create
from assessments.services.diary import diary_replace
from assessments.services.questionnaires import apply_questionnaires
from clinic.models import Patient


@transaction.atomic
def intake_import(
    *,
    patient: Patient,
    intake: dict[str, Any],
    therapist: User,
    events: list[diary.DiaryEvent] | None = None,
    kind: str = Kind.INTAKE,
) -> Assessment:
    """A validated intake becomes a draft assessment the therapist reviews and completes."""
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
