"""Forms of the account pages: password reset by e-mail."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User

from clinic.models import Membership


class ClinicPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[User]:
        """Only people who may still sign in get a link: Django already leaves out inactive
        users; someone no clinic employs any more (every membership deactivated) is left
        out too. Site administrators (superusers) belong to no clinic and keep the reset."""
        for user in super().get_users(email):
            if user.is_superuser or Membership.objects.active().filter(user=user).exists():
                yield user
