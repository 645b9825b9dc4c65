"""Education (reference §4): how the pelvic floor works, sex and pelvic pain, returning to
impact after birth, recovery after prostate surgery, the warning signs."""

from __future__ import annotations

from typing import Any

import pytest

from careplans.rules import PlanSettings
from tests.careplans.rules.helpers import (
    BREATHING,
    OVERACTIVE_FLOOR,
    PELVIC_FLOOR_EDUCATION,
    PROSTATECTOMY_RECOVERY,
    RELAXING_FLOOR,
    RETURN_TO_IMPACT,
    SEXUAL_HEALTH,
    STRESS,
    WARNING_SIGNS,
    codes,
    intake,
    item,
    plan_of,
)


def test_a_plan_with_no_findings_has_breathing_and_the_two_education_items() -> None:
    # Reference §4: breathing, how the pelvic floor works and warning signs are "always".
    plan = plan_of(intake())
    assert codes(plan) == [BREATHING, PELVIC_FLOOR_EDUCATION, WARNING_SIGNS]
    assert all(entry["phase"] == 1 for entry in plan["items"])


@pytest.mark.parametrize(
    "data",
    [
        intake(),
        intake(symptoms=STRESS, exam=RELAXING_FLOOR),
        intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR, red_flags=["saddle_anaesthesia"]),
    ],
)
def test_pelvic_floor_and_warning_signs_are_always_in_phase_1(data: dict[str, Any]) -> None:
    plan = plan_of(data, settings=PlanSettings(phase_one_limit=0))
    for code in (PELVIC_FLOOR_EDUCATION, WARNING_SIGNS):
        entry = item(plan, code)
        assert entry["phase"] == 1
        assert entry["category"] == "education"


def test_pelvic_floor_education_says_tighter_is_not_better_and_what_to_expect() -> None:
    # Reference §4: tighter is not better; tense and weak at once; change after 6 to 12
    # weeks, keep going at least 3 months.
    education = item(plan_of(intake()), PELVIC_FLOOR_EDUCATION)
    assert "tighter is not better" in education["title"].lower()
    for words in ("tense and weak", "relax fully", "6 to 12 weeks", "3 months"):
        assert words in education["rationale"]


def test_warning_signs_in_three_tiers() -> None:
    # Reference §4: emergency department now; GP within days; contact your therapist.
    rationale = item(plan_of(intake()), WARNING_SIGNS)["rationale"]
    for words in (
        "three tiers",
        "emergency department now",
        "numbness",
        "loss of bladder or bowel control",
        "retention",
        "leg weakness",
        "GP within days",
        "haematuria",
        "fever",
        "weight loss",
        "therapist",
    ):
        assert words in rationale


@pytest.mark.parametrize("symptom", ["painful_penetration", "painful_orgasm"])
def test_sexual_health_for_painful_penetration_or_orgasm(symptom: str) -> None:
    # Reference §4: sex and pelvic pain (seed articles).
    entry = item(plan_of(intake(symptoms={symptom: True})), SEXUAL_HEALTH)
    assert entry["category"] == "education"
    assert entry["phase"] == 1
    assert "pain is a signal" in entry["rationale"]
    assert "lubricant" in entry["rationale"]
    assert "psychosexual support" in entry["rationale"]


@pytest.mark.parametrize(
    "symptoms", [{"pelvic_pain": True}, {"constant_tension": True}, {"painful_penetration": False}]
)
def test_no_sexual_health_for_other_pain(symptoms: dict[str, Any]) -> None:
    assert SEXUAL_HEALTH not in codes(plan_of(intake(symptoms=symptoms)))


@pytest.mark.parametrize(
    "hormonal", [{"status": "postpartum"}, {"status": "postpartum", "weeks_postpartum": 6}]
)
def test_return_to_impact_when_postpartum(hormonal: dict[str, Any]) -> None:
    # Reference §4: no running, jumping or high impact before 12 weeks after birth, then only
    # without leaks, heaviness, pain or bulge (Goom, Donnelly & Brockwell 2019).
    entry = item(plan_of(intake(hormonal=hormonal)), RETURN_TO_IMPACT)
    assert entry["category"] == "education"
    assert "12 weeks" in entry["rationale"]
    for words in ("leaks", "heaviness", "pain", "bulge", "gradually"):
        assert words in entry["rationale"]
    assert "Goom" in entry["source"]


@pytest.mark.parametrize("status", ["pregnant", "premenopausal", "postmenopausal"])
def test_no_return_to_impact_unless_postpartum(status: str) -> None:
    assert RETURN_TO_IMPACT not in codes(plan_of(intake(hormonal={"status": status})))


@pytest.mark.parametrize("weeks_ago", [None, 0, 2, 30])
def test_prostatectomy_recovery_is_printed_from_the_first_plan(weeks_ago: int | None) -> None:
    # Reference §4: what recovery usually looks like, pads meanwhile, the urologist if not
    # improving by 6 months -- printed from the first plan, not only once 6 months have
    # passed (AUA/GURS/SUFU).
    history: dict[str, Any] = {"prostatectomy": True}
    if weeks_ago is not None:
        history["prostatectomy_weeks_ago"] = weeks_ago
    data = intake(anatomy="penis", symptoms=STRESS, exam=RELAXING_FLOOR, history=history)
    entry = item(plan_of(data), PROSTATECTOMY_RECOVERY)
    assert entry["category"] == "education"
    assert entry["phase"] == 1
    for words in ("first months", "pads", "6 months", "surgery", "1 year"):
        assert words in entry["rationale"]
    assert "AUA/GURS/SUFU" in entry["source"]


def test_no_prostatectomy_recovery_without_a_prostatectomy() -> None:
    data = intake(anatomy="penis", symptoms=STRESS, history={"prostatectomy": False})
    assert PROSTATECTOMY_RECOVERY not in codes(plan_of(data))
