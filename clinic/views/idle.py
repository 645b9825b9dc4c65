"""The idle-timeout script's endpoint (static/floorplan/idle.js)."""

from __future__ import annotations

from typing import cast

from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from clinic.access import AuthenticatedHttpRequest
from clinic.idle import IdleRequest


@require_http_methods(["GET", "POST"])
def idle_session(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The seconds left before the idle sign-out. The script's GET is a background check
    (clinic.idle does not count it); a POST is "Stay signed in", which does count."""
    idle = cast(IdleRequest, request).idle_timeout
    return JsonResponse({"remaining": idle.remaining, "warning": idle.warning})
