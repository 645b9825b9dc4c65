"""Patient list export: exactly the list as filtered on screen, for clinic admins only."""

import datetime

import pytest
from django.urls import reverse

from clinic.models import Patient, Role
from clinic.patient_csv import COLUMNS, parse_patient_csv
from tests.factories import MembershipFactory, PatientFactory

URL = reverse("patient_export")
ARCHIVED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def exported(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def record_numbers(response) -> list[str]:
    return [row.record_number for row in parse_patient_csv(exported(response).encode()).rows]


def on_screen(client, query: dict) -> list[str]:
    page = client.get(reverse("patient_list"), query).context["page"]
    return [p.record_number for p in page.paginator.object_list]


@pytest.fixture
def patients(clinic, therapist, colleague, other_clinic):
    PatientFactory(
        clinic=clinic, record_number="A1", last_name="Santos", assigned_therapist=therapist
    )
    PatientFactory(
        clinic=clinic, record_number="A2", last_name="Sanders", assigned_therapist=colleague
    )
    PatientFactory(clinic=clinic, record_number="A3", last_name="Jones", archived_at=ARCHIVED)
    PatientFactory(clinic=other_clinic, record_number="B1", last_name="Santos")


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "san"}, {"status": "archived"}, {"status": "all"}, {"q": "A3", "status": "all"}],
)
def test_it_exports_the_list_as_filtered_on_screen(admin_client_, patients, query):
    assert record_numbers(admin_client_.get(URL, query)) == on_screen(admin_client_, query)


def test_it_filters_by_therapist(admin_client_, patients, colleague):
    assert record_numbers(admin_client_.get(URL, {"therapist": colleague.pk})) == ["A2"]


def test_every_page_is_exported(admin_client_, clinic, settings):
    settings.PATIENTS_PER_PAGE = 5
    PatientFactory.create_batch(12, clinic=clinic)
    assert len(record_numbers(admin_client_.get(URL, {"page": 2}))) == 12


def test_the_file_opens_in_excel_and_reads_back(admin_client_, clinic, therapist):
    PatientFactory(
        clinic=clinic,
        record_number="R1",
        first_name="Zoë",
        last_name='=HYPERLINK("http://x")',
        phone="+44 20 7946 0000",
        assigned_therapist=therapist,
    )
    response = admin_client_.get(URL)
    text = exported(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="patients-')
    assert response["Cache-Control"] == "no-store, private"
    assert text.startswith("\ufeff" + ",".join(COLUMNS) + "\r\n")
    # The formula is neutralised; the phone number is written as typed.
    assert "'=HYPERLINK" in text and ",+44 20 7946 0000," in text
    (row,) = parse_patient_csv(text.encode()).rows
    assert (row.first_name, row.last_name, row.therapist) == (
        "Zoë",
        '=HYPERLINK("http://x")',
        "tess",
    )


def test_an_admin_of_one_clinic_exports_only_that_clinic(client, clinic, other_clinic, patients):
    # Admin here, therapist there: the list shows both clinics, the export only the one
    # the user administers.
    user = MembershipFactory(clinic=clinic, role=Role.CLINIC_ADMIN).user
    MembershipFactory(user=user, clinic=other_clinic, role=Role.THERAPIST)
    client.force_login(user)
    assert record_numbers(client.get(URL, {"status": "all"})) == ["A3", "A2", "A1"]


def test_a_therapist_cannot_export(therapist_client, patients):
    assert therapist_client.get(URL).status_code == 403


def test_an_outsider_gets_nothing_of_ours(outsider_client, patients):
    assert outsider_client.get(URL).status_code == 403


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_bad_filter_is_not_a_server_error(admin_client_, patients):
    response = admin_client_.get(URL, {"therapist": "x", "status": "?", "q": "\x00" * 500})
    assert record_numbers(response) == ["A2", "A1"]  # current patients, as on screen


def test_its_query_count_does_not_grow_with_patients(
    admin_client_, clinic, therapist, django_assert_max_num_queries
):
    Patient.objects.bulk_create(
        PatientFactory.build_batch(3_000, clinic=clinic, assigned_therapist=therapist)
    )
    # session, user, memberships, audit rows (one INSERT for all), 2 chunks of 2,000
    with django_assert_max_num_queries(8):
        assert len(record_numbers(admin_client_.get(URL))) == 3_000
