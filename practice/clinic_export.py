"""A clinic's full export for its clinic admin: one zip of that clinic's records only.

- ``patients.csv``: every patient (archived ones too), in the patient import's format;
- ``patients/<record number>-<id>/``: each assessment as intake-v1 JSON (as its own export
  gives it), each care plan as JSON (its record, the careplan-v1 plan as built, its items as
  they stand), and each signed plan's stored PDF, byte for byte;
- ``clinic.json``: the clinic, when and by whom, how many of each, the SHA-256 of each file.

Written to a file (a temporary one, for the view), in a fixed number of queries per
thousand records.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import get_valid_filename

from assessments.models import Assessment
from assessments.selectors import assessment_to_intake
from careplans.models import CarePlan, CarePlanItem
from clinic import patient_csv
from clinic.models import Clinic, Patient

FORMAT = "floorplan-clinic-export/1"
CHUNK = 1000
# The import's columns, read from the model: the therapist by username.
_CSV_FIELDS = tuple(
    "assigned_therapist__username" if column == "therapist" else column
    for column in patient_csv.COLUMNS
)


def _folder(patient_id: int, record_number: str) -> str:
    # Record numbers are unique in a clinic, but two may clean to the same file name.
    return f"patients/{get_valid_filename(f'{record_number}-{patient_id}')}"


def _csv_rows(clinic: Clinic) -> Iterator[patient_csv.PatientRow]:
    patients = Patient.objects.filter(clinic=clinic).values_list(*_CSV_FIELDS)
    for values in patients.iterator(chunk_size=CHUNK):
        *fields, therapist = values
        yield patient_csv.PatientRow(0, *(*fields, therapist or ""))


def _plan_record(plan: CarePlan) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    def who(user: User | None) -> str | None:
        return user.get_username() if user else None

    return {
        "id": plan.pk,
        "assessment_id": plan.assessment_id,
        "version": plan.version,
        "supersedes_id": plan.supersedes_id,
        "status": plan.status,
        "created_at": when(plan.created_at),
        "created_by": who(plan.created_by),
        "signed_at": when(plan.signed_at),
        "signed_by": who(plan.signed_by),
        "pdf_sha256": plan.pdf_sha256 or None,
        "personal_note": plan.personal_note,
        "next_review_on": when(plan.next_review_on),
        "signing_reason": plan.signing_reason,
        "signing_warnings": plan.signing_warnings,
        "careplan": plan.built,
        "items": [
            {
                "position": item.position,
                "code": item.code,
                "category": item.category,
                "phase": item.phase,
                "title": item.title,
                "rationale": item.rationale,
                "dosing": item.dosing,
                "source": item.source,
                "added_by_therapist": item.added_by_therapist,
                "removed": item.removed,
                "removal_reason": item.removal_reason,
                "hold_reason": item.hold_reason,
                "phase_reason": item.phase_reason,
            }
            for item in plan.items.all()
        ],
    }


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str).encode()


def clinic_export_write(*, clinic: Clinic, user: User, out: IO[bytes]) -> list[int]:
    """Write the clinic's export as a zip to ``out``; returns the ids of its patients."""
    files: dict[str, str] = {}
    counts = {"patients": 0, "assessments": 0, "care_plans": 0, "signed_pdfs": 0}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            archive.writestr(name, data)
            files[name] = hashlib.sha256(data).hexdigest()

        add("patients.csv", patient_csv.patients_to_csv(_csv_rows(clinic)).encode())
        patient_ids = list(Patient.objects.filter(clinic=clinic).values_list("pk", flat=True))
        counts["patients"] = len(patient_ids)

        assessments = (
            Assessment.objects.filter(clinic=clinic)
            .select_related("patient")
            .prefetch_related("diary_entries")
            .order_by("patient_id", "assessed_on", "id")
        )
        for assessment in assessments.iterator(chunk_size=CHUNK):
            folder = _folder(assessment.patient_id, assessment.patient.record_number)
            name = f"{folder}/assessment-{assessment.assessed_on}-{assessment.pk}.json"
            add(name, _json(assessment_to_intake(assessment)))
            counts["assessments"] += 1

        plans = (
            CarePlan.objects.filter(patient__clinic=clinic)
            .select_related("patient", "created_by", "signed_by")
            .prefetch_related(Prefetch("items", queryset=CarePlanItem.objects.order_by("position")))
            .order_by("patient_id", "version", "id")
        )
        for plan in plans.iterator(chunk_size=CHUNK):
            folder = _folder(plan.patient_id, plan.patient.record_number)
            stem = f"{folder}/plan-v{plan.version}-{plan.pk}"
            add(f"{stem}.json", _json(_plan_record(plan)))
            counts["care_plans"] += 1
            if plan.is_signed and plan.pdf.name:
                try:
                    with plan.pdf.storage.open(plan.pdf.name, "rb") as stored:
                        add(f"{stem}-signed.pdf", stored.read())
                    counts["signed_pdfs"] += 1
                except FileNotFoundError:
                    files[f"{stem}-signed.pdf"] = "missing"

        add(
            "clinic.json",
            _json(
                {
                    "format": FORMAT,
                    "clinic": {"id": clinic.pk, "name": clinic.name},
                    "exported_at": timezone.now().isoformat(),
                    "exported_by": user.get_username(),
                    "counts": counts,
                    "sha256": files,
                }
            ),
        )
    return patient_ids


def export_filename(clinic: Clinic, day: date) -> str:
    return f"{clinic.name} export {day.isoformat()}.zip"
