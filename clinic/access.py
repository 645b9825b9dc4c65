"""Scoped lookups: the only way views reach patients and what hangs under them.

Another clinic's record is a 404, never a 403: a 403 would confirm that it exists.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    GenericIPAddressField,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
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

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
    """The address the request came from, for the audit trail and the login lockout.

    Behind a proxy (settings.BEHIND_PROXY) the last X-Forwarded-For entry is the one the
    proxy appended; anything before it the client may have made up. Without a proxy the
    header is ignored: anyone could send it."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # no header, or not an address: the proxy's own is the best we know
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
    role: str | None = None,
) -> None:
    """Record that the user opened this patient's record (once per request for reads) or
    acted on it; or, for one file or page holding many patients' records
    (``patient_ids``: a list, or a ``values_list("pk", flat=True)`` queryset), one row for
    each; or, with none of them, one row for ``clinic`` (a list or search that found
    nobody, an action on the clinic). The role is the one the user holds in the patient's
    clinic, unless ``role`` says in which capacity they acted (a clinic admin who is also
    a therapist signs as a therapist). Every audit row is written here or in
    ``log_sign_in``."""
    path = request.get_full_path()[:500]
    address = client_address(request)
    # A search may hold a NUL character, which PostgreSQL text cannot store.
    query = query.replace("\x00", "")[:200]
    what = what[:200]

    if patient is not None:
        if action == AuditAction.VIEW:
            if getattr(request, "_floorplan_access_logged", False):
                return
            request._floorplan_access_logged = True
        clinic_id: int | None = patient.clinic_id
    elif clinic is not None:
        clinic_id = clinic.pk
    else:
        clinic_id = None

    if patient is None:
        # A queryset is not evaluated here: the rows are selected inside the INSERT.
        chosen = patient_ids if isinstance(patient_ids, QuerySet) else list(patient_ids)
        if (isinstance(chosen, QuerySet) or chosen) and _log_patients(
            request,
            Patient.objects.filter(pk__in=chosen),
            what=what,
            action=action,
            path=path,
            query=query,
            address=address,
        ):
            return
        if clinic_id is None:
            return
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=request.user,
                username=request.user.get_username()[:150],
                patient=patient,
                clinic_id=clinic_id,
                action=action,
                what=what,
                path=path,
                query=query,
                role=role or ((role_in(request, clinic_id) or "") if clinic_id else ""),
                ip_address=address,
            )
        ]
    )


def _log_patients(
    request: AuthenticatedHttpRequest,
    patients: QuerySet[Patient],
    *,
    what: str,
    action: str,
    path: str,
    query: str,
    address: str | None,
) -> int:
    """One row per patient in one INSERT ... SELECT, however many there are: an export of
    50,000 patients would otherwise take hundreds of INSERTs (SQLite binds 999 values
    a statement). Returns the number of rows written."""
    role = Case(
        *[When(clinic_id=m.clinic_id, then=Value(m.role)) for m in memberships_for(request)],
        default=Value(""),
        output_field=CharField(),
    )
    # Model field name -> the value each row gets, in the INSERT's column order.
    values: dict[str, Any] = {
        "user": Value(request.user.pk, output_field=IntegerField()),
        "username": Value(request.user.get_username()[:150], output_field=CharField()),
        "clinic": F("clinic_id"),
        "patient": F("pk"),
        "at": Value(timezone.now(), output_field=DateTimeField()),
        "action": Value(action, output_field=CharField()),
        "what": Value(what, output_field=CharField()),
        "path": Value(path, output_field=CharField()),
        "query": Value(query, output_field=CharField()),
        "role": role,
        # PostgreSQL stores an address as inet: a bare text value would not insert.
        "ip_address": Cast(Value(address, output_field=CharField()), GenericIPAddressField()),
    }
    select = patients.order_by().values(**{f"log_{name}": value for name, value in values.items()})
    using = router.db_for_write(AccessLog)
    connection = connections[using]
    sql, params = select.query.get_compiler(using=using).as_sql()
    column_of = {field.name: str(field.column) for field in AccessLog._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in values)
    table = connection.ops.quote_name(AccessLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        return max(int(cursor.rowcount), 0)


def log_command_access(
    *, user: User | None, patient: Patient, what: str, action: str, command: str
) -> None:
    """A read of a patient's record from the command line (no request): the user named
    on the command line, else "manage.py", and the command as the page."""
    role = ""
    if user is not None:
        membership = Membership.objects.active().filter(user=user, clinic=patient.clinic_id)
        role = next(iter(membership.values_list("role", flat=True)), "")
    AccessLog.objects.create(
        user=user,
        username=(user.get_username() if user is not None else "manage.py")[:150],
        patient=patient,
        clinic_id=patient.clinic_id,
        action=action,
        what=what[:200],
        path=command[:500],
        role=role,
    )


def log_home_link_access(
    request: HttpRequest,
    patient: Patient,
    what: StrOrPromise,
    *,
    action: str,
    user: User | None = None,
) -> None:
    """What happened through a patient's home-task link: opened, answered, a wrong birth
    date, locked. The token never reaches the log: the page is named without it. Worded in
    the clinic's language (the page itself is in the patient's)."""
    with translation.override(patient.clinic.language):
        what = str(what)
    match = request.resolver_match
    page = f"patient link: {match.url_name}" if match is not None else "patient link"
    AccessLog.objects.create(
        user=user,
        username=(user.get_username() if user is not None else "patient (link)")[:150],
        patient=patient,
        clinic_id=patient.clinic_id,
        action=action,
        what=what[:200],
        path=page[:500],
        ip_address=client_address(request),
    )


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


def staff_account_for_admin(
    request: AuthenticatedHttpRequest, clinic: Clinic, membership_id: int
) -> Membership:
    """For actions on a member's account itself (lifting a lockout, resetting two-factor),
    which every clinic they work in relies on: their membership here must be active (a
    former member is a 404), and the admin must administer every clinic where they are
    active (otherwise a 403: a former or other employer must not weaken the sign-in
    another clinic depends on)."""
    membership = staff_member_for_admin(clinic, membership_id)
    if not membership.is_active:
        raise Http404(_("No such staff member."))
    administered = [m.clinic_id for m in memberships_for(request) if m.role == Role.CLINIC_ADMIN]
    if (
        Membership.objects.active()
        .filter(user_id=membership.user_id)
        .exclude(clinic_id__in=administered)
        .exists()
    ):
        raise PermissionDenied(
            _(
                "They also work in a clinic you do not administer: ask its clinic admin or "
                "the site administrator."
            )
        )
    return membership
