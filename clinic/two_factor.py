"""Two-factor sign-in (django-otp): which step a signed-in user still owes, the "trust this
browser" cookie, the QR code and the forms. Writes are in clinic.services.two_factor.

A user "has two-factor" when they have a confirmed authenticator-app (TOTP) device; their
backup codes are a one-time stand-in for it, never a method of their own.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any, cast

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.auth.signals import user_logged_in
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.access import AuthenticatedHttpRequest, log_sign_in, memberships_for
from clinic.models import AuditAction, Membership

VERIFY = "two_factor_verify"
ENROL = "two_factor_enrol"

# Pages a signed-in user reaches before their second step: the two steps themselves,
# signing out, the language switch, the idle-timeout check, and the reset-by-mail pages
# (used signed out). Not the password change: someone holding only the password must not
# be able to change it.
EXEMPT_VIEWS = frozenset(
    {
        VERIFY,
        ENROL,
        "login",
        "logout",
        "set_language",
        "language_choose",
        "idle_session",
        "admin:login",
        "admin:logout",
    }
)
EXEMPT_VIEW_PREFIXES = ("password_reset",)

TRUST_COOKIE = "floorplan_trusted_browser"
TRUST_DAYS = 30
_TRUST_SALT = "floorplan.two_factor.trusted_browser"
# Noted in the session at sign-in, so that pages need not ask the database on every request
# whether the user has a device. Enrolling or turning off two-factor updates it in the
# session that does it. In the user's other sessions a stale "yes" is corrected by the
# verify page; a stale "no" (another browser already signed in when they enrol) lasts
# until that session ends, as the password-only sign-in it began with.
HAS_DEVICE_KEY = "floorplan_two_factor"


def confirmed_device(user: AbstractBaseUser | AnonymousUser) -> Any:
    """The user's authenticator-app device (a TOTPDevice), or None."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def member_has_two_factor() -> Exists:
    """For annotating memberships (the staff page): whether the member has two-factor."""
    return Exists(TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True))


def note_device(request: HttpRequest, has_device: bool) -> None:
    request.session[HAS_DEVICE_KEY] = has_device


def has_device(request: HttpRequest) -> bool:
    noted = request.session.get(HAS_DEVICE_KEY)
    if noted is None:  # a session from before two-factor existed
        noted = confirmed_device(request.user) is not None
        note_device(request, noted)
    return bool(noted)


@receiver(user_logged_in, dispatch_uid="floorplan_two_factor_note_device")
def _note_device_at_sign_in(
    sender: object, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        note_device(request, confirmed_device(user) is not None)


def is_verified(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this session passed its second step (OTPMiddleware sets ``otp_device``)."""
    return getattr(user, "otp_device", None) is not None


def clinics_requiring(memberships: list[Membership]) -> list[str]:
    return [m.clinic.name for m in memberships if m.clinic.require_two_factor]


def trust_allowed(memberships: list[Membership]) -> bool:
    """Every clinic the user works in must allow trusted browsers."""
    return bool(memberships) and all(m.clinic.allow_trusted_browsers for m in memberships)


def pending_step(request: HttpRequest, match: ResolverMatch | None) -> str | None:
    """The URL name of the step this signed-in user owes before any other page, or None.

    A valid trusted-browser cookie counts as the second step: the device it names signs
    the session in, as a code would."""
    if not request.user.is_authenticated or is_verified(request.user):
        return None
    if match is not None and (
        match.view_name in EXEMPT_VIEWS or match.view_name.startswith(EXEMPT_VIEW_PREFIXES)
    ):
        return None
    memberships = memberships_for(cast(AuthenticatedHttpRequest, request))
    if has_device(request):
        device = trusted_device(request)
        if device is not None and trust_allowed(memberships):
            django_otp.login(request, device)
            log_sign_in(
                request,
                action=AuditAction.SIGN_IN,
                what=_("Two-factor code skipped on a trusted browser"),
                user=request.user,
            )
            return None
        return VERIFY
    if clinics_requiring(memberships) or is_site_administrator(request.user):
        return ENROL
    return None


def is_site_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff of the Django admin see every clinic's patients: they always owe the second
    step, whatever any clinic requires (settings.TWO_FACTOR_FOR_SITE_ADMINS)."""
    return settings.TWO_FACTOR_FOR_SITE_ADMINS and bool(
        getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
    )


# --- Trusted browsers ---------------------------------------------------------------------


def _fingerprint(device: Any) -> str:
    # A new device (after a reset or a new enrolment) has a new key, and a new password a
    # new hash: either ends the trust.
    password = getattr(device.user, "password", "")
    return salted_hmac(_TRUST_SALT, f"{device.key}:{password}").hexdigest()[:32]


def trust_browser(request: HttpRequest, response: HttpResponse, device: Any) -> None:
    response.set_signed_cookie(
        TRUST_COOKIE,
        f"{device.user_id}:{device.pk}:{_fingerprint(device)}",
        salt=_TRUST_SALT,
        max_age=TRUST_DAYS * 24 * 60 * 60,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )


def trusted_device(request: HttpRequest) -> Any:
    """The device a valid trusted-browser cookie of this user names, or None. The signature
    carries its own 30-day limit, whatever the browser does with the cookie's expiry."""
    value = request.get_signed_cookie(
        TRUST_COOKIE, default=None, salt=_TRUST_SALT, max_age=timedelta(days=TRUST_DAYS)
    )
    if not value:
        return None
    user_id, _sep, rest = str(value).partition(":")
    device_id, _sep, fingerprint = rest.partition(":")
    if user_id != str(request.user.pk) or not device_id.isdigit() or len(device_id) > 18:
        return None
    device = (
        TOTPDevice.objects.select_related("user")
        .filter(pk=int(device_id), user_id=request.user.pk, confirmed=True)
        .first()
    )
    if device is None or not constant_time_compare(fingerprint, _fingerprint(device)):
        return None
    return device


# --- Enrolment ----------------------------------------------------------------------------


def qr_code_svg(device: Any) -> SafeString:
    """The device's otpauth:// address as an inline SVG: drawn here, nothing fetched."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )
    # segno escapes the title; the SVG is our own drawing, with no script or style in it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" class="two-factor-qr" ', 1))


def secret_for_typing(device: Any) -> str:
    """The key in base32, in groups of four, for apps that cannot scan."""
    secret = base64.b32encode(bytes(device.bin_key)).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(text: str) -> str:
    # Apps show "123 456"; backup codes may be typed in capitals or with a dash.
    return "".join(text.split()).replace("-", "").lower()


def is_app_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from the app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not is_app_code(code):
            raise forms.ValidationError(_("Enter the 6 digits the app shows."))
        return code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("The 6 digits your authenticator app shows, or a backup code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    trust = forms.BooleanField(
        label=gettext_lazy("Trust this browser for 30 days"),
        required=False,
        help_text=gettext_lazy("Only on a computer no one else uses."),
    )

    def __init__(self, *args: Any, trust_offered: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not trust_offered:
            del self.fields["trust"]

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) < 6:  # a typo, not a guess: the throttle does not count it
            raise forms.ValidationError(_("Enter the 6 digits the app shows, or a backup code."))
        return code
