"""Writes for a clinic's staff: add a therapist, deactivate and reactivate, reassign patients."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinic.lockouts import lockout_clear
from clinic.models import Clinic, Membership, Patient, Role


@transaction.atomic
def staff_add_therapist(
    *,
    clinic: Clinic,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str | None,
) -> Membership:
    """A therapist of the clinic; without a password, one that cannot sign in until they
    choose their own through an invitation (staff_invite_send)."""
    user = get_user_model()(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    membership = Membership(user=user, clinic=clinic, role=Role.THERAPIST)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def staff_deactivate(*, membership: Membership) -> Membership:
    # Nothing is deleted: the assessments and plans they wrote stay in the patients'
    # records, which the clinic keeps reading. Only their own access to the clinic ends.
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def staff_reactivate(*, membership: Membership) -> Membership:
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


def staff_unlock(*, membership: Membership) -> int:
    """Lift a login lockout on this staff member's user name at once, instead of letting the
    cool-off run out; returns how many lockout records went."""
    return lockout_clear(username=membership.user.get_username())


@transaction.atomic
def staff_reassign_patients(*, clinic: Clinic, from_user: User, to_user: User) -> int:
    """Give every patient of this clinic assigned to from_user to to_user (archived ones
    too); their patients in other clinics stay as they are."""
    if from_user.pk == to_user.pk:
        raise ValidationError(_("Choose another therapist."))
    if (
        not Membership.objects.active()
        .filter(clinic=clinic, user=to_user, role=Role.THERAPIST)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s is not an active therapist of this clinic.")
            % {"name": to_user.get_full_name() or to_user.get_username()}
        )
    return Patient.objects.filter(clinic=clinic, assigned_therapist=from_user).update(
        assigned_therapist=to_user, updated_at=timezone.now()
    )


def staff_invite_send(*, membership: Membership, invited_by: User, set_password_url: str) -> None:
    """Email a staff member the link to choose their password, in the clinic's language.
    Raises OSError (SMTP errors included) when the mail cannot be sent."""
    user, clinic = membership.user, membership.clinic
    context = {
        "user": user,
        "clinic": clinic,
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "set_password_url": set_password_url,
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400),
    }
    with translation.override(clinic.language):
        subject = render_to_string("clinic/staff_invite_subject.txt", context)
        body = render_to_string("clinic/staff_invite_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
