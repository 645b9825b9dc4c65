"""Relaxation (reference §4): diaphragmatic breathing always, down-training where the floor
must learn to let go, and stress and nervous-system care."""

from __future__ import annotations

from typing import Any

import pytest

from careplans.rules import PlanSettings
from tests.careplans.rules.helpers import (
    BREATHING,
    DOWN_TRAINING,
    MIXED,
    NO_OXFORD_FLOOR,
    NO_SYMPTOMS,
    OVERACTIVE_FLOOR,
    RELAXING_FLOOR,
    STRESS,
    STRESS_CARE,
    TENSE_AND_WEAK_FLOOR,
    URGENCY,
    codes,
    intake,
    item,
    plan_of,
)


@pytest.mark.parametrize(
    "data",
    [
        intake(),
        intake(symptoms=STRESS, exam=RELAXING_FLOOR),
        intake(symptoms=MIXED, exam=TENSE_AND_WEAK_FLOOR),
        intake(symptoms={"pelvic_pain": True}),
        intake(anatomy="unspecified", symptoms=URGENCY, exam=OVERACTIVE_FLOOR),
    ],
)
def test_breathing_is_in_every_plan_first_and_in_phase_1(data: dict[str, Any]) -> None:
    # Reference §3 rule 3 and §4 (diaphragmatic breathing: always).
    plan = plan_of(data)
    first = plan["items"][0]
    assert first["code"] == BREATHING
    assert first["phase"] == 1
    assert first["dosing"] == {"minutes": 5, "times_per_day": 2}
    assert "diaphragm" in first["rationale"]


def test_breathing_never_counts_and_never_moves() -> None:
    # Reference §4, one step at a time: "besides diaphragmatic breathing".
    plan = plan_of(
        intake(symptoms=STRESS, exam=RELAXING_FLOOR), settings=PlanSettings(phase_one_limit=0)
    )
    assert item(plan, BREATHING)["phase"] == 1


@pytest.mark.parametrize(
    ("symptoms", "exam"),
    [
        # overactive and tense-and-weak floors.
        (STRESS, OVERACTIVE_FLOOR),
        (STRESS, TENSE_AND_WEAK_FLOOR),
        (STRESS, {**RELAXING_FLOOR, "relaxation": "absent"}),
        (STRESS, {**RELAXING_FLOOR, "relaxation": "delayed"}),
        # each pain finding, whatever the examination shows.
        ({**STRESS, "pelvic_pain": True}, RELAXING_FLOOR),
        ({**STRESS, "painful_penetration": True}, RELAXING_FLOOR),
        ({**STRESS, "painful_orgasm": True}, RELAXING_FLOOR),
        ({**STRESS, "constant_tension": True}, RELAXING_FLOOR),
        (STRESS, {**RELAXING_FLOOR, "tenderness": True}),
        # tight-floor signs with the tone unknown.
        ({**STRESS, "straining_to_defecate": True}, None),
        ({**STRESS, "constipation": True, "straining_to_defecate": True}, None),
        ({**STRESS, "voiding_difficulty": True}, None),
        ({**STRESS, "incomplete_emptying": True}, None),
        ({**STRESS, "pelvic_pain": True}, None),
    ],
)
def test_down_training_when_the_floor_must_learn_to_let_go(
    symptoms: dict[str, Any], exam: dict[str, Any] | None
) -> None:
    # Reference §4 (down-training: overactive, tense_and_weak, any pain finding, or
    # tight-floor signs with tone unknown); seed articles; Mayo Clin Proc review.
    data = intake(symptoms=symptoms) if exam is None else intake(symptoms=symptoms, exam=exam)
    down = item(plan_of(data), DOWN_TRAINING)
    assert down["phase"] == 1
    assert down["category"] == "relaxation"
    assert "reverse Kegel" in down["rationale"]
    for position in ("child's pose", "happy baby", "supported squat"):
        assert position in down["rationale"]


@pytest.mark.parametrize(
    ("symptoms", "exam"),
    [
        # a floor that relaxes, without pain: no down-training.
        (STRESS, RELAXING_FLOOR),
        # tight-floor signs other than pain need an unknown tone.
        ({**STRESS, "straining_to_defecate": True}, RELAXING_FLOOR),
        ({**STRESS, "voiding_difficulty": True}, RELAXING_FLOOR),
        ({**STRESS, "incomplete_emptying": True}, NO_OXFORD_FLOOR),
        # constipation without straining is not a tight-floor sign.
        ({**STRESS, "constipation": True}, None),
        # an unexamined floor without tight-floor signs.
        (STRESS, None),
    ],
)
def test_no_down_training_without_a_relax_first_reason(
    symptoms: dict[str, Any], exam: dict[str, Any] | None
) -> None:
    # Reference §4: down-training only for the findings in its row.
    data = intake(symptoms=symptoms) if exam is None else intake(symptoms=symptoms, exam=exam)
    assert DOWN_TRAINING not in codes(plan_of(data))


def test_down_training_dose_is_a_clinic_setting_default_5_minutes_once_a_day() -> None:
    # Reference §4: no dosing standard; default 5 minutes once a day (convention).
    data = intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR)
    assert item(plan_of(data), DOWN_TRAINING)["dosing"] == {"minutes": 5, "times_per_day": 1}
    longer = plan_of(data, settings=PlanSettings(down_training_minutes=10))
    down = item(longer, DOWN_TRAINING)
    assert down["dosing"] == {"minutes": 10, "times_per_day": 1}
    assert "10 minutes" in down["rationale"]


def test_down_training_names_its_reasons() -> None:
    # Reference §3 rule 6 spirit / contract: the rationale names the findings behind it.
    down = item(
        plan_of(
            intake(symptoms={**STRESS, "painful_penetration": True}, exam=TENSE_AND_WEAK_FLOOR)
        ),
        DOWN_TRAINING,
    )
    assert "Tense and weak" in down["rationale"]
    assert "painful penetration" in down["rationale"]
    unexamined = item(
        plan_of(intake(symptoms={**STRESS, "voiding_difficulty": True})), DOWN_TRAINING
    )
    assert "Not examined" in unexamined["rationale"]
    assert "voiding difficulty" in unexamined["rationale"]


@pytest.mark.parametrize("finding", ["high_stress", "poor_sleep", "chronic_pain"])
def test_stress_and_nervous_system_care(finding: str) -> None:
    # Reference §4: high_stress, poor_sleep, chronic pain -> breathing, sleep, psychology.
    plan = plan_of(intake(symptoms=NO_SYMPTOMS, exam=RELAXING_FLOOR, history={finding: True}))
    care = item(plan, STRESS_CARE)
    assert care["category"] == "relaxation"
    assert care["phase"] == 1
    assert "psychology" in care["rationale"]


def test_no_stress_care_without_its_findings() -> None:
    history = {"high_stress": False, "poor_sleep": False, "chronic_pain": False}
    assert STRESS_CARE not in codes(plan_of(intake(history=history)))
