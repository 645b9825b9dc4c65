"""Writes for clinics and patients: small, atomic, keyword-only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Clinic, Patient
from clinic.record_numbers import next_record_number

# Two patients added at once may be given the same next number; the second tries again.
RECORD_NUMBER_ATTEMPTS = 5


def _taken_record_numbers(clinic: Clinic) -> list[str]:
    return list(Patient.objects.filter(clinic=clinic).values_list("record_number", flat=True))


def patient_next_record_number(*, clinic: Clinic) -> str:
    """The record number a new patient of this clinic gets when none is typed."""
    return next_record_number(
        clinic.record_number_pattern,
        taken=_taken_record_numbers(clinic),
        year=timezone.localdate().year,
    )


def _record_number_taken(number: str) -> ValidationError:
    return ValidationError(
        {
            "record_number": _(
                "Another patient of this clinic already has record number %(number)s."
            )
            % {"number": number}
        }
    )


@transaction.atomic
def patient_create(*, clinic: Clinic, **fields: Any) -> Patient:
    """A new patient; without a record number, the clinic's next one (its pattern)."""
    typed = (fields.pop("record_number", "") or "").strip()
    for _attempt in range(RECORD_NUMBER_ATTEMPTS):
        number = typed or patient_next_record_number(clinic=clinic)
        patient = Patient(clinic=clinic, record_number=number, **fields)
        patient.full_clean(validate_constraints=False)
        if Patient.objects.filter(clinic=clinic, record_number__iexact=number).exists():
            if typed:
                raise _record_number_taken(number)
            continue
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the rest usable
                patient.save()
        except IntegrityError:
            if typed:
                raise _record_number_taken(number) from None
            continue
        return patient
    raise _record_number_taken(number)


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
