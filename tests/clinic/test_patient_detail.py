import datetime

from django.urls import reverse

from clinic.models import AccessLog


def url(patient) -> str:
    return reverse("patient_detail", args=[patient.pk])


def test_header_shows_name_age_pronouns_and_language(therapist_client, patient):
    patient.preferred_name = "Mia"
    patient.pronouns = "she/her"
    patient.preferred_language = "es"
    patient.save()
    response = therapist_client.get(url(patient))
    header = response.content.decode()
    assert "Mia Santos" in header
    assert f"{patient.age} years" in header
    assert "she/her" in header
    assert "Spanish" in header


def test_a_colleague_in_the_same_clinic_can_open_it(colleague_client, patient):
    assert colleague_client.get(url(patient)).status_code == 200


def test_it_checks_clinic_membership(outsider_client, patient):
    assert outsider_client.get(url(patient)).status_code == 404


def test_an_inactive_membership_sees_nothing(client, therapist, patient):
    therapist.memberships.update(is_active=False)
    client.force_login(therapist)
    assert client.get(url(patient)).status_code == 404


def test_opening_the_record_is_logged_once(therapist_client, therapist, patient):
    therapist_client.get(url(patient))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.patient, entry.what) == (therapist, patient, "Opened patient record")


def test_a_404_is_not_logged(outsider_client, patient):
    outsider_client.get(url(patient))
    assert not AccessLog.objects.exists()


def test_html_in_a_name_is_shown_as_text(therapist_client, patient):
    patient.first_name = "<script>alert(1)</script>"
    patient.save()
    content = therapist_client.get(url(patient)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_its_query_count_is_fixed(therapist_client, patient, django_assert_num_queries):
    # session, user, memberships, patient (with clinic and therapist), access log insert,
    # recent assessments, recent plans, open reviews, open red flags, home tasks (open or to
    # review), the latest patient link
    with django_assert_num_queries(11):
        therapist_client.get(url(patient))


def test_archived_patient_stays_readable(therapist_client, patient):
    patient.archived_at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    patient.save()
    response = therapist_client.get(url(patient))
    assert response.status_code == 200
    assert b"Archived on" in response.content
