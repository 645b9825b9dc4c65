"""The care-plan rules: intake findings (intake-v1) -> a draft plan (careplan-v1).

Pure Python, no Django imports. The clinical facts and their sources are in the clinical
reference: classification (section 2) comes from ``assessments.classification``; the
safety rules (section 3) live in ``safety`` -- the one source of the hold reasons, used by
the builder and by the check of an edited plan; every item of section 4's table is one
``Rule`` in the module of its family (``urgent``, ``relaxation``, ``coordination``,
``strengthening``, ``bladder``, ``lifestyle``, ``referrals``, ``education``), each
ending with its own ``RULES`` and each rule's condition next to its source. ``findings``
reads the intake once; ``phrases`` names findings for the therapist and the patient;
``notices`` speaks to the therapist; ``builder`` puts it together.
"""

from careplans.rules.bladder import bladder_training_dosing
from careplans.rules.builder import CATEGORIES, RULES, SCHEMA, BuiltPlan, build, build_plan
from careplans.rules.findings import DiaryFindings, PlanSettings, diary_findings
from careplans.rules.safety import (
    BREATHING,
    DOWN_TRAINING,
    PFMT,
    SAFETY_CODES,
    URGENT_REFERRAL,
    safety_violations,
)
from careplans.rules.strengthening import pfmt_dosing

__all__ = [
    "BREATHING",
    "CATEGORIES",
    "DOWN_TRAINING",
    "PFMT",
    "RULES",
    "SAFETY_CODES",
    "SCHEMA",
    "URGENT_REFERRAL",
    "BuiltPlan",
    "DiaryFindings",
    "PlanSettings",
    "bladder_training_dosing",
    "build",
    "build_plan",
    "diary_findings",
    "pfmt_dosing",
    "safety_violations",
]
