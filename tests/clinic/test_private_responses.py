"""Responses with patient data are never kept by browsers or proxies."""

from django.urls import reverse

from tests.factories import AssessmentFactory


def assert_not_stored(response) -> None:
    assert response.status_code == 200
    cache = response["Cache-Control"]
    assert "no-store" in cache and "private" in cache


def test_a_patient_page_and_an_intake_export_are_not_stored(therapist_client, patient, therapist):
    assert_not_stored(therapist_client.get(reverse("patient_detail", args=[patient.pk])))
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    assert_not_stored(therapist_client.get(reverse("assessment_export", args=[assessment.pk])))


def test_the_patient_csv_export_is_not_stored(admin_client_, clinic, patient):
    assert_not_stored(admin_client_.get(reverse("patient_export")))


def test_every_page_says_what_the_browser_may_not_use(client):
    response = client.get(reverse("login"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]
