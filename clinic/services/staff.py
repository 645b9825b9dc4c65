"""Writes for a clinic's staff: add a therapist, deactivate and reactivate, reassign patients."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
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
    password: str,
) -> Membership:
    user = get_user_model()(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
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
