import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from tests.factories import AccessLogFactory


def test_a_clinic_admin_archives_and_restores(admin_client_, patient):
    admin_client_.post(reverse("patient_archive", args=[patient.pk]))
    patient.refresh_from_db()
    assert patient.is_archived
    admin_client_.post(reverse("patient_restore", args=[patient.pk]))
    patient.refresh_from_db()
    assert not patient.is_archived


def test_a_therapist_cannot_archive(therapist_client, patient):
    response = therapist_client.post(reverse("patient_archive", args=[patient.pk]))
    assert response.status_code == 403
    patient.refresh_from_db()
    assert not patient.is_archived


def test_archive_is_post_only(admin_client_, patient):
    assert admin_client_.get(reverse("patient_archive", args=[patient.pk])).status_code == 405


@pytest.mark.parametrize("name", ["patient_archive", "patient_restore"])
def test_it_checks_clinic_membership(outsider_client, patient, name):
    assert outsider_client.post(reverse(name, args=[patient.pk])).status_code == 404


def test_a_patient_with_records_is_never_deleted(therapist_client, patient, therapist):
    AccessLogFactory(user=therapist, patient=patient)
    with pytest.raises(ProtectedError):
        patient.delete()
