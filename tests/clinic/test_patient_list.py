import datetime

import pytest
from django.urls import reverse

from clinic.models import Patient
from tests.factories import PatientFactory

URL = reverse("patient_list")


def names(response) -> list[str]:
    return [p.last_name for p in response.context["page"].object_list]


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lists_only_the_users_clinic(therapist_client, patient, other_clinic):
    PatientFactory(clinic=other_clinic, last_name="Elsewhere")
    response = therapist_client.get(URL)
    assert names(response) == ["Santos"]
    assert b"Elsewhere" not in response.content


def test_outsider_sees_none_of_our_patients(outsider_client, patient):
    response = outsider_client.get(URL, {"q": "Santos"})
    assert names(response) == []


@pytest.mark.parametrize(
    "query", ["santos", "SAN", "Maria San", "R0001", "r0001", "1970-05-17", "17/05/1970"]
)
def test_it_finds_by_name_record_number_or_date_of_birth(therapist_client, patient, clinic, query):
    PatientFactory(
        clinic=clinic, first_name="Bea", last_name="Jones", date_of_birth=datetime.date(1980, 1, 1)
    )
    assert names(therapist_client.get(URL, {"q": query})) == ["Santos"]


def test_it_filters_by_therapist(therapist_client, patient, clinic, colleague):
    PatientFactory(clinic=clinic, last_name="Other", assigned_therapist=colleague)
    response = therapist_client.get(URL, {"therapist": colleague.pk})
    assert names(response) == ["Other"]


def test_archived_patients_are_hidden_unless_asked_for(therapist_client, patient, clinic):
    PatientFactory(
        clinic=clinic,
        last_name="Gone",
        archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    assert names(therapist_client.get(URL)) == ["Santos"]
    assert names(therapist_client.get(URL, {"status": "archived"})) == ["Gone"]
    assert sorted(names(therapist_client.get(URL, {"status": "all"}))) == ["Gone", "Santos"]


def test_it_paginates(therapist_client, clinic, settings):
    settings.PATIENTS_PER_PAGE = 5
    PatientFactory.create_batch(12, clinic=clinic)
    first = therapist_client.get(URL)
    third = therapist_client.get(URL, {"page": 3})
    assert len(first.context["page"].object_list) == 5
    assert len(third.context["page"].object_list) == 2
    assert b"Page 1 of 3" in first.content


def test_a_bad_filter_is_not_a_server_error(therapist_client, patient):
    response = therapist_client.get(URL, {"therapist": "not-a-number", "page": "x", "status": "?"})
    assert response.status_code == 200


def test_its_query_count_does_not_grow_with_patients(
    therapist_client, clinic, therapist, django_assert_num_queries
):
    PatientFactory.create_batch(3, clinic=clinic, assigned_therapist=therapist)
    # session, user, memberships, therapist choices, count, page of patients, audit rows
    with django_assert_num_queries(7):
        therapist_client.get(URL)
    PatientFactory.create_batch(40, clinic=clinic, assigned_therapist=therapist)
    with django_assert_num_queries(7):
        therapist_client.get(URL)
    assert Patient.objects.count() == 43
