"""Two-factor sign-in pages: enrol an authenticator app, give a code after the password,
backup codes, turn it off; and a clinic admin's reset for a member who lost their phone."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from clinic import two_factor
from clinic.access import (
    AuthenticatedHttpRequest,
    clinic_for_admin,
    log_access,
    log_sign_in,
    memberships_for,
    staff_account_for_admin,
)
from clinic.models import AuditAction
from clinic.services import two_factor as services

# Below this many backup codes left, the user is told to make new ones.
FEW_BACKUP_CODES = 3


def _next_url(request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("home")


def _codes_page(
    request: AuthenticatedHttpRequest, codes: list[str], *, first: bool
) -> HttpResponse:
    # Rendered straight from the POST, never stored or redirected to: shown this once.
    context = {"codes": codes, "first": first, "next": _next_url(request)}
    return render(request, "clinic/two_factor/backup_codes.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app; once set up, this is the two-factor settings page."""
    memberships = memberships_for(request)
    if two_factor.confirmed_device(request.user) is not None:
        if not two_factor.is_verified(request.user):
            return redirect("two_factor_verify")
        context = {
            "backup_codes_left": services.backup_codes_left(user=request.user),
            "required_by": two_factor.clinics_requiring(memberships),
        }
        return render(request, "clinic/two_factor/settings.html", context)
    device = services.totp_device_start(user=request.user)
    form = two_factor.EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enrol(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            django_otp.login(request, device)
            two_factor.note_device(request, True)
            log_sign_in(
                request,
                action=AuditAction.SECURITY,
                what=_("Turned on two-factor sign-in"),
                user=request.user,
            )
            return _codes_page(request, codes, first=True)
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "required_by": two_factor.clinics_requiring(memberships),
        "next": _next_url(request),
    }
    return render(request, "clinic/two_factor/enrol.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    if two_factor.is_verified(request.user):
        return redirect(_next_url(request))
    if two_factor.confirmed_device(request.user) is None:
        # Reset by a clinic admin since this session began: nothing to verify (the
        # middleware sends them to enrol if their clinic requires it).
        two_factor.note_device(request, False)
        return redirect(_next_url(request))
    trust_offered = two_factor.trust_allowed(memberships_for(request))
    form = two_factor.VerifyForm(request.POST or None, trust_offered=trust_offered)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except services.CodeLocked as error:
            form.add_error("code", error)
            log_sign_in(
                request,
                action=AuditAction.LOCKED_OUT,
                what=_("Two-factor code refused: too many wrong codes"),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("code", error)
            log_sign_in(
                request,
                action=AuditAction.SIGN_IN_FAILED,
                what=_("Wrong two-factor code"),
                user=request.user,
            )
        else:
            return _verified(request, device, trust=trust_offered and form.cleaned_data["trust"])
    return render(
        request, "clinic/two_factor/verify.html", {"form": form, "next": _next_url(request)}
    )


def _verified(request: AuthenticatedHttpRequest, device: object, *, trust: bool) -> HttpResponse:
    django_otp.login(request, device)
    if isinstance(device, StaticDevice):
        left = services.backup_codes_left(user=request.user)
        log_sign_in(
            request,
            action=AuditAction.SECURITY,
            what=_("Signed in with a backup code"),
            user=request.user,
        )
        if left <= FEW_BACKUP_CODES:
            messages.warning(
                request,
                ngettext(
                    "You have %(count)d backup code left: make new ones in two-factor settings.",
                    "You have %(count)d backup codes left: make new ones in two-factor settings.",
                    left,
                )
                % {"count": left},
            )
    response = redirect(_next_url(request))
    app_device = two_factor.confirmed_device(request.user)
    if trust and app_device is not None:
        two_factor.trust_browser(request, response, app_device)
    return response


@require_http_methods(["GET", "POST"])
def backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.is_verified(request.user):
        return redirect("two_factor_enrol")
    if request.method == "POST":
        codes = services.backup_codes_regenerate(user=request.user)
        log_sign_in(
            request,
            action=AuditAction.SECURITY,
            what=_("Made new backup codes"),
            user=request.user,
        )
        return _codes_page(request, codes, first=False)
    context = {"backup_codes_left": services.backup_codes_left(user=request.user)}
    return render(request, "clinic/two_factor/backup_codes_new.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.is_verified(request.user):
        return redirect("two_factor_enrol")
    required_by = two_factor.clinics_requiring(memberships_for(request))
    if request.method == "POST":
        try:
            services.two_factor_disable(user=request.user, memberships=memberships_for(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("two_factor_enrol")
        two_factor.note_device(request, False)
        log_sign_in(
            request,
            action=AuditAction.SECURITY,
            what=_("Turned off two-factor sign-in"),
            user=request.user,
        )
        messages.success(request, _("Two-factor sign-in is off: you sign in with your password."))
        response = redirect("two_factor_enrol")
        response.delete_cookie(two_factor.TRUST_COOKIE)
        return response
    return render(request, "clinic/two_factor/disable.html", {"required_by": required_by})


@require_POST
def staff_two_factor_reset(
    request: AuthenticatedHttpRequest, clinic_id: int, membership_id: int
) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    membership = staff_account_for_admin(request, clinic, membership_id)
    name = membership.user.get_full_name() or membership.user.get_username()
    if not services.two_factor_reset(user=membership.user):
        messages.info(request, _("%(name)s has no two-factor sign-in to reset.") % {"name": name})
        return redirect("staff_list", clinic_id=clinic.pk)
    log_access(
        request,
        None,
        _("Reset the two-factor sign-in of %(username)s")
        % {"username": membership.user.get_username()},
        action=AuditAction.SECURITY,
        clinic=clinic,
    )
    messages.success(
        request,
        _(
            "%(name)s's authenticator app and backup codes were removed. They sign in with "
            "their password and set up two-factor again if %(clinic)s requires it."
        )
        % {"name": name, "clinic": clinic.name},
    )
    return redirect("staff_list", clinic_id=clinic.pk)
