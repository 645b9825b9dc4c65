"""Staff management by clinic admins: add a therapist, deactivate one, reassign patients."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.models import Membership, Patient, Role
from clinic.services import staff as services
from tests.factories import AssessmentFactory, MembershipFactory, PatientFactory, UserFactory

NEW_THERAPIST = {
    "username": "nadia",
    "first_name": "Nadia",
    "last_name": "Okafor",
    "email": "nadia@example.org",
    "password1": "pelvic-floor-2026",
    "password2": "pelvic-floor-2026",
    "access": "password",
}


def staff_url(clinic) -> str:
    return reverse("staff_list", args=[clinic.pk])


def membership_of(user, clinic) -> Membership:
    return Membership.objects.get(user=user, clinic=clinic)


def action_url(name: str, user, clinic) -> str:
    return reverse(name, args=[clinic.pk, membership_of(user, clinic).pk])


# --- The staff page -----------------------------------------------------------------------


def test_it_lists_the_clinics_staff_with_their_patients(
    admin_client_, clinic, therapist, colleague, outsider, patient
):
    PatientFactory(clinic=clinic, assigned_therapist=therapist, archived_at="2026-01-01T00:00Z")
    response = admin_client_.get(staff_url(clinic))
    members = {m.user.username: m.patients for m in response.context["members"]}
    assert members == {"tess": 2, "colin": 0, "adele": 0}
    assert "omar" not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("staff_list", "get"),
        ("staff_add", "get"),
        ("staff_add", "post"),
        ("staff_deactivate", "post"),
        ("staff_reactivate", "post"),
        ("staff_reassign", "post"),
    ],
)
def test_a_therapist_is_forbidden_and_an_outsider_finds_nothing(
    client, clinic, therapist, colleague, outsider, name, method
):
    args = (
        [clinic.pk]
        if name in ("staff_list", "staff_add")
        else [
            clinic.pk,
            membership_of(colleague, clinic).pk,
        ]
    )
    url = reverse(name, args=args)
    client.force_login(therapist)
    assert getattr(client, method)(url).status_code == 403
    client.force_login(outsider)
    assert getattr(client, method)(url).status_code == 404
    assert membership_of(colleague, clinic).is_active


def test_another_clinics_staff_member_is_not_found(admin_client_, clinic, outsider, other_clinic):
    foreign = membership_of(outsider, other_clinic).pk
    for name in ("staff_deactivate", "staff_reactivate", "staff_reassign"):
        assert admin_client_.post(reverse(name, args=[clinic.pk, foreign])).status_code == 404
    assert membership_of(outsider, other_clinic).is_active


# --- Adding a therapist -------------------------------------------------------------------


def test_an_admin_adds_a_therapist_who_can_log_in(admin_client_, client, clinic, patient):
    response = admin_client_.post(reverse("staff_add", args=[clinic.pk]), NEW_THERAPIST)

    assert response["Location"] == staff_url(clinic)
    user = get_user_model().objects.get(username="nadia")
    assert (user.get_full_name(), user.email) == ("Nadia Okafor", "nadia@example.org")
    assert membership_of(user, clinic).role == Role.THERAPIST
    client.logout()
    # Through the real login form: login protection needs the request the test client's
    # login() does not give.
    signed_in = client.post(
        reverse("login"), {"username": "nadia", "password": "pelvic-floor-2026"}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("patient_detail", args=[patient.pk])).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "TESS"}, "username"),
        ({"username": "a b"}, "username"),
        ({"first_name": ""}, "first_name"),
        ({"email": "not-an-email"}, "email"),
        ({"password2": "something-else-2026"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password2"),
        ({"password1": "Okafor123", "password2": "Okafor123"}, "password2"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    admin_client_, clinic, therapist, changes, field
):
    response = admin_client_.post(
        reverse("staff_add", args=[clinic.pk]), {**NEW_THERAPIST, **changes}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not get_user_model().objects.filter(first_name="Nadia").exists()
    assert Membership.objects.filter(clinic=clinic).count() == 2  # tess and adele


# --- Deactivating -------------------------------------------------------------------------


def test_a_deactivated_therapist_no_longer_sees_the_clinic(
    admin_client_, client, clinic, therapist, colleague, patient
):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    page = admin_client_.get(action_url("staff_deactivate", therapist, clinic))
    assert "1 patient is assigned to them" in page.content.decode()

    response = admin_client_.post(action_url("staff_deactivate", therapist, clinic))

    assert response["Location"] == staff_url(clinic)
    assert not membership_of(therapist, clinic).is_active
    client.force_login(therapist)
    assert client.get(reverse("patient_detail", args=[patient.pk])).status_code == 404
    assert client.get(reverse("patient_list")).context["page"].paginator.count == 0
    # Their records stay, and the clinic reads them.
    client.force_login(colleague)
    detail = client.get(reverse("assessment_detail", args=[assessment.pk]))
    assert detail.status_code == 200
    patient.refresh_from_db()
    assert patient.assigned_therapist == therapist


def test_a_clinic_admin_cannot_be_deactivated_here(admin_client_, clinic, clinic_admin):
    response = admin_client_.post(action_url("staff_deactivate", clinic_admin, clinic), follow=True)
    assert "Only an active therapist can be deactivated here." in response.content.decode()
    assert membership_of(clinic_admin, clinic).is_active


def test_a_deactivated_therapist_can_be_reactivated(
    admin_client_, client, clinic, therapist, patient
):
    services.staff_deactivate(membership=membership_of(therapist, clinic))
    admin_client_.post(action_url("staff_reactivate", therapist, clinic))
    client.force_login(therapist)
    assert client.get(reverse("patient_detail", args=[patient.pk])).status_code == 200


def test_deactivation_in_one_clinic_leaves_the_other(clinic, other_clinic, therapist):
    MembershipFactory(user=therapist, clinic=other_clinic, role=Role.THERAPIST)
    services.staff_deactivate(membership=membership_of(therapist, clinic))
    assert membership_of(therapist, other_clinic).is_active


# --- Reassigning --------------------------------------------------------------------------


def test_an_admin_reassigns_a_therapists_patients(
    admin_client_, clinic, other_clinic, therapist, colleague
):
    PatientFactory.create_batch(2, clinic=clinic, assigned_therapist=therapist)
    PatientFactory(clinic=clinic, assigned_therapist=therapist, archived_at="2026-01-01T00:00Z")
    MembershipFactory(user=therapist, clinic=other_clinic, role=Role.THERAPIST)
    elsewhere = PatientFactory(clinic=other_clinic, assigned_therapist=therapist)
    services.staff_deactivate(membership=membership_of(therapist, clinic))

    response = admin_client_.post(
        action_url("staff_reassign", therapist, clinic), {"to_user": colleague.pk}, follow=True
    )

    assert "3 patients of Tess Morgan are now assigned to Colin Reyes." in response.content.decode()
    assert Patient.objects.filter(clinic=clinic, assigned_therapist=colleague).count() == 3
    elsewhere.refresh_from_db()
    assert elsewhere.assigned_therapist == therapist


@pytest.mark.parametrize("who", ["outsider", "clinic_admin", "therapist", "inactive", "nobody"])
def test_patients_go_only_to_another_active_therapist_of_the_clinic(
    admin_client_, clinic, therapist, colleague, outsider, clinic_admin, patient, who
):
    if who == "inactive":
        services.staff_deactivate(membership=membership_of(colleague, clinic))
    target = {
        "outsider": outsider.pk,
        "clinic_admin": clinic_admin.pk,
        "therapist": therapist.pk,
        "inactive": colleague.pk,
        "nobody": "",
    }[who]
    response = admin_client_.post(
        action_url("staff_reassign", therapist, clinic), {"to_user": target}
    )
    assert response.status_code == 200
    assert "to_user" in response.context["form"].errors
    patient.refresh_from_db()
    assert patient.assigned_therapist == therapist


def test_the_service_refuses_a_therapist_of_another_clinic(clinic, therapist, outsider, patient):
    with pytest.raises(ValidationError):
        services.staff_reassign_patients(clinic=clinic, from_user=therapist, to_user=outsider)
    with pytest.raises(ValidationError):
        services.staff_reassign_patients(clinic=clinic, from_user=therapist, to_user=therapist)


def test_with_no_one_to_take_over_it_says_so(admin_client_, clinic, therapist, patient):
    response = admin_client_.get(action_url("staff_reassign", therapist, clinic))
    assert "no other active therapist" in response.content.decode()


def test_staff_page_query_count_is_constant(admin_client_, clinic, django_assert_max_num_queries):
    for _ in range(5):
        user = UserFactory()
        MembershipFactory(user=user, clinic=clinic)
        PatientFactory(clinic=clinic, assigned_therapist=user)
    # One of them reads the login lockouts of the whole list at once.
    with django_assert_max_num_queries(6):
        admin_client_.get(staff_url(clinic))
