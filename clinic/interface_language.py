"""The interface language of a request: the signed-in user's profile language, else the
language cookie (the choice made before signing in, or on a shared browser), else the
clinic default (settings.LANGUAGE_CODE). Never the browser's Accept-Language: the Spanish
catalogue is a draft nobody should meet without asking for it.

The profile language is copied into the session at sign-in (clinic.signals) and when the
user changes it, so that no page asks the database for it. A change made in another
browser reaches an open session at its next sign-in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest

from clinic.models import StaffProfile

SESSION_KEY = "floorplan_language"


def available_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def profile_language(user: User) -> str | None:
    """The language saved in the user's profile, or None for someone who never chose."""
    language: str | None = (
        StaffProfile.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return language


def note_language(request: HttpRequest, language: str | None) -> None:
    """Keep the profile language in the session (None: the user has not chosen one)."""
    if language is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = language


def chosen_language(request: HttpRequest) -> str:
    available = available_languages()
    session = getattr(request, "session", None)
    # A session without a cookie is never read from the database (nothing to load).
    from_profile = session.get(SESSION_KEY) if session is not None else None
    if from_profile in available:
        return str(from_profile)
    from_cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if from_cookie in available:
        return from_cookie
    return str(settings.LANGUAGE_CODE)
