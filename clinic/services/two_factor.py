"""Writes for two-factor sign-in: enrol an authenticator app, check a code, backup codes,
turn it off, and a clinic admin's reset.

A code is checked in a transaction of its own, before anything else is written: a wrong
code's count (django-otp's throttling: each failure doubles the wait before the next try)
must stay written when the caller reports the error.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Membership
from clinic.two_factor import clinics_requiring, is_app_code

BACKUP_CODES = 10


def totp_device_start(*, user: User) -> Any:
    """The app device being set up: the same one until it is confirmed, so that reloading
    the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def _wait_message(locked_until: Any) -> str:
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds < 120:
        wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return _(
        "Too many wrong codes. Wait %(wait)s, then try again. Each wrong code makes the wait "
        "longer."
    ) % {"wait": wait}


class CodeLocked(ValidationError):
    """Refused without checking: too many wrong codes in a row."""


def _check(device: Any, code: str, *, wrong: str) -> None:
    with transaction.atomic():
        # Locked, and read afresh, so two tries at once cannot both pass the throttle.
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        accepted = allowed and device.verify_token(code)
    if not allowed:
        raise CodeLocked(_wait_message((details or {}).get("locked_until", timezone.now())))
    if not accepted:
        raise ValidationError(wrong)


def two_factor_enrol(*, device: Any, code: str) -> list[str]:
    """Confirm the app device with a code it made; returns the new backup codes."""
    _check(
        device,
        code,
        wrong=_("That code does not match. Check the phone's clock and enter the newest code."),
    )
    return _confirm(device)


@transaction.atomic
def _confirm(device: Any) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    return backup_codes_regenerate(user=device.user)


def two_factor_verify(*, user: User, code: str) -> Any:
    """The device that accepts this code: the app's 6 digits, or a backup code (which is
    used up). Raises ValidationError (CodeLocked when too many were wrong)."""
    if is_app_code(code):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        wrong = _("That code is not right. Enter the newest code the app shows.")
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        wrong = _("That backup code is not right, or it was used already.")
    if device is None:
        raise ValidationError(wrong)
    _check(device, code, wrong=wrong)
    return device


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Ten new one-time codes; the old ones stop working. The device stays (a session signed
    in with a backup code stays signed in)."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="Backup codes")
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < BACKUP_CODES:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def backup_codes_left(*, user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user).count())


@transaction.atomic
def two_factor_disable(*, user: User, memberships: list[Membership]) -> None:
    required_by = clinics_requiring(memberships)
    if required_by:
        raise ValidationError(
            _("%(clinics)s requires two-factor sign-in: it cannot be turned off.")
            % {"clinics": ", ".join(required_by)}
        )
    _delete_devices(user)


@transaction.atomic
def two_factor_reset(*, user: User) -> bool:
    """A clinic admin's recovery for a lost phone: the user's app and backup codes are gone,
    so they enrol again at their next sign-in (if their clinic requires it). Any trusted
    browser of theirs stops being trusted (it named the old device). Returns whether there
    was anything to reset."""
    return _delete_devices(user)


def _delete_devices(user: User) -> bool:
    deleted_app, _detail = TOTPDevice.objects.filter(user=user).delete()
    deleted_codes, _detail = StaticDevice.objects.filter(user=user).delete()
    return bool(deleted_app or deleted_codes)
