"""The front page: what each role needs to see today, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, HomeLink, HomeTasks, Status
from careplans.models import CarePlan, PlanStatus, Review
from careplans.reviews import week_end as reviews_week_end
from clinic.access import AuthenticatedHttpRequest, log_access, memberships_for
from clinic.models import AuditAction, Patient, Role

LIST_LIMIT = 25
# A link locked after wrong birth dates stays on the dashboard this long (issue 11).
LOCKED_LINK_DAYS = 14


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = memberships_for(request)
    admin_clinics = [m.clinic_id for m in memberships if m.role == Role.CLINIC_ADMIN]
    # A clinic admin sees the whole clinic; a therapist sees their own caseload.
    is_admin = bool(admin_clinics)
    clinic_ids = admin_clinics or [m.clinic_id for m in memberships]
    today = timezone.localdate()
    week_end = reviews_week_end(today)

    patients = Patient.objects.in_clinics(clinic_ids).active()
    reviews = Review.objects.open().in_clinics(clinic_ids).select_related("patient")
    plans = CarePlan.objects.in_clinics(clinic_ids).select_related("patient", "created_by")
    flags = Assessment.objects.with_open_red_flags().in_clinics(clinic_ids)
    recent_assessments = Assessment.objects.in_clinics(clinic_ids).filter(status=Status.COMPLETE)
    sent_in = HomeTasks.objects.to_review().in_clinics(clinic_ids).select_related("patient")
    locked_links = (
        HomeLink.objects.in_clinics(clinic_ids)
        .filter(locked_at__gte=timezone.now() - timedelta(days=LOCKED_LINK_DAYS))
        .select_related("patient")
    )
    if not is_admin:
        # A therapist: her patients' home tasks, and those she sent herself.
        mine_or_sent = Q(patient__assigned_therapist=request.user) | Q(created_by=request.user)
        sent_in = sent_in.filter(mine_or_sent)
        locked_links = locked_links.filter(mine_or_sent)
        patients = patients.filter(assigned_therapist=request.user)
        reviews = reviews.filter(patient__assigned_therapist=request.user)
        plans = plans.filter(created_by=request.user)
        flags = flags.filter(patient__assigned_therapist=request.user)
        recent_assessments = recent_assessments.filter(therapist=request.user)

    # An admin sees patients per therapist; a therapist, her own patients by name (the
    # per-therapist table of her caseload was a single row: herself).
    caseload = _caseload(patients) if is_admin else []
    mine = patients.none() if is_admin else patients.order_by("last_name", "first_name", "id")
    due_this_week = reviews.due_this_week(today)
    overdue = reviews.overdue(today)
    drafts = plans.filter(status=PlanStatus.DRAFT)
    context: dict[str, Any] = {
        "is_admin": is_admin,
        "today": today,
        "week_end": week_end,
        "caseload": caseload,
        "my_patients": list(mine[:LIST_LIMIT]),
        "my_patients_count": 0 if is_admin else mine.count(),
        "due_this_week": list(due_this_week.order_by("due_on", "id")[:LIST_LIMIT]),
        "due_this_week_count": due_this_week.count(),
        "overdue": list(overdue.order_by("due_on", "id")[:LIST_LIMIT]),
        "overdue_count": overdue.count(),
        "drafts": list(drafts.order_by("-created_at", "-id")[:LIST_LIMIT]),
        "drafts_count": drafts.count(),
        "red_flags": list(
            flags.select_related("patient").order_by("-assessed_on", "-id")[:LIST_LIMIT]
        ),
        "recent_assessments": list(
            recent_assessments.select_related("patient", "therapist").order_by(
                "-completed_at", "-id"
            )[:10]
        ),
        "recent_plans": list(
            plans.filter(status=PlanStatus.SIGNED)
            .select_related("signed_by")
            .order_by("-signed_at", "-id")[:10]
        ),
        "sent_in": list(sent_in.order_by("submitted_at", "id")[:LIST_LIMIT]),
        "locked_links": list(locked_links.order_by("-locked_at", "-id")[:LIST_LIMIT]),
        "limit": LIST_LIMIT,
    }
    # Every patient named on the page: one audit row each (one INSERT for them all).
    named = {
        row.patient_id
        for key in ("due_this_week", "overdue", "drafts", "red_flags", "recent_assessments")
        for row in context[key]
    } | {plan.patient_id for plan in context["recent_plans"]}
    named |= {patient.pk for patient in context["my_patients"]}
    named |= {row.patient_id for key in ("sent_in", "locked_links") for row in context[key]}
    if named:
        log_access(
            request, None, _("Opened the dashboard"), patient_ids=named, action=AuditAction.LIST
        )
    return render(request, "practice/dashboard.html", context)


def _caseload(patients: QuerySet[Patient]) -> list[dict[str, Any]]:
    """Current patients per assigned therapist (None last: no therapist assigned)."""
    # Grouped on the index alone; the few therapists' names come in a second query.
    counts = dict(patients.values_list("assigned_therapist").annotate(n=Count("id")).order_by())
    therapists = get_user_model().objects.filter(pk__in=[pk for pk in counts if pk])
    caseload: list[dict[str, Any]] = [
        {"therapist": user, "patients": counts[user.pk]}
        for user in therapists.order_by("first_name", "last_name")
    ]
    if None in counts:
        caseload.append({"therapist": None, "patients": counts[None]})
    return caseload
