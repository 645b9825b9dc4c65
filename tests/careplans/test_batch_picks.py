"""Batch printing starts from the patients who have a signed plan: only those print."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from careplans import selectors
from tests.factories import CarePlanFactory, PatientFactory, ReviewFactory, SignedCarePlanFactory


def url(clinic, pick: str = "") -> str:
    address = reverse("batch_print_new", args=[clinic.pk])
    return f"{address}?pick={pick}" if pick else address


def listed(response) -> list[str]:
    return [p.last_name for p in response.context["page"].object_list]


def signed(patient, therapist):
    return SignedCarePlanFactory(assessment__patient=patient, assessment__therapist=therapist)


def test_the_default_lists_only_patients_with_a_signed_plan(
    admin_client_, clinic, other_clinic, therapist, outsider
):
    with_plan = PatientFactory(clinic=clinic, last_name="Signed")
    signed(with_plan, therapist)
    PatientFactory(clinic=clinic, last_name="Unsigned")
    signed(PatientFactory(clinic=other_clinic, last_name="Elsewhere"), outsider)

    response = admin_client_.get(url(clinic))
    assert listed(response) == ["Signed"]
    picks = {p["label"]: (p["count"], p["active"]) for p in response.context["picks"]}
    assert picks["With a signed plan"] == (1, True)
    assert picks["All current patients"] == (2, False)
    assert "1 patient listed" in response.content.decode()
    # Every patient stays one click away.
    assert listed(admin_client_.get(url(clinic, "all"))) == ["Signed", "Unsigned"]


def test_reviews_due_this_week_among_signed_plans(admin_client_, clinic, therapist):
    today = timezone.localdate()
    due = PatientFactory(clinic=clinic, last_name="Due")
    plan = signed(due, therapist)
    ReviewFactory(plan=plan, due_on=selectors.week_end(today))
    later = PatientFactory(clinic=clinic, last_name="Later")
    ReviewFactory(
        plan=signed(later, therapist), due_on=selectors.week_end(today) + timedelta(days=1)
    )
    # A review due this week but no signed plan: nothing would print.
    draft_only = PatientFactory(clinic=clinic, last_name="Draft")
    ReviewFactory(
        plan=CarePlanFactory(assessment__patient=draft_only, assessment__therapist=therapist),
        due_on=today,
    )
    assert listed(admin_client_.get(url(clinic, "week"))) == ["Due"]


def test_the_dashboard_button_prints_this_weeks_signed_plans(admin_client_, clinic):
    html = admin_client_.get(reverse("home")).content.decode()
    assert f"{url(clinic)}?pick=week" in html


def test_the_page_is_the_admins_alone(client, clinic, therapist, outsider, other_clinic_admin):
    client.force_login(therapist)
    assert client.get(url(clinic)).status_code == 403
    for user in (outsider, other_clinic_admin):
        client.force_login(user)
        assert client.get(url(clinic)).status_code == 404
