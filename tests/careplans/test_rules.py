"""The care-plan builder, one test per clinical rule.

Each test cites the rule it checks: "reference" is /work/shared/clinical-reference.md
(section 3 = safety rules, section 4 = the interventions table), "contract" is
careplan-v1.md. Pure Python: no database, no Django.
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils.translation import gettext

from careplans.rules import (
    CATEGORIES,
    RULES,
    SAFETY_CODES,
    DiaryFindings,
    PlanSettings,
    build_plan,
    diary_findings,
    safety_violations,
)
from clinic import i18n

# The worked example of contract pelvic-intake/1 (contracts/examples/intake-example.json),
# as published with careplan-v1.
EXAMPLE_INTAKE: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "assessments" / "data" / "intake-example.json").read_text()
)

# A two-day diary (diary-v1 columns).
DIARY_CSV = """time,event,volume_ml,urgency,note
2026-03-02T06:45,rise,,,
2026-03-02T06:50,void,380,1,
2026-03-02T07:10,drink,250,,coffee
2026-03-02T08:20,void,210,3,
2026-03-02T09:50,void,180,2,
2026-03-02T11:35,void,200,3,
2026-03-02T22:30,bed,,,
2026-03-03T03:10,void,300,2,
2026-03-03T06:40,rise,,,
2026-03-03T06:45,void,350,1,
2026-03-03T08:15,void,220,3,
2026-03-03T22:45,bed,,,
2026-03-04T06:30,rise,,,
2026-03-04T06:35,void,400,1,
"""


def example_intake() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE_INTAKE)


def intake(**sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": "pelvic-intake/1",
        "patient": {"anatomy": "vulva", "age": 45},
    }
    for name, value in sections.items():
        if name in ("anatomy", "age", "weight_kg"):
            data["patient"][name] = value
        else:
            data[name] = value
    return data


STRESS = {"stress_leak_triggers": ["cough", "lift"], "urgency": False}
URGENCY = {"stress_leak_triggers": [], "urgency": True, "urge_leaks": True}
MIXED = {"stress_leak_triggers": ["sneeze"], "urgency": True}
RELAXING_FLOOR = {
    "consent_recorded": True,
    "internal_exam": True,
    "tone": "normal",
    "oxford_grade": 3,
    "relaxation": "complete",
}
OVERACTIVE_FLOOR = {
    "consent_recorded": True,
    "internal_exam": True,
    "tone": "increased",
    "oxford_grade": 4,
    "relaxation": "partial",
}
TENSE_AND_WEAK_FLOOR = {
    "consent_recorded": True,
    "internal_exam": True,
    "tone": "increased",
    "oxford_grade": 2,
    "relaxation": "delayed",
}


def codes(plan: dict[str, Any]) -> list[str]:
    return [item["code"] for item in plan["items"]]


def item(plan: dict[str, Any], code: str) -> dict[str, Any]:
    found = [i for i in plan["items"] if i["code"] == code]
    assert found, f"{code} not in {codes(plan)}"
    return found[0]


def phase_1_strengthening(plan: dict[str, Any]) -> list[str]:
    return [
        i["code"] for i in plan["items"] if i["category"] == "strengthening" and i["phase"] == 1
    ]


def diary(**metrics: Any) -> DiaryFindings:
    interval = metrics.pop("interval", None)
    return DiaryFindings(metrics=metrics, mean_daytime_interval_min=interval)


# --- Safety rule 1: red flags first ------------------------------------------------------


def test_red_flags_put_urgent_referral_first() -> None:
    # Reference §3 rule 1; NICE NG12 (visible haematuria at ≥ 45: urgent tier, GP within
    # days, the patient's age stated).
    plan = build_plan(intake(symptoms=STRESS, red_flags=["visible_haematuria"]))
    assert plan["urgent_referral"] is True
    assert plan["referral_urgency"] == "urgent"
    assert plan["red_flags"] == ["visible_haematuria"]
    first = plan["items"][0]
    assert first["code"] == "urgent_referral.red_flags"
    assert first["category"] == "urgent_referral"
    assert first["phase"] == 1
    assert first["title"] == "See your GP (family doctor) within the next few days"
    assert "visible haematuria (urgent)" in first["rationale"]
    assert "age 45" in first["rationale"]
    assert plan["items"][1]["code"] == "relaxation.diaphragmatic_breathing"


def test_red_flags_with_simple_findings_still_list_safe_first_steps() -> None:
    # Reference §3 rule 4: referral never replaces the safe first steps.
    plan = build_plan(
        intake(symptoms=STRESS, exam=RELAXING_FLOOR, red_flags=["recurrent_uti", "dysuria"])
    )
    assert codes(plan)[:2] == ["urgent_referral.red_flags", "relaxation.diaphragmatic_breathing"]
    assert {"strengthening.pfmt", "education.pelvic_floor", "education.warning_signs"} <= set(
        codes(plan)
    )
    assert item(plan, "strengthening.pfmt")["phase"] == 1
    assert "meanwhile" in item(plan, "urgent_referral.red_flags")["rationale"]


def test_red_flags_are_listed_in_the_contract_order() -> None:
    # Contract: red_flags lists the codes found; a fixed order keeps the output stable.
    plan = build_plan(intake(red_flags=["pelvic_mass", "visible_haematuria"]))
    assert plan["red_flags"] == ["visible_haematuria", "pelvic_mass"]


def test_cauda_equina_red_flags_send_to_an_emergency_department_now() -> None:
    # Reference §3 rule 1: emergency tier (cauda equina guidance: immediate emergency
    # referral); nothing on the plan may suggest waiting.
    plan = build_plan(intake(red_flags=["saddle_anaesthesia"]))
    assert plan["referral_urgency"] == "emergency"
    urgent = item(plan, "urgent_referral.red_flags")
    assert urgent["title"] == "Go to an emergency department now"
    assert "cauda equina" in urgent["rationale"]
    assert "today" not in urgent["rationale"].lower()


def test_no_red_flags_no_urgent_referral() -> None:
    # Contract: urgent_referral is true only when a red flag is present.
    plan = build_plan(intake(symptoms=STRESS, red_flags=[]))
    assert plan["urgent_referral"] is False
    assert plan["referral_urgency"] is None
    assert plan["red_flags"] == []
    assert "urgent_referral.red_flags" not in codes(plan)


# --- Safety rule 3: breath before brute force --------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        intake(),
        intake(symptoms=STRESS, exam=RELAXING_FLOOR),
        intake(symptoms=MIXED, exam=TENSE_AND_WEAK_FLOOR),
        intake(symptoms={"pelvic_pain": True}),
    ],
)
def test_plan_always_starts_with_breathing(data: dict[str, Any]) -> None:
    # Reference §3 rule 3 and §4 (diaphragmatic breathing: always); contract "Order".
    plan = build_plan(data)
    assert plan["items"][0]["code"] == "relaxation.diaphragmatic_breathing"
    assert plan["items"][0]["phase"] == 1


def test_breathing_is_five_minutes_twice_a_day() -> None:
    # Reference §4: diaphragmatic breathing, 5 minutes twice a day (seed articles).
    breathing = item(build_plan(intake()), "relaxation.diaphragmatic_breathing")
    assert breathing["dosing"] == {"minutes": 5, "times_per_day": 2}
    assert "diaphragm" in breathing["rationale"]


def test_every_strengthening_item_teaches_full_release() -> None:
    # Reference §3 rule 3: every strengthening item teaches the full release.
    plan = build_plan(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, "endurance_s": 6}))
    for entry in plan["items"]:
        if entry["category"] == "strengthening":
            assert entry["dosing"]["rest_s"] >= entry["dosing"]["hold_s"] >= 1
            assert "let go fully" in entry["title"]
            assert "let go fully" in entry["rationale"]


# --- Safety rule 2: no strengthening first for an overactive floor -----------------------


def test_overactive_floor_gets_no_strengthening_in_phase_1() -> None:
    # Reference §3 rule 2 (seed articles; AUA IC/BPS guideline).
    plan = build_plan(intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR))
    assert plan["classification"]["tone_profile"] == "overactive"
    assert phase_1_strengthening(plan) == []


def test_stress_leaks_with_overactive_floor_start_with_release() -> None:
    # Reference §1 and §3 rule 2: the same leak, opposite treatment; relax first.
    plan = build_plan(intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR))
    assert item(plan, "relaxation.down_training")["phase"] == 1
    pfmt = item(plan, "strengthening.pfmt")
    assert pfmt["phase"] == 2
    assert pfmt["hold_reason"].startswith("Overactive pelvic floor")
    assert "relax fully" in pfmt["hold_reason"]
    knack = item(plan, "coordination.knack")
    assert knack["phase"] == 2
    assert knack["hold_reason"] == pfmt["hold_reason"]


def test_overactive_floor_holds_cueing_with_a_relax_first_reason() -> None:
    # Reference §3 rule 2: cueing waits for a relax-first reason, even with bearing down.
    plan = build_plan(intake(symptoms=STRESS, exam={**OVERACTIVE_FLOOR, "bearing_down": True}))
    cueing = item(plan, "coordination.cueing")
    assert cueing["phase"] == 2
    assert cueing["hold_reason"].startswith("Overactive pelvic floor")


def test_tense_and_weak_floor_relaxes_first_and_strengthens_in_phase_2() -> None:
    # Reference §1 (tense and weak: relaxation first, strengthening later) and §3 rule 2.
    plan = build_plan(intake(symptoms=STRESS, exam=TENSE_AND_WEAK_FLOOR))
    assert plan["classification"]["tone_profile"] == "tense_and_weak"
    assert phase_1_strengthening(plan) == []
    assert item(plan, "relaxation.down_training")["phase"] == 1
    assert item(plan, "strengthening.pfmt")["phase"] == 2
    assert item(plan, "strengthening.pfmt")["hold_reason"].startswith("Tense and weak")
    assert "Tense and weak" in item(plan, "relaxation.down_training")["rationale"]


def test_pain_finding_defers_strengthening_whatever_the_exam() -> None:
    # Reference §3 rule 2: "nor with any pain finding, whatever the examination shows".
    plan = build_plan(intake(symptoms={**STRESS, "pelvic_pain": True}, exam=RELAXING_FLOOR))
    assert plan["classification"]["tone_profile"] == "normal"
    assert phase_1_strengthening(plan) == []
    assert item(plan, "strengthening.pfmt")["phase"] == 2
    assert "pelvic pain" in item(plan, "relaxation.down_training")["rationale"]


def test_tenderness_on_examination_is_a_pain_finding() -> None:
    # Reference §2 (pain findings include tenderness) and §3 rule 2 (AUA IC/BPS guideline).
    plan = build_plan(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, "tenderness": True}))
    assert phase_1_strengthening(plan) == []
    assert "relaxation.down_training" in codes(plan)


def test_pain_without_examination_defers_strengthening_with_a_notice() -> None:
    # Reference §2: with no examination, pain findings are a reason not to start
    # strengthening in phase 1; the builder says so in reasons and notices.
    plan = build_plan(intake(symptoms={**STRESS, "painful_penetration": True}))
    assert plan["classification"]["tone_profile"] == "unknown"
    assert phase_1_strengthening(plan) == []
    assert item(plan, "strengthening.pfmt")["phase"] == 2
    assert any("no strengthening in phase 1" in n.lower() for n in plan["notices"])
    assert any(
        "no strengthening in phase 1" in r.lower() for r in plan["classification"]["reasons"]
    )


def test_constipation_with_straining_without_examination_defers_strengthening() -> None:
    # Reference §2 and §3 rule 2: with no examination, constipation with straining is a
    # tight-floor sign: it holds strengthening and calls for down-training (§4).
    symptoms = {**STRESS, "constipation": True, "straining_to_defecate": True}
    plan = build_plan(intake(symptoms=symptoms))
    assert phase_1_strengthening(plan) == []
    assert item(plan, "strengthening.pfmt")["phase"] == 2
    assert "Not examined yet" in item(plan, "strengthening.pfmt")["hold_reason"]
    assert item(plan, "relaxation.down_training")["phase"] == 1
    assert item(plan, "lifestyle.bowel")["phase"] == 1
    assert any("no strengthening in phase 1" in n.lower() for n in plan["notices"])
    assert safety_violations(plan, intake=intake(symptoms=symptoms)) == []


def test_straining_after_a_normal_examination_does_not_defer_strengthening() -> None:
    # Reference §2: straining defers strengthening only while the floor is unexamined.
    symptoms = {**STRESS, "constipation": True, "straining_to_defecate": True}
    plan = build_plan(intake(symptoms=symptoms, exam=RELAXING_FLOOR))
    assert phase_1_strengthening(plan) == ["strengthening.pfmt"]


def test_unexamined_floor_without_pain_holds_pfmt_until_a_contraction_is_assessed() -> None:
    # Reference §3 rule 2: no Oxford grade recorded -> PFMT waits (NICE NG123 asks for a
    # digital assessment confirming a correct contraction before supervised PFMT); the
    # Knack waits with it; no tight-floor sign, so no down-training.
    plan = build_plan(intake(symptoms=STRESS))
    pfmt = item(plan, "strengthening.pfmt")
    assert pfmt["phase"] == 2
    assert "No contraction assessed yet (no Oxford grade)" in pfmt["hold_reason"]
    assert item(plan, "coordination.knack")["hold_reason"] == pfmt["hold_reason"]
    assert "relaxation.down_training" not in codes(plan)
    assert any("No contraction has been assessed" in n for n in plan["notices"])


# --- Strengthening: PFMT and its dosing ---------------------------------------------------


def test_stress_leaks_with_a_relaxing_floor_get_pfmt_in_phase_1() -> None:
    # Reference §4: supervised PFMT for stress or mixed leaks, floor not overactive (NICE NG123).
    plan = build_plan(intake(symptoms=STRESS, exam=RELAXING_FLOOR))
    pfmt = item(plan, "strengthening.pfmt")
    assert pfmt["phase"] == 1
    assert "Stress leaks (cough, lifting)" in pfmt["rationale"]
    assert "relaxes fully" in pfmt["rationale"]
    assert "Modified Oxford 3/5" in pfmt["rationale"]
    assert "NICE NG123" in pfmt["source"] and "PERFECT" in pfmt["source"]


def test_mixed_leaks_get_pfmt_and_bladder_training() -> None:
    # Reference §4: PFMT (stress or mixed) and bladder training (urgency or mixed), NICE NG123.
    plan = build_plan(intake(symptoms=MIXED, exam=RELAXING_FLOOR))
    assert {"strengthening.pfmt", "bladder_training.schedule"} <= set(codes(plan))


def test_urgency_alone_gets_no_pfmt() -> None:
    # Reference §4: PFMT is for stress or mixed leaks; urgency gets bladder training.
    plan = build_plan(intake(symptoms=URGENCY, exam=RELAXING_FLOOR))
    assert "strengthening.pfmt" not in codes(plan)


@pytest.mark.parametrize(
    ("repetitions", "contractions"),
    [(None, 8), (0, 8), (4, 8), (8, 8), (9, 9), (10, 10), (20, 10)],
)
def test_pfmt_contractions_are_the_larger_of_8_and_perfect_repetitions_at_most_10(
    repetitions: int | None, contractions: int
) -> None:
    # Contract: contractions = max(8, PERFECT repetitions), at most 10. NICE NG123 (≥ 8);
    # Laycock & Jerwood 2001 (PERFECT).
    exam = dict(RELAXING_FLOOR)
    if repetitions is not None:
        exam["repetitions"] = repetitions
    pfmt = item(build_plan(intake(symptoms=STRESS, exam=exam)), "strengthening.pfmt")
    assert pfmt["dosing"]["contractions"] == contractions


@pytest.mark.parametrize(
    ("endurance", "hold"), [(None, 3), (0, 1), (1, 1), (4, 4), (10, 10), (11, 10), (60, 10)]
)
def test_pfmt_hold_is_perfect_endurance_within_1_to_10_s(endurance: int | None, hold: int) -> None:
    # Contract: hold_s = PERFECT endurance kept within 1..10 s, 3 s when not measured
    # (Laycock & Jerwood 2001).
    exam = dict(RELAXING_FLOOR)
    if endurance is not None:
        exam["endurance_s"] = endurance
    pfmt = item(build_plan(intake(symptoms=STRESS, exam=exam)), "strengthening.pfmt")
    assert pfmt["dosing"]["hold_s"] == hold
    assert pfmt["dosing"]["rest_s"] == hold


def test_pfmt_is_three_times_a_day_for_at_least_12_weeks() -> None:
    # NICE NG123: PFMT for at least 3 months, at least 8 contractions 3 times a day.
    pfmt = item(build_plan(intake(symptoms=STRESS, exam=RELAXING_FLOOR)), "strengthening.pfmt")
    assert pfmt["dosing"]["sets_per_day"] >= 3
    assert pfmt["dosing"]["weeks"] >= 12


@pytest.mark.parametrize(("fast", "expected"), [(None, 5), (0, 1), (6, 6), (30, 10)])
def test_pfmt_fast_contractions_follow_the_patients_count(fast: int | None, expected: int) -> None:
    # Reference §4: fast contractions up to the patient's count (PERFECT F).
    exam = dict(RELAXING_FLOOR)
    if fast is not None:
        exam["fast_contractions"] = fast
    pfmt = item(build_plan(intake(symptoms=STRESS, exam=exam)), "strengthening.pfmt")
    assert pfmt["dosing"]["fast_contractions"] == expected


def test_prostatectomy_gets_pfmt_from_straight_after_surgery() -> None:
    # AUA/GURS/SUFU incontinence after prostate treatment (2019, amended 2024).
    data = intake(
        anatomy="penis",
        symptoms=STRESS,
        exam=RELAXING_FLOOR,
        history={"prostatectomy": True, "prostatectomy_weeks_ago": 4},
    )
    pfmt = item(build_plan(data), "strengthening.pfmt")
    assert pfmt["phase"] == 1
    assert pfmt["dosing"]["weeks"] == 22  # to the 6-month review
    assert "AUA/GURS/SUFU" in pfmt["source"]
    assert "prostatectomy" in pfmt["rationale"].lower()


def test_leaks_six_months_after_prostatectomy_get_a_urology_referral() -> None:
    # AUA/GURS/SUFU: not improving by 6 months, discuss surgery; offer it at 1 year.
    data = intake(
        anatomy="penis",
        symptoms=STRESS,
        history={"prostatectomy": True, "prostatectomy_weeks_ago": 30, "pfmt_months_tried": 6},
    )
    plan = build_plan(data)
    assert "specialist_referral.post_prostatectomy" in codes(plan)
    assert "specialist_referral.sui_procedures" not in codes(plan)
    early = intake(
        anatomy="penis",
        symptoms=STRESS,
        history={"prostatectomy": True, "prostatectomy_weeks_ago": 8},
    )
    assert "specialist_referral.post_prostatectomy" not in codes(build_plan(early))


def test_stress_leaks_after_3_months_of_pfmt_get_sui_procedures_referral() -> None:
    # NICE NG123: procedures when stress leaks persist after ≥ 3 months of supervised PFMT.
    plan = build_plan(
        intake(symptoms=STRESS, exam=RELAXING_FLOOR, history={"pfmt_months_tried": 3})
    )
    assert item(plan, "specialist_referral.sui_procedures")["phase"] == 1
    fewer = build_plan(intake(symptoms=STRESS, history={"pfmt_months_tried": 2}))
    assert "specialist_referral.sui_procedures" not in codes(fewer)
    overactive = build_plan(
        intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR, history={"pfmt_months_tried": 6})
    )
    # Section 4 makes the referral due now whatever the floor; the rationale tells the
    # therapist why the earlier training may not have suited it.
    referral = item(overactive, "specialist_referral.sui_procedures")
    assert referral["phase"] == 1
    assert "may not have suited this floor" in referral["rationale"]


def test_prolapse_bulge_gets_a_specialist_referral_and_16_weeks_of_pfmt() -> None:
    # NICE NG123 / NG210: urogynaecology; PFMT ≥ 4 months for mild prolapse.
    plan = build_plan(intake(symptoms={"prolapse_bulge": True}, exam=RELAXING_FLOOR))
    assert item(plan, "specialist_referral.prolapse")["phase"] == 1
    pfmt = item(plan, "strengthening.pfmt")
    assert pfmt["dosing"]["weeks"] >= 16
    assert "NG210" in pfmt["source"]


# --- Coordination -------------------------------------------------------------------------


def test_knack_for_stress_leaks_on_any_effort_trigger() -> None:
    # Reference §4 (Miller 1998, 2008): contract just before and during the effort that
    # leaks -- any effort trigger, named.
    plan = build_plan(intake(symptoms=STRESS, exam=RELAXING_FLOOR))
    knack = item(plan, "coordination.knack")
    assert knack["phase"] == 1
    assert knack["title"] == "The Knack: lift before the moments you leak"
    assert "cough, lifting" in knack["rationale"]
    lifting = build_plan(
        intake(symptoms={"stress_leak_triggers": ["lift"], "urgency": False}, exam=RELAXING_FLOOR)
    )
    assert item(lifting, "coordination.knack")["phase"] == 1
    assert "coordination.knack" not in codes(build_plan(intake(symptoms=URGENCY)))


@pytest.mark.parametrize(
    ("anatomy", "cue"),
    [("vulva", "close and lift the vaginal opening"), ("penis", "draw the penis up and in")],
)
def test_cueing_follows_the_patients_anatomy(anatomy: str, cue: str) -> None:
    # Reference §4 (correct contraction cueing; seed articles) and §8 (cues follow anatomy).
    exam = {**RELAXING_FLOOR, "accessory_muscles": True, "bearing_down": True}
    cueing = item(build_plan(intake(anatomy=anatomy, exam=exam)), "coordination.cueing")
    assert cueing["phase"] == 1
    assert cue in cueing["rationale"]
    assert "as if stopping wind" in cueing["rationale"]
    assert "Never practise by stopping the urine stream" in cueing["rationale"]


def test_coordination_findings_add_cueing_whatever_the_tone() -> None:
    # Reference §2: coordination findings add coordination items whatever the tone profile.
    plan = build_plan(intake(exam={**OVERACTIVE_FLOOR, "breath_holding": True}))
    assert "coordination.cueing" in codes(plan)


def test_biofeedback_when_the_floor_cannot_contract() -> None:
    # NICE NG123 / NG210: biofeedback or electrical stimulation when unable to contract.
    exam = {**RELAXING_FLOOR, "oxford_grade": 1}
    assert "coordination.biofeedback" in codes(build_plan(intake(symptoms=STRESS, exam=exam)))
    assert "coordination.biofeedback" not in codes(
        build_plan(intake(symptoms=STRESS, exam={**RELAXING_FLOOR, "oxford_grade": 2}))
    )


# --- Bladder training ---------------------------------------------------------------------


def test_bladder_training_for_urgency_or_mixed_for_at_least_6_weeks() -> None:
    # NICE NG123: bladder training ≥ 6 weeks, first-line for urgency or mixed.
    for symptoms in (URGENCY, MIXED):
        plan = build_plan(intake(symptoms=symptoms, exam=RELAXING_FLOOR))
        schedule = item(plan, "bladder_training.schedule")
        assert schedule["phase"] == 1
        assert schedule["dosing"]["weeks"] >= 6
        assert schedule["dosing"]["increase_min"] == 15
        assert "Urge suppression" in schedule["rationale"]
    assert "bladder_training.schedule" not in codes(
        build_plan(intake(symptoms=STRESS, exam=RELAXING_FLOOR))
    )


def test_bladder_training_starts_at_the_diarys_mean_daytime_interval() -> None:
    # Reference §4 / careplan-v1: the diary's mean daytime interval, rounded down to a
    # multiple of 15 (at least 30); weeks = max(6, 1 + ceil((180 - 75) / 15)) = 8.
    plan = build_plan(intake(symptoms=URGENCY), diary=diary(daytime_frequency=11.0, interval=75))
    schedule = item(plan, "bladder_training.schedule")
    assert schedule["dosing"] == {
        "start_interval_min": 75,
        "increase_min": 15,
        "every_days": 7,
        "target_interval_min": 180,
        "weeks": 8,
    }
    rounded = build_plan(intake(symptoms=URGENCY), diary=diary(interval=96))
    assert item(rounded, "bladder_training.schedule")["dosing"]["start_interval_min"] == 90
    assert "11 voids a day on the diary" in schedule["rationale"]
    assert not any("No bladder diary" in n for n in plan["notices"])


def test_bladder_training_without_a_diary_starts_at_the_clinic_default() -> None:
    # Reference §4 and PlanSettings: the default start interval is a clinic setting.
    settings = PlanSettings(bladder_training_default_start_min=45)
    plan = build_plan(intake(symptoms=URGENCY), settings=settings)
    assert item(plan, "bladder_training.schedule")["dosing"]["start_interval_min"] == 45
    assert any("No bladder diary" in n and "45" in n for n in plan["notices"])


def test_bladder_training_keeps_a_start_already_above_the_target() -> None:
    # Reference §4: if the start is already at or above the target (3 hours, a clinic
    # setting), keep the start; careplan-v1: target = the start when the start is higher.
    plan = build_plan(intake(symptoms=URGENCY), diary=diary(interval=200))
    dosing = item(plan, "bladder_training.schedule")["dosing"]
    assert dosing["start_interval_min"] == 195
    assert dosing["target_interval_min"] == 195
    assert dosing["weeks"] == 6


def test_bladder_training_without_a_diary_starts_at_960_over_day_voids() -> None:
    # Reference §4: else 960 waking minutes ÷ day_voids (10 -> 96 -> 90).
    plan = build_plan(intake(symptoms={**URGENCY, "day_voids": 10}))
    dosing = item(plan, "bladder_training.schedule")["dosing"]
    assert dosing["start_interval_min"] == 90
    assert dosing["weeks"] == 7


def test_urge_suppression_waits_on_squeezes_while_the_floor_cannot_relax() -> None:
    # Reference §3 rule 2 and §4: urge suppression uses its no-squeeze form whenever PFMT
    # waits; the quick squeezes only when strengthening is not held.
    held = item(
        build_plan(intake(symptoms=URGENCY, exam=OVERACTIVE_FLOOR)), "bladder_training.schedule"
    )
    assert "Urge suppression without squeezes" in held["rationale"]
    assert "quick pelvic floor squeezes" not in held["rationale"]
    free = item(
        build_plan(intake(symptoms=URGENCY, exam=RELAXING_FLOOR)), "bladder_training.schedule"
    )
    assert "a few quick pelvic floor squeezes" in free["rationale"]


def test_oab_medication_after_6_weeks_of_bladder_training() -> None:
    # NICE NG123; AUA/SUFU OAB 2024: medication when urgency persists after ≥ 6 weeks of
    # bladder training -- phase 1 when bladder_training_weeks_tried ≥ 6, otherwise phase 2
    # (at the review); reviewed 4 weeks after starting; refractory OAB once tried.
    plan = build_plan(intake(symptoms=URGENCY))
    medication = item(plan, "medical_referral.oab_medication")
    assert medication["phase"] == 2
    assert "6 weeks of bladder training" in medication["rationale"]
    assert "6 weeks of bladder training" in medication["hold_reason"]
    tried = build_plan(intake(symptoms=URGENCY, history={"bladder_training_weeks_tried": 6}))
    assert item(tried, "medical_referral.oab_medication")["phase"] == 1
    refractory = build_plan(intake(symptoms=URGENCY, history={"oab_medication_tried": True}))
    assert "medical_referral.oab_medication" not in codes(refractory)
    assert "specialist_referral.refractory_oab" in codes(refractory)
    assert "medical_referral.oab_medication" not in codes(build_plan(intake(symptoms=STRESS)))


# --- Lifestyle ----------------------------------------------------------------------------


def test_caffeine_reduction_for_urgency() -> None:
    # NICE NG123: caffeine reduction for urgency; stronger wording at ≥ 3 drinks a day.
    plan = build_plan(intake(symptoms=URGENCY, lifestyle={"caffeine_drinks_per_day": 4}))
    caffeine = item(plan, "lifestyle.caffeine")
    assert caffeine["title"] == "Cut down on caffeine, step by step"
    assert caffeine["dosing"] == {"max_drinks_per_day": 1}
    one = item(
        build_plan(intake(symptoms=URGENCY, lifestyle={"caffeine_drinks_per_day": 1})),
        "lifestyle.caffeine",
    )
    assert one["title"] == "Try swapping to decaf"
    assert one["dosing"] == {}  # the goal is fewer than now, never "no more than 0"
    two = item(
        build_plan(intake(symptoms=URGENCY, lifestyle={"caffeine_drinks_per_day": 2})),
        "lifestyle.caffeine",
    )
    assert two["dosing"] == {"max_drinks_per_day": 1}
    no_urgency = build_plan(intake(symptoms=STRESS, lifestyle={"caffeine_drinks_per_day": 4}))
    assert "lifestyle.caffeine" not in codes(no_urgency)
    no_caffeine = build_plan(intake(symptoms=URGENCY, lifestyle={"caffeine_drinks_per_day": 0}))
    assert "lifestyle.caffeine" not in codes(no_caffeine)


@pytest.mark.parametrize(("ml", "target"), [(1400, 1500), (1500, None), (3000, None), (3500, 2250)])
def test_fluids_outside_the_clinic_bounds(ml: int, target: int | None) -> None:
    # NICE NG123 (modify high or low intake); the 1500 / 3000 mL bounds are a convention.
    plan = build_plan(intake(lifestyle={"fluid_intake_ml": ml}))
    if target is None:
        assert "lifestyle.fluids" not in codes(plan)
    else:
        assert item(plan, "lifestyle.fluids")["dosing"] == {"target_ml_per_day": target}


def test_fluid_bounds_come_from_clinic_settings() -> None:
    # Reference: "(convention)" facts are clinic settings, never hard-coded.
    settings = PlanSettings(fluid_low_ml=1200, fluid_high_ml=2500)
    assert "lifestyle.fluids" not in codes(
        build_plan(intake(lifestyle={"fluid_intake_ml": 1400}), settings=settings)
    )
    plan = build_plan(intake(lifestyle={"fluid_intake_ml": 2600}), settings=settings)
    assert "above 2500 mL" in item(plan, "lifestyle.fluids")["rationale"]


def test_diary_fluid_intake_overrides_the_reported_intake() -> None:
    # Contract: the diary wins over what was reported.
    plan = build_plan(
        intake(lifestyle={"fluid_intake_ml": 2000}), diary=diary(fluid_intake_ml_per_day=1100)
    )
    fluids = item(plan, "lifestyle.fluids")
    assert "1100 mL a day on the diary" in fluids["rationale"]
    fine = build_plan(
        intake(lifestyle={"fluid_intake_ml": 1000}), diary=diary(fluid_intake_ml_per_day=2000)
    )
    assert "lifestyle.fluids" not in codes(fine)


@pytest.mark.parametrize("metric", ["polyuria_24h", "nocturnal_polyuria"])
def test_diary_polyuria_triggers_fluid_advice(metric: str) -> None:
    # Reference §4: fluid intake item for diary polyuria (ICS definitions, diary-v1).
    plan = build_plan(intake(lifestyle={"fluid_intake_ml": 2000}), diary=diary(**{metric: True}))
    assert "polyuria" in item(plan, "lifestyle.fluids")["rationale"]


def test_nocturia_advice_is_less_fluid_before_bed() -> None:
    # Reference §4: less in the 2 hours before bed if nocturia.
    plan = build_plan(
        intake(symptoms={"night_voids": 3}),
        diary=diary(nocturnal_polyuria=True, nocturia=2.5, fluid_intake_ml_per_day=1800),
    )
    fluids = item(plan, "lifestyle.fluids")
    assert "2 hours before bed" in fluids["rationale"]
    assert "2.5" in fluids["rationale"]  # the diary wins over night_voids
    assert fluids["dosing"] == {"target_ml_per_day": 1800}


def test_weight_loss_for_bmi_over_30() -> None:
    # NICE NG123: weight loss for BMI > 30.
    assert "lifestyle.weight" in codes(build_plan(intake(lifestyle={"bmi": 30.5})))
    assert "lifestyle.weight" not in codes(build_plan(intake(lifestyle={"bmi": 30})))


def test_smoking_or_chronic_cough() -> None:
    # Seed article: coughing strains the pelvic floor and worsens leaks.
    for lifestyle in ({"smoker": True}, {"chronic_cough": True}):
        assert "lifestyle.smoking_cough" in codes(build_plan(intake(lifestyle=lifestyle)))
    assert "lifestyle.smoking_cough" not in codes(
        build_plan(intake(lifestyle={"smoker": False, "chronic_cough": False}))
    )


def test_bowel_care_for_constipation_or_straining() -> None:
    # Seed articles: fibre, fluids, footstool, relaxed breathing, no straining.
    for symptoms in ({"constipation": True}, {"straining_to_defecate": True}):
        bowel = item(build_plan(intake(symptoms=symptoms)), "lifestyle.bowel")
        assert "footstool" in bowel["rationale"]


def test_alcohol_above_the_clinic_threshold_or_with_urgency() -> None:
    # Seed article; the 14-unit threshold is a convention (a clinic setting).
    assert "lifestyle.alcohol" in codes(
        build_plan(intake(lifestyle={"alcohol_units_per_week": 15}))
    )
    assert "lifestyle.alcohol" not in codes(
        build_plan(intake(lifestyle={"alcohol_units_per_week": 14}))
    )
    strict = PlanSettings(alcohol_units_per_week=7)
    assert "lifestyle.alcohol" in codes(
        build_plan(intake(lifestyle={"alcohol_units_per_week": 8}), settings=strict)
    )
    assert "lifestyle.alcohol" in codes(
        build_plan(intake(symptoms=URGENCY, lifestyle={"alcohol_units_per_week": 2}))
    )
    assert "lifestyle.alcohol" not in codes(
        build_plan(intake(symptoms=URGENCY, lifestyle={"alcohol_units_per_week": 0}))
    )


# --- Medical and specialist referral -----------------------------------------------------


def test_vaginal_estrogen_for_postmenopausal_atrophy_with_urgency_or_recurrent_uti() -> None:
    # NICE NG123; NICE NG23: low-dose vaginal estrogen, not when already using it.
    hormonal = {"status": "postmenopausal", "vaginal_atrophy": True, "vaginal_estrogen": False}
    assert "medical_referral.vaginal_estrogen" in codes(
        build_plan(intake(symptoms=URGENCY, hormonal=hormonal))
    )
    assert "medical_referral.vaginal_estrogen" in codes(
        build_plan(intake(hormonal=hormonal, red_flags=["recurrent_uti"]))
    )
    assert "medical_referral.vaginal_estrogen" not in codes(
        build_plan(intake(symptoms=URGENCY, hormonal={**hormonal, "vaginal_estrogen": True}))
    )
    assert "medical_referral.vaginal_estrogen" not in codes(
        build_plan(intake(symptoms=STRESS, hormonal=hormonal))
    )


def test_diuretics_get_a_medication_check() -> None:
    # Seed article: GP review of the timing of drugs that worsen leaks.
    assert "medical_referral.medication_check" in codes(
        build_plan(intake(history={"diuretics": True}))
    )


def test_overactive_floor_with_tenderness_gets_manual_therapy() -> None:
    # AUA IC/BPS guideline: manual therapy / relaxation biofeedback for a tender floor.
    plan = build_plan(intake(exam={**OVERACTIVE_FLOOR, "tenderness": True}))
    assert item(plan, "specialist_referral.manual_therapy")["phase"] == 1
    assert "specialist_referral.manual_therapy" not in codes(
        build_plan(intake(exam={**RELAXING_FLOOR, "tenderness": True}))
    )


def test_stress_sleep_or_chronic_pain_get_nervous_system_care() -> None:
    # Seed articles: stress and nervous-system care for high stress, poor sleep, chronic pain.
    for key in ("high_stress", "poor_sleep", "chronic_pain"):
        assert "relaxation.stress_care" in codes(build_plan(intake(history={key: True})))


def test_complex_bodies_get_a_whole_body_plan() -> None:
    # Seed article: hypermobility, scoliosis, chronic pain -> hips, spine, posture.
    for key in ("hypermobility", "scoliosis", "chronic_pain"):
        assert "specialist_referral.complex_bodies" in codes(
            build_plan(intake(history={key: True}))
        )


# --- Education, order, notices ------------------------------------------------------------


def test_education_items_are_in_every_plan() -> None:
    # Seed articles; NICE NG123: how the pelvic floor works, warning signs (always).
    plan = build_plan(intake())
    assert codes(plan) == [
        "relaxation.diaphragmatic_breathing",
        "education.pelvic_floor",
        "education.warning_signs",
    ]
    warning = item(plan, "education.warning_signs")["rationale"]
    assert "emergency department now" in warning
    assert "haematuria" in warning


def test_items_are_ordered_by_phase_then_category() -> None:
    # rules.py module docstring: phase 1 then phase 2; CATEGORIES order within a phase.
    plan = build_plan(example_intake())
    keys = [(i["phase"], CATEGORIES.index(i["category"])) for i in plan["items"]]
    assert keys == sorted(keys)


def test_frequency_without_urgency_is_a_notice() -> None:
    # Reference §5: > 8 voids a day is a convention (clinic setting); the diary wins.
    plan = build_plan(
        intake(symptoms={**STRESS, "day_voids": 6}), diary=diary(daytime_frequency=10.5)
    )
    assert any("diary shows 10.5 voids a day" in n for n in plan["notices"])
    reported = build_plan(intake(symptoms={**STRESS, "day_voids": 12}))
    assert any("12 voids a day reported" in n for n in reported["notices"])
    overridden = build_plan(
        intake(symptoms={**STRESS, "day_voids": 12}), diary=diary(daytime_frequency=6.0)
    )
    assert not any("voids a day" in n for n in overridden["notices"])
    relaxed = PlanSettings(daytime_frequency_threshold=12)
    assert not any(
        "voids a day" in n
        for n in build_plan(intake(symptoms={**STRESS, "day_voids": 12}), settings=relaxed)[
            "notices"
        ]
    )


# --- The contract ---------------------------------------------------------------------------


def test_plan_keys_follow_the_contract_order() -> None:
    # Contract: schema, classification, red_flags, urgent_referral, referral_urgency
    # (addition 2026-12-01), notices, items; hold_reason last, on phase-2 items only.
    plan = build_plan(example_intake())
    assert list(plan) == [
        "schema",
        "classification",
        "red_flags",
        "urgent_referral",
        "referral_urgency",
        "notices",
        "items",
    ]
    assert plan["schema"] == "pelvic-careplan/1"
    keys = ["code", "category", "phase", "title", "rationale", "dosing", "source"]
    assert {entry["phase"] for entry in plan["items"]} == {1, 2}
    for entry in plan["items"]:
        if entry["phase"] == 2:
            assert list(entry) == [*keys, "hold_reason"]
        else:
            assert list(entry) == keys


def test_every_item_has_a_rationale_a_source_and_one_of_the_nine_categories() -> None:
    # Contract: every item has a non-empty rationale and source; nine categories only.
    plan = build_plan(example_intake())
    for entry in plan["items"]:
        assert entry["rationale"].strip() and entry["source"].strip() and entry["title"].strip()
        assert entry["category"] in CATEGORIES
        assert entry["phase"] in (1, 2)
    assert len(set(codes(plan))) == len(plan["items"])


def test_same_intake_gives_byte_identical_json() -> None:
    # Contract: the output is deterministic.
    data = example_intake()
    first = json.dumps(build_plan(data), sort_keys=False)
    for _ in range(3):
        assert json.dumps(build_plan(copy.deepcopy(data)), sort_keys=False) == first


def test_build_plan_leaves_the_intake_unchanged() -> None:
    data = example_intake()
    before = copy.deepcopy(data)
    build_plan(data)
    assert data == before


def test_example_intake_plan() -> None:
    # contracts/examples/intake-example.json: mixed leaks (stress first), underactive floor
    # (Oxford 2, relaxes fully) with painful penetration: the pain finding holds PFMT, the
    # Knack and cueing back (a relax-first reason, §3 rule 2). Counted phase-1 items in
    # priority order (§4 one step at a time, limit 5): down-training, bladder training
    # (the other type), caffeine, fluids, toilet habits; bowel care, weight and alcohol
    # wait for the review.
    plan = build_plan(example_intake())
    assert plan["classification"]["incontinence_type"] == "mixed"
    assert plan["classification"]["predominant"] == "stress"
    assert plan["classification"]["tone_profile"] == "underactive"
    assert plan["referral_urgency"] is None
    assert [(i["code"], i["phase"]) for i in plan["items"]] == [
        ("relaxation.diaphragmatic_breathing", 1),
        ("relaxation.down_training", 1),
        ("bladder_training.schedule", 1),
        ("lifestyle.caffeine", 1),
        ("lifestyle.fluids", 1),
        ("lifestyle.voiding_habits", 1),
        ("medical_referral.vaginal_estrogen", 1),
        ("education.pelvic_floor", 1),
        ("education.sexual_health", 1),
        ("education.warning_signs", 1),
        ("coordination.cueing", 2),
        ("coordination.knack", 2),
        ("strengthening.pfmt", 2),
        ("lifestyle.weight", 2),
        ("lifestyle.bowel", 2),
        ("lifestyle.alcohol", 2),
        ("medical_referral.oab_medication", 2),
    ]
    pain_hold = (
        "Painful penetration: starts once the muscles relax fully and penetration is comfortable"
    )
    for code in ("coordination.cueing", "coordination.knack", "strengthening.pfmt"):
        assert item(plan, code)["hold_reason"] == pain_hold
    for code in ("lifestyle.weight", "lifestyle.bowel", "lifestyle.alcohol"):
        assert item(plan, code)["hold_reason"].startswith("One step at a time")
    assert item(plan, "medical_referral.oab_medication")["hold_reason"].startswith("At your review")
    assert item(plan, "strengthening.pfmt")["dosing"] == {
        "contractions": 8,
        "hold_s": 4,
        "rest_s": 4,
        "sets_per_day": 3,
        "fast_contractions": 6,
        "weeks": 12,
    }
    # 960 ÷ 10 day voids = 96, rounded down to 90; 1 + ceil(90 / 15) = 7 weeks.
    assert item(plan, "bladder_training.schedule")["dosing"] == {
        "start_interval_min": 90,
        "increase_min": 15,
        "every_days": 7,
        "target_interval_min": 180,
        "weeks": 7,
    }
    assert item(plan, "lifestyle.caffeine")["dosing"] == {"max_drinks_per_day": 1}
    assert item(plan, "lifestyle.fluids")["dosing"] == {"target_ml_per_day": 1500}


def test_plans_validate_against_the_careplan_schema() -> None:
    # careplans/schemas/careplan-v1.schema.json, the project's copy of the contract.
    from careplans.contract import careplan_errors

    plans = [
        build_plan(example_intake()),
        build_plan(intake()),
        build_plan(intake(symptoms=MIXED, exam=TENSE_AND_WEAK_FLOOR, red_flags=["dysuria"])),
        build_plan(
            intake(anatomy="unspecified", symptoms=STRESS, red_flags=["saddle_anaesthesia"])
        ),
        build_plan(
            intake(symptoms=MIXED, exam=RELAXING_FLOOR, lifestyle={"bmi": 35, "smoker": True}),
            settings=PlanSettings(phase_one_limit=1),
        ),
        build_plan(
            intake(symptoms=URGENCY, lifestyle={"fluid_intake_ml": 3400}),
            diary=diary(polyuria_24h=True, interval=80, fluid_intake_ml_per_day=3400),
        ),
    ]
    for plan in plans:
        assert careplan_errors(plan) == []


def test_example_intake_is_valid_for_the_intake_schema() -> None:
    intake_errors = pytest.importorskip("assessments.intake").intake_errors
    assert intake_errors(example_intake()) == []


# --- The registry -------------------------------------------------------------------------


def test_rules_registry_has_unique_codes_sources_and_known_categories() -> None:
    # Contract: fixed codes; every rule cites the reference's source next to it.
    rule_codes = [rule.code for rule in RULES]
    assert len(set(rule_codes)) == len(rule_codes)
    for rule in RULES:
        assert rule.category in CATEGORIES
        assert rule.code.split(".")[0] == rule.category
        assert rule.source.strip()
    categories = [CATEGORIES.index(rule.category) for rule in RULES]
    assert categories == sorted(categories)
    fixed = {
        "urgent_referral.red_flags",
        "relaxation.diaphragmatic_breathing",
        "relaxation.down_training",
        "strengthening.pfmt",
        "coordination.cueing",
        "coordination.knack",
        "bladder_training.schedule",
        "lifestyle.caffeine",
        "lifestyle.fluids",
        "lifestyle.weight",
        "lifestyle.smoking_cough",
        "lifestyle.bowel",
        "medical_referral.vaginal_estrogen",
        "specialist_referral.sui_procedures",
        "education.pelvic_floor",
        "education.warning_signs",
        # Additions (2026-12-01).
        "lifestyle.voiding_habits",
        "medical_referral.oab_medication",
        "medical_referral.gp_review",
        "specialist_referral.refractory_oab",
        "specialist_referral.specialist_assessment",
        "education.sexual_health",
        "education.return_to_impact",
    }
    assert fixed <= set(rule_codes)


def test_safety_codes_are_the_items_of_rules_1_and_2() -> None:
    assert SAFETY_CODES == {
        "urgent_referral.red_flags",
        "relaxation.down_training",
        "relaxation.diaphragmatic_breathing",
    }


# --- safety_violations on edited plans ----------------------------------------------------


def test_built_plans_have_no_safety_violations() -> None:
    for data in (
        example_intake(),
        intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR, red_flags=["pelvic_mass"]),
        intake(symptoms={**STRESS, "painful_orgasm": True}),
    ):
        plan = build_plan(data)
        assert safety_violations(plan) == []
        assert safety_violations(plan, intake=data) == []


def test_removing_the_urgent_referral_is_a_violation() -> None:
    # Reference §3 rule 1.
    plan = build_plan(intake(red_flags=["visible_haematuria"]))
    plan["items"] = [i for i in plan["items"] if i["code"] != "urgent_referral.red_flags"]
    assert any("rule 1" in v for v in safety_violations(plan))


def test_moving_the_urgent_referral_down_is_a_violation() -> None:
    # Reference §3 rule 1: first in the plan.
    plan = build_plan(intake(red_flags=["visible_haematuria"]))
    plan["items"] = plan["items"][1:] + plan["items"][:1]
    assert any("first item" in v for v in safety_violations(plan))


def test_removing_or_moving_breathing_is_a_violation() -> None:
    # Reference §3 rule 3: every plan starts with diaphragmatic breathing.
    plan = build_plan(intake(symptoms=STRESS))
    moved = copy.deepcopy(plan)
    moved["items"] = moved["items"][1:] + moved["items"][:1]
    assert any("must come first" in v for v in safety_violations(moved))
    removed = copy.deepcopy(plan)
    removed["items"] = removed["items"][1:]
    assert any("no diaphragmatic breathing" in v for v in safety_violations(removed))


def test_strengthening_moved_to_phase_1_for_an_overactive_floor_is_a_violation() -> None:
    # Reference §3 rule 2.
    plan = build_plan(intake(symptoms=STRESS, exam=OVERACTIVE_FLOOR))
    item(plan, "strengthening.pfmt")["phase"] = 1
    assert any("strengthening.pfmt" in v and "rule 2" in v for v in safety_violations(plan))


def test_strengthening_in_phase_1_with_pain_is_a_violation_given_the_intake() -> None:
    # Reference §3 rule 2: pain findings are only in the intake, not in the plan.
    data = intake(symptoms={**STRESS, "pelvic_pain": True}, exam=RELAXING_FLOOR)
    plan = build_plan(data)
    item(plan, "strengthening.pfmt")["phase"] = 1
    violations = safety_violations(plan, intake=data)
    assert any("pelvic pain" in v.lower() and "rule 2" in v for v in violations)


def test_removing_down_training_is_a_violation() -> None:
    # Reference §3 rule 2 / SAFETY_CODES.
    plan = build_plan(intake(exam=TENSE_AND_WEAK_FLOOR))
    plan["items"] = [i for i in plan["items"] if i["code"] != "relaxation.down_training"]
    assert any("down-training" in v for v in safety_violations(plan))


def test_strengthening_without_full_release_is_a_violation() -> None:
    # Reference §3 rule 3: every strengthening item teaches the full release.
    plan = build_plan(intake(symptoms=STRESS, exam=RELAXING_FLOOR))
    del item(plan, "strengthening.pfmt")["dosing"]["rest_s"]
    assert any("full release" in v for v in safety_violations(plan))


# --- Translation and the diary helper ----------------------------------------------------


def test_messages_go_through_gettext() -> None:
    # clinic/i18n.py: the pure modules translate through the installed gettext.
    i18n.install(lambda message: "«" + message + "»")
    try:
        plan = build_plan(intake(symptoms=STRESS, exam=RELAXING_FLOOR))
    finally:
        i18n.install(gettext)  # Django's, as clinic.apps installs it
    for entry in plan["items"]:
        assert entry["title"].startswith("«")
        assert "«" in entry["rationale"]


def test_diary_findings_come_from_the_diary_module() -> None:
    # diary-v1: metrics and the mean daytime interval come from assessments.diary.
    diary_module = pytest.importorskip("assessments.diary")
    events = diary_module.parse_diary_csv(DIARY_CSV)
    found = diary_findings(events, age=54, weight_kg=82)
    assert found.metrics == diary_module.diary_metrics(events, age=54, weight_kg=82)
    assert found.mean_daytime_interval_min == diary_module.mean_daytime_interval_min(events)
    plan = build_plan(intake(symptoms=URGENCY), diary=found)
    start = item(plan, "bladder_training.schedule")["dosing"]["start_interval_min"]
    assert found.mean_daytime_interval_min == 94  # gaps 90, 90, 105 and 90 minutes
    assert start == 90  # rounded down to a multiple of 15
