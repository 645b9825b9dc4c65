"""Idle timeout: someone who does nothing for their clinic's idle time is signed out.

With several clinics the shortest time applies. The last activity is kept in the session;
SESSION_COOKIE_AGE stays the absolute limit of a sign-in, however active.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.access import AuthenticatedHttpRequest, memberships_for
from clinic.models import Clinic, Membership

LAST_ACTIVITY_KEY = "floorplan_last_activity"
SIGNED_IN_AT_KEY = "floorplan_signed_in_at"
# Sent by static/floorplan/idle.js with its status checks and with the draft it saves
# before the timeout: neither is the person doing something. Only "Stay signed in" is.
BACKGROUND_HEADER = "X-FloorPlan-Background"


def _setting(name: str, default: int) -> int:
    # IDLE_TIMEOUT_SECONDS and IDLE_WARNING_SECONDS are deliberately not in settings.py nor
    # read from the environment: only tests set them (override_settings), so a browser test
    # need not wait five minutes for the real middleware and script to act.
    value = getattr(settings, name, None)
    return default if value is None else int(value)


@dataclass(frozen=True)
class IdleTimeout:
    timeout: int  # seconds without activity before signing out
    remaining: int  # seconds left now
    warning: int  # seconds before the end that the warning shows

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.timeout / 60))

    @property
    def warning_minutes(self) -> int:
        return max(1, math.ceil(self.warning / 60))


class IdleRequest(AuthenticatedHttpRequest):
    # For base.html, which hands it to the warning script.
    idle_timeout: IdleTimeout
    # Read by clinic.signals: the audit row of the sign-out says why.
    floorplan_sign_out_reason: str


def idle_timeout_minutes(memberships: Iterable[Membership]) -> int:
    """The shortest idle time of the user's active clinics; the default without any."""
    default = cast(int, Clinic._meta.get_field("idle_timeout_minutes").get_default())
    return min((m.clinic.idle_timeout_minutes for m in memberships), default=default)


def idle_timeout_seconds(request: AuthenticatedHttpRequest) -> int:
    return _setting("IDLE_TIMEOUT_SECONDS", idle_timeout_minutes(memberships_for(request)) * 60)


def is_activity(request: HttpRequest) -> bool:
    return BACKGROUND_HEADER not in request.headers


class IdleTimeoutMiddleware:
    """After the auth and messages middleware: it signs out and leaves a message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        signed_in = cast(IdleRequest, request)
        session = request.session
        now = time.time()
        timeout = idle_timeout_seconds(signed_in)
        last = session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last >= timeout:
            minutes = max(1, round(timeout / 60))
            return _sign_out(
                signed_in,
                reason=ngettext(
                    "Signed out after %(minutes)d idle minute",
                    "Signed out after %(minutes)d idle minutes",
                    minutes,
                )
                % {"minutes": minutes},
                message=ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        # Saving the last activity renews the session row's expiry, so the absolute
        # limit is kept here instead.
        started = session.setdefault(SIGNED_IN_AT_KEY, now)
        if now - started >= settings.SESSION_COOKIE_AGE:
            hours = max(1, round(settings.SESSION_COOKIE_AGE / 3600))
            return _sign_out(
                signed_in,
                reason=_("Signed out at the end of the session limit"),
                message=ngettext(
                    "Your sign-in lasts at most %(hours)d hour: please sign in again.",
                    "Your sign-in lasts at most %(hours)d hours: please sign in again.",
                    hours,
                )
                % {"hours": hours},
            )
        # Written at most every few seconds: a page and its images are one activity, and
        # each write is a database write.
        if last is None or (is_activity(request) and now - last >= min(30, timeout / 10)):
            session[LAST_ACTIVITY_KEY] = last = now
        warning = min(_setting("IDLE_WARNING_SECONDS", 60), timeout // 2)
        signed_in.idle_timeout = IdleTimeout(
            # Rounded up: 0 only ever means signed out.
            timeout=timeout,
            remaining=math.ceil(last + timeout - now),
            warning=warning,
        )
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="floorplan_idle_start")
def start_the_clock(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    # Connected in ClinicConfig.ready(). In the session from the start, so the first
    # requests after signing in need not write it.
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = request.session[SIGNED_IN_AT_KEY] = time.time()


def _sign_out(request: IdleRequest, *, reason: str, message: str) -> HttpResponse:
    request.floorplan_sign_out_reason = reason
    logout(request)
    messages.info(request, message)
    if not is_activity(request):
        # The script goes to the sign-in page itself, back to the page it is on. (Not a
        # 401: the browser would report the expected answer as an error.)
        return JsonResponse({"remaining": 0})
    return redirect_to_login(request.get_full_path())
