"""Bladder training (reference §4; careplan-v1 arithmetic) and urge suppression's two forms
(reference §3 rule 2)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from careplans.rules import PlanSettings, bladder_training_dosing
from tests.careplans.rules.helpers import (
    BLADDER_TRAINING,
    MIXED,
    NO_OXFORD_FLOOR,
    OVERACTIVE_FLOOR,
    RELAXING_FLOOR,
    STRESS,
    TENSE_AND_WEAK_FLOOR,
    URGENCY,
    built,
    codes,
    diary,
    intake,
    item,
    note_codes,
    plan_of,
)


def expected_weeks(start: int, target: int = 180) -> int:
    """careplan-v1: the larger of 6 and 1 + ceil((target - start) / 15)."""
    target = max(target, start)
    return max(6, 1 + math.ceil((target - start) / 15))


@pytest.mark.parametrize("symptoms", [URGENCY, MIXED, {**MIXED, "most_bothersome": "urgency"}])
def test_bladder_training_for_urgency_or_mixed_for_at_least_6_weeks(
    symptoms: dict[str, Any],
) -> None:
    # Reference §4: bladder training for urgency or mixed, at least 6 weeks (NICE NG123).
    schedule = item(plan_of(intake(symptoms=symptoms, exam=RELAXING_FLOOR)), BLADDER_TRAINING)
    assert schedule["phase"] == 1
    assert schedule["category"] == "bladder_training"
    assert schedule["dosing"]["weeks"] >= 6
    assert schedule["dosing"]["increase_min"] == 15
    assert schedule["dosing"]["every_days"] == 7


def test_no_bladder_training_for_stress_alone() -> None:
    assert BLADDER_TRAINING not in codes(plan_of(intake(symptoms=STRESS, exam=RELAXING_FLOOR)))


@pytest.mark.parametrize(
    ("interval", "start"),
    [(96, 90), (94, 90), (90, 90), (75, 75), (74, 60), (44, 30), (29, 30), (1, 30), (200, 195)],
)
def test_start_from_the_diarys_mean_interval_rounded_down_to_15_at_least_30(
    interval: int, start: int
) -> None:
    # Reference §4 / careplan-v1: the diary's mean daytime interval, rounded down to a
    # multiple of 15, at least 30.
    plan = plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR), diary=diary(interval=interval))
    dosing = item(plan, BLADDER_TRAINING)["dosing"]
    assert dosing["start_interval_min"] == start
    assert dosing["target_interval_min"] == max(180, start)
    assert dosing["weeks"] == expected_weeks(start)


@pytest.mark.parametrize(
    ("day_voids", "start"),
    [(10, 90), (8, 120), (7, 135), (12, 75), (16, 60), (40, 30), (1, 960)],
)
def test_without_a_diary_start_is_960_waking_minutes_over_day_voids(
    day_voids: int, start: int
) -> None:
    # Reference §4 / careplan-v1: else 960 ÷ day_voids, rounded down to 15, at least 30.
    plan = plan_of(intake(symptoms={**URGENCY, "day_voids": day_voids}, exam=RELAXING_FLOOR))
    dosing = item(plan, BLADDER_TRAINING)["dosing"]
    assert dosing["start_interval_min"] == start
    assert dosing["weeks"] == expected_weeks(start)


def test_the_diary_wins_over_reported_day_voids() -> None:
    plan = plan_of(
        intake(symptoms={**URGENCY, "day_voids": 16}, exam=RELAXING_FLOOR), diary=diary(interval=96)
    )
    assert item(plan, BLADDER_TRAINING)["dosing"]["start_interval_min"] == 90


def test_a_diary_without_an_interval_falls_back_to_day_voids() -> None:
    plan = plan_of(
        intake(symptoms={**URGENCY, "day_voids": 10}, exam=RELAXING_FLOOR),
        diary=diary(daytime_frequency=10.0),
    )
    assert item(plan, BLADDER_TRAINING)["dosing"]["start_interval_min"] == 90


def test_without_diary_or_day_voids_the_start_is_60_and_a_notice_says_so() -> None:
    # Reference §4: else 60 (convention), a clinic setting.
    plan = plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR))
    dosing = item(plan, BLADDER_TRAINING)["dosing"]
    assert dosing == {
        "start_interval_min": 60,
        "increase_min": 15,
        "every_days": 7,
        "target_interval_min": 180,
        "weeks": 9,
    }
    assert any("No bladder diary" in notice and "60" in notice for notice in plan["notices"])


@pytest.mark.parametrize(("default", "start"), [(45, 45), (50, 45), (20, 30)])
def test_the_default_start_is_a_clinic_setting_rounded_the_same_way(
    default: int, start: int
) -> None:
    settings = PlanSettings(bladder_training_default_start_min=default)
    plan = plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR), settings=settings)
    assert item(plan, BLADDER_TRAINING)["dosing"]["start_interval_min"] == start


@pytest.mark.parametrize(
    ("start", "target", "weeks"),
    [
        (200, 200, 6),  # a start above the target is kept
        (180, 180, 6),
        (165, 180, 6),
        (90, 180, 7),
        (75, 180, 8),
        (60, 180, 9),
        (30, 180, 11),
    ],
)
def test_weeks_reach_the_target_in_the_last_week(start: int, target: int, weeks: int) -> None:
    # careplan-v1: target = the clinic target or the start when higher; weeks = the larger of
    # 6 and 1 + ceil((target - start) / 15).
    dosing = bladder_training_dosing(start, target_min=180)
    assert dosing == {
        "start_interval_min": start,
        "increase_min": 15,
        "every_days": 7,
        "target_interval_min": target,
        "weeks": weeks,
    }
    last_week = dosing["start_interval_min"] + (dosing["weeks"] - 1) * dosing["increase_min"]
    assert last_week >= dosing["target_interval_min"]


def test_the_target_is_a_clinic_setting() -> None:
    # Reference §4: the target (3 hours) is a clinic setting (convention).
    settings = PlanSettings(bladder_training_target_min=240)
    plan = plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR), settings=settings)
    dosing = item(plan, BLADDER_TRAINING)["dosing"]
    assert dosing["target_interval_min"] == 240
    assert dosing["weeks"] == 13  # 1 + (240 - 60) / 15


def test_bladder_training_from_a_diary_interval_above_3_hours_keeps_the_start() -> None:
    plan = plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR), diary=diary(interval=200))
    dosing = item(plan, BLADDER_TRAINING)["dosing"]
    assert dosing["start_interval_min"] == 195
    assert dosing["target_interval_min"] == 195
    assert dosing["weeks"] == 6


# --- Urge suppression --------------------------------------------------------------------

URGE_SUPPRESSION_STEPS = ("stand or sit still", "slow breathing", "distraction", "perineum")


@pytest.mark.parametrize(
    ("symptoms", "exam"),
    [
        (URGENCY, RELAXING_FLOOR),
        (MIXED, RELAXING_FLOOR),
        ({**MIXED, "most_bothersome": "urgency"}, RELAXING_FLOOR),
    ],
)
def test_urge_suppression_has_quick_squeezes_when_pfmt_would_not_wait(
    symptoms: dict[str, Any], exam: dict[str, Any]
) -> None:
    # Reference §4: "a few quick pelvic floor squeezes" only when strengthening is not held.
    result = built(intake(symptoms=symptoms, exam=exam))
    schedule = item(result.plan, BLADDER_TRAINING)
    assert "bladder.quick_squeezes" in note_codes(result, BLADDER_TRAINING)
    assert "quick pelvic floor squeezes" in schedule["rationale"]
    for step in URGE_SUPPRESSION_STEPS:
        assert step in schedule["rationale"]


@pytest.mark.parametrize(
    ("symptoms", "exam"),
    [
        (URGENCY, OVERACTIVE_FLOOR),
        (MIXED, TENSE_AND_WEAK_FLOOR),
        ({**URGENCY, "pelvic_pain": True}, RELAXING_FLOOR),
        ({**URGENCY, "painful_penetration": True}, RELAXING_FLOOR),
        ({**URGENCY, "painful_orgasm": True}, RELAXING_FLOOR),
        ({**URGENCY, "constant_tension": True}, RELAXING_FLOOR),
        (URGENCY, {**RELAXING_FLOOR, "tenderness": True}),
        ({**URGENCY, "voiding_difficulty": True}, None),
        ({**URGENCY, "straining_to_defecate": True}, None),
        (URGENCY, None),  # no Oxford grade recorded
        (URGENCY, NO_OXFORD_FLOOR),
        (URGENCY, {**RELAXING_FLOOR, "bearing_down": True}),
        (URGENCY, {**RELAXING_FLOOR, "oxford_grade": 0}),
    ],
)
def test_urge_suppression_has_no_squeezes_whenever_pfmt_waits(
    symptoms: dict[str, Any], exam: dict[str, Any] | None
) -> None:
    # Reference §3 rule 2: urge suppression uses its no-squeeze form whenever PFMT waits.
    data = intake(symptoms=symptoms) if exam is None else intake(symptoms=symptoms, exam=exam)
    result = built(data)
    schedule = item(result.plan, BLADDER_TRAINING)
    assert "bladder.quick_squeezes" not in note_codes(result, BLADDER_TRAINING)
    assert "quick pelvic floor squeezes" not in schedule["rationale"]
    assert "without squeezes" in schedule["rationale"]
    for step in URGE_SUPPRESSION_STEPS:
        assert step in schedule["rationale"]
