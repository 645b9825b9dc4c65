"""Signed out after the clinic's idle time; the warning script's endpoint; the setting."""

import json
import time

import pytest
from django.urls import reverse

from assessments.services import snapshot
from clinic.idle import BACKGROUND_HEADER, LAST_ACTIVITY_KEY, SIGNED_IN_AT_KEY
from clinic.models import AccessLog, AuditAction
from tests.clinic.test_clinic_settings import data as settings_data
from tests.factories import AssessmentFactory, MembershipFactory

BACKGROUND = {"headers": {BACKGROUND_HEADER: "1"}}


def idle_for(client, minutes: float) -> None:
    """As if the last request had been `minutes` ago."""
    client.get(reverse("patient_list"))
    session = client.session
    session[LAST_ACTIVITY_KEY] -= minutes * 60
    session.save()


def last_activity(client) -> float:
    return client.session[LAST_ACTIVITY_KEY]


def is_signed_in(client) -> bool:
    return client.get(reverse("patient_list")).status_code == 200


def test_a_request_within_the_timeout_keeps_you_signed_in(therapist_client):
    idle_for(therapist_client, 29)
    before = time.time()
    assert is_signed_in(therapist_client)
    # ... and starts the 30 minutes again.
    assert last_activity(therapist_client) >= before


def test_a_request_after_the_timeout_signs_out(therapist_client, therapist, clinic):
    assert clinic.idle_timeout_minutes == 30  # a new clinic's default
    idle_for(therapist_client, 31)
    path = reverse("patient_list") + "?q=Santos"
    response = therapist_client.get(path, follow=True)
    assert response.redirect_chain[0][0] == reverse("login") + "?next=/patients/%3Fq%3DSantos"
    assert "You were signed out after 30 minutes without activity." in response.content.decode()
    assert not response.context["user"].is_authenticated
    row = AccessLog.objects.get(action=AuditAction.SIGN_OUT)
    assert (row.user, row.clinic, row.what) == (
        therapist,
        clinic,
        "Signed out after 30 idle minutes",
    )


def test_the_shortest_idle_time_of_your_clinics_applies(therapist_client, therapist, other_clinic):
    other_clinic.idle_timeout_minutes = 10
    other_clinic.save()
    MembershipFactory(user=therapist, clinic=other_clinic)
    idle_for(therapist_client, 11)
    response = therapist_client.get(reverse("patient_list"), follow=True)
    assert "You were signed out after 10 minutes without activity." in response.content.decode()


def test_a_clinic_you_left_does_not_count(therapist_client, therapist, other_clinic):
    other_clinic.idle_timeout_minutes = 10
    other_clinic.save()
    MembershipFactory(user=therapist, clinic=other_clinic, is_active=False)
    idle_for(therapist_client, 11)
    assert is_signed_in(therapist_client)


def test_a_long_session_still_ends_at_the_session_limit(therapist_client, settings):
    therapist_client.get(reverse("patient_list"))
    session = therapist_client.session
    session[SIGNED_IN_AT_KEY] -= settings.SESSION_COOKIE_AGE
    session.save()
    response = therapist_client.get(reverse("patient_list"), follow=True)
    assert "Your sign-in lasts at most 8 hours" in response.content.decode()


def test_signed_in_pages_carry_the_warning(therapist_client):
    page = therapist_client.get(reverse("patient_list")).content.decode()
    assert 'role="alertdialog"' in page
    assert 'data-remaining="1800" data-warning="60"' in page
    assert "You will be signed out in 1 minute." in page
    assert "floorplan/idle.js" in page


def test_the_login_page_has_no_warning(client):
    page = client.get(reverse("login")).content.decode()
    assert "idle-warning" not in page


def test_the_status_check_does_not_count_as_activity(therapist_client):
    idle_for(therapist_client, 20)
    before = last_activity(therapist_client)
    response = therapist_client.get(reverse("idle_session"), **BACKGROUND)
    remaining = response.json()["remaining"]
    assert 9 * 60 < remaining <= 10 * 60
    assert last_activity(therapist_client) == before


def test_stay_signed_in_counts_as_activity(therapist_client):
    idle_for(therapist_client, 29.5)
    response = therapist_client.post(reverse("idle_session"))
    assert response.json() == {"remaining": 1800, "warning": 60}
    assert time.time() - last_activity(therapist_client) < 5


def test_the_status_check_after_the_timeout_signs_out(therapist_client):
    idle_for(therapist_client, 31)
    response = therapist_client.get(reverse("idle_session"), **BACKGROUND)
    assert response.json() == {"remaining": 0}
    # The script then opens the sign-in page, where the message waits.
    page = therapist_client.get(reverse("login")).content.decode()
    assert "You were signed out after 30 minutes without activity." in page


def test_the_background_draft_save_keeps_the_typing_but_not_the_session(
    therapist_client, patient, therapist
):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    idle_for(therapist_client, 25)
    before = last_activity(therapist_client)
    url = reverse("assessment_edit", args=[assessment.pk])
    data = {
        "kind": assessment.kind,
        "assessed_on": assessment.assessed_on.isoformat(),
        "version": assessment.version,
        "original": json.dumps(snapshot(assessment)),
        "urgency": "true",
    }
    response = therapist_client.post(url, data, follow=True, **BACKGROUND)
    assert response.redirect_chain == [(url, 302)]
    assessment.refresh_from_db()
    assert assessment.urgency is True
    assert last_activity(therapist_client) == before


@pytest.mark.parametrize(
    ("minutes", "accepted"), [(4, False), (5, True), (720, True), (721, False)]
)
def test_the_clinic_sets_5_minutes_to_12_hours(admin_client_, clinic, minutes, accepted):
    url = reverse("clinic_settings", args=[clinic.pk])
    response = admin_client_.post(url, settings_data(clinic, idle_timeout_minutes=minutes))
    clinic.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert clinic.idle_timeout_minutes == minutes
    else:
        assert "idle_timeout_minutes" in response.context["form"].errors
        assert clinic.idle_timeout_minutes == 30
