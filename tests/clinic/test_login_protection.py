"""Login protection (django-axes): repeated failures lock a user name and an address, on
our login form and the admin's; a clinic admin lifts a lockout; every sign-in, failed one
and sign-out is in the audit trail."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import AccessLog, AuditAction, Role
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "test-pass-123"
LOGIN = "/login/"
ADMIN_LOGIN = "/admin/login/"
# Documentation addresses (RFC 5737): only strings in REMOTE_ADDR, nothing is sent there.
HOME_ADDRESS = "192.0.2.10"
OFFICE_ADDRESS = "192.0.2.20"


def sign_in(client, username, password, *, url=LOGIN, address=HOME_ADDRESS, **extra):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def fail(client, username, times, **kwargs):
    for _ in range(times):
        sign_in(client, username, "not-the-password", **kwargs)


def staff_url(clinic):
    return reverse("staff_list", args=[clinic.pk])


def membership_of(user, clinic):
    return user.memberships.get(clinic=clinic)


# --- Lockout ------------------------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, therapist):
    fail(client, "tess", 30)
    response = sign_in(client, "tess", PASSWORD)

    assert response.status_code == 429
    assert signed_in_as(client) is None
    page = response.content.decode()
    assert "Too many failed sign-ins. Try again in 15 minutes" in page
    assert "ask your clinic admin to unlock your account" in page


def test_the_admin_login_is_protected_the_same_way(client, db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    fail(client, "root", 30, url=ADMIN_LOGIN)
    response = sign_in(client, "root", PASSWORD, url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert signed_in_as(client) is None
    assert "ask your clinic admin to unlock your account" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_signing_in_with_another_account_does_not_forget_the_guesses(client, therapist, colleague):
    # Someone with an account of their own guesses a colleague's password from one
    # address, signing in as themselves between rounds to clear the counters.
    for _ in range(5):
        fail(client, "tess", 4)
        sign_in(client, "colin", PASSWORD)
        client.post(reverse("logout"), REMOTE_ADDR=HOME_ADDRESS)

    response = sign_in(client, "tess", PASSWORD)
    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_failures_from_the_admin_login_count_on_our_login_too(client, therapist):
    fail(client, "tess", 5, url=ADMIN_LOGIN)

    assert sign_in(client, "tess", PASSWORD).status_code == 429


def test_a_few_typos_do_not_lock_and_a_sign_in_forgets_them(client, therapist):
    fail(client, "tess", 4)
    assert sign_in(client, "tess", PASSWORD).status_code == 302
    client.logout()
    fail(client, "tess", 4)

    assert sign_in(client, "tess", PASSWORD).status_code == 302
    assert signed_in_as(client) == str(therapist.pk)


def test_failures_on_one_name_from_many_addresses_lock_that_name(client, therapist, colleague):
    for n in range(5):
        sign_in(client, "tess", "guess", address=f"198.51.100.{n + 1}")

    assert sign_in(client, "tess", PASSWORD, address=OFFICE_ADDRESS).status_code == 429
    # Another name from that office is not affected.
    assert sign_in(Client(), "colin", PASSWORD, address=OFFICE_ADDRESS).status_code == 302


def test_failures_from_one_address_on_many_names_lock_that_address(client, therapist):
    for n in range(20):
        sign_in(client, f"name{n}", "guess", address=HOME_ADDRESS)

    assert sign_in(client, "tess", PASSWORD, address=HOME_ADDRESS).status_code == 429
    assert sign_in(Client(), "tess", PASSWORD, address=OFFICE_ADDRESS).status_code == 302


def test_a_few_peoples_typos_do_not_lock_a_shared_office(therapist, colleague, clinic_admin):
    # Three people behind one office address mistype four times each in the morning.
    for name in ["tess", "colin", "adele"]:
        fail(Client(), name, 4, address=OFFICE_ADDRESS)
    for name in ["tess", "colin", "adele"]:
        assert sign_in(Client(), name, PASSWORD, address=OFFICE_ADDRESS).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, therapist):
    fail(client, "tess", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, "tess", PASSWORD).status_code == 302


def test_a_forwarded_for_header_is_ignored_without_a_proxy(client, therapist):
    for n in range(20):
        sign_in(client, f"name{n}", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert sign_in(client, "tess", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_proxy_the_address_it_appended_counts(client, therapist, settings):
    settings.BEHIND_PROXY = True
    # Every request comes from the proxy's own address; the client's is the last entry.
    for n in range(20):
        sign_in(client, f"name{n}", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {HOME_ADDRESS}")

    locked = sign_in(client, "tess", PASSWORD, HTTP_X_FORWARDED_FOR=HOME_ADDRESS)
    assert locked.status_code == 429
    other = sign_in(Client(), "tess", PASSWORD, HTTP_X_FORWARDED_FOR=OFFICE_ADDRESS)
    assert other.status_code == 302
    row = AccessLog.objects.get(action=AuditAction.SIGN_IN)
    assert row.ip_address == OFFICE_ADDRESS


# --- A clinic admin lifts a lockout -----------------------------------------------------


def test_the_staff_page_shows_who_is_locked_out(admin_client_, client, clinic, therapist):
    page = admin_client_.get(staff_url(clinic)).content.decode()
    assert "Locked out" not in page

    fail(Client(), "tess", 5)
    page = admin_client_.get(staff_url(clinic)).content.decode()

    assert "Locked out" in page
    unlock = reverse("staff_unlock", args=[clinic.pk, membership_of(therapist, clinic).pk])
    assert f'action="{unlock}"' in page


def test_an_admin_unlocks_a_staff_member_who_can_then_sign_in(
    admin_client_, clinic, clinic_admin, therapist
):
    locked_client = Client()
    fail(locked_client, "tess", 5)
    membership = membership_of(therapist, clinic)

    response = admin_client_.post(reverse("staff_unlock", args=[clinic.pk, membership.pk]))

    assert response["Location"] == staff_url(clinic)
    assert "Locked out" not in admin_client_.get(staff_url(clinic)).content.decode()
    assert sign_in(locked_client, "tess", PASSWORD).status_code == 302
    row = AccessLog.objects.get(action=AuditAction.SECURITY)
    assert (row.user, row.clinic, row.patient) == (clinic_admin, clinic, None)
    assert "tess" in row.what


def test_unlocking_is_for_the_admins_own_clinic(
    client, clinic, other_clinic, other_clinic_admin, outsider, therapist, colleague_client
):
    fail(Client(), "tess", 5)
    fail(Client(), "omar", 5)
    ours = reverse("staff_unlock", args=[clinic.pk, membership_of(therapist, clinic).pk])
    client.force_login(other_clinic_admin)

    assert client.post(ours).status_code == 404
    # Their own clinic's id with our member's id: still not theirs.
    foreign = reverse("staff_unlock", args=[other_clinic.pk, membership_of(therapist, clinic).pk])
    assert client.post(foreign).status_code == 404
    # A therapist of the clinic cannot unlock a colleague.
    assert colleague_client.post(ours).status_code == 403
    assert sign_in(Client(), "tess", PASSWORD, address=OFFICE_ADDRESS).status_code == 429
    assert not AccessLog.objects.filter(action=AuditAction.SECURITY).exists()


def test_unlocking_needs_a_post(admin_client_, clinic, therapist):
    url = reverse("staff_unlock", args=[clinic.pk, membership_of(therapist, clinic).pk])

    assert admin_client_.get(url).status_code == 405


# --- Sign-ins in the audit trail --------------------------------------------------------


def test_a_sign_in_is_recorded_with_the_clinic_role_and_address(client, clinic, therapist):
    sign_in(client, "tess", PASSWORD)

    row = AccessLog.objects.get()
    assert (row.action, row.user, row.username) == (AuditAction.SIGN_IN, therapist, "tess")
    assert (row.clinic, row.role, row.ip_address) == (clinic, Role.THERAPIST, HOME_ADDRESS)
    assert row.patient is None


def test_a_failed_sign_in_keeps_the_typed_name_and_never_the_password(client, therapist):
    sign_in(client, "tess", "hunter2-secret")
    sign_in(client, "nobody-here", "other-secret")

    rows = AccessLog.objects.filter(action=AuditAction.SIGN_IN_FAILED).order_by("pk")
    assert [(r.username, r.user) for r in rows] == [("tess", therapist), ("nobody-here", None)]
    assert rows[1].clinic is None
    stored = " ".join(f"{r.what} {r.path} {r.query}" for r in AccessLog.objects.all())
    assert "secret" not in stored


def test_the_lockout_is_recorded(client, clinic, therapist):
    fail(client, "tess", 5)

    row = AccessLog.objects.get(action=AuditAction.LOCKED_OUT)
    assert (row.username, row.clinic, row.ip_address) == ("tess", clinic, HOME_ADDRESS)
    assert AccessLog.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 5


def test_a_sign_out_is_recorded(client, therapist):
    sign_in(client, "tess", PASSWORD)
    client.post(reverse("logout"), REMOTE_ADDR=HOME_ADDRESS)

    row = AccessLog.objects.get(action=AuditAction.SIGN_OUT)
    assert (row.user, row.ip_address) == (therapist, HOME_ADDRESS)


def test_an_admin_login_is_recorded_with_its_path(client, db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    sign_in(client, "root", PASSWORD, url=ADMIN_LOGIN)

    row = AccessLog.objects.get()
    assert (row.action, row.path, row.clinic) == (AuditAction.SIGN_IN, ADMIN_LOGIN, None)


def test_a_sign_in_made_in_code_is_not_someone_at_a_login_form(therapist_client):
    assert not AccessLog.objects.exists()


# --- The demo ---------------------------------------------------------------------------


def test_the_demo_users_sign_in_through_the_login_form(client, db):
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0, stdout=StringIO())

    for name in ["tess", "colin", "adele", "omar"]:
        demo = Client()
        response = sign_in(demo, name, "floorplan-demo")
        assert response.status_code == 302, name
        assert demo.get(response["Location"]).status_code == 200, name


def test_a_clinic_admins_sign_in_is_recorded_with_their_role(client, clinic):
    admin = UserFactory(username="adele2")
    MembershipFactory(user=admin, clinic=clinic, role=Role.CLINIC_ADMIN)
    sign_in(client, "adele2", PASSWORD)

    assert AccessLog.objects.get().role == Role.CLINIC_ADMIN


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_a_locked_out_name_gets_the_same_page_whatever_the_password(client, therapist, url):
    fail(client, "tess", 5, url=url)
    wrong = sign_in(client, "tess", "still-wrong", url=url)
    right = sign_in(client, "tess", PASSWORD, url=url)

    assert wrong.status_code == right.status_code == 429
    assert wrong.content == right.content
