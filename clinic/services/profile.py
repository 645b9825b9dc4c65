"""Writes for a staff member's own profile: the language they use the application in."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from clinic.models import StaffProfile


@transaction.atomic
def profile_set_language(*, user: User, language: str) -> StaffProfile:
    profile = StaffProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = StaffProfile(user=user)
    profile.language = language
    profile.full_clean()
    profile.save()
    return profile
