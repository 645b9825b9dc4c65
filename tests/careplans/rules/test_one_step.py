"""One step at a time (reference §4, a convention and a clinic setting): besides breathing,
at most ``phase_one_limit`` (default 5) relaxation, strengthening, coordination,
bladder-training and lifestyle items start in phase 1, kept in the reference's order of
priority; the rest move to phase 2 with the hold reason "one step at a time". Down-training
and the first-line treatment never move; referrals, urgent items and education never
count."""

from __future__ import annotations

from typing import Any

import pytest

from careplans.rules import PlanSettings
from tests.careplans.rules.helpers import (
    ALCOHOL,
    BIOFEEDBACK,
    BLADDER_TRAINING,
    BOWEL,
    BREATHING,
    CAFFEINE,
    CUEING,
    DOWN_TRAINING,
    FLUIDS,
    KNACK,
    ONE_STEP,
    OVERACTIVE_FLOOR,
    PELVIC_FLOOR_EDUCATION,
    PFMT,
    RELAXING_FLOOR,
    SMOKING,
    STRESS_CARE,
    URGENT,
    VOIDING_HABITS,
    WARNING_SIGNS,
    WEIGHT,
    built,
    counted_phase_1,
    intake,
    item,
    note_codes,
    phase_2,
    plan_of,
)

BUSY_LIFESTYLE = {
    "caffeine_drinks_per_day": 3,
    "fluid_intake_ml": 1000,
    "bmi": 35,
    "smoker": True,
    "alcohol_units_per_week": 20,
}
STRESS_FIRST_MIXED = {"stress_leak_triggers": ["cough"], "urgency": True, "constipation": True}
URGENCY_FIRST_MIXED = {**STRESS_FIRST_MIXED, "most_bothersome": "urgency"}
# Relaxes fully, Oxford 1 (biofeedback), abdominals take over (cueing): nothing holds PFMT.
WEAK_FLOOR = {**RELAXING_FLOOR, "oxford_grade": 1, "accessory_muscles": True}


def busy_intake(symptoms: dict[str, Any], exam: dict[str, Any]) -> dict[str, Any]:
    return intake(
        symptoms=symptoms, exam=exam, history={"high_stress": True}, lifestyle=BUSY_LIFESTYLE
    )


# Reference §4's priority order for each busy intake.
STRESS_FIRST_ORDER = [
    PFMT,  # the first-line treatment of stress-predominant mixed incontinence
    CUEING,
    KNACK,
    BLADDER_TRAINING,  # the other type's treatment
    STRESS_CARE,
    BIOFEEDBACK,
    CAFFEINE,
    FLUIDS,
    VOIDING_HABITS,
    BOWEL,
    WEIGHT,
    SMOKING,
    ALCOHOL,
]
URGENCY_FIRST_ORDER = [
    BLADDER_TRAINING,  # the first-line treatment of urgency-predominant mixed incontinence
    CUEING,
    KNACK,
    PFMT,  # the other type's treatment
    *STRESS_FIRST_ORDER[4:],
]
# Overactive floor: PFMT, the Knack, cueing and biofeedback wait for safety (rule 2).
RELAX_FIRST_ORDER = [
    DOWN_TRAINING,
    BLADDER_TRAINING,
    *STRESS_FIRST_ORDER[4:5],
    *STRESS_FIRST_ORDER[6:],
]
CASES = [
    ("stress-first", STRESS_FIRST_MIXED, WEAK_FLOOR, STRESS_FIRST_ORDER, {PFMT}),
    ("urgency-first", URGENCY_FIRST_MIXED, WEAK_FLOOR, URGENCY_FIRST_ORDER, {BLADDER_TRAINING}),
    ("relax-first", STRESS_FIRST_MIXED, OVERACTIVE_FLOOR, RELAX_FIRST_ORDER, {DOWN_TRAINING}),
]


def test_the_default_limit_is_5() -> None:
    assert PlanSettings().phase_one_limit == 5
    plan = plan_of(busy_intake(STRESS_FIRST_MIXED, WEAK_FLOOR))
    assert set(counted_phase_1(plan)) == set(STRESS_FIRST_ORDER[:5])


@pytest.mark.parametrize("limit", range(0, 15))
@pytest.mark.parametrize(
    ("symptoms", "exam", "order", "never_move"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_items_keep_phase_1_in_priority_order_up_to_the_limit(
    symptoms: dict[str, Any],
    exam: dict[str, Any],
    order: list[str],
    never_move: set[str],
    limit: int,
) -> None:
    # Reference §4: kept in this order of priority; beyond the limit they move to phase 2;
    # down-training and the first-line treatment never move, even past the limit.
    result = built(busy_intake(symptoms, exam), settings=PlanSettings(phase_one_limit=limit))
    plan = result.plan
    kept = set(order[: max(limit, len(never_move))])
    if PFMT in order and PFMT not in kept:
        # The Knack is a squeeze: it waits whenever PFMT waits (§3 rule 2, the safer reading).
        kept.discard(KNACK)
    assert set(counted_phase_1(plan)) == kept
    assert never_move <= kept
    for code in order:
        entry = item(plan, code)
        if code in kept:
            assert entry["phase"] == 1, code
        else:
            assert entry["phase"] == 2, code
            assert entry["hold_reason"].startswith(ONE_STEP), code
            assert "review" in entry["hold_reason"]
            assert "hold.one_step" in note_codes(result, code)


def test_down_training_and_the_first_line_both_stay_past_a_limit_of_0() -> None:
    # Reference §4: down-training and the first-line treatment never move.
    data = busy_intake(URGENCY_FIRST_MIXED, OVERACTIVE_FLOOR)
    plan = plan_of(data, settings=PlanSettings(phase_one_limit=0))
    assert set(counted_phase_1(plan)) == {DOWN_TRAINING, BLADDER_TRAINING}
    # PFMT waits for the floor, not for the cap: its hold is the safety one.
    assert not item(plan, PFMT)["hold_reason"].startswith(ONE_STEP)


def test_safety_holds_are_never_replaced_by_one_step() -> None:
    # Reference §3 rule 2: the printed plan gives the item's own hold reason.
    exam = {**OVERACTIVE_FLOOR, "bearing_down": True}
    plan = plan_of(busy_intake(STRESS_FIRST_MIXED, exam), settings=PlanSettings(phase_one_limit=1))
    for code in (PFMT, KNACK, CUEING, BIOFEEDBACK):
        assert "Overactive" in item(plan, code)["hold_reason"], code


def test_breathing_referrals_urgent_items_and_education_never_count() -> None:
    # Reference §4: "besides diaphragmatic breathing"; referrals, urgent items and
    # education never count.
    data = busy_intake(STRESS_FIRST_MIXED, WEAK_FLOOR)
    data["red_flags"] = ["dysuria"]
    data["history"].update({"diuretics": True, "diabetes": True, "pfmt_months_tried": 3})
    plan = plan_of(data, settings=PlanSettings(phase_one_limit=2))
    for code in (URGENT, BREATHING, PELVIC_FLOOR_EDUCATION, WARNING_SIGNS):
        assert item(plan, code)["phase"] == 1
    for entry in plan["items"]:
        if entry["category"] in ("medical_referral", "specialist_referral", "education"):
            assert not (entry.get("hold_reason") or "").startswith(ONE_STEP), entry["code"]
    assert set(counted_phase_1(plan)) == {PFMT, CUEING}


def test_moved_items_are_named_in_a_notice_with_the_limit() -> None:
    # Reference §4 ("a clinic setting", say so on screen).
    plan = plan_of(
        busy_intake(STRESS_FIRST_MIXED, WEAK_FLOOR), settings=PlanSettings(phase_one_limit=3)
    )
    notice = next(n for n in plan["notices"] if n.startswith(ONE_STEP))
    assert "at most 3 items" in notice
    for code in phase_2(plan):
        entry = item(plan, code)
        if entry["hold_reason"].startswith(ONE_STEP):
            assert entry["title"] in notice


def test_no_one_step_notice_when_nothing_moves() -> None:
    plan = plan_of(intake(symptoms=STRESS_FIRST_MIXED, exam=RELAXING_FLOOR))
    assert not any(n.startswith(ONE_STEP) for n in plan["notices"])
    assert not any((e.get("hold_reason") or "").startswith(ONE_STEP) for e in plan["items"])
