"""Writes for clinics and patients: small, atomic, keyword-only."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from clinic.models import Clinic, Patient


@transaction.atomic
def patient_create(*, clinic: Clinic, **fields: Any) -> Patient:
    patient = Patient(clinic=clinic, **fields)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, **fields: Any) -> Patient:
    for name, value in fields.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save(update_fields=[*fields, "updated_at"])
    return patient


@transaction.atomic
def patient_archive(*, patient: Patient) -> Patient:
    # Clinical records are never deleted: archiving hides the patient from the
    # everyday list and keeps every record readable.
    if patient.archived_at is None:
        patient.archived_at = timezone.now()
        patient.save(update_fields=["archived_at", "updated_at"])
    return patient


@transaction.atomic
def patient_restore(*, patient: Patient) -> Patient:
    if patient.archived_at is not None:
        patient.archived_at = None
        patient.save(update_fields=["archived_at", "updated_at"])
    return patient
