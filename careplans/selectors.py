"""Reads for care plans that span models: the clinic's rule settings and the safety check
of a plan with its intake (clinical reference, section 3 rule 5)."""

from __future__ import annotations

from collections.abc import Sequence

from assessments.intake_io import assessment_to_intake
from careplans import rules
from careplans.models import CarePlan, CarePlanItem
from clinic.models import Clinic


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
