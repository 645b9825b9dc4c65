"""Issue 10: every download names its file through Django's own Content-Disposition
handling, so a record number with a line break, a quote or an accent downloads fine."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.factories import AssessmentFactory, SignedCarePlanFactory

RECORD = 'R1\n"x"é'


def downloaded_name(header: str) -> str:
    """The file name a browser takes from a Content-Disposition header."""
    kind, _, rest = header.partition("; ")
    assert kind in ("inline", "attachment") and "\n" not in header
    if rest.startswith("filename*=utf-8''"):
        return unquote(rest.removeprefix("filename*=utf-8''"))
    assert rest.startswith('filename="') and rest.endswith('"')
    return rest[len('filename="') : -1].replace('\\"', '"').replace("\\\\", "\\")


@pytest.fixture
def hostile_patient(patient):
    patient.record_number = RECORD
    patient.save()
    return patient


@pytest.mark.parametrize("record", ['R2"; filename="evil.exe', "R3\\", "R4\r\nX-Injected: 1"])
def test_a_record_number_never_changes_the_header(therapist_client, patient, therapist, record):
    patient.record_number = record
    patient.save()
    plan = SignedCarePlanFactory(assessment__patient=patient, assessment__therapist=therapist)
    response = therapist_client.get(reverse("plan_document", args=[plan.pk, "patient", "pdf"]))
    assert downloaded_name(response["Content-Disposition"]) == f"patient-{record}-v1.pdf"
    assert "X-Injected" not in response.headers


@pytest.fixture
def signed(hostile_patient, therapist):
    return SignedCarePlanFactory(
        assessment__patient=hostile_patient, assessment__therapist=therapist
    )


def test_the_signed_plan_downloads(therapist_client, signed):
    response = therapist_client.get(reverse("plan_document", args=[signed.pk, "patient", "pdf"]))
    assert response.status_code == 200
    assert downloaded_name(response["Content-Disposition"]) == f"patient-{RECORD}-v1.pdf"


def test_a_rendered_document_downloads(therapist_client, signed):
    response = therapist_client.get(reverse("plan_document", args=[signed.pk, "clinician", "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert downloaded_name(response["Content-Disposition"]) == f"clinician-{RECORD}-v1.pdf"


def test_the_intake_export_downloads(therapist_client, hostile_patient, therapist):
    assessment = AssessmentFactory(patient=hostile_patient, therapist=therapist)
    response = therapist_client.get(reverse("assessment_export", args=[assessment.pk]))
    assert response.status_code == 200
    name = downloaded_name(response["Content-Disposition"])
    assert name == f"intake-{RECORD}-{assessment.assessed_on}.json"


def test_the_outcomes_csv_downloads(therapist_client, hostile_patient):
    response = therapist_client.get(reverse("patient_outcomes_csv", args=[hostile_patient.pk]))
    assert response.status_code == 200
    assert downloaded_name(response["Content-Disposition"]).startswith("outcomes-R1")
