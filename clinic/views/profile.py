"""The signed-in user's own choices: the language they use the application in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic import interface_language
from clinic.access import AuthenticatedHttpRequest
from clinic.forms_profile import LanguageForm
from clinic.services.profile import profile_set_language


@require_POST
def language_choose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Saved on the profile (it follows the user to every browser), noted in this session,
    and set in the language cookie, which the login page keeps showing after signing out."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = redirect(next_url)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    profile_set_language(user=request.user, language=language)
    interface_language.note_language(request, language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
