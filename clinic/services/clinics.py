"""Writes for a clinic's own record and settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clinic.models import Clinic


@transaction.atomic
def clinic_update_settings(*, clinic: Clinic, **fields: Any) -> Clinic:
    for name, value in fields.items():
        setattr(clinic, name, value)
    clinic.full_clean()
    clinic.save(update_fields=list(fields))
    return clinic
