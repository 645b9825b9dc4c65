"""One JSON line per request on the logger ``floorplan.requests`` (settings.LOGGING).

A line names the route, never the address asked for: an address holds ids and its query
string may hold a patient's name searched for. So a line has the method, the view's name
and its URL pattern (``patients/<int:patient_id>/``), the status, the time taken and the
signed-in user's id, and nothing from the request's data.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("floorplan.requests")

# Only methods HTTP defines are written as sent; anything else is a client's invention.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


def _user_id(request: HttpRequest) -> int | None:
    # Static files answered by WhiteNoise never reach the authentication middleware.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


def request_record(
    request: HttpRequest, response: HttpResponse, duration: float
) -> dict[str, object]:
    match = request.resolver_match
    if match is not None:
        view: str | None = match.view_name
        route: str | None = match.route
    elif request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        view = route = "static"
    else:
        view = route = None  # no view answered: a 404, or a redirect before routing
    method = request.method or ""
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": method if method in KNOWN_METHODS else "OTHER",
        "view": view,
        "route": route,
        "status": response.status_code,
        # Until the response was built: a streamed download's bytes are sent afterwards.
        "duration_ms": round(duration * 1000, 1),
        "user": _user_id(request),
    }


class RequestLogMiddleware:
    """First in MIDDLEWARE, so the time includes every other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        record = request_record(request, response, time.perf_counter() - started)
        logger.info(json.dumps(record, separators=(",", ":")))
        return response
