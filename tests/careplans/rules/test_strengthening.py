"""Strengthening (reference §4): supervised PFMT for stress or mixed leaks, phase 1 only
without a hold reason (§3 rule 2), with the full release (§3 rule 3); men after
prostatectomy; PFMT for a prolapse bulge."""

from __future__ import annotations

import pytest

from tests.careplans.rules.helpers import (
    MIXED,
    OVERACTIVE_FLOOR,
    PFMT,
    RELAXING_FLOOR,
    STRESS,
    URGENCY,
    codes,
    intake,
    item,
    plan_of,
)


@pytest.mark.parametrize("symptoms", [STRESS, MIXED, {**MIXED, "most_bothersome": "urgency"}])
def test_pfmt_for_stress_or_mixed_leaks_in_phase_1_without_a_hold_reason(symptoms: dict) -> None:
    # Reference §4: supervised PFMT for stress or mixed (NICE NG123); phase 1 only without
    # a hold reason.
    pfmt = item(plan_of(intake(symptoms=symptoms, exam=RELAXING_FLOOR)), PFMT)
    assert pfmt["phase"] == 1
    assert pfmt["category"] == "strengthening"
    assert "hold_reason" not in pfmt
    assert "NICE NG123" in pfmt["source"] and "PERFECT" in pfmt["source"]


def test_no_pfmt_for_urgency_alone() -> None:
    # Reference §4: PFMT is for stress or mixed leaks.
    assert PFMT not in codes(plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR)))


def test_pfmt_dose_is_nice_minimum_with_perfect() -> None:
    # Reference §4: at least 8 contractions, 3 times a day, at least 3 months; contractions
    # = max(8, PERFECT repetitions); hold = own endurance (1-10 s); fast up to own count.
    exam = {**RELAXING_FLOOR, "endurance_s": 6, "repetitions": 9, "fast_contractions": 7}
    pfmt = item(plan_of(intake(symptoms=STRESS, exam=exam)), PFMT)
    assert pfmt["dosing"] == {
        "contractions": 9,
        "hold_s": 6,
        "rest_s": 6,
        "sets_per_day": 3,
        "fast_contractions": 7,
        "weeks": 12,
    }
    for words in ("lying", "sitting", "standing", "daily tasks", "maintenance", "10 s × 10"):
        assert words in pfmt["rationale"]


def test_pfmt_teaches_the_full_release_after_each_contraction() -> None:
    # Reference §3 rule 3: every strengthening item teaches the full release.
    pfmt = item(plan_of(intake(symptoms=STRESS, exam=RELAXING_FLOOR)), PFMT)
    assert pfmt["dosing"]["rest_s"] >= pfmt["dosing"]["hold_s"] >= 1
    assert "let go fully" in pfmt["title"]
    assert "let go fully" in pfmt["rationale"]


@pytest.mark.parametrize("weeks_ago", [0, 2, 4])
def test_prostatectomy_gets_pfmt_from_straight_after_surgery(weeks_ago: int) -> None:
    # Reference §4: men after prostatectomy, PFMT immediately after surgery (AUA/GURS/SUFU).
    data = intake(
        anatomy="penis",
        symptoms=STRESS,
        exam=RELAXING_FLOOR,
        history={"prostatectomy": True, "prostatectomy_weeks_ago": weeks_ago},
    )
    pfmt = item(plan_of(data), PFMT)
    assert pfmt["phase"] == 1
    assert "AUA/GURS/SUFU" in pfmt["source"]
    assert "straight after surgery" in pfmt["rationale"]
    assert pfmt["dosing"]["weeks"] >= 12


def test_prostatectomy_pfmt_still_follows_safety_rule_2() -> None:
    # Reference §3 rule 2: the holds apply "whatever else the examination shows".
    data = intake(
        anatomy="penis",
        symptoms=STRESS,
        exam=OVERACTIVE_FLOOR,
        history={"prostatectomy": True, "prostatectomy_weeks_ago": 2},
    )
    pfmt = item(plan_of(data), PFMT)
    assert pfmt["phase"] == 2
    assert pfmt["hold_reason"]


def test_prolapse_bulge_gets_16_weeks_of_pfmt() -> None:
    # Reference §4: prolapse, PFMT ≥ 4 months for mild prolapse (NICE NG123 / NG210).
    pfmt = item(plan_of(intake(symptoms={"prolapse_bulge": True}, exam=RELAXING_FLOOR)), PFMT)
    assert pfmt["dosing"]["weeks"] >= 16
    assert "NG210" in pfmt["source"]
