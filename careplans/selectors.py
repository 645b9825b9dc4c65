"""Reads for care plans that span models: the clinic's rule settings and the safety check
of a plan with its intake (clinical reference, section 3 rule 5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from assessments.selectors import assessment_to_intake
from careplans import rules
from careplans.models import CarePlan, CarePlanItem, PlanStatus, Recipient, Review
from careplans.reviews import week_end  # noqa: F401  (re-exported for the batch pages)
from clinic.models import Clinic, Patient, PatientQuerySet


def plan_settings(clinic: Clinic) -> rules.PlanSettings:
    """The clinic's settings for the rules; the reference's conventions are the defaults."""
    return rules.PlanSettings(
        fluid_low_ml=clinic.fluid_low_ml,
        fluid_high_ml=clinic.fluid_high_ml,
        alcohol_units_per_week=clinic.alcohol_units_per_week,
        daytime_frequency_threshold=clinic.daytime_frequency_threshold,
        nocturia_min_voids=clinic.nocturia_min_voids,
        bladder_training_target_min=clinic.bladder_training_target_min,
        down_training_minutes=clinic.down_training_minutes,
        phase_one_limit=clinic.phase_one_limit,
    )


def plan_safety_warnings(
    plan: CarePlan, *, items: Sequence[CarePlanItem] | None = None
) -> list[str]:
    """Where the plan as it stands breaks a safety rule, checked with its intake.

    The one function that computes the warnings: the plan page shows them and signing
    asks for a reason when there are any.
    """
    items = list(plan.items.all()) if items is None else items
    edited = {
        **plan.built,
        "items": [
            {"code": i.code, "phase": i.phase, "category": i.category, "dosing": i.dosing}
            for i in items
            if not i.removed
        ],
    }
    intake = assessment_to_intake(plan.assessment, with_diary=False)
    return rules.safety_violations(
        edited, intake=intake, settings=plan_settings(plan.patient.clinic)
    )


# --- Reviews due, for the dashboard and batch printing.


def patients_with_reviews(clinic: Clinic, pick: str, today: date) -> PatientQuerySet:
    """Current patients with an open review due this week ("week") or overdue ("overdue")."""
    reviews = Review.objects.open().filter(patient__clinic=clinic)
    reviews = reviews.due_this_week(today) if pick == "week" else reviews.overdue(today)
    return Patient.objects.filter(clinic=clinic).active().filter(pk__in=reviews.values("patient"))


def latest_signed_plans() -> QuerySet[CarePlan]:
    """Per patient (OuterRef), the latest signed plan first."""
    return CarePlan.objects.filter(patient=OuterRef("pk"), status=PlanStatus.SIGNED).order_by(
        "-signed_at", "-id"
    )


def with_print_info(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """Annotate what the selection list shows: the plan that would print and the next review."""
    plans = latest_signed_plans()
    return patients.annotate(
        signed_plan_version=Subquery(plans.values("version")[:1]),
        signed_plan_at=Subquery(plans.values("signed_at")[:1]),
        next_review_on=Subquery(
            Review.objects.open()
            .filter(patient=OuterRef("pk"))
            .order_by("due_on")
            .values("due_on")[:1]
        ),
    )


# --- The letter-recipient directory.


# --- Reads ----------------------------------------------------------------------------------


def recipients_for_clinic(
    *, clinic_id: int, kind: str | None = None, active_only: bool = True
) -> QuerySet[Recipient]:
    """A clinic's recipients, by kind then name; only those in use unless told otherwise."""
    recipients = Recipient.objects.filter(clinic_id=clinic_id)
    if kind is not None:
        recipients = recipients.filter(kind=kind)
    if active_only:
        recipients = recipients.filter(is_active=True)
    return recipients.order_by("kind", "name", "id")


def default_recipient(*, clinic_id: int, kind: str) -> Recipient | None:
    """The recipient a new letter to this kind of service is addressed to: the first one
    in use, by name; ``None`` when the clinic has none."""
    return recipients_for_clinic(clinic_id=clinic_id, kind=kind).first()


# --- Writes ---------------------------------------------------------------------------------
