"""Writes for assessments: small, atomic, keyword-only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.findings import FINDING_COLUMNS
from assessments.intake import FieldError, intake_errors
from assessments.models import Assessment, Kind, Status
from assessments.selectors import assessment_to_intake
from clinic.models import Patient

EDITABLE = [
    *FINDING_COLUMNS,
    "kind",
    "assessed_on",
    "weight_kg",
    "chief_complaint",
    "goals",
    "red_flags",
    "notes",
]


class EditConflict(Exception):
    """Someone else saved this assessment since the editor opened it."""

    def __init__(self, current: Assessment) -> None:
        super().__init__("edit conflict")
        self.current = current


class NotADraft(Exception):
    pass


class IncompleteIntake(Exception):
    """Completing checks the rules of intake-v1; each error names its contract field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


def snapshot(assessment: Assessment) -> dict[str, Any]:
    """The editable values as plain JSON, to tell later what someone else changed."""
    values = {}
    for name in EDITABLE:
        value = getattr(assessment, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        values[name] = value
    return values


def changes_since(
    original: dict[str, Any], current: Assessment, *, labels: dict[str, str]
) -> list[dict[str, str]]:
    """What someone else changed since ``original`` (a snapshot), field by field, for the
    edit-conflict notice; only fields with a label on the page are listed."""
    changes = []
    for name, value in snapshot(current).items():
        if original.get(name) != value and name in labels:
            changes.append(
                {
                    "field": labels[name],
                    "before": "—" if original.get(name) is None else str(original.get(name)),
                    "after": "—" if value is None else str(value),
                }
            )
    return changes


@transaction.atomic
def assessment_create(
    *,
    patient: Patient,
    therapist: User,
    kind: str = Kind.INTAKE,
    prefill_from: Assessment | None = None,
) -> Assessment:
    assessment = Assessment(patient=patient, therapist=therapist, kind=kind, updated_by=therapist)
    if prefill_from is not None:
        # A review starts from what was found last time; the therapist updates what changed.
        for name in [*FINDING_COLUMNS, "weight_kg"]:
            setattr(assessment, name, getattr(prefill_from, name))
    assessment.full_clean()
    assessment.save()
    return assessment


def _edit(
    assessment: Assessment,
    *,
    values: dict[str, Any] | None,
    expected_version: int | None,
    user: User,
) -> Assessment:
    """The draft, re-read under a lock, with the new values; refused when it is no longer a
    draft or someone saved since ``expected_version``."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.status != Status.DRAFT:
        raise NotADraft()
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    for name, value in (values or {}).items():
        setattr(current, name, value)
    current.has_red_flags = bool(current.red_flags)
    current.version += 1
    current.updated_by = user
    return current


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    values: dict[str, Any],
    expected_version: int,
    user: User,
) -> Assessment:
    """Save a draft. Refused if someone saved since `expected_version`."""
    current = _edit(assessment, values=values, expected_version=expected_version, user=user)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    user: User,
    values: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Complete a draft: with the new values, it must meet intake-v1 (IncompleteIntake names
    each field that does not); then it is locked. The one way an assessment completes:
    ``careplans.services.visit_complete`` calls it and closes the reviews a visit answers."""
    current = _edit(assessment, values=values, expected_version=expected_version, user=user)
    errors = intake_errors(assessment_to_intake(current, with_diary=False))
    if errors:
        raise IncompleteIntake(errors)
    current.status = Status.COMPLETE
    current.completed_at = timezone.now()
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def assessment_record_referral(*, assessment: Assessment, user: User, note: str) -> Assessment:
    assessment.referral_recorded_at = timezone.now()
    assessment.referral_recorded_by = user
    assessment.referral_note = note
    assessment.save(update_fields=["referral_recorded_at", "referral_recorded_by", "referral_note"])
    return assessment
