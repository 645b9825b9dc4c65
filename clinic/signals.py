"""Sign-ins in the audit trail: successful, failed, locked out and signed out, from every
login form (ours and the admin's). Connected in ClinicConfig.ready()."""

from __future__ import annotations

from typing import Any, TypeGuard

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from clinic import interface_language
from clinic.access import log_sign_in
from clinic.lockouts import lockout_clear
from clinic.models import AuditAction


def _from_a_browser(request: HttpRequest | None) -> TypeGuard[HttpRequest]:
    # Code that signs a user in without an HTTP request behind it (the test client's
    # force_login, a shell) is nobody at a login form: nothing to record.
    return request is not None and request.method is not None


def _user_named(username: str) -> User | None:
    """The account a typed name belongs to, so that the clinic's report shows attempts on
    its staff; None for a name that matches nobody."""
    if not username:
        return None
    model = get_user_model()
    user: User | None = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    return user


@receiver(user_logged_in, dispatch_uid="floorplan_sign_in")
def record_sign_in(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if _from_a_browser(request):
        log_sign_in(request, action=AuditAction.SIGN_IN, what=_("Signed in"), user=user)
        # Their own typos are forgotten; failures on other names from this address stay.
        lockout_clear(username=user.get_username())


@receiver(user_logged_in, dispatch_uid="floorplan_profile_language")
def note_profile_language(
    sender: object, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    # Once per sign-in, so that pages need not read the profile (clinic.interface_language).
    if request is not None and hasattr(request, "session"):
        interface_language.note_language(request, interface_language.profile_language(user))


@receiver(user_login_failed, dispatch_uid="floorplan_sign_in_failed")
def record_failed_sign_in(
    sender: object,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    if not _from_a_browser(request):
        return
    # Django has already masked the password in `credentials`; only the name is kept.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")[:150]
    log_sign_in(
        request,
        action=AuditAction.SIGN_IN_FAILED,
        what=_("Sign-in refused"),
        user=_user_named(username),
        username=username,
    )


@receiver(user_locked_out, dispatch_uid="floorplan_locked_out")
def record_lockout(
    sender: object, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    if not _from_a_browser(request):
        return
    name = (username or "")[:150]
    log_sign_in(
        request,
        action=AuditAction.LOCKED_OUT,
        what=_("Locked out after repeated failed sign-ins"),
        user=_user_named(name),
        username=name,
    )


@receiver(user_logged_out, dispatch_uid="floorplan_sign_out")
def record_sign_out(
    sender: object, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is not None and _from_a_browser(request):
        # An idle sign-out (clinic.idle) says why; one row either way.
        what = getattr(request, "floorplan_sign_out_reason", "") or _("Signed out")
        log_sign_in(request, action=AuditAction.SIGN_OUT, what=what, user=user)
