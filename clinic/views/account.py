"""The signed-in user's own account: password change; password reset by e-mail for
someone who cannot sign in; the page shown to a locked-out sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from clinic.access import client_address, log_sign_in
from clinic.forms_account import ClinicPasswordResetForm
from clinic.lockouts import cooloff_minutes, lockout_clear, password_reset_allowed
from clinic.models import AuditAction


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: what a locked-out name or address sees instead of the
    login page, on every login form."""
    return render(request, "registration/lockout.html", {"minutes": cooloff_minutes()}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        log_sign_in(
            self.request,
            action=AuditAction.SECURITY,
            what=_("Changed their password"),
            user=form.user,
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ClinicPasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Past the limit the answer is the same "check your mail" page, with no mail sent.
        if not password_reset_allowed(
            address=client_address(self.request), email=form.cleaned_data["email"]
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever proved they own the mailbox may sign in now, not after the cool-off.
        lockout_clear(username=form.user.get_username())
        log_sign_in(
            self.request,
            action=AuditAction.SECURITY,
            what=_("Set a new password through a reset link"),
            user=form.user,
        )
        return response
