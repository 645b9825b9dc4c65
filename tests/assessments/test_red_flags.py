"""Red-flag tiers (clinical reference, section 3 rule 1): pure, no database."""

import subprocess
import sys
from pathlib import Path

import pytest

from assessments.findings import RED_FLAGS
from assessments.red_flags import (
    EMERGENCY,
    SOON,
    URGENT,
    flag_tiers,
    referral_urgency,
    suspected_cauda_equina,
)

CAUDA_EQUINA = [
    "saddle_anaesthesia",
    "new_bowel_or_bladder_loss_with_back_pain",
    "new_leg_weakness_or_numbness",
]
URGENT_AT_ANY_AGE = [
    "pelvic_mass",
    "unexplained_weight_loss",
    "persistent_bloating",
    "suspected_fistula",
    "palpable_bladder_after_voiding",
]


@pytest.mark.parametrize("flag", [*CAUDA_EQUINA, "sudden_severe_pelvic_pain"])
@pytest.mark.parametrize("age", [18, 80])
def test_each_emergency_flag_is_an_emergency_at_any_age(flag: str, age: int) -> None:
    assert referral_urgency([flag], age) == EMERGENCY


@pytest.mark.parametrize("flag", CAUDA_EQUINA)
def test_the_three_cauda_equina_flags_name_cauda_equina(flag: str) -> None:
    assert suspected_cauda_equina([flag, "dysuria"])


def test_sudden_pelvic_pain_is_an_emergency_but_not_cauda_equina() -> None:
    assert referral_urgency(["sudden_severe_pelvic_pain"], 50) == EMERGENCY
    assert not suspected_cauda_equina(["sudden_severe_pelvic_pain"])


@pytest.mark.parametrize("flag", URGENT_AT_ANY_AGE)
@pytest.mark.parametrize("age", [18, 80])
def test_each_urgent_flag_is_urgent_at_any_age(flag: str, age: int) -> None:
    assert referral_urgency([flag], age) == URGENT


@pytest.mark.parametrize(
    ("flag", "cancer_pathway"),
    [
        ("pelvic_mass", True),
        ("unexplained_weight_loss", True),
        ("persistent_bloating", True),
        ("suspected_fistula", False),  # an urgent specialist opinion
        ("palpable_bladder_after_voiding", False),  # retention: a specialist opinion
    ],
)
def test_urgent_flags_say_whether_they_are_a_cancer_criterion(
    flag: str, cancer_pathway: bool
) -> None:
    (tier,) = flag_tiers([flag], 60)
    assert (tier.tier, tier.cancer_pathway) == (URGENT, cancer_pathway)


@pytest.mark.parametrize(
    ("flags", "age", "expected"),
    [
        # NICE NG12: visible haematuria at 45 and over.
        (["visible_haematuria"], 44, SOON),
        (["visible_haematuria"], 45, URGENT),
        # NICE NG123: non-visible haematuria at 50 and over.
        (["non_visible_haematuria"], 49, SOON),
        (["non_visible_haematuria"], 50, URGENT),
    ],
)
def test_haematuria_is_urgent_from_its_threshold_age(
    flags: list[str], age: int, expected: str
) -> None:
    assert referral_urgency(flags, age) == expected


@pytest.mark.parametrize("haematuria", ["visible_haematuria", "non_visible_haematuria"])
def test_recurrent_uti_with_haematuria_is_urgent_from_40(haematuria: str) -> None:
    # NICE NG123: recurrent or persisting UTI with haematuria at 40 and over.
    def uti_tier(age: int) -> str:
        tiers = {t.flag: t.tier for t in flag_tiers(["recurrent_uti", haematuria], age)}
        return tiers["recurrent_uti"]

    assert uti_tier(39) == SOON
    assert uti_tier(40) == URGENT
    assert referral_urgency(["recurrent_uti", "non_visible_haematuria"], 40) == URGENT
    assert referral_urgency(["recurrent_uti", "non_visible_haematuria"], 39) == SOON


@pytest.mark.parametrize("age", [39, 40, 75])
def test_recurrent_uti_without_haematuria_is_soon(age: int) -> None:
    assert referral_urgency(["recurrent_uti"], age) == SOON


@pytest.mark.parametrize("age", [20, 90])
def test_dysuria_is_soon(age: int) -> None:
    assert referral_urgency(["dysuria"], age) == SOON


def test_the_highest_tier_wins() -> None:
    assert referral_urgency(["dysuria", "pelvic_mass"], 30) == URGENT
    assert referral_urgency(["dysuria", "pelvic_mass", "saddle_anaesthesia"], 30) == EMERGENCY
    assert referral_urgency(["visible_haematuria", "sudden_severe_pelvic_pain"], 30) == EMERGENCY
    assert referral_urgency(["visible_haematuria", "dysuria"], 44) == SOON


def test_each_flag_keeps_its_own_tier_in_order() -> None:
    tiers = flag_tiers(["dysuria", "visible_haematuria", "saddle_anaesthesia"], 60)
    assert [(t.flag, t.tier) for t in tiers] == [
        ("dysuria", SOON),
        ("visible_haematuria", URGENT),
        ("saddle_anaesthesia", EMERGENCY),
    ]


def test_an_unknown_age_never_lowers_a_haematuria_flag() -> None:
    assert referral_urgency(["visible_haematuria"], None) == URGENT
    assert referral_urgency(["non_visible_haematuria"], None) == URGENT


@pytest.mark.parametrize("flags", [[], ()])
def test_no_flags_no_urgency(flags) -> None:
    assert referral_urgency(flags, 60) is None
    assert not suspected_cauda_equina(flags)


def test_every_intake_flag_has_a_tier() -> None:
    for flag in RED_FLAGS:
        assert referral_urgency([flag], 60) in (EMERGENCY, URGENT, SOON), flag


def test_red_flags_imports_no_django() -> None:
    # style.md: clinical logic is pure Python, no Django imports.
    code = "import sys, assessments.red_flags; sys.exit('django' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
