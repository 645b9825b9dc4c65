import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from careplans.models import Review
from tests.factories import AssessmentFactory, CarePlanFactory, PatientFactory, ReviewFactory

URL = reverse("home")


def make_review(patient, therapist, *, days: int, closed: bool = False) -> Review:
    # Behind each review a draft plan, counted among the therapist's drafts.
    plan = CarePlanFactory(assessment__patient=patient, assessment__therapist=therapist)
    return ReviewFactory(
        plan=plan,
        reason="bladder_training",
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        closed=closed,
    )


@pytest.fixture
def week(clinic, therapist, colleague):
    mine = PatientFactory(clinic=clinic, assigned_therapist=therapist, last_name="Mine")
    theirs = PatientFactory(clinic=clinic, assigned_therapist=colleague, last_name="Theirs")
    make_review(mine, therapist, days=-3)
    make_review(mine, therapist, days=-10, closed=True)
    make_review(theirs, colleague, days=-1)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    days_left = (monday + datetime.timedelta(days=6) - timezone.localdate()).days
    make_review(mine, therapist, days=days_left)
    make_review(theirs, colleague, days=days_left + 1)  # next week
    AssessmentFactory(
        patient=mine, therapist=therapist, red_flags=["pelvic_mass"], has_red_flags=True
    )
    return mine, theirs


def test_a_therapist_sees_their_own_caseload(therapist_client, week):
    context = therapist_client.get(URL).context
    assert context["overdue_count"] == 1 and context["due_this_week_count"] == 1
    assert [r.patient.last_name for r in context["overdue"]] == ["Mine"]
    assert [a.patient.last_name for a in context["red_flags"]] == ["Mine"]
    assert context["drafts_count"] == 3  # the plans behind Tess's reviews are drafts


def test_a_clinic_admin_sees_the_whole_clinic(admin_client_, week, therapist, colleague):
    context = admin_client_.get(URL).context
    assert context["overdue_count"] == 2 and context["due_this_week_count"] == 1
    per_therapist = {row["therapist"].pk: row["patients"] for row in context["caseload"]}
    assert per_therapist == {therapist.pk: 1, colleague.pk: 1}


def test_another_clinic_sees_none_of_it(outsider_client, week):
    context = outsider_client.get(URL).context
    assert context["overdue_count"] == 0 and context["red_flags"] == []
    assert context["caseload"] == []


def test_its_query_count_is_fixed(
    admin_client_, week, clinic, therapist, django_assert_num_queries
):
    # session, user, memberships, caseload + names, 2 review lists + 2 counts, drafts + count,
    # red flags, recent assessments, recent plans, sent in by patients, locked patient links,
    # audit rows for the patients named
    with django_assert_num_queries(17):
        admin_client_.get(URL)
    for _ in range(5):
        make_review(PatientFactory(clinic=clinic, assigned_therapist=therapist), therapist, days=-2)
    with django_assert_num_queries(17):
        admin_client_.get(URL)


def test_login_lands_on_it(client, therapist):
    response = client.post(reverse("login"), {"username": "tess", "password": "test-pass-123"})
    assert response["Location"] == URL


# --- "Your patients": her patients by name, never herself --------------------------------


def test_your_patients_lists_the_therapists_patients_not_herself(
    therapist_client, therapist, colleague, clinic, other_clinic, outsider
):
    PatientFactory(clinic=clinic, assigned_therapist=therapist, first_name="Ana", last_name="Ruiz")
    PatientFactory(clinic=clinic, assigned_therapist=therapist, first_name="Bo", last_name="Lund")
    PatientFactory(clinic=clinic, assigned_therapist=colleague, last_name="Theirs")
    PatientFactory(
        clinic=clinic, assigned_therapist=therapist, last_name="Gone", archived_at=timezone.now()
    )
    PatientFactory(clinic=other_clinic, assigned_therapist=outsider, last_name="Elsewhere")

    response = therapist_client.get(URL)
    assert [p.last_name for p in response.context["my_patients"]] == ["Lund", "Ruiz"]
    assert response.context["my_patients_count"] == 2
    section = response.content.decode().split('id="h-caseload"')[1].split("</section>")[0]
    assert "Tess Morgan" not in section
    assert "Bo Lund" in section and "Ana Ruiz" in section
    assert "Theirs" not in section and "Elsewhere" not in section


def test_the_demo_therapist_does_not_see_herself(client, db):
    # The bug as reported, on the demo clinic: Tess's dashboard listed "Tess Morgan".
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_demo_story", stdout=StringIO())
    tess = get_user_model().objects.get(username="tess")
    client.force_login(tess)
    html = client.get(URL).content.decode()
    section = html.split('id="h-caseload"')[1].split("</section>")[0]
    assert tess.get_full_name() not in section
    assert client.get(URL).context["my_patients"]  # her patients, by name


def test_a_clinic_admin_still_sees_patients_per_therapist(admin_client_, therapist, clinic):
    PatientFactory(clinic=clinic, assigned_therapist=therapist)
    html = admin_client_.get(URL).content.decode()
    assert "Patients per therapist" in html and "Tess Morgan" in html
