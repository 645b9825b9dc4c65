"""Shared helpers for the rule tests, one module per family of the clinical reference.

Pure Python: no database, no Django test client. "Reference" in the tests is
/work/shared/clinical-reference.md (section 3 = safety rules, section 4 = interventions),
"contract" is careplan-v1.md.

Test intakes carry the examination fields their rule needs: PFMT (and every squeeze)
waits whenever no Oxford grade is recorded, and the phase-1 cap ("one step at a time")
moves lower-priority items to phase 2, so an intake without an exam does not test what a
test's name says.
"""

from __future__ import annotations

import copy
from typing import Any

from careplans.rules import BuiltPlan, DiaryFindings, PlanSettings, build

URGENT = "urgent_referral.red_flags"
BREATHING = "relaxation.diaphragmatic_breathing"
DOWN_TRAINING = "relaxation.down_training"
STRESS_CARE = "relaxation.stress_care"
PFMT = "strengthening.pfmt"
CUEING = "coordination.cueing"
KNACK = "coordination.knack"
BIOFEEDBACK = "coordination.biofeedback"
BLADDER_TRAINING = "bladder_training.schedule"
CAFFEINE = "lifestyle.caffeine"
FLUIDS = "lifestyle.fluids"
VOIDING_HABITS = "lifestyle.voiding_habits"
WEIGHT = "lifestyle.weight"
SMOKING = "lifestyle.smoking_cough"
BOWEL = "lifestyle.bowel"
ALCOHOL = "lifestyle.alcohol"
VAGINAL_ESTROGEN = "medical_referral.vaginal_estrogen"
MEDICATION_CHECK = "medical_referral.medication_check"
OAB_MEDICATION = "medical_referral.oab_medication"
GP_REVIEW = "medical_referral.gp_review"
MANUAL_THERAPY = "specialist_referral.manual_therapy"
SPECIALIST_ASSESSMENT = "specialist_referral.specialist_assessment"
SUI_PROCEDURES = "specialist_referral.sui_procedures"
REFRACTORY_OAB = "specialist_referral.refractory_oab"
POST_PROSTATECTOMY = "specialist_referral.post_prostatectomy"
PROLAPSE = "specialist_referral.prolapse"
COMPLEX_BODIES = "specialist_referral.complex_bodies"
PELVIC_FLOOR_EDUCATION = "education.pelvic_floor"
SEXUAL_HEALTH = "education.sexual_health"
RETURN_TO_IMPACT = "education.return_to_impact"
PROSTATECTOMY_RECOVERY = "education.prostatectomy_recovery"
WARNING_SIGNS = "education.warning_signs"

# Section 4, "one step at a time": the categories the phase-1 limit counts.
COUNTED_CATEGORIES = (
    "relaxation",
    "strengthening",
    "coordination",
    "bladder_training",
    "lifestyle",
)
ONE_STEP = "One step at a time"

# Symptoms.
STRESS: dict[str, Any] = {"stress_leak_triggers": ["cough", "lift"], "urgency": False}
URGENCY: dict[str, Any] = {"stress_leak_triggers": [], "urgency": True, "urge_leaks": True}
MIXED: dict[str, Any] = {"stress_leak_triggers": ["sneeze"], "urgency": True}
NO_SYMPTOMS: dict[str, Any] = {"stress_leak_triggers": [], "urgency": False}

# Examinations (consent recorded, as intake-v1 requires for an internal examination).
RELAXING_FLOOR: dict[str, Any] = {
    "consent_recorded": True,
    "internal_exam": True,
    "tone": "normal",
    "oxford_grade": 3,
    "relaxation": "complete",
}
OVERACTIVE_FLOOR: dict[str, Any] = {
    "consent_recorded": True,
    "internal_exam": True,
    "tone": "increased",
    "oxford_grade": 4,
    "relaxation": "partial",
}
TENSE_AND_WEAK_FLOOR: dict[str, Any] = {
    "consent_recorded": True,
    "internal_exam": True,
    "tone": "increased",
    "oxford_grade": 2,
    "relaxation": "delayed",
}
# Tone and relaxation recorded, no contraction assessed (no Oxford grade).
NO_OXFORD_FLOOR: dict[str, Any] = {
    "consent_recorded": True,
    "internal_exam": True,
    "tone": "normal",
    "relaxation": "complete",
}


def intake(**sections: Any) -> dict[str, Any]:
    """An intake-v1 dict; ``anatomy``, ``age`` and ``weight_kg`` go to ``patient``."""
    data: dict[str, Any] = {
        "schema": "pelvic-intake/1",
        "patient": {"anatomy": "vulva", "age": 45},
    }
    for name, value in sections.items():
        if name in ("anatomy", "age", "weight_kg"):
            data["patient"][name] = value
        else:
            data[name] = copy.deepcopy(value)
    return data


def built(
    data: dict[str, Any],
    *,
    diary: DiaryFindings | None = None,
    settings: PlanSettings | None = None,
) -> BuiltPlan:
    if settings is None:
        return build(data, diary=diary)
    return build(data, diary=diary, settings=settings)


def plan_of(data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return built(data, **kwargs).plan


def codes(plan: dict[str, Any]) -> list[str]:
    return [entry["code"] for entry in plan["items"]]


def item(plan: dict[str, Any], code: str) -> dict[str, Any]:
    found = [entry for entry in plan["items"] if entry["code"] == code]
    assert found, f"{code} not in {codes(plan)}"
    return found[0]


def planned(result: BuiltPlan, code: str) -> Any:
    """The BuiltPlan's PlannedItem for a code (its notes and hold code)."""
    found = [entry for entry in result.items if entry.rule.code == code]
    assert found, f"{code} not in {[entry.rule.code for entry in result.items]}"
    return found[0]


def note_codes(result: BuiltPlan, code: str) -> list[str]:
    return [str(note.get("code")) for note in planned(result, code).notes]


def phase_1(plan: dict[str, Any]) -> list[str]:
    return [entry["code"] for entry in plan["items"] if entry["phase"] == 1]


def phase_2(plan: dict[str, Any]) -> list[str]:
    return [entry["code"] for entry in plan["items"] if entry["phase"] == 2]


def counted_phase_1(plan: dict[str, Any]) -> list[str]:
    """Phase-1 items the "one step at a time" limit counts (breathing never counts)."""
    return [
        entry["code"]
        for entry in plan["items"]
        if entry["phase"] == 1
        and entry["category"] in COUNTED_CATEGORIES
        and entry["code"] != BREATHING
    ]


def diary(**metrics: Any) -> DiaryFindings:
    """Diary findings; ``interval`` is the mean daytime interval in minutes."""
    interval = metrics.pop("interval", None)
    return DiaryFindings(metrics=metrics, mean_daytime_interval_min=interval)
