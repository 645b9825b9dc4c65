"""Safety invariants of the care-plan builder over generated intakes (hypothesis).

Intakes are random subsets of intake-v1's fields with valid values (the additions of
2026-12-01 included); a missing field means "not assessed". Whatever the findings, the plan
must keep the safety rules of the clinical reference (section 3), the "one step at a time"
cap (section 4) and the shape of careplan-v1. The oracles below read the intake directly,
independently of the classification module and of careplans.rules.
"""

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.findings import RED_FLAGS, STRESS_LEAK_TRIGGERS
from careplans.rules import (
    CATEGORIES,
    BuiltPlan,
    DiaryFindings,
    PlanSettings,
    build,
    build_plan,
    safety_violations,
)

TRIGGERS = STRESS_LEAK_TRIGGERS
PAIN_SYMPTOMS = ("pelvic_pain", "painful_penetration", "painful_orgasm", "constant_tension")
# Reference §3 rule 2: tight-floor signs besides the pain findings (tone unknown).
TIGHT_FLOOR_SYMPTOMS = (
    "straining_to_defecate",
    "voiding_difficulty",
    "incomplete_emptying",
    "constant_tension",
)
ONE_STEP = "One step at a time"
COUNTED_CATEGORIES = (
    "relaxation",
    "strengthening",
    "coordination",
    "bladder_training",
    "lifestyle",
)

booleans = st.booleans()


def optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A section holding any subset of its fields."""
    return st.fixed_dictionaries({}, optional=fields)


patient = st.fixed_dictionaries(
    {
        "anatomy": st.sampled_from(("vulva", "penis", "unspecified")),
        "age": st.integers(12, 110),
    },
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
        # Additions (2026-12-01).
        "bladder_training_weeks_tried": st.integers(0, 520),
        "oab_medication_tried": booleans,
        "hormone_sensitive_cancer": booleans,
        "aromatase_inhibitor": booleans,
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
# The phase-1 limit is a clinic setting (reference §4): the default and others.
plan_settings = st.just(PlanSettings()) | st.builds(PlanSettings, phase_one_limit=st.integers(0, 8))


# --- Oracles, read straight from the intake (reference sections 2, 3 and 4) ----------------


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    return data.get(name) or {}


def relax_first(data: dict[str, Any]) -> bool:
    """Reference §3 rule 2's relax-first reasons: an overactive or tense-and-weak floor, any
    pain finding, or tight-floor signs with the tone profile unknown."""
    found, complaints = _section(data, "exam"), _section(data, "symptoms")
    overactive = found.get("tone") == "increased" or found.get("relaxation") in (
        "partial",
        "absent",
        "delayed",
    )
    pain = any(complaints.get(key) is True for key in PAIN_SYMPTOMS) or (
        found.get("tenderness") is True
    )
    unknown = all(found.get(key) is None for key in ("tone", "relaxation", "oxford_grade"))
    tight = pain or any(complaints.get(key) is True for key in TIGHT_FLOOR_SYMPTOMS)
    return overactive or pain or (unknown and tight)


def strengthening_must_wait(data: dict[str, Any]) -> bool:
    """Reference §3 rule 2: every hold reason of strengthening.pfmt."""
    found = _section(data, "exam")
    grade = found.get("oxford_grade")
    return relax_first(data) or grade is None or grade == 0 or found.get("bearing_down") is True


def predominant(data: dict[str, Any]) -> str | None:
    """Reference §2: the type to treat first (None without stress or urgency leaks)."""
    complaints = _section(data, "symptoms")
    effort = bool(complaints.get("stress_leak_triggers"))
    urge = complaints.get("urgency") is True or complaints.get("urge_leaks") is True
    if effort and urge:
        iqq3 = _section(_section(data, "questionnaires"), "iqq3")
        # A "no" to the 3IQ's first question ends the questionnaire.
        if iqq3 and iqq3.get("any_leak_3_months") is not False:
            if iqq3.get("most_often") == "activity":
                return "stress"
            if iqq3.get("most_often") == "urge":
                return "urgency"
        if complaints.get("most_bothersome") in ("stress", "urgency"):
            return complaints["most_bothersome"]
        return "stress"
    if effort:
        return "stress"
    if urge:
        return "urgency"
    return None


def first_line(data: dict[str, Any]) -> str:
    """Reference §4: PFMT for stress or stress-predominant mixed, bladder training for
    urgency or urgency-predominant mixed. Without a predominant type (PFMT after a
    prostatectomy or for a bulge, no leak classified) the reference names none; the builder
    lets PFMT lead, and the oracle accepts that."""
    return "bladder_training.schedule" if predominant(data) == "urgency" else "strengthening.pfmt"


def priority(data: dict[str, Any]) -> list[str]:
    """Reference §4, one step at a time: the order in which items keep phase 1."""
    lead = first_line(data)
    other = (
        "strengthening.pfmt"
        if lead == "bladder_training.schedule"
        else ("bladder_training.schedule")
    )
    return [
        "relaxation.down_training",
        lead,
        "coordination.cueing",
        "coordination.knack",
        other,
        "relaxation.stress_care",
        "coordination.biofeedback",
        "lifestyle.caffeine",
        "lifestyle.fluids",
        "lifestyle.voiding_habits",
        "lifestyle.bowel",
        "lifestyle.weight",
        "lifestyle.smoking_cough",
        "lifestyle.alcohol",
    ]


def referral_urgency(data: dict[str, Any]) -> str | None:
    """Reference §3 rule 1: the highest tier of the red flags present."""
    flags = set(data.get("red_flags") or ())
    age = data["patient"]["age"]
    if not flags:
        return None
    emergency = {
        "saddle_anaesthesia",
        "new_bowel_or_bladder_loss_with_back_pain",
        "new_leg_weakness_or_numbness",
        "sudden_severe_pelvic_pain",
    }
    if flags & emergency:
        return "emergency"
    haematuria = {"visible_haematuria", "non_visible_haematuria"} & flags
    if (
        ("visible_haematuria" in flags and age >= 45)
        or ("non_visible_haematuria" in flags and age >= 50)
        or ("recurrent_uti" in flags and haematuria and age >= 40)
        or flags
        & {
            "pelvic_mass",
            "unexplained_weight_loss",
            "persistent_bloating",
            "suspected_fistula",
            "palpable_bladder_after_voiding",
        }
    ):
        return "urgent"
    return "soon"


def bladder_start(data: dict[str, Any], diary: DiaryFindings | None) -> int:
    """Reference §4 / careplan-v1: diary interval, else 960 ÷ day_voids, else 60; rounded
    down to a multiple of 15, at least 30."""
    if diary is not None and diary.mean_daytime_interval_min:
        minutes: float = diary.mean_daytime_interval_min
    elif _section(data, "symptoms").get("day_voids"):
        minutes = 960 / _section(data, "symptoms")["day_voids"]
    else:
        minutes = 60
    return max(30, int(minutes // 15) * 15)


def _items(result: BuiltPlan) -> dict[str, dict[str, Any]]:
    return {entry["code"]: entry for entry in result.plan["items"]}


def _notes(result: BuiltPlan, code: str) -> list[str]:
    for entry in result.items:
        if entry.rule.code == code:
            return [str(note.get("code")) for note in entry.notes]
    return []


COMMON = settings(max_examples=300, deadline=None)


# --- Safety rule 2 -------------------------------------------------------------------------


@COMMON
@given(intakes, diaries, plan_settings)
def test_no_squeeze_in_phase_1_while_a_hold_reason_applies(
    data: dict[str, Any], diary: DiaryFindings | None, clinic: PlanSettings
) -> None:
    # Reference §3 rule 2: PFMT, the Knack and urge suppression's quick squeezes wait for
    # any hold reason; cueing and biofeedback for a relax-first reason.
    result = build(data, diary=diary, settings=clinic)
    items = _items(result)
    if strengthening_must_wait(data):
        for entry in items.values():
            assert not (entry["category"] == "strengthening" and entry["phase"] == 1), entry
        for code in ("strengthening.pfmt", "coordination.knack"):
            if code in items:
                assert items[code]["phase"] == 2, code
                assert not items[code]["hold_reason"].startswith(ONE_STEP), code
        if "coordination.knack" in items:
            assert (
                items["coordination.knack"]["hold_reason"]
                == (items["strengthening.pfmt"]["hold_reason"])
            )
    if relax_first(data):
        for code in ("coordination.cueing", "coordination.biofeedback"):
            if code in items:
                assert items[code]["phase"] == 2, code
                assert not items[code]["hold_reason"].startswith(ONE_STEP), code
    if "bladder_training.schedule" in items:
        squeezes = "bladder.quick_squeezes" in _notes(result, "bladder_training.schedule")
        pfmt_waits = items.get("strengthening.pfmt", {}).get("phase") == 2
        # Safer reading: the squeezes also wait when PFMT waits only "one step at a time".
        assert squeezes is not (strengthening_must_wait(data) or pfmt_waits)
    if items.get("strengthening.pfmt", {}).get("phase") == 2 and "coordination.knack" in items:
        # The Knack waits whenever PFMT waits, with the same reason (§3 rule 2).
        knack, pfmt = items["coordination.knack"], items["strengthening.pfmt"]
        assert knack["phase"] == 2
        assert knack["hold_reason"] == pfmt["hold_reason"]


@COMMON
@given(intakes, diaries, plan_settings)
def test_down_training_exactly_when_a_relax_first_reason_applies(
    data: dict[str, Any], diary: DiaryFindings | None, clinic: PlanSettings
) -> None:
    # Reference §4: down-training for overactive, tense_and_weak, any pain finding, or
    # tight-floor signs with tone unknown; it never moves to phase 2.
    items = _items(build(data, diary=diary, settings=clinic))
    assert ("relaxation.down_training" in items) is relax_first(data)
    if "relaxation.down_training" in items:
        assert items["relaxation.down_training"]["phase"] == 1


@COMMON
@given(intakes, diaries, plan_settings)
def test_every_phase_2_item_says_why_and_phase_1_items_do_not(
    data: dict[str, Any], diary: DiaryFindings | None, clinic: PlanSettings
) -> None:
    # Reference §3 rule 2: every phase-2 item carries its own hold_reason; careplan-v1:
    # absent or null in phase 1.
    for entry in build_plan(data, diary=diary, settings=clinic)["items"]:
        if entry["phase"] == 2:
            assert isinstance(entry["hold_reason"], str) and entry["hold_reason"].strip()
        else:
            assert entry.get("hold_reason") is None, entry


# --- One step at a time ----------------------------------------------------------------------


@COMMON
@given(intakes, diaries, plan_settings)
def test_phase_1_never_exceeds_the_limit_except_down_training_and_first_line(
    data: dict[str, Any], diary: DiaryFindings | None, clinic: PlanSettings
) -> None:
    # Reference §4: at most phase_one_limit counted items in phase 1 (breathing, referrals,
    # urgent items and education never count); kept in priority order; down-training and
    # the first-line treatment never move; moved items say "one step at a time".
    result = build(data, diary=diary, settings=clinic)
    protected = {"relaxation.down_training", first_line(data)}
    counted = [
        entry
        for entry in result.plan["items"]
        if entry["category"] in COUNTED_CATEGORIES
        and entry["code"] != "relaxation.diaphragmatic_breathing"
    ]
    kept = [entry["code"] for entry in counted if entry["phase"] == 1]
    kept_protected = [code for code in kept if code in protected]
    others = [code for code in kept if code not in protected]
    assert len(others) <= max(0, clinic.phase_one_limit - len(kept_protected))
    moved = [
        entry["code"]
        for entry in counted
        if entry["phase"] == 2 and entry["hold_reason"].startswith(ONE_STEP)
    ]
    order = priority(data)
    assert not set(moved) & protected
    for code in moved:
        assert all(order.index(other) < order.index(code) for other in others), (code, others)
    if moved:
        assert len(kept) == max(clinic.phase_one_limit, len(kept_protected))
    for entry in result.plan["items"]:
        if entry["category"] not in COUNTED_CATEGORIES or entry["code"] in protected:
            assert not (entry.get("hold_reason") or "").startswith(ONE_STEP), entry


# --- Safety rule 1 and 3, the order ----------------------------------------------------------


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
    assert plan["referral_urgency"] == referral_urgency(data)
    assert sorted(plan["red_flags"]) == sorted(data.get("red_flags", []))
    assert (codes[0] == "urgent_referral.red_flags") is flagged
    assert codes.count("urgent_referral.red_flags") == int(flagged)
    if flagged:
        title = plan["items"][0]["title"]
        tier = referral_urgency(data)
        assert ("emergency department" in title) is (tier == "emergency")
        assert ("few days" in title) is (tier == "urgent")
        assert ("two weeks" in title) is (tier == "soon")
    breathing_at = 1 if flagged else 0
    assert codes[breathing_at] == "relaxation.diaphragmatic_breathing"
    assert plan["items"][breathing_at]["phase"] == 1
    # Rule 4: a referral never replaces the safe first steps.
    assert "education.warning_signs" in codes
    assert "education.pelvic_floor" in codes


# --- careplan-v1 ------------------------------------------------------------------------------


@COMMON
@given(intakes, diaries, plan_settings)
def test_every_item_is_well_formed(
    data: dict[str, Any], diary: DiaryFindings | None, clinic: PlanSettings
) -> None:
    # careplan-v1: non-empty rationale and source; nine categories; unique codes; phases 1-2;
    # dosing values are whole numbers; reference §3 rule 3 (full release), PFMT dosing, the
    # bladder-training arithmetic and the caffeine goal (§4).
    plan = build_plan(data, diary=diary, settings=clinic)
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
            start = bladder_start(data, diary)
            target = max(180, start)
            assert item["dosing"] == {
                "start_interval_min": start,
                "increase_min": 15,
                "every_days": 7,
                "target_interval_min": target,
                "weeks": max(6, 1 + math.ceil((target - start) / 15)),
            }
        if item["code"] == "lifestyle.caffeine":
            drinks = _section(data, "lifestyle")["caffeine_drinks_per_day"]
            goal = item["dosing"].get("max_drinks_per_day")
            assert goal is None or 1 <= goal < drinks
    for notice in plan["notices"]:
        assert isinstance(notice, str) and notice.strip()


@COMMON
@given(intakes, diaries, plan_settings)
def test_built_plans_pass_their_own_safety_check(
    data: dict[str, Any], diary: DiaryFindings | None, clinic: PlanSettings
) -> None:
    # Reference §3 rule 5: safety_violations (rules 1-3), run with the intake, finds nothing
    # in an unedited plan.
    plan = build_plan(data, diary=diary, settings=clinic)
    assert safety_violations(plan) == []
    assert safety_violations(plan, intake=data) == []


@settings(max_examples=100, deadline=None)
@given(intakes, diaries, plan_settings)
def test_plans_are_deterministic_and_valid(
    data: dict[str, Any], diary: DiaryFindings | None, clinic: PlanSettings
) -> None:
    # careplan-v1: same input, byte-identical JSON; the project's schema (which requires
    # hold_reason on phase 2) accepts the plan.
    from assessments.intake import intake_errors
    from careplans.contract import careplan_errors

    assert intake_errors(data) == []  # the generator makes valid intakes
    plan = build_plan(data, diary=diary, settings=clinic)
    assert json.dumps(build_plan(data, diary=diary, settings=clinic)) == json.dumps(plan)
    assert careplan_errors(plan) == []
    # Each item fits the columns it is stored in (CarePlanItem: title 200, source 300).
    for entry in plan["items"]:
        assert len(entry["title"]) <= 200 and len(entry["source"]) <= 300, entry["code"]
