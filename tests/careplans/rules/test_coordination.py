"""Coordination (reference §4): correct contraction cueing, biofeedback and the Knack, each
gated as safety rule 2 says (reference §3 rule 2)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.careplans.rules.helpers import (
    BIOFEEDBACK,
    CUEING,
    KNACK,
    NO_OXFORD_FLOOR,
    OVERACTIVE_FLOOR,
    PFMT,
    RELAXING_FLOOR,
    STRESS,
    TENSE_AND_WEAK_FLOOR,
    URGENCY,
    built,
    codes,
    intake,
    item,
    note_codes,
    plan_of,
    planned,
)

# --- Cueing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "finding",
    [
        {"accessory_muscles": True},
        {"breath_holding": True},
        {"bearing_down": True},
        {"oxford_grade": 0},
    ],
)
def test_cueing_for_each_technique_error(finding: dict[str, Any]) -> None:
    # Reference §4: accessory muscles, breath holding, bearing down, Oxford grade 0.
    plan = plan_of(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, **finding}))
    cueing = item(plan, CUEING)
    assert cueing["phase"] == 1
    assert cueing["category"] == "coordination"


@pytest.mark.parametrize("grade", [1, 2, 5])
def test_no_cueing_without_a_technique_error(grade: int) -> None:
    exam = {
        **RELAXING_FLOOR,
        "oxford_grade": grade,
        "accessory_muscles": False,
        "breath_holding": False,
        "bearing_down": False,
    }
    assert CUEING not in codes(plan_of(intake(symptoms=STRESS, exam=exam)))


@pytest.mark.parametrize(
    "finding",
    [{"bearing_down": True}, {"oxford_grade": 0}, {"bearing_down": True, "oxford_grade": 0}],
)
def test_cueing_is_phase_1_when_bearing_down_or_oxford_0_is_the_reason(
    finding: dict[str, Any],
) -> None:
    # Reference §3 rule 2 and §4: the lift is taught first, while PFMT waits.
    result = built(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, **finding}))
    plan = result.plan
    assert item(plan, CUEING)["phase"] == 1
    assert "hold_reason" not in item(plan, CUEING)
    assert item(plan, PFMT)["phase"] == 2
    assert item(plan, KNACK)["phase"] == 2


@pytest.mark.parametrize(
    ("symptoms", "exam", "reason"),
    [
        (STRESS, {**OVERACTIVE_FLOOR, "bearing_down": True}, "Overactive"),
        (STRESS, {**TENSE_AND_WEAK_FLOOR, "bearing_down": True}, "Tense and weak"),
        (STRESS, {**OVERACTIVE_FLOOR, "oxford_grade": 0}, "Tense and weak"),
        ({**STRESS, "pelvic_pain": True}, {**RELAXING_FLOOR, "bearing_down": True}, "Pelvic pain"),
        (STRESS, {**RELAXING_FLOOR, "oxford_grade": 0, "tenderness": True}, "Tenderness"),
        (
            {**STRESS, "painful_orgasm": True},
            {**RELAXING_FLOOR, "accessory_muscles": True},
            "orgasm",
        ),
        # tone unknown (no tone, relaxation or Oxford grade) with tight-floor signs.
        ({**STRESS, "voiding_difficulty": True}, {"accessory_muscles": True}, "Not examined"),
        ({**STRESS, "straining_to_defecate": True}, {"bearing_down": True}, "Not examined"),
    ],
)
def test_cueing_waits_for_a_relax_first_reason_even_with_bearing_down(
    symptoms: dict[str, Any], exam: dict[str, Any], reason: str
) -> None:
    # Reference §3 rule 2: cueing waits (phase 2) when a relax-first reason applies, even if
    # bearing down or Oxford 0 are present too; §4: phase 2 when overactive or painful.
    plan = plan_of(intake(symptoms=symptoms, exam=exam))
    cueing = item(plan, CUEING)
    assert cueing["phase"] == 2
    assert reason.lower() in cueing["hold_reason"].lower()


def test_cueing_is_phase_1_with_no_oxford_grade_when_no_relax_first_reason() -> None:
    # Reference §3 rule 2: cueing waits only for a relax-first reason; otherwise phase 1.
    plan = plan_of(intake(symptoms=STRESS, exam={**NO_OXFORD_FLOOR, "breath_holding": True}))
    assert item(plan, CUEING)["phase"] == 1
    assert item(plan, PFMT)["phase"] == 2


@pytest.mark.parametrize(
    ("anatomy", "present", "absent"),
    [
        ("vulva", ["close and lift the vaginal opening"], ["penis", "testicles"]),
        ("penis", ["draw the penis up and in", "lift the testicles"], ["vaginal"]),
        ("unspecified", [], ["penis", "testicles", "vaginal"]),
    ],
)
def test_cueing_follows_the_patients_anatomy(
    anatomy: str, present: list[str], absent: list[str]
) -> None:
    # Reference §4 (cues by anatomy, "as if stopping wind" for everyone and the only cue
    # when anatomy is unspecified) and §8 (inclusive cues).
    exam = {**RELAXING_FLOOR, "accessory_muscles": True}
    cueing = item(plan_of(intake(anatomy=anatomy, symptoms=STRESS, exam=exam)), CUEING)
    for cue in present:
        assert cue in cueing["rationale"]
    for word in absent:
        assert word not in cueing["rationale"]
    assert "as if stopping wind" in cueing["rationale"]
    assert "a lift, not a push down" in cueing["rationale"]
    assert "Never practise by stopping the urine stream" in cueing["rationale"]


def test_coordination_findings_add_cueing_whatever_the_tone() -> None:
    # Reference §2: coordination findings add coordination items whatever the tone profile.
    for exam in (OVERACTIVE_FLOOR, TENSE_AND_WEAK_FLOOR, RELAXING_FLOOR):
        plan = plan_of(intake(symptoms=STRESS, exam={**exam, "breath_holding": True}))
        assert CUEING in codes(plan)


# --- Biofeedback ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finding", "applies"),
    [
        ({"oxford_grade": 0}, True),
        ({"oxford_grade": 1}, True),
        ({"oxford_grade": 2}, False),
        ({"bearing_down": True}, True),
        ({"accessory_muscles": True}, False),
    ],
)
def test_biofeedback_for_oxford_1_or_less_or_bearing_down(
    finding: dict[str, Any], applies: bool
) -> None:
    # Reference §4: biofeedback for Oxford grade ≤ 1 or bearing down (NICE NG210 / NG123).
    plan = plan_of(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, **finding}))
    assert (BIOFEEDBACK in codes(plan)) is applies


@pytest.mark.parametrize(
    ("symptoms", "exam", "phase"),
    [
        (STRESS, {**RELAXING_FLOOR, "bearing_down": True}, 1),
        (STRESS, {**RELAXING_FLOOR, "oxford_grade": 1}, 1),
        (STRESS, {**OVERACTIVE_FLOOR, "bearing_down": True}, 2),
        (STRESS, {**OVERACTIVE_FLOOR, "oxford_grade": 1}, 2),
        ({**STRESS, "painful_penetration": True}, {**RELAXING_FLOOR, "oxford_grade": 0}, 2),
    ],
)
def test_biofeedback_phase_follows_cueing(
    symptoms: dict[str, Any], exam: dict[str, Any], phase: int
) -> None:
    # Reference §4: biofeedback's phase follows cueing's rule.
    plan = plan_of(intake(symptoms=symptoms, exam=exam))
    biofeedback = item(plan, BIOFEEDBACK)
    assert biofeedback["phase"] == phase
    if CUEING in codes(plan):
        assert biofeedback["phase"] == item(plan, CUEING)["phase"]
        assert biofeedback.get("hold_reason") == item(plan, CUEING).get("hold_reason")
    if phase == 2:
        assert biofeedback["hold_reason"]


# --- The Knack ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "trigger", ["cough", "sneeze", "laugh", "lift", "exercise", "jump", "walk", "stand_up"]
)
def test_knack_for_stress_leaks_on_any_effort_trigger(trigger: str) -> None:
    # Reference §4: the Knack for stress leaks on any effort trigger (Miller 1998, 2008).
    data = intake(
        symptoms={"stress_leak_triggers": [trigger], "urgency": False}, exam=RELAXING_FLOOR
    )
    result = built(data)
    knack = item(result.plan, KNACK)
    assert knack["phase"] == 1
    assert "Knack" in knack["title"]
    notes = planned(result, KNACK).notes
    assert {"code": "knack.triggers", "triggers": [trigger]} in notes


def test_knack_names_the_patients_own_triggers() -> None:
    # Reference §4: name the patient's own triggers.
    symptoms = {"stress_leak_triggers": ["lift", "stand_up", "jump"], "urgency": False}
    result = built(intake(symptoms=symptoms, exam=RELAXING_FLOOR))
    knack = item(result.plan, KNACK)
    for name in ("lifting", "standing up", "jumping"):
        assert name in knack["rationale"]
    assert "cough" not in knack["rationale"]
    assert {"code": "knack.triggers", "triggers": ["lift", "stand_up", "jump"]} in planned(
        result, KNACK
    ).notes


def test_knack_when_the_patient_already_pre_contracts_says_keep_doing_it() -> None:
    # Reference §4: when the examination found pre-contraction, "keep doing it before every".
    result = built(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, "knack": True}))
    assert "knack.keep_going" in note_codes(result, KNACK)
    assert "keep" in item(result.plan, KNACK)["rationale"]
    without = built(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, "knack": False}))
    assert "knack.keep_going" not in note_codes(without, KNACK)


def test_no_knack_without_stress_leaks() -> None:
    # Reference §4: the Knack is for stress leaks.
    assert KNACK not in codes(plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR)))


def test_knack_waits_with_pfmts_hold_reason() -> None:
    # Reference §3 rule 2: the Knack is a squeeze; it waits whenever PFMT waits, with the
    # same hold reason.
    plan = plan_of(intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR))
    knack, pfmt = item(plan, KNACK), item(plan, PFMT)
    assert knack["phase"] == pfmt["phase"] == 2
    assert knack["hold_reason"] == pfmt["hold_reason"]
