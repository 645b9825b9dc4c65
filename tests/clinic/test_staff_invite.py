"""Inviting a therapist by email: the account has no password until they choose one
through the link in the invitation."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from clinic.models import AccessLog, AuditAction, Membership, Role
from clinic.services import staff as services

INVITED = {
    "username": "nadia",
    "first_name": "Nadia",
    "last_name": "Okafor",
    "email": "nadia@example.org",
    "access": "invite",
}


def add_url(clinic) -> str:
    return reverse("staff_add", args=[clinic.pk])


def link_in(message) -> str:
    (url,) = re.findall(r"https?://\S+", message.body)
    return url


def test_the_form_invites_by_default(admin_client_, clinic):
    form = admin_client_.get(add_url(clinic)).context["form"]
    assert form["access"].value() == "invite"


def test_an_invited_therapist_chooses_a_password_through_the_link(
    admin_client_, client, clinic, patient
):
    response = admin_client_.post(add_url(clinic), INVITED, follow=True)

    user = get_user_model().objects.get(username="nadia")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, clinic=clinic).role == Role.THERAPIST
    assert "invited by email (nadia@example.org)" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert message.subject == "Your FloorPlan account at Riverside Pelvic Health"
    assert "Adele Brooks has added you to Riverside Pelvic Health" in message.body
    assert "Your user name is nadia." in message.body
    assert AccessLog.objects.filter(
        action=AuditAction.SECURITY, what="Invited nadia by email", clinic=clinic
    ).exists()

    # Nadia, in another browser: no password works before she sets one.
    client.logout()
    refused = client.post(reverse("login"), {"username": "nadia", "password": ""})
    assert refused.status_code == 200
    form_page = client.get(link_in(message), follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "pelvic-floor-2026", "new_password2": "pelvic-floor-2026"}
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": "nadia", "password": "pelvic-floor-2026"}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("patient_detail", args=[patient.pk])).status_code == 200
    # The link worked once.
    assert not client.get(link_in(message), follow=True).context["validlink"]


def test_the_invitation_is_written_in_the_clinics_language(admin_client_, clinic, monkeypatch):
    clinic.language = "es"
    clinic.save()
    languages = []
    real = services.render_to_string

    def recording(*args, **kwargs):
        languages.append(translation.get_language())
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "render_to_string", recording)
    admin_client_.post(add_url(clinic), INVITED)
    assert languages == ["es", "es"]  # subject and body
    assert len(mail.outbox) == 1


def test_an_invitation_needs_an_email_address(admin_client_, clinic):
    response = admin_client_.post(add_url(clinic), {**INVITED, "email": ""})
    errors = response.context["form"].errors
    assert errors["email"] == ["An invitation needs the therapist's email address."]
    assert not get_user_model().objects.filter(username="nadia").exists()
    assert mail.outbox == []


def test_setting_the_password_now_needs_both_fields(admin_client_, clinic):
    response = admin_client_.post(add_url(clinic), {**INVITED, "access": "password"})
    assert set(response.context["form"].errors) == {"password1", "password2"}
    assert mail.outbox == []


def test_passwords_typed_before_choosing_the_invitation_are_not_used(admin_client_, clinic):
    admin_client_.post(
        add_url(clinic), {**INVITED, "password1": "pelvic-floor-2026", "password2": "x"}
    )
    assert not get_user_model().objects.get(username="nadia").has_usable_password()


def test_a_mail_that_cannot_be_sent_is_said_and_can_be_sent_again(
    admin_client_, clinic, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_mail", broken)
    response = admin_client_.post(add_url(clinic), INVITED, follow=True)
    html = response.content.decode()
    assert "the invitation could not be sent to nadia@example.org" in html
    assert "Send the invitation again" in html
    monkeypatch.undo()

    membership = Membership.objects.get(user__username="nadia")
    again = admin_client_.post(reverse("staff_invite", args=[clinic.pk, membership.pk]))
    assert again.status_code == 302
    assert len(mail.outbox) == 1


def test_someone_with_a_password_is_not_invited_again(admin_client_, clinic, therapist):
    membership = Membership.objects.get(user=therapist, clinic=clinic)
    response = admin_client_.post(
        reverse("staff_invite", args=[clinic.pk, membership.pk]), follow=True
    )
    assert "has not chosen a password yet" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["therapist", "outsider", "other_clinic_admin"])
def test_only_the_clinics_admin_invites(client, clinic, colleague, who, request):
    colleague.set_unusable_password()
    colleague.save()
    membership = Membership.objects.get(user=colleague, clinic=clinic)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("staff_invite", args=[clinic.pk, membership.pk]))
    assert response.status_code == (403 if who == "therapist" else 404)
    assert client.post(add_url(clinic), INVITED).status_code == (403 if who == "therapist" else 404)
    assert mail.outbox == []
    assert not get_user_model().objects.filter(username="nadia").exists()


def test_a_member_of_another_clinic_is_not_found(admin_client_, clinic, outsider, other_clinic):
    membership = Membership.objects.get(user=outsider, clinic=other_clinic)
    response = admin_client_.post(reverse("staff_invite", args=[clinic.pk, membership.pk]))
    assert response.status_code == 404
    assert mail.outbox == []
