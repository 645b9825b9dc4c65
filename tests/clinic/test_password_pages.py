"""Password change for anyone signed in, and password reset by e-mail for someone who
cannot sign in: never for a deactivated user, never telling whether an address exists."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from clinic.models import AccessLog, AuditAction
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "pelvic-floor-spring-2026"
ADDRESS = "192.0.2.30"


@pytest.fixture(autouse=True)
def _fresh_reset_counters():
    # The reset rate limit counts in the cache, which outlives one test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tess(therapist):
    therapist.email = "tess@example.org"
    therapist.save(update_fields=["email"])
    return therapist


def sign_in(client, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


def ask_for_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ADDRESS)


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/password-reset/\S+/)", message.body).group(1)


# --- Change -----------------------------------------------------------------------------


def test_a_signed_in_user_changes_their_password(therapist_client, therapist, clinic):
    assert therapist_client.get(reverse("password_change")).status_code == 200

    response = therapist_client.post(
        reverse("password_change"),
        {
            "old_password": "test-pass-123",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response["Location"] == reverse("password_change_done")
    done = therapist_client.get(response["Location"])
    assert "Password changed" in done.content.decode()
    assert sign_in(Client(), "tess", NEW_PASSWORD).status_code == 302
    assert sign_in(Client(), "tess", "test-pass-123").status_code == 200
    row = AccessLog.objects.get(action=AuditAction.SECURITY)
    assert (row.user, row.clinic, row.what) == (therapist, clinic, "Changed their password")


def test_a_wrong_current_password_changes_nothing(therapist_client, therapist):
    response = therapist_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    therapist.refresh_from_db()
    assert therapist.check_password("test-pass-123")


def test_changing_a_password_needs_a_sign_in(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_page_links_to_the_password_pages(client, therapist_client):
    assert reverse("password_change") in therapist_client.get(reverse("home")).content.decode()
    assert reverse("password_reset") in Client().get(reverse("login")).content.decode()


# --- Reset ------------------------------------------------------------------------------


def test_a_user_resets_a_forgotten_password_by_email(client, tess, clinic):
    assert client.get(reverse("password_reset")).status_code == 200

    response = ask_for_reset(client, "TESS@example.org")

    assert response["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["tess@example.org"]]
    assert "tess" in mail.outbox[0].body
    form = client.get(reset_link(mail.outbox[0]), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert client.get(done["Location"]).status_code == 200
    assert sign_in(Client(), "tess", NEW_PASSWORD).status_code == 302
    row = AccessLog.objects.get(action=AuditAction.SECURITY)
    assert (row.user, row.clinic, row.ip_address) == (tess, clinic, ADDRESS)


def test_a_reset_link_works_once(client, tess):
    ask_for_reset(client, "tess@example.org")
    link = reset_link(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = Client().get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, tess):
    known = ask_for_reset(client, "tess@example.org")
    unknown = ask_for_reset(Client(), "nobody@example.org")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1


def test_a_deactivated_user_gets_no_reset_mail(client, tess):
    tess.is_active = False
    tess.save(update_fields=["is_active"])

    response = ask_for_reset(client, "tess@example.org")

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_someone_no_clinic_employs_any_more_gets_no_reset_mail(client, tess, clinic):
    tess.memberships.update(is_active=False)

    ask_for_reset(client, "tess@example.org")

    assert mail.outbox == []


def test_a_site_administrator_without_a_clinic_can_reset(client, db):
    UserFactory(username="root", email="root@example.org", is_staff=True, is_superuser=True)

    ask_for_reset(client, "root@example.org")

    assert len(mail.outbox) == 1


def test_someone_still_working_in_one_clinic_can_reset(client, tess, other_clinic):
    tess.memberships.update(is_active=False)
    MembershipFactory(user=tess, clinic=other_clinic)

    ask_for_reset(client, "tess@example.org")

    assert len(mail.outbox) == 1


def test_reset_requests_are_rate_limited_without_saying_so(client, tess, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 3
    answers = {ask_for_reset(client, "tess@example.org")["Location"] for _ in range(6)}

    assert answers == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3


def test_the_rate_limit_counts_per_address_too(client, tess, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 3
    for n in range(3):
        ask_for_reset(client, f"someone{n}@example.org")

    ask_for_reset(client, "tess@example.org")
    assert mail.outbox == []
    Client().post(
        reverse("password_reset"), {"email": "tess@example.org"}, REMOTE_ADDR="192.0.2.31"
    )
    assert len(mail.outbox) == 1


def test_a_reset_lifts_a_lockout(client, tess):
    for _ in range(5):
        sign_in(Client(), "tess", "guess")
    assert sign_in(Client(), "tess", "test-pass-123").status_code == 429

    ask_for_reset(client, "tess@example.org")
    form = client.get(reset_link(mail.outbox[0]), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert sign_in(Client(), "tess", NEW_PASSWORD).status_code == 302


def test_the_reset_pages_need_no_sign_in(client, db):
    for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
        assert client.get(reverse(name)).status_code == 200, name
