"""Safety rule 2 (reference §3 rule 2): no strengthening first when the floor cannot
safely take it -- the hold reasons, the squeeze gate (PFMT, the Knack), the relax-first
gate (cueing, biofeedback), and the check of an edited plan with its intake (rule 5)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from careplans.rules import safety_violations
from tests.careplans.rules.helpers import (
    BIOFEEDBACK,
    CUEING,
    DOWN_TRAINING,
    KNACK,
    MIXED,
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
    plan_of,
    planned,
)

# (id, symptoms, exam or None for no examination, expected hold codes, words of the reason)
HOLD_CASES: list[tuple[str, dict[str, Any], dict[str, Any] | None, set[str], str]] = [
    ("overactive", STRESS, OVERACTIVE_FLOOR, {"hold.tight_floor"}, "Overactive pelvic floor"),
    (
        "overactive-relaxation-absent",
        STRESS,
        {**RELAXING_FLOOR, "relaxation": "absent"},
        {"hold.tight_floor"},
        "Overactive pelvic floor",
    ),
    ("tense-and-weak", STRESS, TENSE_AND_WEAK_FLOOR, {"hold.tight_floor"}, "Tense and weak"),
    ("pelvic-pain", {**STRESS, "pelvic_pain": True}, RELAXING_FLOOR, {"hold.pain"}, "Pelvic pain"),
    (
        "painful-penetration",
        {**STRESS, "painful_penetration": True},
        RELAXING_FLOOR,
        {"hold.pain"},
        "penetration is comfortable",
    ),
    (
        "painful-orgasm",
        {**STRESS, "painful_orgasm": True},
        RELAXING_FLOOR,
        {"hold.pain"},
        "Painful orgasm",
    ),
    (
        "constant-tension",
        {**STRESS, "constant_tension": True},
        RELAXING_FLOOR,
        {"hold.pain"},
        "Constant tension",
    ),
    ("tenderness", STRESS, {**RELAXING_FLOOR, "tenderness": True}, {"hold.pain"}, "Tenderness"),
    (
        "unknown-tone-pain",
        {**STRESS, "pelvic_pain": True},
        None,
        {"hold.pain", "hold.not_examined"},
        "Not examined yet",
    ),
    (
        "unknown-tone-straining",
        {**STRESS, "straining_to_defecate": True},
        None,
        {"hold.not_examined"},
        "straining",
    ),
    (
        "unknown-tone-constipation-with-straining",
        {**STRESS, "constipation": True, "straining_to_defecate": True},
        None,
        {"hold.not_examined"},
        "straining",
    ),
    (
        "unknown-tone-voiding-difficulty",
        {**STRESS, "voiding_difficulty": True},
        None,
        {"hold.not_examined"},
        "voiding difficulty",
    ),
    (
        "unknown-tone-incomplete-emptying",
        {**STRESS, "incomplete_emptying": True},
        None,
        {"hold.not_examined"},
        "incomplete emptying",
    ),
    (
        "unknown-tone-constant-tension",
        {**STRESS, "constant_tension": True},
        None,
        {"hold.pain", "hold.not_examined"},
        "Not examined yet",
    ),
    # Coordination findings alone leave the tone profile unknown.
    (
        "unknown-tone-exam-without-tone",
        {**STRESS, "voiding_difficulty": True},
        {"consent_recorded": True, "accessory_muscles": True},
        {"hold.not_examined"},
        "Not examined yet",
    ),
    ("no-oxford-grade", STRESS, NO_OXFORD_FLOOR, {"hold.no_contraction_checked"}, "Oxford"),
    ("not-examined-no-signs", STRESS, None, {"hold.no_contraction_checked"}, "Oxford"),
    (
        "bearing-down",
        STRESS,
        {**RELAXING_FLOOR, "bearing_down": True},
        {"hold.bearing_down"},
        "Bears down",
    ),
    (
        "oxford-0",
        STRESS,
        {**RELAXING_FLOOR, "oxford_grade": 0},
        {"hold.no_squeeze_felt"},
        "Oxford grade 0",
    ),
]


def data_of(symptoms: dict[str, Any], exam: dict[str, Any] | None) -> dict[str, Any]:
    return intake(symptoms=symptoms) if exam is None else intake(symptoms=symptoms, exam=exam)


@pytest.mark.parametrize(
    ("symptoms", "exam", "hold_codes", "words"),
    [case[1:] for case in HOLD_CASES],
    ids=[case[0] for case in HOLD_CASES],
)
def test_each_hold_reason_holds_pfmt_and_the_knack(
    symptoms: dict[str, Any], exam: dict[str, Any] | None, hold_codes: set[str], words: str
) -> None:
    # Reference §3 rule 2: PFMT waits in phase 2 for each hold reason, whatever else the
    # examination shows; the Knack waits whenever PFMT waits, with the same hold reason.
    for leaks in (symptoms, {**symptoms, "urgency": True}):  # stress and mixed
        result = built(data_of(leaks, exam))
        pfmt, knack = item(result.plan, PFMT), item(result.plan, KNACK)
        assert pfmt["phase"] == 2
        assert words.lower() in pfmt["hold_reason"].lower()
        assert knack["phase"] == 2
        assert knack["hold_reason"] == pfmt["hold_reason"]
        pfmt_holds = {note["code"] for note in planned(result, PFMT).notes}
        assert hold_codes <= pfmt_holds
        assert planned(result, PFMT).hold_code in hold_codes
        assert planned(result, KNACK).hold_code == planned(result, PFMT).hold_code


def test_without_a_hold_reason_pfmt_and_the_knack_start_in_phase_1() -> None:
    # Reference §3 rule 2 / §4: phase 1 only without a hold reason.
    result = built(intake(symptoms=STRESS, exam=RELAXING_FLOOR))
    for code in (PFMT, KNACK):
        entry = item(result.plan, code)
        assert entry["phase"] == 1
        assert "hold_reason" not in entry
        assert planned(result, code).hold_code == ""


def test_several_hold_reasons_are_all_given() -> None:
    # Contract: hold_reason says why the item waits (every reason that applies).
    data = intake(
        symptoms={**STRESS, "painful_penetration": True},
        exam={**OVERACTIVE_FLOOR, "bearing_down": True},
    )
    reason = item(plan_of(data), PFMT)["hold_reason"]
    assert "Overactive" in reason
    assert "penetration" in reason
    assert "Bears down" in reason


RELAX_FIRST = {"tight_floor", "pain", "not_examined"}


@pytest.mark.parametrize(
    ("symptoms", "exam", "hold_codes", "words"),
    [case[1:] for case in HOLD_CASES],
    ids=[case[0] for case in HOLD_CASES],
)
def test_cueing_and_biofeedback_wait_only_for_a_relax_first_reason(
    symptoms: dict[str, Any], exam: dict[str, Any] | None, hold_codes: set[str], words: str
) -> None:
    # Reference §3 rule 2: cueing waits when a relax-first reason applies (overactive,
    # tense-and-weak, pain, tight-floor signs with tone unknown) even with bearing down or
    # Oxford 0; otherwise phase 1. Biofeedback follows cueing (§4).
    exam_with_errors = {**(exam or {}), "bearing_down": True}
    plan = plan_of(intake(symptoms=symptoms, exam=exam_with_errors))
    # (An exam with only bearing down recorded keeps an unknown tone profile unknown.)
    relax_first = bool({code.removeprefix("hold.") for code in hold_codes} & RELAX_FIRST)
    for code in (CUEING, BIOFEEDBACK):
        entry = item(plan, code)
        assert entry["phase"] == (2 if relax_first else 1), code
        if relax_first:
            assert entry["hold_reason"]
            assert "Bears down" not in entry["hold_reason"]
        else:
            assert "hold_reason" not in entry
    # Bearing down always holds PFMT.
    assert item(plan, PFMT)["phase"] == 2
    assert "Bears down" in item(plan, PFMT)["hold_reason"]


@pytest.mark.parametrize(
    "data",
    [
        intake(symptoms={**STRESS, "pelvic_pain": True}),
        intake(symptoms={**STRESS, "painful_penetration": True}),
        intake(symptoms={**STRESS, "constant_tension": True}),
        intake(symptoms={**STRESS, "straining_to_defecate": True}),
        intake(symptoms={**STRESS, "constipation": True, "straining_to_defecate": True}),
    ],
)
def test_unexamined_floor_with_pain_or_straining_is_said_in_reasons_and_notices(
    data: dict[str, Any],
) -> None:
    # Reference §2: with no examination, pain findings and the other tight-floor signs hold
    # strengthening; the builder says so in reasons, notices and the hold_reason.
    plan = plan_of(data)
    assert plan["classification"]["tone_profile"] == "unknown"
    assert any(
        "no strengthening in phase 1" in r.lower() for r in plan["classification"]["reasons"]
    )
    assert any("no strengthening in phase 1" in n.lower() for n in plan["notices"])
    assert "Not examined yet" in item(plan, PFMT)["hold_reason"]


@pytest.mark.parametrize(
    ("symptom", "name"),
    [("voiding_difficulty", "voiding difficulty"), ("incomplete_emptying", "incomplete emptying")],
)
def test_unexamined_floor_with_emptying_signs_is_said_in_reasons_and_notices(
    symptom: str, name: str
) -> None:
    plan = plan_of(intake(symptoms={**STRESS, symptom: True}))
    assert plan["classification"]["tone_profile"] == "unknown"
    assert name in item(plan, PFMT)["hold_reason"]
    reasons = [r.lower() for r in plan["classification"]["reasons"]]
    notices = [n.lower() for n in plan["notices"]]
    assert any(name in r and "strengthening" in r for r in reasons)
    assert any(name in n and "strengthening" in n for n in notices)


def test_no_oxford_grade_notice() -> None:
    # Reference §3 rule 2 (NICE NG123: a digital assessment confirms a correct contraction).
    plan = plan_of(intake(symptoms=STRESS, exam=NO_OXFORD_FLOOR))
    assert any("No contraction has been assessed" in notice for notice in plan["notices"])


@pytest.mark.parametrize(
    "data",
    [
        intake(symptoms=MIXED, exam=OVERACTIVE_FLOOR, red_flags=["pelvic_mass"]),
        intake(symptoms={**URGENCY, "painful_orgasm": True}),
        intake(symptoms=MIXED, exam={**RELAXING_FLOOR, "oxford_grade": 0}),
        intake(symptoms=STRESS, history={"pfmt_months_tried": 6}),
    ],
)
def test_every_phase_2_item_has_its_own_hold_reason(data: dict[str, Any]) -> None:
    # Reference §3 rule 2: every phase-2 item carries its own hold_reason; careplan-v1:
    # absent or null in phase 1.
    plan = plan_of(data)
    assert any(entry["phase"] == 2 for entry in plan["items"])
    for entry in plan["items"]:
        if entry["phase"] == 2:
            assert entry["hold_reason"].strip()
        else:
            assert entry.get("hold_reason") is None


# --- The check of an edited plan, with its intake (rule 5) -----------------------------------


@pytest.mark.parametrize(
    ("symptoms", "exam", "hold_codes", "words"),
    [case[1:] for case in HOLD_CASES],
    ids=[case[0] for case in HOLD_CASES],
)
def test_moving_a_held_squeeze_into_phase_1_is_a_violation(
    symptoms: dict[str, Any], exam: dict[str, Any] | None, hold_codes: set[str], words: str
) -> None:
    # Reference §3 rules 2 and 5: the safety check runs on the plan with its intake.
    data = data_of(symptoms, exam)
    plan = plan_of(data)
    assert safety_violations(plan, intake=data) == []
    for code in (PFMT, KNACK):
        edited = copy.deepcopy(plan)
        item(edited, code)["phase"] = 1
        problems = safety_violations(edited, intake=data)
        assert any(code in problem and "rule 2" in problem for problem in problems), code


@pytest.mark.parametrize("code", [CUEING, BIOFEEDBACK])
def test_moving_cueing_or_biofeedback_into_phase_1_before_the_floor_relaxes_is_a_violation(
    code: str,
) -> None:
    data = intake(symptoms=STRESS, exam={**OVERACTIVE_FLOOR, "bearing_down": True})
    plan = plan_of(data)
    item(plan, code)["phase"] = 1
    assert any(code in problem for problem in safety_violations(plan, intake=data))


def test_removing_down_training_for_an_unexamined_floor_with_tight_signs_is_a_violation() -> None:
    # Reference §3 rule 5 (removal of a safety item) with §4 (down-training row).
    data = intake(symptoms={**STRESS, "voiding_difficulty": True})
    plan = plan_of(data)
    assert DOWN_TRAINING in codes(plan)
    plan["items"] = [entry for entry in plan["items"] if entry["code"] != DOWN_TRAINING]
    assert any("down-training" in problem for problem in safety_violations(plan, intake=data))
