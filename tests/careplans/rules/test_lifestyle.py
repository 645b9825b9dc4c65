"""Lifestyle (reference §4): caffeine, fluids, toilet habits, weight, smoking and cough,
bowels, alcohol.

Intakes that test a lifestyle item keep the number of counted phase-1 items within the
phase-1 cap, so each item is seen in phase 1 (the cap has its own tests)."""

from __future__ import annotations

from typing import Any

import pytest

from careplans.rules import PlanSettings
from tests.careplans.rules.helpers import (
    ALCOHOL,
    BOWEL,
    CAFFEINE,
    FLUIDS,
    MIXED,
    NO_SYMPTOMS,
    OVERACTIVE_FLOOR,
    RELAXING_FLOOR,
    SMOKING,
    STRESS,
    TENSE_AND_WEAK_FLOOR,
    URGENCY,
    VOIDING_HABITS,
    WEIGHT,
    built,
    codes,
    diary,
    intake,
    item,
    note_codes,
    plan_of,
)

# --- Caffeine ----------------------------------------------------------------------------


@pytest.mark.parametrize("drinks", [1, 2, 3, 4, 5, 10, 30])
def test_caffeine_goal_is_fewer_than_now_never_zero(drinks: int) -> None:
    # Reference §4: reduce caffeine with urgency and ≥ 1 drink a day; swap gradually to
    # decaffeinated; the goal is fewer than now (never "no more than 0").
    plan = plan_of(
        intake(symptoms=URGENCY, exam=RELAXING_FLOOR, lifestyle={"caffeine_drinks_per_day": drinks})
    )
    caffeine = item(plan, CAFFEINE)
    assert caffeine["phase"] == 1
    assert "decaf" in caffeine["rationale"]
    goal = caffeine["dosing"].get("max_drinks_per_day")
    if goal is not None:
        assert 1 <= goal < drinks
    assert "at most 0" not in caffeine["rationale"]
    assert "no more than 0" not in caffeine["rationale"]


def test_one_caffeinated_drink_gets_a_swap_without_a_zero_limit() -> None:
    result = built(
        intake(symptoms=URGENCY, exam=RELAXING_FLOOR, lifestyle={"caffeine_drinks_per_day": 1})
    )
    caffeine = item(result.plan, CAFFEINE)
    assert caffeine["title"] == "Try swapping to decaf"
    assert caffeine["dosing"] == {}
    assert note_codes(result, CAFFEINE) == ["caffeine.swap"]


@pytest.mark.parametrize(("drinks", "strong"), [(1, False), (2, False), (3, True), (6, True)])
def test_caffeine_wording_is_stronger_at_3_or_more(drinks: int, strong: bool) -> None:
    # Reference §4: stronger wording at ≥ 3 drinks a day.
    plan = plan_of(
        intake(symptoms=URGENCY, exam=RELAXING_FLOOR, lifestyle={"caffeine_drinks_per_day": drinks})
    )
    caffeine = item(plan, CAFFEINE)
    assert (caffeine["title"] == "Cut down on caffeine, step by step") is strong
    assert ("makes urgency worse" in caffeine["rationale"]) is strong


@pytest.mark.parametrize(("symptoms", "drinks"), [(STRESS, 4), (URGENCY, 0), (NO_SYMPTOMS, 5)])
def test_no_caffeine_item_without_urgency_or_without_caffeine(
    symptoms: dict[str, Any], drinks: int
) -> None:
    plan = plan_of(
        intake(
            symptoms=symptoms, exam=RELAXING_FLOOR, lifestyle={"caffeine_drinks_per_day": drinks}
        )
    )
    assert CAFFEINE not in codes(plan)


def test_caffeine_for_mixed_incontinence() -> None:
    plan = plan_of(
        intake(symptoms=MIXED, exam=RELAXING_FLOOR, lifestyle={"caffeine_drinks_per_day": 2})
    )
    assert CAFFEINE in codes(plan)


# --- Fluids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ml", "applies"), [(0, True), (1499, True), (1500, False), (3000, False), (3001, True)]
)
def test_fluids_below_1500_or_above_3000_ml(ml: int, applies: bool) -> None:
    # Reference §4: intake < 1,500 mL or > 3,000 mL a day (the bounds are a convention).
    plan = plan_of(intake(exam=RELAXING_FLOOR, lifestyle={"fluid_intake_ml": ml}))
    assert (FLUIDS in codes(plan)) is applies


def test_fluid_bounds_are_clinic_settings() -> None:
    settings = PlanSettings(fluid_low_ml=1200, fluid_high_ml=2500)
    assert FLUIDS not in codes(
        plan_of(intake(lifestyle={"fluid_intake_ml": 1400}), settings=settings)
    )
    plan = plan_of(intake(lifestyle={"fluid_intake_ml": 2600}), settings=settings)
    assert "above 2500 mL" in item(plan, FLUIDS)["rationale"]


@pytest.mark.parametrize("metric", ["polyuria_24h", "nocturnal_polyuria"])
def test_fluids_for_diary_polyuria(metric: str) -> None:
    # Reference §4: fluid intake for diary polyuria (§5 definitions).
    plan = plan_of(intake(lifestyle={"fluid_intake_ml": 2000}), diary=diary(**{metric: True}))
    assert "polyuria" in item(plan, FLUIDS)["rationale"]


@pytest.mark.parametrize(("night_voids", "applies"), [(1, False), (2, True), (4, True)])
def test_fluids_for_nocturia_of_2_or_more_with_less_before_bed(
    night_voids: int, applies: bool
) -> None:
    # Reference §4: nocturia ≥ 2; less in the 2 hours before bed; §2: nocturia is 2 or more
    # a night (convention).
    plan = plan_of(intake(symptoms={**NO_SYMPTOMS, "night_voids": night_voids}))
    assert (FLUIDS in codes(plan)) is applies
    if applies:
        assert "2 hours before bed" in item(plan, FLUIDS)["rationale"]


def test_diary_nocturia_wins_over_night_voids() -> None:
    # Reference §2: nocturia is the diary's mean per night, else night_voids.
    more = plan_of(intake(symptoms={**NO_SYMPTOMS, "night_voids": 0}), diary=diary(nocturia=2.0))
    assert FLUIDS in codes(more)
    fewer = plan_of(intake(symptoms={**NO_SYMPTOMS, "night_voids": 3}), diary=diary(nocturia=1.5))
    assert FLUIDS not in codes(fewer)


def test_nocturia_threshold_is_a_clinic_setting() -> None:
    settings = PlanSettings(nocturia_min_voids=3)
    data = intake(symptoms={**NO_SYMPTOMS, "night_voids": 2})
    assert FLUIDS not in codes(plan_of(data, settings=settings))


# --- Toilet habits -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptoms", "exam"),
    [
        ({**NO_SYMPTOMS, "voiding_difficulty": True}, RELAXING_FLOOR),
        ({**NO_SYMPTOMS, "incomplete_emptying": True}, RELAXING_FLOOR),
        ({**NO_SYMPTOMS, "constant_tension": True}, RELAXING_FLOOR),
        (NO_SYMPTOMS, OVERACTIVE_FLOOR),
        (NO_SYMPTOMS, TENSE_AND_WEAK_FLOOR),
        (URGENCY, RELAXING_FLOOR),
        ({"urgency": True}, RELAXING_FLOOR),
        ({**NO_SYMPTOMS, "day_voids": 9}, RELAXING_FLOOR),
    ],
)
def test_toilet_habits_triggers(symptoms: dict[str, Any], exam: dict[str, Any]) -> None:
    # Reference §4: voiding difficulty, incomplete emptying, constant tension, an overactive
    # floor, or urgency/frequency.
    voiding = item(plan_of(intake(symptoms=symptoms, exam=exam)), VOIDING_HABITS)
    assert voiding["category"] == "lifestyle"
    for words in ("Sit fully on the seat", "feet supported", "lean forward", "no pushing"):
        assert words in voiding["rationale"]


@pytest.mark.parametrize(
    "symptoms", [NO_SYMPTOMS, STRESS, {**NO_SYMPTOMS, "day_voids": 8}, {"constipation": True}]
)
def test_no_toilet_habits_without_their_findings(symptoms: dict[str, Any]) -> None:
    assert VOIDING_HABITS not in codes(plan_of(intake(symptoms=symptoms, exam=RELAXING_FLOOR)))


def test_frequency_uses_the_diary_and_the_clinic_threshold() -> None:
    # Reference §2: frequency is the diary's daytime frequency when there is a diary, else
    # day_voids, above the clinic threshold (default 8).
    by_diary = plan_of(
        intake(symptoms={**NO_SYMPTOMS, "day_voids": 6}, exam=RELAXING_FLOOR),
        diary=diary(daytime_frequency=9.5),
    )
    assert VOIDING_HABITS in codes(by_diary)
    raised = PlanSettings(daytime_frequency_threshold=10)
    plan = plan_of(
        intake(symptoms={**NO_SYMPTOMS, "day_voids": 9}, exam=RELAXING_FLOOR), settings=raised
    )
    assert VOIDING_HABITS not in codes(plan)


def test_toilet_habits_double_voiding_only_for_incomplete_emptying() -> None:
    # Reference §4: double voiding for incomplete emptying.
    result = built(
        intake(symptoms={**NO_SYMPTOMS, "incomplete_emptying": True}, exam=RELAXING_FLOOR)
    )
    assert "voiding.double_void" in note_codes(result, VOIDING_HABITS)
    assert "Double voiding" in item(result.plan, VOIDING_HABITS)["rationale"]
    other = built(intake(symptoms={**NO_SYMPTOMS, "voiding_difficulty": True}, exam=RELAXING_FLOOR))
    assert "voiding.double_void" not in note_codes(other, VOIDING_HABITS)


def test_toilet_habits_no_just_in_case_visits_with_urgency() -> None:
    # Reference §4: no "just in case" visits with urgency.
    result = built(intake(symptoms=URGENCY, exam=RELAXING_FLOOR))
    assert "voiding.no_just_in_case" in note_codes(result, VOIDING_HABITS)
    assert "just in case" in item(result.plan, VOIDING_HABITS)["rationale"]
    tense = built(intake(symptoms={**NO_SYMPTOMS, "constant_tension": True}, exam=RELAXING_FLOOR))
    assert "voiding.no_just_in_case" not in note_codes(tense, VOIDING_HABITS)


# --- Weight, smoking and cough, bowels ---------------------------------------------------


@pytest.mark.parametrize(("bmi", "applies"), [(30, False), (30.5, True), (42, True)])
def test_weight_loss_for_bmi_over_30(bmi: float, applies: bool) -> None:
    # Reference §4: BMI > 30 (NICE NG123).
    assert (WEIGHT in codes(plan_of(intake(lifestyle={"bmi": bmi})))) is applies


@pytest.mark.parametrize(
    ("lifestyle", "title"),
    [
        ({"smoker": True}, "Support to stop smoking"),
        ({"chronic_cough": True}, "Get the cough treated"),
        ({"smoker": True, "chronic_cough": True}, "Stop smoking and get the cough treated"),
    ],
)
def test_smoking_or_chronic_cough(lifestyle: dict[str, Any], title: str) -> None:
    # Reference §4: coughing strains the pelvic floor and worsens leaks (seed article).
    smoking = item(plan_of(intake(lifestyle=lifestyle)), SMOKING)
    assert smoking["title"] == title
    assert "coughing strains the pelvic floor" in smoking["rationale"]
    assert SMOKING not in codes(
        plan_of(intake(lifestyle={"smoker": False, "chronic_cough": False}))
    )


@pytest.mark.parametrize(
    "symptoms",
    [
        {"constipation": True},
        {"straining_to_defecate": True},
        {"constipation": True, "straining_to_defecate": True},
    ],
)
def test_bowel_care_for_constipation_or_straining(symptoms: dict[str, Any]) -> None:
    # Reference §4: fibre, fluids, footstool, knees above hips, relaxed breathing.
    bowel = item(plan_of(intake(symptoms=symptoms, exam=RELAXING_FLOOR)), BOWEL)
    for words in ("Fibre", "footstool", "knees above hips", "relaxed breathing", "no straining"):
        assert words in bowel["rationale"]


# --- Alcohol -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptoms", "units", "wording"),
    [
        (NO_SYMPTOMS, 14, None),
        (NO_SYMPTOMS, 15, "alcohol.cut_down"),
        (STRESS, 30, "alcohol.cut_down"),
        (URGENCY, 0, None),
        (URGENCY, 1, "alcohol.notice"),
        (URGENCY, 14, "alcohol.notice"),
        (URGENCY, 15, "alcohol.cut_down"),
        (MIXED, 3, "alcohol.notice"),
    ],
)
def test_alcohol_wording_matches_the_amount(
    symptoms: dict[str, Any], units: int, wording: str | None
) -> None:
    # Reference §4: > 14 units a week, or urgency with any alcohol; at 1-14 units with
    # urgency: "alcohol can set off urgency: notice whether it does for you".
    result = built(
        intake(symptoms=symptoms, exam=RELAXING_FLOOR, lifestyle={"alcohol_units_per_week": units})
    )
    if wording is None:
        assert ALCOHOL not in codes(result.plan)
        return
    alcohol = item(result.plan, ALCOHOL)
    assert wording in note_codes(result, ALCOHOL)
    if wording == "alcohol.notice":
        assert alcohol["title"] == "Notice whether alcohol sets off urgency"
        assert "alcohol can set off urgency" in alcohol["rationale"]
        assert "notice whether it does" in alcohol["rationale"]
    else:
        assert alcohol["title"] == "Cut down on alcohol"


def test_alcohol_threshold_is_a_clinic_setting() -> None:
    strict = PlanSettings(alcohol_units_per_week=7)
    plan = plan_of(intake(lifestyle={"alcohol_units_per_week": 8}), settings=strict)
    assert "above the 7-unit guide" in item(plan, ALCOHOL)["rationale"]
