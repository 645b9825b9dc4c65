from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from clinic import interface_language, two_factor

# Everything is served from the application itself: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


# Nothing here needs a camera, microphone, location or payment.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PrivateResponseMiddleware:
    """Pages, exports and PDFs hold patient data: no browser or proxy may keep them.

    Static files never reach this (WhiteNoise serves them first, with long caching)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class TwoFactorMiddleware:
    """After OTPMiddleware: a signed-in user who has two-factor but has not given a code in
    this session goes to the verify page; one whose clinic requires it and who has none
    goes to the enrolment page. Either comes back to where they were going."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        step = two_factor.pending_step(request, request.resolver_match)
        if step is None:
            return None
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The language the user chose (their profile, else the language cookie), else the
    clinic's: never a guess from the browser's Accept-Language (clinic.interface_language)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(interface_language.chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
