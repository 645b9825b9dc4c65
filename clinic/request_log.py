"""One JSON line per request on the logger ``floorplan.requests`` (settings.LOGGING).

A line names the route, never the address asked for: an address holds ids and its query
string may hold a patient's name searched for. So a line has the method, the view's name
and its URL pattern (``patients/<int:patient_id>/``), the status, the time taken and the
signed-in user's id, and nothing from the request's data.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("floorplan.requests")

# Only methods HTTP defines are written as sent; anything else is a client's invention.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


# A patient's home-task link holds its token in the address (/p/<token>/...).
_PATIENT_LINK = re.compile(r"(/p/)[^/\s?#]+")


def hide_patient_links(text: str) -> str:
    return _PATIENT_LINK.sub(r"\1[link]", text)


class HidePatientLinks(logging.Filter):
    """On every log handler: Django's own warnings name the path of each 4xx and 5xx
    response ("Bad Request: /p/<token>/"); the token is a key to a patient's page, so no
    log line may hold it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_patient_links(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                hide_patient_links(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


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
