"""Scoped lookups: the only way views reach patients and what hangs under them.

Another clinic's record is a 404, never a 403: a 403 would confirm that it exists.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from clinic.models import (
    AccessLog,
    AuditAction,
    Clinic,
    Membership,
    Patient,
    PatientQuerySet,
    Role,
)


class AuthenticatedHttpRequest(HttpRequest):
    """For annotations: a request past LoginRequiredMiddleware (every view but the login
    page), so its user is signed in: django-stubs' way to say so. ``User`` is the project's
    user model (AUTH_USER_MODEL is Django's own)."""

    user: User
    # Read once per request, by memberships_for and log_access below.
    _floorplan_memberships: list[Membership]
    _floorplan_access_logged: bool


def memberships_for(request: AuthenticatedHttpRequest) -> list[Membership]:
    """The user's active memberships, read once per request."""
    if not hasattr(request, "_floorplan_memberships"):
        request._floorplan_memberships = list(
            Membership.objects.active().filter(user=request.user).select_related("clinic")
        )
    return request._floorplan_memberships


def role_in(request: AuthenticatedHttpRequest, clinic_id: int) -> str | None:
    for membership in memberships_for(request):
        if membership.clinic_id == clinic_id:
            return membership.role
    return None


def clinics_for(
    request: AuthenticatedHttpRequest, *, roles: tuple[str, ...] = tuple(Role)
) -> list[Clinic]:
    return [m.clinic for m in memberships_for(request) if m.role in roles]


def patients_for(request: AuthenticatedHttpRequest) -> PatientQuerySet:
    """Only patients of clinics the user is an active member of."""
    return Patient.objects.in_clinics([m.clinic_id for m in memberships_for(request)])


def patient_for_user(request: AuthenticatedHttpRequest, patient_id: int) -> Patient:
    try:
        return (
            patients_for(request).select_related("clinic", "assigned_therapist").get(pk=patient_id)
        )
    except Patient.DoesNotExist:
        raise Http404(_("No such patient.")) from None


def require_role(request: AuthenticatedHttpRequest, patient: Patient, *roles: str) -> None:
    """For actions within a clinic the user already sees: the patient's existence is known."""
    if role_in(request, patient.clinic_id) not in roles:
        raise PermissionDenied(_("Your role in this clinic does not allow this."))


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, for the audit trail."""
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    request: AuthenticatedHttpRequest,
    patient: Patient | None,
    what: str,
    *,
    patient_ids: Iterable[int] = (),
    action: str = AuditAction.VIEW,
    clinic: Clinic | None = None,
    query: str = "",
) -> None:
    """Record that the user opened this patient's record (once per request for reads) or
    acted on it; or, for one file or page holding many patients' records
    (``patient_ids``), one row for each; or, with neither, one row for the clinic (a list
    or search that found nobody). Every audit row is written here or in ``log_sign_in``."""
    path = request.get_full_path()[:500]
    address = client_address(request)
    query = query[:200]

    def row(patient_id: int | None, clinic_id: int | None) -> AccessLog:
        return AccessLog(
            user=request.user,
            username=request.user.get_username()[:150],
            patient_id=patient_id,
            clinic_id=clinic_id,
            action=action,
            what=what[:200],
            path=path,
            query=query,
            role=role_in(request, clinic_id) or "" if clinic_id else "",
            ip_address=address,
        )

    if patient is None:
        ids = list(patient_ids)
        if ids:
            clinic_of = dict(Patient.objects.filter(pk__in=ids).values_list("pk", "clinic_id"))
            AccessLog.objects.bulk_create(row(pk, clinic_of.get(pk)) for pk in ids)
        elif clinic is not None:
            AccessLog.objects.bulk_create([row(None, clinic.pk)])
        return
    if action == AuditAction.VIEW:
        if getattr(request, "_floorplan_access_logged", False):
            return
        request._floorplan_access_logged = True
    AccessLog.objects.bulk_create([row(patient.pk, patient.clinic_id)])


def log_sign_in(
    request: HttpRequest,
    *,
    action: str,
    what: str,
    user: User | None = None,
    username: str = "",
) -> None:
    """Sign-ins, failed sign-ins, lockouts and sign-outs: rows with no patient, one for
    each clinic the user works in (so each clinic's report shows them), or one with no
    clinic when the name matches nobody."""
    path = request.get_full_path()[:500]
    address = client_address(request)
    name = (user.get_username() if user is not None else username)[:150]
    memberships = list(Membership.objects.active().filter(user=user)) if user is not None else []
    rows = [
        AccessLog(
            user=user,
            username=name,
            clinic_id=m.clinic_id,
            role=m.role,
            action=action,
            what=what[:200],
            path=path,
            ip_address=address,
        )
        for m in memberships
    ] or [
        AccessLog(
            user=user, username=name, action=action, what=what[:200], path=path, ip_address=address
        )
    ]
    AccessLog.objects.bulk_create(rows)


def clinic_for_admin(request: AuthenticatedHttpRequest, clinic_id: int) -> Clinic:
    """A clinic the user administers. Another clinic is a 404; their own clinic, where
    their role does not allow the page, a 403: they know it exists."""
    for membership in memberships_for(request):
        if membership.clinic_id == clinic_id:
            if membership.role != Role.CLINIC_ADMIN:
                raise PermissionDenied(_("Only a clinic admin of this clinic can do this."))
            return membership.clinic
    raise Http404(_("No such clinic."))


def staff_member_for_admin(clinic: Clinic, membership_id: int) -> Membership:
    """A membership of a clinic the user administers (``clinic_for_admin`` first); any
    other is a 404."""
    try:
        return Membership.objects.select_related("user").get(pk=membership_id, clinic=clinic)
    except Membership.DoesNotExist:
        raise Http404(_("No such staff member.")) from None
