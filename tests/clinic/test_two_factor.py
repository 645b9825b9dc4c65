"""Two-factor sign-in: enrolment with a real authenticator code, the code after the password,
backup codes, throttling, clinics that require it, trusted browsers, and the admin's reset."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import two_factor
from clinic.models import AccessLog, AuditAction, Membership, Role
from clinic.services import two_factor as services
from tests.clinic.test_clinic_settings import data as clinic_settings
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "test-pass-123"
ENROL = "/account/two-factor/"
VERIFY = "/account/two-factor/verify/"


def fresh_code(device: TOTPDevice) -> str:
    """What the user's app shows now, or, when that code was used already (a code works
    once), the next one, which the device accepts as clock drift."""
    device.refresh_from_db()
    now_step = int((time.time() - device.t0) // device.step)
    ahead = max(0, device.last_t + 1 - now_step)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, ahead):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = services.totp_device_start(user=user)
    codes = services.two_factor_enrol(device=device, code=fresh_code(device))
    return device, codes


def sign_in(client: Client, username: str, password: str = PASSWORD):
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, "the password was refused"
    return response


def security_rows(user) -> list[str]:
    return list(
        AccessLog.objects.filter(user=user, action=AuditAction.SECURITY).values_list(
            "what", flat=True
        )
    )


@pytest.fixture
def enrolled(therapist):
    """Tess has an authenticator app and ten backup codes."""
    return enrol(therapist)


# --- Enrolment ----------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_confirms_with_the_apps_code(
    therapist_client, therapist
):
    page = therapist_client.get(ENROL)
    content = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in content and 'role="img"' in content  # drawn inline: nothing fetched
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    assert two_factor.secret_for_typing(device) in content
    assert (
        therapist_client.get(ENROL).content.decode().count(two_factor.secret_for_typing(device))
    ), "reloading keeps the same key"

    response = therapist_client.post(ENROL, {"code": fresh_code(device)})
    content = response.content.decode()
    assert "Print or save these codes now" in content
    codes = list(StaticToken.objects.filter(device__user=therapist).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in content for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert security_rows(therapist) == ["Turned on two-factor sign-in"]
    # This session gave the code: it carries on without being asked again.
    assert therapist_client.get("/").status_code == 200
    assert "You have 10 unused backup codes" in therapist_client.get(ENROL).content.decode()


def test_a_wrong_code_does_not_turn_it_on(therapist_client, therapist):
    therapist_client.get(ENROL)
    response = therapist_client.post(ENROL, {"code": "000000"})
    assert "That code does not match" in response.content.decode()
    response = therapist_client.post(ENROL, {"code": "12345"})
    assert "Enter the 6 digits the app shows" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=therapist).exists()


# --- The code after the password ----------------------------------------------------------


def test_a_user_with_two_factor_gives_a_code_after_the_password(client, therapist, enrolled):
    device, _codes = enrolled
    sign_in(client, "tess")
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fpatients%2F"
    assert client.get(VERIFY).status_code == 200

    response = client.post(VERIFY, {"code": fresh_code(device), "next": "/patients/"})
    assert response.status_code == 302 and response["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_a_wrong_code_says_so_and_then_the_wait_grows(client, therapist, enrolled):
    device, _codes = enrolled
    sign_in(client, "tess")
    response = client.post(VERIFY, {"code": "123"})
    assert "Enter the 6 digits the app shows, or a backup code" in response.content.decode()
    response = client.post(VERIFY, {"code": "000000"})
    assert "That code is not right" in response.content.decode()

    # At once again, even with the right code: refused until the wait is over.
    response = client.post(VERIFY, {"code": fresh_code(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AccessLog.objects.filter(user=therapist, action=AuditAction.SIGN_IN_FAILED).exists()
    assert AccessLog.objects.filter(user=therapist, action=AuditAction.LOCKED_OUT).exists()

    # The wait over (its start moved back rather than sleeping), the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )
    assert client.post(VERIFY, {"code": fresh_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_the_wait_doubles_with_each_wrong_code(therapist, enrolled):
    device, _codes = enrolled
    waits = []
    for _attempt in range(4):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        with pytest.raises(ValidationError):
            services.two_factor_verify(user=therapist, code="000000")
        device.refresh_from_db()
        _allowed, details = device.verify_is_allowed()
        waits.append(round((details["locked_until"] - timezone.now()).total_seconds()))
    assert waits == [1, 2, 4, 8]


def test_a_backup_code_works_once(client, therapist, enrolled):
    _device, codes = enrolled
    sign_in(client, "tess")
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert "Signed in with a backup code" in security_rows(therapist)
    assert StaticToken.objects.filter(device__user=therapist).count() == 9

    client.post("/logout/")
    sign_in(client, "tess")
    response = client.post(VERIFY, {"code": codes[0]})
    assert "used already" in response.content.decode()
    assert client.get("/").status_code == 302


def test_few_backup_codes_left_are_announced(client, therapist, enrolled):
    _device, codes = enrolled
    StaticToken.objects.filter(device__user=therapist).exclude(token__in=codes[:3]).delete()
    sign_in(client, "tess")
    response = client.post(VERIFY, {"code": codes[0]}, follow=True)
    assert "You have 2 backup codes left" in response.content.decode()


# --- Clinics that require it ---------------------------------------------------------------


def test_a_clinic_that_requires_it_sends_staff_without_it_to_enrol(client, clinic, therapist):
    clinic.require_two_factor = True
    clinic.save()
    sign_in(client, "tess")
    response = client.get("/patients/")
    assert response["Location"] == f"{ENROL}?next=%2Fpatients%2F"
    assert "Riverside Pelvic Health asks everyone" in client.get(ENROL).content.decode()
    # Signing out and the language switch still work.
    assert client.post("/i18n/setlang/", {"language": "es"}).status_code == 302
    assert client.post("/logout/")["Location"] == "/login/"


def test_a_clinic_admin_turns_the_requirement_on_in_the_clinic_settings(
    admin_client_, client, clinic, therapist
):
    settings_url = reverse("clinic_settings", args=[clinic.pk])
    assert (
        "Require two-factor sign-in for everyone"
        in admin_client_.get(settings_url).content.decode()
    )
    response = admin_client_.post(
        settings_url, clinic_settings(clinic, require_two_factor="on"), follow=True
    )
    # The admin too is asked to set it up before anything else, with the change confirmed.
    assert response.redirect_chain[-1][0].startswith(ENROL)
    assert "Clinic settings saved" in response.content.decode()
    sign_in(client, "tess")
    assert client.get("/").url.startswith(ENROL)


def test_when_no_clinic_requires_it_the_password_is_enough(client, clinic, therapist):
    sign_in(client, "tess")
    assert client.get("/patients/").status_code == 200


def test_a_user_who_has_not_given_the_code_cannot_change_their_two_factor(
    client, therapist, enrolled
):
    sign_in(client, "tess")
    for url in (ENROL, "/account/two-factor/backup-codes/", "/account/two-factor/turn-off/"):
        assert client.get(url)["Location"].startswith(VERIFY)
        assert client.post(url)["Location"].startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=therapist).count() == 10
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_the_password_alone_cannot_change_the_password_but_can_reset_it(
    client, therapist, enrolled
):
    sign_in(client, "tess")
    assert client.get(reverse("password_change"))["Location"].startswith(VERIFY)
    assert client.get(reverse("password_reset")).status_code == 200


def test_it_cannot_be_turned_off_where_the_clinic_requires_it(client, clinic, therapist, enrolled):
    device, _codes = enrolled
    clinic.require_two_factor = True
    clinic.save()
    sign_in(client, "tess")
    client.post(VERIFY, {"code": fresh_code(device)})
    assert "requires two-factor sign-in, so it stays on" in client.get(ENROL).content.decode()
    response = client.post("/account/two-factor/turn-off/", follow=True)
    assert "it cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()


def test_it_can_be_turned_off_where_no_clinic_requires_it(client, therapist, enrolled):
    device, _codes = enrolled
    sign_in(client, "tess")
    client.post(VERIFY, {"code": fresh_code(device)})
    response = client.post("/account/two-factor/turn-off/", follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()
    assert "Turned off two-factor sign-in" in security_rows(therapist)
    client.post("/logout/")
    sign_in(client, "tess")
    assert client.get("/").status_code == 200


# --- Settings pages: the user menu, new backup codes ----------------------------------------


def test_the_user_menu_leads_to_the_two_factor_page(therapist_client):
    assert f'href="{ENROL}"' in therapist_client.get("/").content.decode()


def test_new_backup_codes_replace_the_old_ones(client, therapist, enrolled):
    device, old_codes = enrolled
    sign_in(client, "tess")
    client.post(VERIFY, {"code": fresh_code(device)})
    assert (
        "Make 10 new backup codes"
        in client.get("/account/two-factor/backup-codes/").content.decode()
    )
    response = client.post("/account/two-factor/backup-codes/")
    content = response.content.decode()
    new_codes = list(
        StaticToken.objects.filter(device__user=therapist).values_list("token", flat=True)
    )
    assert len(new_codes) == 10 and all(code in content for code in new_codes)
    assert "Your old backup codes no longer work" in content
    assert not set(old_codes) & set(new_codes)
    assert "Made new backup codes" in security_rows(therapist)


# --- Trusted browsers ---------------------------------------------------------------------


def test_a_trusted_browser_skips_the_code_for_30_days(client, clinic, therapist, enrolled):
    device, _codes = enrolled
    clinic.allow_trusted_browsers = True
    clinic.save()
    sign_in(client, "tess")
    assert "Trust this browser for 30 days" in client.get(VERIFY).content.decode()
    response = client.post(VERIFY, {"code": fresh_code(device), "trust": "on"})
    cookie = response.cookies[two_factor.TRUST_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 30 * 24 * 60 * 60

    client.post("/logout/")
    sign_in(client, "tess")
    assert client.get("/patients/").status_code == 200
    assert AccessLog.objects.filter(
        user=therapist, what="Two-factor code skipped on a trusted browser"
    ).exists()

    # Someone else on this browser is not let in by Tess's trust.
    client.post("/logout/")
    colin = UserFactory(username="colin")
    MembershipFactory(user=colin, clinic=clinic)
    enrol(colin)
    sign_in(client, "colin")
    assert client.get("/patients/")["Location"].startswith(VERIFY)


def test_a_trusted_browser_stops_being_trusted_when_the_clinic_disallows_it(
    client, clinic, therapist, enrolled
):
    device, _codes = enrolled
    clinic.allow_trusted_browsers = True
    clinic.save()
    sign_in(client, "tess")
    client.post(VERIFY, {"code": fresh_code(device), "trust": "on"})
    clinic.allow_trusted_browsers = False
    clinic.save()
    client.post("/logout/")
    sign_in(client, "tess")
    assert client.get("/patients/")["Location"].startswith(VERIFY)
    assert "Trust this browser" not in client.get(VERIFY).content.decode()


def test_no_trust_is_offered_or_kept_when_the_clinic_does_not_allow_it(
    client, clinic, therapist, enrolled
):
    device, _codes = enrolled
    sign_in(client, "tess")
    assert "Trust this browser" not in client.get(VERIFY).content.decode()
    response = client.post(VERIFY, {"code": fresh_code(device), "trust": "on"})
    assert two_factor.TRUST_COOKIE not in response.cookies


def test_the_trust_ends_when_the_device_is_reset(client, clinic, therapist, enrolled):
    device, _codes = enrolled
    clinic.allow_trusted_browsers = True
    clinic.save()
    sign_in(client, "tess")
    client.post(VERIFY, {"code": fresh_code(device), "trust": "on"})
    client.post("/logout/")
    services.two_factor_reset(user=therapist)
    new_device, _codes = enrol(therapist)
    sign_in(client, "tess")
    assert client.get("/patients/")["Location"].startswith(VERIFY)


def test_a_forged_trust_cookie_is_ignored(client, clinic, therapist, enrolled):
    clinic.allow_trusted_browsers = True
    clinic.save()
    device, _codes = enrolled
    client.cookies[two_factor.TRUST_COOKIE] = f"{therapist.pk}:{device.pk}:0000"
    sign_in(client, "tess")
    assert client.get("/patients/")["Location"].startswith(VERIFY)


# --- Recovery by a clinic admin -----------------------------------------------------------


def reset_url(user, clinic) -> str:
    membership = Membership.objects.get(user=user, clinic=clinic)
    return reverse("staff_two_factor_reset", args=[clinic.pk, membership.pk])


def test_the_staff_page_shows_who_has_two_factor(admin_client_, clinic, therapist, colleague):
    enrol(therapist)
    content = admin_client_.get(reverse("staff_list", args=[clinic.pk])).content.decode()
    assert content.count("Reset two-factor of") == 1
    assert "Reset two-factor of tess" in content


def test_a_clinic_admin_resets_a_members_two_factor(admin_client_, clinic, therapist, enrolled):
    response = admin_client_.post(reset_url(therapist, clinic), follow=True)
    assert "authenticator app and backup codes were removed" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    assert not StaticDevice.objects.filter(user=therapist).exists()
    row = AccessLog.objects.get(action=AuditAction.SECURITY, what__startswith="Reset")
    assert row.what == "Reset the two-factor sign-in of tess" and row.clinic == clinic
    assert row.username == "adele"

    # Tess signs in with her password alone (no clinic requires more).
    client = Client()
    sign_in(client, "tess")
    assert client.get("/").status_code == 200


def test_a_reset_ends_a_session_that_gave_the_code(client, clinic, therapist, enrolled):
    device, _codes = enrolled
    clinic.require_two_factor = True
    clinic.save()
    sign_in(client, "tess")
    client.post(VERIFY, {"code": fresh_code(device)})
    assert client.get("/").status_code == 200
    services.two_factor_reset(user=therapist)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)


def test_another_clinics_admin_cannot_reset(
    client, other_clinic_admin, clinic, therapist, enrolled
):
    client.force_login(other_clinic_admin)
    assert client.post(reset_url(therapist, clinic)).status_code == 404
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_a_former_employer_cannot_reset_what_another_clinic_relies_on(
    admin_client_, clinic, other_clinic, therapist, enrolled
):
    # Tess has left this clinic and works in the other one, which requires two-factor.
    therapist.memberships.filter(clinic=clinic).update(is_active=False)
    MembershipFactory(user=therapist, clinic=other_clinic, role=Role.THERAPIST)
    assert admin_client_.post(reset_url(therapist, clinic)).status_code == 404
    # Still working here as well, she is still not this admin's alone to reset.
    therapist.memberships.filter(clinic=clinic).update(is_active=True)
    assert admin_client_.post(reset_url(therapist, clinic)).status_code == 403
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_a_therapist_cannot_reset(colleague_client, clinic, therapist, enrolled):
    assert colleague_client.post(reset_url(therapist, clinic)).status_code == 403
    assert TOTPDevice.objects.filter(user=therapist).exists()


# --- The demo clinic ----------------------------------------------------------------------


def test_the_demo_clinic_signs_in_with_the_password_alone(client, db):
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    for name in ("tess", "colin", "adele", "omar"):
        membership = Membership.objects.select_related("clinic").filter(user__username=name)[0]
        assert not membership.clinic.require_two_factor
        client.post("/logout/")
        sign_in(client, name, "floorplan-demo")
        assert client.get("/").status_code == 200
