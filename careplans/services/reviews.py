"""Writes for reviews: scheduled from signed plans, closed by a review visit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment, Kind
from careplans import reviews
from careplans.models import (
    CarePlan,
    Review,
)

# A review visit a little before its due date still counts as that review.
REVIEW_EARLY_DAYS = 14


def reviews_schedule(*, plan: CarePlan) -> list[Review]:
    """The reviews a newly signed plan calls for; older plans' open reviews give way."""
    Review.objects.open().filter(patient=plan.patient).update(
        closed_at=timezone.now(), closed_reason=Review.Closed.SUPERSEDED
    )
    items = plan.items.filter(removed=False).values("code", "phase", "dosing")
    due = reviews.reviews_for_plan(
        items, signed_on=timezone.localdate(plan.signed_at), planned_on=plan.next_review_on
    )
    return Review.objects.bulk_create(
        Review(patient=plan.patient, plan=plan, reason=r.reason, due_on=r.due_on) for r in due
    )


@transaction.atomic
def reviews_close_for_visit(*, assessment: Assessment) -> int:
    """A completed review visit closes the reviews due by then."""
    return (
        Review.objects.open()
        .filter(
            patient=assessment.patient,
            due_on__lte=assessment.assessed_on + timedelta(days=REVIEW_EARLY_DAYS),
        )
        .update(
            closed_at=timezone.now(),
            closed_reason=Review.Closed.DONE,
            closed_by_assessment=assessment,
        )
    )


@transaction.atomic
def visit_complete(
    *,
    assessment: Assessment,
    user: User,
    values: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Complete a visit in one transaction: the assessment (checked against intake-v1) and,
    for a review visit, the reviews it answers."""
    completed = assessment_services.assessment_complete(
        assessment=assessment, user=user, values=values, expected_version=expected_version
    )
    if completed.kind == Kind.REVIEW:
        reviews_close_for_visit(assessment=completed)
    return completed
