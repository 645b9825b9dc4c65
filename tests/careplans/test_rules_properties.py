"""Safety invariants of the care-plan builder over generated intakes (hypothesis).

Intakes are random subsets of intake-v1's fields with valid values; a missing field means
"not assessed". Whatever the findings, the plan must keep safety rules 1-3 of the clinical
reference (section 3) and the shape of careplan-v1. The oracles below read the intake
directly, independently of the classification module.
"""

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.findings import RED_FLAGS, STRESS_LEAK_TRIGGERS
from careplans.rules import CATEGORIES, DiaryFindings, build_plan, safety_violations

TRIGGERS = STRESS_LEAK_TRIGGERS
PAIN_SYMPTOMS = ("pelvic_pain", "painful_penetration", "painful_orgasm", "constant_tension")

booleans = st.booleans()


def optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A section holding any subset of its fields."""
    return st.fixed_dictionaries({}, optional=fields)


patient = st.fixed_dictionaries(
    {"anatomy": st.sampled_from(("vulva", "penis")), "age": st.integers(12, 110)},
    optional={
        "weight_kg": st.integers(25, 350) | st.floats(25, 350, allow_nan=False),
        "pronouns": st.sampled_from(("she/her", "he/him", "they/them")),
        "language": st.sampled_from(("en", "es", "pt-BR")),
    },
)
symptoms = optional(
    {
        "stress_leak_triggers": st.lists(st.sampled_from(TRIGGERS), unique=True),
        "urgency": booleans,
        "urge_leaks": booleans,
        "day_voids": st.integers(0, 40),
        "night_voids": st.integers(0, 15),
        "voiding_difficulty": booleans,
        "incomplete_emptying": booleans,
        "pelvic_pain": booleans,
        "painful_penetration": booleans,
        "painful_orgasm": booleans,
        "constipation": booleans,
        "straining_to_defecate": booleans,
        "prolapse_bulge": booleans,
        "constant_tension": booleans,
        "most_bothersome": st.sampled_from(("stress", "urgency")),
    }
)
exam = optional(
    {
        "consent_recorded": booleans,
        "internal_exam": booleans,
        "tone": st.sampled_from(("normal", "increased", "decreased")),
        "oxford_grade": st.integers(0, 5),
        "endurance_s": st.integers(0, 60),
        "repetitions": st.integers(0, 20),
        "fast_contractions": st.integers(0, 30),
        "relaxation": st.sampled_from(("complete", "partial", "absent", "delayed")),
        "accessory_muscles": booleans,
        "breath_holding": booleans,
        "bearing_down": booleans,
        "knack": booleans,
        "tenderness": booleans,
    }
)
hormonal = optional(
    {
        "status": st.sampled_from(
            (
                "premenopausal",
                "perimenopausal",
                "postmenopausal",
                "pregnant",
                "postpartum",
                "not_applicable",
            )
        ),
        "weeks_postpartum": st.integers(0, 520),
        "breastfeeding": booleans,
        "vaginal_atrophy": booleans,
        "systemic_hrt": booleans,
        "vaginal_estrogen": booleans,
    }
)
history = optional(
    {
        "vaginal_births": st.integers(0, 20),
        "instrumental_birth": booleans,
        "pelvic_surgery": booleans,
        "prostatectomy": booleans,
        "prostatectomy_weeks_ago": st.integers(0, 1040),
        "continence_surgery": booleans,
        "pelvic_radiotherapy": booleans,
        "neurological_condition": booleans,
        "diabetes": booleans,
        "hypermobility": booleans,
        "scoliosis": booleans,
        "chronic_pain": booleans,
        "high_stress": booleans,
        "poor_sleep": booleans,
        "diuretics": booleans,
        "pfmt_months_tried": st.integers(0, 240),
    }
)
lifestyle = optional(
    {
        "caffeine_drinks_per_day": st.integers(0, 30),
        "alcohol_units_per_week": st.integers(0, 200),
        "fluid_intake_ml": st.integers(0, 10000),
        "bmi": st.integers(10, 90) | st.floats(10, 90, allow_nan=False),
        "smoker": booleans,
        "chronic_cough": booleans,
    }
)
questionnaires = optional(
    {
        "iqq3": st.fixed_dictionaries(
            {"any_leak_3_months": booleans},
            optional={
                "when": st.lists(st.sampled_from(("activity", "urge", "other")), unique=True),
                "most_often": st.sampled_from(("activity", "urge", "other", "equal")),
            },
        ),
        "iciq_ui_sf": st.fixed_dictionaries(
            {
                "frequency": st.integers(0, 5),
                "amount": st.sampled_from((0, 2, 4, 6)),
                "interference": st.integers(0, 10),
            }
        ),
    }
)


def _valid(data: dict[str, Any]) -> dict[str, Any]:
    """Apply intake-v1's cross-field rules to a generated intake."""
    found = data.get("exam")
    if found and found.get("internal_exam") is True:
        found["consent_recorded"] = True
    status = data.get("hormonal")
    if status and status.get("status") != "postpartum":
        status.pop("weeks_postpartum", None)
    return data


intakes = st.fixed_dictionaries(
    {"schema": st.just("pelvic-intake/1"), "patient": patient},
    optional={
        "symptoms": symptoms,
        "exam": exam,
        "hormonal": hormonal,
        "history": history,
        "lifestyle": lifestyle,
        "red_flags": st.lists(st.sampled_from(RED_FLAGS), unique=True),
        "questionnaires": questionnaires,
    },
).map(_valid)

maybe = st.none() | st.booleans()
diaries = st.none() | st.builds(
    DiaryFindings,
    metrics=st.fixed_dictionaries(
        {
            "daytime_frequency": st.none()
            | st.floats(0, 40, allow_nan=False).map(lambda x: round(x, 1)),
            "nocturia": st.none() | st.floats(0, 15, allow_nan=False).map(lambda x: round(x, 1)),
            "nocturnal_polyuria": maybe,
            "polyuria_24h": maybe,
            "urgency_episodes_per_day": st.none() | st.floats(0, 20, allow_nan=False),
            "fluid_intake_ml_per_day": st.none() | st.integers(0, 8000),
            "increased_daytime_frequency": maybe,
        }
    ),
    mean_daytime_interval_min=st.none() | st.integers(1, 600),
)


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    return data.get(name) or {}


def strengthening_must_wait(data: dict[str, Any]) -> bool:
    """Safety rule 2, read straight from the intake (reference, sections 2 and 3)."""
    found, complaints = _section(data, "exam"), _section(data, "symptoms")
    overactive = found.get("tone") == "increased" or found.get("relaxation") in (
        "partial",
        "absent",
        "delayed",
    )
    pain = any(complaints.get(key) is True for key in PAIN_SYMPTOMS) or (
        found.get("tenderness") is True
    )
    unexamined = all(found.get(key) is None for key in ("tone", "relaxation", "oxford_grade"))
    straining = complaints.get("straining_to_defecate") is True
    return overactive or pain or (unexamined and straining)


COMMON = settings(max_examples=300, deadline=None)


@COMMON
@given(intakes, diaries)
def test_no_strengthening_in_phase_1_when_the_floor_cannot_relax_or_hurts(
    data: dict[str, Any], diary: DiaryFindings | None
) -> None:
    # Reference §3 rule 2: overactive / tense-and-weak floor or any pain finding -> phase 2.
    plan = build_plan(data, diary=diary)
    if strengthening_must_wait(data):
        for item in plan["items"]:
            assert not (item["category"] == "strengthening" and item["phase"] == 1), item
        if plan["classification"]["tone_profile"] in ("overactive", "tense_and_weak"):
            assert "relaxation.down_training" in [i["code"] for i in plan["items"]]


@COMMON
@given(intakes, diaries)
def test_urgent_referral_first_iff_red_flags_then_breathing(
    data: dict[str, Any], diary: DiaryFindings | None
) -> None:
    # Reference §3 rules 1, 3 and 4; careplan-v1 "Order".
    plan = build_plan(data, diary=diary)
    codes = [item["code"] for item in plan["items"]]
    flagged = bool(data.get("red_flags"))
    assert plan["urgent_referral"] is flagged
    assert sorted(plan["red_flags"]) == sorted(data.get("red_flags", []))
    assert (codes[0] == "urgent_referral.red_flags") is flagged
    assert codes.count("urgent_referral.red_flags") == int(flagged)
    breathing_at = 1 if flagged else 0
    assert codes[breathing_at] == "relaxation.diaphragmatic_breathing"
    assert plan["items"][breathing_at]["phase"] == 1
    # Rule 4: a referral never replaces the safe first steps.
    assert "education.warning_signs" in codes


@COMMON
@given(intakes, diaries)
def test_every_item_is_well_formed(data: dict[str, Any], diary: DiaryFindings | None) -> None:
    # careplan-v1: non-empty rationale and source; nine categories; unique codes; phases 1-2;
    # dosing values are whole numbers; reference §3 rule 3 (full release) and PFMT dosing.
    plan = build_plan(data, diary=diary)
    codes = [item["code"] for item in plan["items"]]
    assert len(codes) == len(set(codes))
    phases = [item["phase"] for item in plan["items"]]
    assert phases == sorted(phases)
    for item in plan["items"]:
        assert item["category"] in CATEGORIES
        assert item["code"].startswith(item["category"] + ".")
        assert item["phase"] in (1, 2)
        for key in ("title", "rationale", "source"):
            assert isinstance(item[key], str) and item[key].strip()
        for value in item["dosing"].values():
            assert isinstance(value, int) and not isinstance(value, bool) and value >= 0
        if item["category"] == "strengthening":
            assert item["dosing"]["rest_s"] >= item["dosing"]["hold_s"] >= 1
        if item["code"] == "strengthening.pfmt":
            dosing = item["dosing"]
            assert 8 <= dosing["contractions"] <= 10
            assert 1 <= dosing["hold_s"] <= 10
            assert dosing["sets_per_day"] >= 3
            assert dosing["weeks"] >= 12
        if item["code"] == "bladder_training.schedule":
            assert item["dosing"]["weeks"] >= 6
    for notice in plan["notices"]:
        assert isinstance(notice, str) and notice.strip()


@COMMON
@given(intakes, diaries)
def test_built_plans_pass_their_own_safety_check(
    data: dict[str, Any], diary: DiaryFindings | None
) -> None:
    # safety_violations (rules 1-3) finds nothing in an unedited plan.
    plan = build_plan(data, diary=diary)
    assert safety_violations(plan) == []
    assert safety_violations(plan, intake=data) == []


@settings(max_examples=100, deadline=None)
@given(intakes, diaries)
def test_plans_are_deterministic_and_valid(
    data: dict[str, Any], diary: DiaryFindings | None
) -> None:
    # careplan-v1: same input, byte-identical JSON; the project's schema accepts the plan.
    from assessments.intake import careplan_errors, intake_errors

    assert intake_errors(data) == []  # the generator makes valid intakes
    plan = build_plan(data, diary=diary)
    assert json.dumps(build_plan(data, diary=diary)) == json.dumps(plan)
    assert careplan_errors(plan) == []
