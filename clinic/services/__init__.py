"""Writes for the clinic domain, one module per object they change: ``patients``,
``clinics``, ``staff`` and ``patient_import``. The patient and clinic writes are also
importable from here (``from clinic import services``)."""

from clinic.services.clinics import clinic_update_settings
from clinic.services.patients import (
    patient_archive,
    patient_create,
    patient_restore,
    patient_update,
)

__all__ = [
    "clinic_update_settings",
    "patient_archive",
    "patient_create",
    "patient_restore",
    "patient_update",
]
