"""Safety rule 1: red flags first, at the urgency the finding demands (reference §3 rule 1),
and rule 4: an urgent referral never replaces the safe first steps."""

from __future__ import annotations

import pytest

from tests.careplans.rules.helpers import (
    BREATHING,
    PELVIC_FLOOR_EDUCATION,
    PFMT,
    RELAXING_FLOOR,
    STRESS,
    URGENT,
    WARNING_SIGNS,
    codes,
    intake,
    item,
    plan_of,
)

EMERGENCY_TITLE = "Go to an emergency department now"
URGENT_TITLE = "See your GP (family doctor) within the next few days"
SOON_TITLE = "See your GP (family doctor) within the next two weeks"
TITLES = {"emergency": EMERGENCY_TITLE, "urgent": URGENT_TITLE, "soon": SOON_TITLE}


@pytest.mark.parametrize(
    ("flags", "age", "tier"),
    [
        # emergency: cauda equina signs and sudden severe pelvic pain, at any age.
        (["saddle_anaesthesia"], 30, "emergency"),
        (["new_bowel_or_bladder_loss_with_back_pain"], 30, "emergency"),
        (["new_leg_weakness_or_numbness"], 30, "emergency"),
        (["sudden_severe_pelvic_pain"], 30, "emergency"),
        # urgent: visible haematuria at 45 or over (NICE NG12), below it "soon".
        (["visible_haematuria"], 45, "urgent"),
        (["visible_haematuria"], 44, "soon"),
        # urgent: non-visible haematuria at 50 or over (NICE NG123), below it "soon".
        (["non_visible_haematuria"], 50, "urgent"),
        (["non_visible_haematuria"], 49, "soon"),
        # urgent: recurrent UTI together with haematuria at 40 or over (NICE NG123).
        (["recurrent_uti", "visible_haematuria"], 40, "urgent"),
        (["recurrent_uti", "non_visible_haematuria"], 40, "urgent"),
        (["recurrent_uti", "visible_haematuria"], 39, "soon"),
        (["recurrent_uti"], 70, "soon"),
        # urgent whatever the age.
        (["pelvic_mass"], 20, "urgent"),
        (["unexplained_weight_loss"], 20, "urgent"),
        (["persistent_bloating"], 20, "urgent"),
        (["suspected_fistula"], 20, "urgent"),
        (["palpable_bladder_after_voiding"], 20, "urgent"),
        # soon: every other red flag.
        (["dysuria"], 80, "soon"),
        # the plan's tier is the highest present.
        (["dysuria", "pelvic_mass"], 30, "urgent"),
        (["dysuria", "pelvic_mass", "saddle_anaesthesia"], 30, "emergency"),
        (["visible_haematuria", "sudden_severe_pelvic_pain"], 60, "emergency"),
    ],
)
def test_referral_urgency_is_the_highest_tier_and_sets_the_title(
    flags: list[str], age: int, tier: str
) -> None:
    # Reference §3 rule 1 (tier table); contract: referral_urgency is the highest tier.
    plan = plan_of(intake(age=age, symptoms=STRESS, exam=RELAXING_FLOOR, red_flags=flags))
    assert plan["referral_urgency"] == tier
    assert plan["urgent_referral"] is True
    urgent = item(plan, URGENT)
    assert urgent["title"] == TITLES[tier]
    assert urgent["phase"] == 1
    assert urgent["category"] == "urgent_referral"


def test_no_red_flag_no_referral_urgency() -> None:
    # Contract: referral_urgency is null without a red flag.
    plan = plan_of(intake(symptoms=STRESS, exam=RELAXING_FLOOR, red_flags=[]))
    assert plan["referral_urgency"] is None
    assert plan["urgent_referral"] is False
    assert URGENT not in codes(plan)


@pytest.mark.parametrize(
    "flags",
    [["visible_haematuria"], ["dysuria"], ["saddle_anaesthesia"], ["pelvic_mass", "dysuria"]],
)
def test_urgent_item_first_then_breathing(flags: list[str]) -> None:
    # Reference §3 rules 1 and 3; contract "Order".
    plan = plan_of(intake(age=60, symptoms=STRESS, exam=RELAXING_FLOOR, red_flags=flags))
    assert codes(plan)[:2] == [URGENT, BREATHING]


@pytest.mark.parametrize(
    "flag",
    [
        "saddle_anaesthesia",
        "new_bowel_or_bladder_loss_with_back_pain",
        "new_leg_weakness_or_numbness",
    ],
)
def test_cauda_equina_flags_name_the_suspected_condition(flag: str) -> None:
    # Reference §3 rule 1: the emergency tier names cauda equina syndrome for the first three.
    urgent = item(plan_of(intake(red_flags=[flag])), URGENT)
    assert urgent["title"] == EMERGENCY_TITLE
    assert "cauda equina" in urgent["rationale"].lower()


def test_sudden_severe_pelvic_pain_is_an_emergency_but_not_cauda_equina() -> None:
    # Reference §3 rule 1: cauda equina is named for the first three flags only.
    urgent = item(plan_of(intake(red_flags=["sudden_severe_pelvic_pain"])), URGENT)
    assert urgent["title"] == EMERGENCY_TITLE
    assert "cauda equina" not in urgent["rationale"].lower()
    assert "sudden severe pelvic pain" in urgent["rationale"].lower()


def test_emergency_item_never_suggests_waiting() -> None:
    # Reference §3 rule 1: at the emergency tier nothing on the plan may suggest waiting.
    plan = plan_of(intake(red_flags=["saddle_anaesthesia"]))
    urgent = item(plan, URGENT)
    text = (urgent["title"] + " " + urgent["rationale"]).lower()
    assert "today" not in text
    assert "may be" not in text
    assert "meanwhile" not in text
    assert "within" not in text
    assert any("emergency department" in notice for notice in plan["notices"])


def test_emergency_tier_keeps_the_items_phases_in_the_json() -> None:
    # Reference §3 rule 4: at the emergency tier the printed plan says the exercises wait;
    # in the care-plan JSON the items keep their phases.
    flagged = plan_of(
        intake(symptoms=STRESS, exam=RELAXING_FLOOR, red_flags=["saddle_anaesthesia"])
    )
    plain = plan_of(intake(symptoms=STRESS, exam=RELAXING_FLOOR))
    phases = {
        entry["code"]: entry["phase"] for entry in flagged["items"] if entry["code"] != URGENT
    }
    assert phases == {entry["code"]: entry["phase"] for entry in plain["items"]}
    assert item(flagged, PFMT)["phase"] == 1


@pytest.mark.parametrize(
    ("flags", "age"), [(["visible_haematuria"], 60), (["dysuria"], 30), (["recurrent_uti"], 30)]
)
def test_urgent_and_soon_tiers_list_the_safe_first_steps_meanwhile(
    flags: list[str], age: int
) -> None:
    # Reference §3 rule 4: referral never replaces the safe first steps.
    plan = plan_of(intake(age=age, symptoms=STRESS, exam=RELAXING_FLOOR, red_flags=flags))
    assert "meanwhile" in item(plan, URGENT)["rationale"]
    assert {BREATHING, PFMT, PELVIC_FLOOR_EDUCATION, WARNING_SIGNS} <= set(codes(plan))
    assert item(plan, PFMT)["phase"] == 1


def test_urgent_tier_states_the_patients_age() -> None:
    # Reference §3 rule 1: the urgent tier states the patient's age (suspected-cancer pathway).
    urgent = item(plan_of(intake(age=67, red_flags=["visible_haematuria"])), URGENT)
    assert "67" in urgent["rationale"]
    assert "NG12" in urgent["rationale"]


def test_soon_tier_says_two_weeks() -> None:
    # Reference §3 rule 1: "See your GP within the next two weeks."
    urgent = item(plan_of(intake(age=30, red_flags=["dysuria"])), URGENT)
    assert "two weeks" in urgent["title"]
    assert "two weeks" in urgent["rationale"]


def test_urgent_item_names_each_flag_with_its_tier() -> None:
    # Reference §3 rule 1: each flag is named, never only "some signs".
    urgent = item(plan_of(intake(age=30, red_flags=["dysuria", "pelvic_mass"])), URGENT)
    assert "dysuria (soon)" in urgent["rationale"]
    assert "pelvic mass (urgent)" in urgent["rationale"]


def test_red_flags_are_listed_in_the_contract_order() -> None:
    # Contract: red_flags lists the codes found, in a stable order.
    plan = plan_of(intake(red_flags=["pelvic_mass", "visible_haematuria"]))
    assert plan["red_flags"] == ["visible_haematuria", "pelvic_mass"]
