"""A clinic's staff, managed by its clinic admins: add a therapist, deactivate one (their
records stay), reassign their patients."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from clinic.access import (
    AuthenticatedHttpRequest,
    clinic_for_admin,
    log_access,
    staff_account_for_admin,
    staff_member_for_admin,
)
from clinic.forms_staff import StaffAddForm, StaffReassignForm
from clinic.lockouts import locked_out_usernames
from clinic.models import AuditAction, Membership, Role
from clinic.services import staff as services
from clinic.two_factor import member_has_two_factor


def _name(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


def staff_list(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    members = (
        clinic.memberships.select_related("user")
        .annotate(
            patients=Count(
                "user__assigned_patients", filter=Q(user__assigned_patients__clinic=clinic)
            ),
            two_factor=member_has_two_factor(),
        )
        .order_by("-is_active", "role", "user__first_name", "user__last_name", "user__username")
    )
    locked = locked_out_usernames(m.user.get_username() for m in members)
    return render(
        request,
        "clinic/staff_list.html",
        {"clinic": clinic, "members": members, "locked": locked},
    )


@require_http_methods(["GET", "POST"])
def staff_add(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = services.staff_add_therapist(
            clinic=clinic,
            username=form.cleaned_data["username"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            password=None if form.invites else form.cleaned_data["password1"],
        )
        if form.invites:
            _invite(request, membership)
        else:
            messages.success(
                request,
                _("%(name)s can now log in as %(username)s and see %(clinic)s's patients.")
                % {
                    "name": _name(membership),
                    "username": membership.user.get_username(),
                    "clinic": clinic.name,
                },
            )
        return redirect("staff_list", clinic_id=clinic.pk)
    return render(
        request, "clinic/staff_form.html", {"clinic": clinic, "form": form, "action": "add"}
    )


def _invite(request: AuthenticatedHttpRequest, membership: Membership) -> None:
    """Email the link that lets them choose a password (the password-reset link: it works
    once, for PASSWORD_RESET_TIMEOUT), and say whether it went."""
    user = membership.user
    url = request.build_absolute_uri(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    values = {"name": _name(membership), "email": user.email, "clinic": membership.clinic.name}
    try:
        services.staff_invite_send(
            membership=membership, invited_by=request.user, set_password_url=url
        )
    except OSError:
        messages.error(
            request,
            _(
                "%(name)s was added to %(clinic)s, but the invitation could not be sent to "
                "%(email)s. Try again with “Send the invitation again” below."
            )
            % values,
        )
        return
    log_access(
        request,
        None,
        _("Invited %(username)s by email") % {"username": user.get_username()},
        action=AuditAction.SECURITY,
        clinic=membership.clinic,
    )
    messages.success(
        request,
        _(
            "%(name)s was added to %(clinic)s and invited by email (%(email)s): the link "
            "lets them choose a password and sign in."
        )
        % values,
    )


@require_POST
def staff_invite(
    request: AuthenticatedHttpRequest, clinic_id: int, membership_id: int
) -> HttpResponse:
    """Send the invitation again: to someone who has not chosen a password yet."""
    clinic = clinic_for_admin(request, clinic_id)
    # A link to set the account's password: an action on the account itself.
    membership = staff_account_for_admin(request, clinic, membership_id)
    if membership.user.has_usable_password() or not membership.user.email:
        messages.error(
            request, _("Only someone invited who has not chosen a password yet can be invited.")
        )
    else:
        _invite(request, membership)
    return redirect("staff_list", clinic_id=clinic.pk)


@require_http_methods(["GET", "POST"])
def staff_deactivate(
    request: AuthenticatedHttpRequest, clinic_id: int, membership_id: int
) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    membership = staff_member_for_admin(clinic, membership_id)
    if membership.role != Role.THERAPIST or not membership.is_active:
        messages.error(request, _("Only an active therapist can be deactivated here."))
        return redirect("staff_list", clinic_id=clinic.pk)
    if request.method == "POST":
        services.staff_deactivate(membership=membership)
        messages.success(
            request,
            _(
                "%(name)s was deactivated: they no longer see %(clinic)s's patients. What "
                "they recorded stays in the patients' records."
            )
            % {"name": _name(membership), "clinic": clinic.name},
        )
        return redirect("staff_list", clinic_id=clinic.pk)
    patients = clinic.patients.filter(assigned_therapist=membership.user_id).count()
    context = {
        "clinic": clinic,
        "member": membership,
        "patients": patients,
        "action": "deactivate",
    }
    return render(request, "clinic/staff_form.html", context)


@require_POST
def staff_reactivate(
    request: AuthenticatedHttpRequest, clinic_id: int, membership_id: int
) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    membership = staff_member_for_admin(clinic, membership_id)
    services.staff_reactivate(membership=membership)
    messages.success(
        request,
        _("%(name)s was reactivated and sees %(clinic)s's patients again.")
        % {"name": _name(membership), "clinic": clinic.name},
    )
    return redirect("staff_list", clinic_id=clinic.pk)


@require_POST
def staff_unlock(
    request: AuthenticatedHttpRequest, clinic_id: int, membership_id: int
) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    membership = staff_account_for_admin(request, clinic, membership_id)
    services.staff_unlock(membership=membership)
    log_access(
        request,
        None,
        _("Lifted the login lockout of %(username)s")
        % {"username": membership.user.get_username()},
        action=AuditAction.SECURITY,
        clinic=clinic,
    )
    messages.success(
        request,
        _("%(name)s can sign in again.") % {"name": _name(membership)},
    )
    return redirect("staff_list", clinic_id=clinic.pk)


@require_http_methods(["GET", "POST"])
def staff_reassign(
    request: AuthenticatedHttpRequest, clinic_id: int, membership_id: int
) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    membership = staff_member_for_admin(clinic, membership_id)
    form = StaffReassignForm(request.POST or None, clinic=clinic, membership=membership)
    if request.method == "POST" and form.is_valid():
        to_user = form.cleaned_data["to_user"]
        try:
            count = services.staff_reassign_patients(
                clinic=clinic, from_user=membership.user, to_user=to_user
            )
        except ValidationError as error:
            form.add_error("to_user", error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d patient of %(from)s is now assigned to %(to)s.",
                    "%(count)d patients of %(from)s are now assigned to %(to)s.",
                    count,
                )
                % {
                    "count": count,
                    "from": _name(membership),
                    "to": to_user.get_full_name() or to_user.get_username(),
                },
            )
            return redirect("staff_list", clinic_id=clinic.pk)
    patients = clinic.patients.filter(assigned_therapist=membership.user_id).count()
    context = {
        "clinic": clinic,
        "member": membership,
        "patients": patients,
        "form": form,
        "action": "reassign",
    }
    return render(request, "clinic/staff_form.html", context)
