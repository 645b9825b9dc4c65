"""assessments.classification: one test per rule of the clinical reference, section 2.

Pure Python: no database, no Django.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.classification import (
    INCONTINENCE_TYPES,
    PAIN_FINDINGS,
    TONE_PROFILES,
    Classification,
    classify,
)

EXAMPLE = Path(__file__).parent / "data" / "intake-example.json"
NORMAL_EXAM = {"consent_recorded": True, "internal_exam": True}


def intake(anatomy: str = "vulva", **sections: Any) -> dict[str, Any]:
    return {"schema": "pelvic-intake/1", "patient": {"anatomy": anatomy, "age": 45}, **sections}


def symptoms(**found: Any) -> dict[str, Any]:
    """An assessed symptoms section: no effort leaks, no urgency unless given."""
    return {"stress_leak_triggers": [], "urgency": False, "urge_leaks": False, **found}


def exam(**found: Any) -> dict[str, Any]:
    return {**NORMAL_EXAM, **found}


def mixed(**found: Any) -> dict[str, Any]:
    return symptoms(stress_leak_triggers=["cough"], urgency=True, **found)


def iqq3(most_often: str, any_leak: bool = True) -> dict[str, Any]:
    return {"iqq3": {"any_leak_3_months": any_leak, "most_often": most_often}}


# --- The contract example -------------------------------------------------------------


def test_intake_example_is_mixed_stress_first_underactive() -> None:
    # Effort leaks + urgency (NICE NG123: mixed); 3IQ most often "activity" (reference §2:
    # stress first); normal tone, complete relaxation, Oxford 2 (reference §2 rule 3:
    # underactive); accessory muscles and breath holding; painful penetration.
    result = classify(json.loads(EXAMPLE.read_text()))

    assert result.to_contract() == {
        "incontinence_type": "mixed",
        "predominant": "stress",
        "tone_profile": "underactive",
        "reasons": [
            "Mixed incontinence: leaks on effort (cough, sneeze, lifting) together with urgency.",
            "Stress incontinence treated first: on the 3IQ, leaks happen most often on "
            "physical activity.",
            "Underactive: Oxford grade 2 (2 or less is weak); relaxes fully.",
            "Coordination: accessory muscles substitute for the pelvic floor, holds the breath.",
            "Pain findings: painful penetration; pain points toward an overactive pelvic floor.",
        ],
    }
    assert result.pain_findings == ("painful_penetration",)
    assert result.coordination_findings == ("accessory_muscles", "breath_holding")
    assert result.notices == ()
    assert not result.overactive
    assert not result.needs_exam_before_strengthening


# --- Incontinence type (NICE NG123: stress, urgency/OAB or mixed) ---------------------


def test_effort_leaks_without_urgency_are_stress() -> None:
    # NICE NG123; reference §2: effort leaks with neither urgency nor urge leaks.
    result = classify(intake(symptoms=symptoms(stress_leak_triggers=["sneeze", "jump"])))

    assert (result.incontinence_type, result.predominant) == ("stress", "stress")
    assert "sneeze, jumping" in result.reasons[0]


def test_urgency_without_effort_leaks_is_urgency() -> None:
    # NICE NG123 (urgency / overactive bladder); reference §2.
    result = classify(intake(symptoms=symptoms(urgency=True)))

    assert (result.incontinence_type, result.predominant) == ("urgency", "urgency")


def test_urge_leaks_imply_urgency() -> None:
    # intake-v1: urge_leaks true implies urgency; NICE NG123 urgency incontinence.
    result = classify(intake(symptoms=symptoms(urge_leaks=True, urgency=False)))

    assert result.incontinence_type == "urgency"
    assert any("urge leaks imply urgency" in notice for notice in result.notices)


def test_effort_leaks_with_urgency_are_mixed() -> None:
    # NICE NG123; reference §2: effort leaks together with urgency.
    result = classify(intake(symptoms=symptoms(stress_leak_triggers=["laugh"], urgency=True)))

    assert result.incontinence_type == "mixed"


def test_effort_leaks_with_urge_leaks_are_mixed() -> None:
    # NICE NG123; reference §2: effort leaks together with urge leaks.
    result = classify(intake(symptoms=symptoms(stress_leak_triggers=["lift"], urge_leaks=True)))

    assert result.incontinence_type == "mixed"
    assert "urge leaks" in result.reasons[0]


def test_assessed_symptoms_without_leaks_are_none() -> None:
    # Reference §2: "none" = symptoms assessed and neither present (false is not missing).
    result = classify(intake(symptoms=symptoms()))

    assert (result.incontinence_type, result.predominant) == ("none", None)


def test_missing_symptoms_are_unknown() -> None:
    # Reference §2 / intake-v1: a missing symptoms section means "not assessed".
    result = classify(intake())

    assert (result.incontinence_type, result.predominant) == ("unknown", None)
    assert any("Symptoms were not assessed" in notice for notice in result.notices)


def test_empty_symptoms_are_unknown() -> None:
    # intake-v1: an empty symptoms section also means "not assessed".
    assert classify(intake(symptoms={})).incontinence_type == "unknown"


def test_symptoms_without_leak_questions_are_unknown_not_none() -> None:
    # Reference §2: "none" needs the symptoms assessed; recording only pain does not
    # assess leaks or urgency, so their absence is unknown, not none.
    result = classify(intake(symptoms={"pelvic_pain": False}))

    assert result.incontinence_type == "unknown"
    assert result.notices


def test_stress_with_urgency_not_recorded_asks_to_rule_out_mixed() -> None:
    # NICE NG123: mixed needs urgency ruled out; a missing key is not a "no".
    result = classify(intake(symptoms={"stress_leak_triggers": ["cough"]}))

    assert result.incontinence_type == "stress"
    assert any("rule out mixed" in notice for notice in result.notices)


def test_3iq_does_not_set_the_type_when_symptoms_are_missing() -> None:
    # Reference §2: the symptoms section drives the type; the 3IQ (Brown 2006) only picks
    # the predominant type of mixed. Its answer becomes a notice.
    result = classify(intake(questionnaires=iqq3("urge")))

    assert result.incontinence_type == "unknown"
    assert any("3IQ points to urgency" in notice for notice in result.notices)


def test_3iq_disagreeing_with_symptoms_is_a_notice() -> None:
    # Brown 2006 (3IQ) is a screening test: the recorded symptoms stand (NICE NG123).
    result = classify(intake(symptoms=symptoms(urgency=True), questionnaires=iqq3("activity")))

    assert result.incontinence_type == "urgency"
    assert any("3IQ points to stress" in notice for notice in result.notices)


# --- Predominant type (NICE NG123: treat the predominant type of mixed first) ---------


@pytest.mark.parametrize(("most_often", "expected"), [("activity", "stress"), ("urge", "urgency")])
def test_mixed_predominant_follows_3iq_most_often(most_often: str, expected: str) -> None:
    # NICE NG123 (predominant first); reference §2: 3IQ "most often" (Brown 2006) first.
    result = classify(intake(symptoms=mixed(), questionnaires=iqq3(most_often)))

    assert result.predominant == expected
    assert any("3IQ" in reason for reason in result.reasons)


def test_3iq_most_often_wins_over_most_bothersome() -> None:
    # Reference §2: the 3IQ answer comes before most_bothersome; the disagreement is shown.
    result = classify(
        intake(symptoms=mixed(most_bothersome="urgency"), questionnaires=iqq3("activity"))
    )

    assert result.predominant == "stress"
    assert any("please confirm" in notice for notice in result.notices)


@pytest.mark.parametrize("questionnaires", [iqq3("other"), iqq3("equal"), {}])
@pytest.mark.parametrize("bothersome", ["stress", "urgency"])
def test_mixed_predominant_falls_back_to_most_bothersome(
    questionnaires: dict[str, Any], bothersome: str
) -> None:
    # Reference §2: 3IQ "other" / "equal" / not answered -> symptoms.most_bothersome.
    result = classify(
        intake(symptoms=mixed(most_bothersome=bothersome), questionnaires=questionnaires)
    )

    assert result.predominant == bothersome


def test_3iq_without_leaks_in_3_months_is_ignored() -> None:
    # Brown 2006: "no" to question 1 ends the 3IQ, so it names no type.
    result = classify(
        intake(symptoms=mixed(most_bothersome="urgency"), questionnaires=iqq3("activity", False))
    )

    assert result.predominant == "urgency"


def test_mixed_predominant_defaults_to_stress() -> None:
    # Reference §2; NICE NG123: PFMT is first-line for both stress and mixed incontinence.
    result = classify(intake(symptoms=mixed()))

    assert result.predominant == "stress"
    assert "first-line" in result.reasons[1]


def test_none_and_unknown_have_no_predominant() -> None:
    # careplan-v1: predominant is null unless stress, urgency or mixed.
    assert classify(intake(symptoms=symptoms())).predominant is None
    assert classify(intake()).predominant is None


# --- Tone profile (reference §2: first match wins) -------------------------------------


@pytest.mark.parametrize(
    "found",
    [
        {"tone": "increased", "oxford_grade": 2},
        {"relaxation": "partial", "oxford_grade": 1},
        {"tone": "normal", "relaxation": "delayed", "oxford_grade": 0},
    ],
)
def test_overactive_and_weak_is_tense_and_weak(found: dict[str, Any]) -> None:
    # Reference §1 and §2 rule 1: muscles held short test weak; relax first.
    result = classify(intake(exam=exam(**found)))

    assert result.tone_profile == "tense_and_weak"
    assert result.overactive
    assert "Oxford grade" in result.reasons[-1]


def test_increased_tone_is_overactive() -> None:
    # Reference §2 rule 2: tone increased.
    result = classify(intake(exam=exam(tone="increased", relaxation="complete", oxford_grade=4)))

    assert result.tone_profile == "overactive"
    assert "increased tone" in result.reasons[-1]


@pytest.mark.parametrize("relaxation", ["partial", "absent", "delayed"])
def test_incomplete_relaxation_is_overactive(relaxation: str) -> None:
    # Reference §2 rule 2: relaxation partial, absent or delayed.
    result = classify(intake(exam=exam(tone="normal", relaxation=relaxation, oxford_grade=3)))

    assert result.tone_profile == "overactive"


def test_overactive_before_underactive() -> None:
    # Reference §2: first match wins, so delayed relaxation beats decreased tone.
    result = classify(intake(exam=exam(tone="decreased", relaxation="delayed", oxford_grade=3)))

    assert result.tone_profile == "overactive"


def test_decreased_tone_is_underactive() -> None:
    # Reference §2 rule 3: tone decreased (relaxation complete).
    result = classify(intake(exam=exam(tone="decreased", relaxation="complete", oxford_grade=3)))

    assert result.tone_profile == "underactive"
    assert "decreased tone" in result.reasons[-1]


@pytest.mark.parametrize("grade", [0, 1, 2])
def test_oxford_two_or_less_is_weak(grade: int) -> None:
    # Reference §2 rule 3: Oxford grade <= 2 (Modified Oxford Scale) is weak.
    result = classify(intake(exam=exam(tone="normal", relaxation="complete", oxford_grade=grade)))

    assert result.tone_profile == "underactive"


def test_oxford_three_is_not_weak() -> None:
    # Reference §2: only grades 0-2 count as weak.
    result = classify(intake(exam=exam(tone="normal", relaxation="complete", oxford_grade=3)))

    assert result.tone_profile == "normal"


def test_weak_with_relaxation_not_recorded_is_underactive() -> None:
    # Reference §2 rule 3: "relaxation complete or not recorded"; the gap is a notice.
    result = classify(intake(exam=exam(oxford_grade=1)))

    assert result.tone_profile == "underactive"
    assert any("relaxation" in notice for notice in result.notices)


@pytest.mark.parametrize("finding", ["accessory_muscles", "breath_holding", "bearing_down"])
def test_coordination_errors_alone_are_uncoordinated(finding: str) -> None:
    # Reference §1 (technique errors) and §2 rule 4.
    found = {"tone": "normal", "relaxation": "complete", "oxford_grade": 4, finding: True}
    result = classify(intake(exam=exam(**found)))

    assert result.tone_profile == "uncoordinated"
    assert result.coordination_findings == (finding,)


def test_coordination_findings_kept_whatever_the_tone_profile() -> None:
    # Reference §2: coordination findings add coordination items whatever the profile.
    result = classify(
        intake(exam=exam(tone="increased", relaxation="partial", oxford_grade=4, bearing_down=True))
    )

    assert result.tone_profile == "overactive"
    assert result.coordination_findings == ("bearing_down",)
    assert any(reason.startswith("Coordination:") for reason in result.reasons)


def test_false_coordination_findings_are_not_findings() -> None:
    # intake-v1: false = assessed, absent.
    found = {"tone": "normal", "relaxation": "complete", "oxford_grade": 4}
    result = classify(intake(exam=exam(accessory_muscles=False, breath_holding=False, **found)))

    assert (result.tone_profile, result.coordination_findings) == ("normal", ())


def test_normal_exam_is_normal() -> None:
    # Reference §2 rule 5.
    found = {"tone": "normal", "relaxation": "complete", "oxford_grade": 4}
    result = classify(intake(symptoms=symptoms(), exam=exam(**found)))

    assert result.tone_profile == "normal"
    assert result.reasons[-1] == (
        "Normal tone profile: tone normal, relaxation complete, Oxford grade 4."
    )
    assert result.notices == ()


def test_missing_exam_is_tone_unknown() -> None:
    # Reference §2: unknown when none of tone, relaxation, Oxford grade was recorded;
    # an unexamined floor is not a normal floor (intake-v1).
    result = classify(intake(symptoms=symptoms()))

    assert result.tone_profile == "unknown"
    assert not result.overactive
    assert any("tone profile is unknown" in notice for notice in result.notices)


def test_exam_with_only_coordination_findings_is_tone_unknown() -> None:
    # Reference §2: unknown when none of tone / relaxation / Oxford grade recorded, even
    # if coordination was observed; the coordination findings still count.
    result = classify(intake(exam=exam(breath_holding=True)))

    assert result.tone_profile == "unknown"
    assert result.coordination_findings == ("breath_holding",)


def test_overactive_property_covers_overactive_and_tense_and_weak() -> None:
    # Reference §2: everything said of an overactive floor applies to tense-and-weak too.
    def profile(name: str) -> Classification:
        return Classification("none", None, name, (), (), (), ())

    assert [name for name in TONE_PROFILES if profile(name).overactive] == [
        "overactive",
        "tense_and_weak",
    ]


# --- Pain findings (reference §2; AUA IC/BPS guideline) --------------------------------


def test_pain_findings_are_listed_in_order() -> None:
    # Reference §2: pelvic pain, painful penetration, painful orgasm, constant tension,
    # tenderness on examination.
    pain = {code: True for code in PAIN_FINDINGS if code != "tenderness"}
    result = classify(intake(symptoms=symptoms(**pain), exam=exam(tenderness=True, tone="normal")))

    assert result.pain_findings == PAIN_FINDINGS
    assert any("tenderness on palpation" in reason for reason in result.reasons)


def test_false_pain_findings_are_not_listed() -> None:
    # intake-v1: false = assessed, absent.
    pain = {code: False for code in PAIN_FINDINGS if code != "tenderness"}
    result = classify(intake(symptoms=symptoms(**pain), exam=exam(tenderness=False)))

    assert result.pain_findings == ()


def test_pain_without_exam_means_no_strengthening_until_examined() -> None:
    # Reference §2: with no exam (tone unknown), pain findings are a reason not to start
    # strengthening in phase 1 until examined; said in reasons and notices.
    result = classify(intake(symptoms=symptoms(stress_leak_triggers=["cough"], pelvic_pain=True)))

    assert result.needs_exam_before_strengthening
    expected = (
        "Pelvic floor not yet examined, and pelvic pain: "
        "no strengthening in phase 1 until examined."
    )
    assert expected in result.reasons
    assert expected in result.notices


def test_constipation_with_straining_without_exam_means_no_strengthening() -> None:
    # Reference §2: constipation with straining, no exam -> examine before strengthening.
    result = classify(intake(symptoms=symptoms(constipation=True, straining_to_defecate=True)))

    assert result.needs_exam_before_strengthening
    assert any("constipation with straining" in notice for notice in result.notices)


def test_constipation_without_straining_does_not_hold_strengthening() -> None:
    # Reference §2 names constipation *with straining*; constipation alone is bowel care.
    result = classify(intake(symptoms=symptoms(constipation=True, straining_to_defecate=False)))

    assert not result.needs_exam_before_strengthening


def test_pain_with_an_exam_needs_no_exam_notice() -> None:
    # Reference §2: the hold applies only while the tone profile is unknown.
    result = classify(
        intake(
            symptoms=symptoms(painful_penetration=True),
            exam=exam(tone="normal", relaxation="complete", oxford_grade=3),
        )
    )

    assert result.pain_findings == ("painful_penetration",)
    assert not result.needs_exam_before_strengthening
    assert result.notices == ()


# --- Notices: consent and anatomy (intake-v1) ------------------------------------------


@pytest.mark.parametrize("consent", [{"consent_recorded": False}, {}])
def test_exam_findings_without_recorded_consent_are_a_notice(consent: dict[str, Any]) -> None:
    # intake-v1: no internal examination is recorded without recorded consent.
    result = classify(intake(exam={"tone": "increased", **consent}))

    assert result.tone_profile == "overactive"
    assert any("consent" in notice for notice in result.notices)


def test_consent_without_findings_is_no_notice() -> None:
    # intake-v1: consent alone records no finding.
    result = classify(intake(symptoms=symptoms(), exam={"consent_recorded": False}))

    assert not any("consent" in notice for notice in result.notices)


def test_prostatectomy_with_vulva_is_a_notice_not_an_error() -> None:
    # intake-v1: anatomy never blocks a finding; unusual combinations are confirmed.
    result = classify(intake("vulva", symptoms=symptoms(), history={"prostatectomy": True}))

    assert result.incontinence_type == "none"
    assert any("prostatectomy" in notice for notice in result.notices)


def test_postpartum_with_penis_is_a_notice_not_an_error() -> None:
    # intake-v1: anatomy never blocks a finding; unusual combinations are confirmed.
    result = classify(intake("penis", symptoms=symptoms(), hormonal={"status": "postpartum"}))

    assert any("postpartum" in notice for notice in result.notices)


def test_usual_combinations_give_no_anatomy_notice() -> None:
    result = classify(
        intake(
            "penis",
            symptoms=symptoms(),
            history={"prostatectomy": True, "prostatectomy_weeks_ago": 6},
            hormonal={"status": "not_applicable"},
        )
    )

    assert not any("anatomy" in notice for notice in result.notices)


def test_unspecified_anatomy_gives_no_unusual_combination_notice() -> None:
    # intake-v1 addition (2026-12-01): "unspecified" says nothing of the body.
    result = classify(
        intake(
            "unspecified",
            symptoms=symptoms(),
            history={"prostatectomy": True, "vaginal_births": 2},
            hormonal={"status": "postpartum", "vaginal_estrogen": True},
        )
    )

    assert not any("anatomy" in notice for notice in result.notices)


@pytest.mark.parametrize("anatomy", ["vulva", "penis", "unspecified"])
def test_weeks_since_a_prostatectomy_without_one_is_a_notice_whatever_the_anatomy(
    anatomy: str,
) -> None:
    result = classify(intake(anatomy, history={"prostatectomy_weeks_ago": 6}))

    assert "Weeks since a prostatectomy are recorded without a prostatectomy. " in " ".join(
        result.notices
    )


# --- Contract and purity ---------------------------------------------------------------


def test_to_contract_matches_careplan_v1() -> None:
    # careplan-v1: classification = incontinence_type, predominant, tone_profile, reasons.
    contract = classify(intake(symptoms=symptoms(urgency=True))).to_contract()

    assert list(contract) == ["incontinence_type", "predominant", "tone_profile", "reasons"]
    assert isinstance(contract["reasons"], list)
    json.dumps(contract)


def test_classification_imports_no_django() -> None:
    # style.md: clinical logic is pure Python, no Django imports.
    code = "import sys, assessments.classification; sys.exit('django' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


_SYMPTOMS = st.fixed_dictionaries(
    {},
    optional={
        "stress_leak_triggers": st.lists(st.sampled_from(["cough", "lift", "stand_up"])),
        "urgency": st.booleans(),
        "urge_leaks": st.booleans(),
        "pelvic_pain": st.booleans(),
        "constipation": st.booleans(),
        "straining_to_defecate": st.booleans(),
        "most_bothersome": st.sampled_from(["stress", "urgency"]),
    },
)
_EXAM = st.fixed_dictionaries(
    {},
    optional={
        "consent_recorded": st.booleans(),
        "tone": st.sampled_from(["normal", "increased", "decreased"]),
        "relaxation": st.sampled_from(["complete", "partial", "absent", "delayed"]),
        "oxford_grade": st.integers(0, 5),
        "accessory_muscles": st.booleans(),
        "bearing_down": st.booleans(),
        "tenderness": st.booleans(),
    },
)


@given(
    anatomy=st.sampled_from(["vulva", "penis", "unspecified"]),
    symptoms_=st.one_of(st.none(), _SYMPTOMS),
    exam_=st.one_of(st.none(), _EXAM),
    most_often=st.one_of(st.none(), st.sampled_from(["activity", "urge", "other", "equal"])),
)
def test_any_valid_intake_classifies_within_the_contract(
    anatomy: str,
    symptoms_: dict[str, Any] | None,
    exam_: dict[str, Any] | None,
    most_often: str | None,
) -> None:
    # careplan-v1 value sets; reference §2: predominant only for stress/urgency/mixed.
    sections: dict[str, Any] = {}
    if symptoms_ is not None:
        sections["symptoms"] = symptoms_
    if exam_ is not None:
        sections["exam"] = exam_
    if most_often is not None:
        sections["questionnaires"] = iqq3(most_often)
    result = classify(intake(anatomy, **sections))

    assert result.incontinence_type in INCONTINENCE_TYPES
    assert result.tone_profile in TONE_PROFILES
    assert result.reasons and all(result.reasons)
    if result.incontinence_type in ("stress", "urgency"):
        assert result.predominant == result.incontinence_type
    elif result.incontinence_type == "mixed":
        assert result.predominant in ("stress", "urgency")
    else:
        assert result.predominant is None
    if symptoms_ is None:
        assert result.incontinence_type == "unknown"
    if not exam_ or not {"tone", "relaxation", "oxford_grade"} & set(exam_):
        assert result.tone_profile == "unknown"
