"""A clinic admin downloads their clinic's records: that clinic's, and no other's."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.intake import intake_errors
from clinic.models import AccessLog, AuditAction
from tests.factories import (
    AssessmentFactory,
    DiaryEntryFactory,
    PatientFactory,
    SignedCarePlanFactory,
    sample_pdf,
)


def url(clinic) -> str:
    return reverse("clinic_export", args=[clinic.pk])


@pytest.fixture
def records(media_root, clinic, patient, other_clinic_patient):
    archived = PatientFactory(clinic=clinic, record_number="R0002", archived_at=timezone.now())
    plan = SignedCarePlanFactory(assessment__patient=patient, with_items=True)
    DiaryEntryFactory(assessment=plan.assessment)
    AssessmentFactory(patient=archived)
    SignedCarePlanFactory(assessment__patient=other_clinic_patient)
    return plan


def download(client, clinic) -> zipfile.ZipFile:
    response = client.post(url(clinic))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_page_offers_the_download(admin_client_, clinic):
    response = admin_client_.get(url(clinic))
    assert response.status_code == 200
    assert b"Download the export (zip)" in response.content
    assert (
        url(clinic).encode()
        in admin_client_.get(reverse("clinic_settings", args=[clinic.pk])).content
    )


def test_the_zip_holds_the_clinics_patients_assessments_plans_and_signed_pdfs(
    admin_client_, clinic, patient, records
):
    archive = download(admin_client_, clinic)
    names = archive.namelist()
    rows = list(csv.DictReader(io.StringIO(archive.read("patients.csv").decode("utf-8-sig"))))
    assert sorted(row["record_number"] for row in rows) == ["R0001", "R0002"]

    folder = f"patients/R0001-{patient.pk}"
    (intake_name,) = [n for n in names if n.startswith(f"{folder}/assessment-")]
    intake = json.loads(archive.read(intake_name))
    assert intake_errors(intake) == [] and len(intake["diary"]) == 1

    plan = json.loads(archive.read(f"{folder}/plan-v1-{records.pk}.json"))
    assert plan["status"] == "signed" and plan["careplan"]["schema"] == "pelvic-careplan/1"
    assert len(plan["items"]) == records.items.count() > 0
    pdf = archive.read(f"{folder}/plan-v1-{records.pk}-signed.pdf")
    assert pdf == sample_pdf() and hashlib.sha256(pdf).hexdigest() == plan["pdf_sha256"]

    index = json.loads(archive.read("clinic.json"))
    assert index["counts"] == {"patients": 2, "assessments": 2, "care_plans": 1, "signed_pdfs": 1}
    assert (
        index["sha256"]["patients.csv"] == hashlib.sha256(archive.read("patients.csv")).hexdigest()
    )


def test_another_clinics_records_are_absent(admin_client_, clinic, records, other_clinic_patient):
    # Names no other text (nor a compressed PDF's bytes) could hold by chance.
    other_clinic_patient.record_number = "HARBOUR-REC-7731"
    other_clinic_patient.last_name = "Quillfeatherstone"
    other_clinic_patient.save()
    archive = download(admin_client_, clinic)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert other_clinic_patient.record_number.encode() not in everything
    assert other_clinic_patient.last_name.encode() not in everything
    assert not [n for n in archive.namelist() if f"-{other_clinic_patient.pk}/" in n]


def test_it_is_recorded_for_every_patient(admin_client_, clinic, clinic_admin, patient, records):
    download(admin_client_, clinic)
    rows = AccessLog.objects.filter(action=AuditAction.EXPORT, user=clinic_admin)
    assert sorted(rows.values_list("patient__record_number", flat=True)) == ["R0001", "R0002"]
    assert {row.clinic_id for row in rows} == {clinic.pk}


def test_an_empty_clinic_exports_and_is_recorded(admin_client_, clinic, media_root):
    archive = download(admin_client_, clinic)
    assert json.loads(archive.read("clinic.json"))["counts"]["patients"] == 0
    assert AccessLog.objects.filter(action=AuditAction.EXPORT, clinic=clinic).count() == 1


def test_a_therapist_is_refused(therapist_client, clinic):
    assert therapist_client.get(url(clinic)).status_code == 403
    assert therapist_client.post(url(clinic)).status_code == 403


def test_another_clinics_admin_finds_nothing(client, other_clinic_admin, clinic, records):
    client.force_login(other_clinic_admin)
    assert client.get(url(clinic)).status_code == 404
    assert client.post(url(clinic)).status_code == 404
    assert not AccessLog.objects.filter(action=AuditAction.EXPORT).exists()
