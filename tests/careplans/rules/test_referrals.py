"""Medical and specialist referrals (reference §4). A referral never replaces the safe
first steps (§3 rule 4) and never counts toward the phase-1 cap (§4)."""

from __future__ import annotations

from typing import Any

import pytest

from careplans.rules import PlanSettings
from tests.careplans.rules.helpers import (
    BLADDER_TRAINING,
    BREATHING,
    COMPLEX_BODIES,
    GP_REVIEW,
    MANUAL_THERAPY,
    MEDICATION_CHECK,
    MIXED,
    NO_SYMPTOMS,
    OAB_MEDICATION,
    OVERACTIVE_FLOOR,
    POST_PROSTATECTOMY,
    PROLAPSE,
    REFRACTORY_OAB,
    RELAXING_FLOOR,
    SPECIALIST_ASSESSMENT,
    STRESS,
    SUI_PROCEDURES,
    URGENCY,
    VAGINAL_ESTROGEN,
    built,
    codes,
    diary,
    intake,
    item,
    note_codes,
    plan_of,
)

# --- Specialist assessment ---------------------------------------------------------------


@pytest.mark.parametrize("symptom", ["voiding_difficulty", "incomplete_emptying"])
def test_specialist_assessment_for_voiding_difficulty_or_incomplete_emptying_alone(
    symptom: str,
) -> None:
    # Reference §4: voiding difficulty or incomplete emptying on their own (a post-void
    # residual is needed); NICE NG123.
    plan = plan_of(intake(symptoms={**NO_SYMPTOMS, symptom: True}, exam=RELAXING_FLOOR))
    assessment = item(plan, SPECIALIST_ASSESSMENT)
    assert assessment["phase"] == 1
    assert assessment["category"] == "specialist_referral"
    assert "post-void residual" in assessment["rationale"]
    assert symptom.replace("_", " ") in assessment["rationale"].lower()


URINARY_SYMPTOMS = [
    {"stress_leak_triggers": ["cough"], "urgency": False},
    {"stress_leak_triggers": [], "urgency": True},
    {"stress_leak_triggers": [], "urgency": False, "urge_leaks": True},
    {**NO_SYMPTOMS, "day_voids": 9},
    {**NO_SYMPTOMS, "night_voids": 2},
]
HISTORY_NAMES = {
    "neurological_condition": "neurological condition",
    "continence_surgery": "continence surgery",
    "pelvic_radiotherapy": "pelvic radiotherapy",
}


@pytest.mark.parametrize("history", list(HISTORY_NAMES))
@pytest.mark.parametrize("symptoms", URINARY_SYMPTOMS)
def test_specialist_assessment_for_history_with_urinary_symptoms(
    history: str, symptoms: dict[str, Any]
) -> None:
    # Reference §4: urinary symptoms (any leak, urgency, frequency or nocturia) together
    # with a neurological condition, previous continence surgery or pelvic radiotherapy;
    # the referral names which applies.
    plan = plan_of(intake(symptoms=symptoms, exam=RELAXING_FLOOR, history={history: True}))
    assessment = item(plan, SPECIALIST_ASSESSMENT)
    assert HISTORY_NAMES[history] in assessment["rationale"]


@pytest.mark.parametrize("history", list(HISTORY_NAMES))
@pytest.mark.parametrize(
    "symptoms",
    [NO_SYMPTOMS, {**NO_SYMPTOMS, "day_voids": 8, "night_voids": 1}, None],
)
def test_no_specialist_assessment_for_history_without_urinary_symptoms(
    history: str, symptoms: dict[str, Any] | None
) -> None:
    # Reference §4: the history findings count only together with urinary symptoms.
    sections: dict[str, Any] = {"exam": RELAXING_FLOOR, "history": {history: True}}
    if symptoms is not None:
        sections["symptoms"] = symptoms
    assert SPECIALIST_ASSESSMENT not in codes(plan_of(intake(**sections)))


def test_no_specialist_assessment_for_urinary_symptoms_alone() -> None:
    history = {key: False for key in HISTORY_NAMES}
    plan = plan_of(intake(symptoms=MIXED, exam=RELAXING_FLOOR, history=history))
    assert SPECIALIST_ASSESSMENT not in codes(plan)


# --- GP review for diabetes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptoms", "found"),
    [
        ({"stress_leak_triggers": [], "urgency": True}, "urgency"),
        ({**NO_SYMPTOMS, "day_voids": 9}, "frequency"),
        ({**NO_SYMPTOMS, "night_voids": 2}, "nocturia"),
    ],
)
def test_gp_review_for_diabetes_with_urinary_drive(symptoms: dict[str, Any], found: str) -> None:
    # Reference §4: diabetes with urgency, frequency (> 8), nocturia (≥ 2) or polyuria.
    plan = plan_of(intake(symptoms=symptoms, exam=RELAXING_FLOOR, history={"diabetes": True}))
    review = item(plan, GP_REVIEW)
    assert review["phase"] == 1
    assert review["category"] == "medical_referral"
    assert found in review["rationale"]
    assert "blood sugar" in review["rationale"]


@pytest.mark.parametrize("metric", ["polyuria_24h", "nocturnal_polyuria"])
def test_gp_review_for_diabetes_with_diary_polyuria(metric: str) -> None:
    plan = plan_of(
        intake(symptoms=NO_SYMPTOMS, history={"diabetes": True}), diary=diary(**{metric: True})
    )
    assert "polyuria" in item(plan, GP_REVIEW)["rationale"]


@pytest.mark.parametrize(
    ("symptoms", "history"),
    [
        (NO_SYMPTOMS, {"diabetes": True}),
        ({**NO_SYMPTOMS, "day_voids": 8, "night_voids": 1}, {"diabetes": True}),
        (STRESS, {"diabetes": True}),
        ({"stress_leak_triggers": [], "urgency": True}, {"diabetes": False}),
        ({"stress_leak_triggers": [], "urgency": True}, {}),
    ],
)
def test_no_gp_review_for_diabetes_alone_or_urgency_without_diabetes(
    symptoms: dict[str, Any], history: dict[str, Any]
) -> None:
    plan = plan_of(intake(symptoms=symptoms, exam=RELAXING_FLOOR, history=history))
    assert GP_REVIEW not in codes(plan)


# --- OAB medication and refractory OAB -----------------------------------------------------


@pytest.mark.parametrize("symptoms", [URGENCY, MIXED])
@pytest.mark.parametrize("weeks", [6, 12])
def test_oab_medication_in_phase_1_after_6_weeks_of_bladder_training(
    symptoms: dict[str, Any], weeks: int
) -> None:
    # Reference §4: phase 1 when bladder_training_weeks_tried ≥ 6 (NICE NG123; AUA/SUFU).
    plan = plan_of(
        intake(
            symptoms=symptoms, exam=RELAXING_FLOOR, history={"bladder_training_weeks_tried": weeks}
        )
    )
    medication = item(plan, OAB_MEDICATION)
    assert medication["phase"] == 1
    assert "hold_reason" not in medication
    assert "4 weeks" in medication["rationale"]
    assert REFRACTORY_OAB not in codes(plan)


@pytest.mark.parametrize(
    "history", [{}, {"bladder_training_weeks_tried": 0}, {"bladder_training_weeks_tried": 5}]
)
def test_oab_medication_waits_for_the_review_before_6_weeks(history: dict[str, Any]) -> None:
    # Reference §4: otherwise phase 2 (at the review), with its own hold reason (§3 rule 2).
    plan = plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR, history=history))
    medication = item(plan, OAB_MEDICATION)
    assert medication["phase"] == 2
    assert "6 weeks of bladder training" in medication["hold_reason"]
    assert "review" in medication["hold_reason"].lower()


@pytest.mark.parametrize("symptoms", [URGENCY, MIXED])
def test_refractory_oab_instead_of_medication_once_a_medicine_was_tried(
    symptoms: dict[str, Any],
) -> None:
    # Reference §4: not OAB medication when oab_medication_tried (refractory OAB instead);
    # bladder training continues alongside.
    plan = plan_of(
        intake(
            symptoms=symptoms,
            exam=RELAXING_FLOOR,
            history={"oab_medication_tried": True, "bladder_training_weeks_tried": 8},
        )
    )
    assert OAB_MEDICATION not in codes(plan)
    refractory = item(plan, REFRACTORY_OAB)
    assert refractory["category"] == "specialist_referral"
    assert refractory["phase"] == 1
    for words in ("botulinum toxin", "tibial", "sacral"):
        assert words in refractory["rationale"]
    assert BLADDER_TRAINING in codes(plan)


def test_no_oab_items_without_urgency() -> None:
    plan = plan_of(
        intake(symptoms=STRESS, exam=RELAXING_FLOOR, history={"oab_medication_tried": True})
    )
    assert OAB_MEDICATION not in codes(plan)
    assert REFRACTORY_OAB not in codes(plan)


# --- Vaginal estrogen --------------------------------------------------------------------

ATROPHY = {"status": "postmenopausal", "vaginal_atrophy": True, "vaginal_estrogen": False}
CANCER_ASKED_NO = {"hormone_sensitive_cancer": False, "aromatase_inhibitor": False}


@pytest.mark.parametrize(
    "sections",
    [
        {"symptoms": URGENCY},
        {"symptoms": MIXED},
        {"symptoms": NO_SYMPTOMS, "red_flags": ["recurrent_uti"]},
    ],
)
def test_vaginal_estrogen_for_postmenopausal_atrophy_with_urgency_or_recurrent_uti(
    sections: dict[str, Any],
) -> None:
    # Reference §4: postmenopausal + vaginal atrophy + urgency or recurrent UTI (NICE NG123).
    plan = plan_of(
        intake(exam=RELAXING_FLOOR, hormonal=ATROPHY, history=CANCER_ASKED_NO, **sections)
    )
    estrogen = item(plan, VAGINAL_ESTROGEN)
    assert estrogen["phase"] == 1
    assert estrogen["category"] == "medical_referral"
    assert estrogen["title"] == "Ask your GP (family doctor) about low-dose vaginal estrogen"


@pytest.mark.parametrize(
    ("symptoms", "hormonal"),
    [
        (URGENCY, {**ATROPHY, "vaginal_estrogen": True}),
        (URGENCY, {**ATROPHY, "vaginal_atrophy": False}),
        (URGENCY, {**ATROPHY, "status": "perimenopausal"}),
        (STRESS, ATROPHY),
    ],
)
def test_no_vaginal_estrogen_outside_its_row(
    symptoms: dict[str, Any], hormonal: dict[str, Any]
) -> None:
    plan = plan_of(
        intake(symptoms=symptoms, exam=RELAXING_FLOOR, hormonal=hormonal, history=CANCER_ASKED_NO)
    )
    assert VAGINAL_ESTROGEN not in codes(plan)


@pytest.mark.parametrize(
    "history",
    [
        {"hormone_sensitive_cancer": True, "aromatase_inhibitor": False},
        {"hormone_sensitive_cancer": False, "aromatase_inhibitor": True},
        {"hormone_sensitive_cancer": True},
        {"aromatase_inhibitor": True},
    ],
)
def test_vaginal_estrogen_asks_the_cancer_team_after_hormone_sensitive_cancer(
    history: dict[str, Any],
) -> None:
    # Reference §4: with hormone_sensitive_cancer or aromatase_inhibitor true, the title
    # and rationale say to ask the cancer team, with non-hormonal moisturisers meanwhile
    # (NICE NG23).
    result = built(intake(symptoms=URGENCY, exam=RELAXING_FLOOR, hormonal=ATROPHY, history=history))
    estrogen = item(result.plan, VAGINAL_ESTROGEN)
    assert "cancer team" in estrogen["title"]
    assert "cancer team" in estrogen["rationale"]
    assert "moisturiser" in estrogen["rationale"]
    assert "NG23" in estrogen["source"]
    notes = note_codes(result, VAGINAL_ESTROGEN)
    assert "estrogen.cancer_team" in notes
    assert "estrogen.ask_cancer_history" not in notes


@pytest.mark.parametrize(
    "history", [{}, {"hormone_sensitive_cancer": False}, {"aromatase_inhibitor": False}]
)
def test_vaginal_estrogen_when_cancer_history_was_not_asked(history: dict[str, Any]) -> None:
    # Reference §4: when those fields were not asked, the rationale and the printed text
    # say "tell your doctor if you have ever had breast or womb cancer"; the therapist is
    # told to ask.
    result = built(intake(symptoms=URGENCY, exam=RELAXING_FLOOR, hormonal=ATROPHY, history=history))
    estrogen = item(result.plan, VAGINAL_ESTROGEN)
    notes = note_codes(result, VAGINAL_ESTROGEN)
    assert "estrogen.ask_cancer_history" in notes
    assert "estrogen.cancer_team" not in notes
    assert "breast or womb cancer" in estrogen["rationale"]
    assert any("breast or womb cancer" in notice for notice in result.plan["notices"])


def test_vaginal_estrogen_when_cancer_history_was_asked_and_absent() -> None:
    result = built(
        intake(symptoms=URGENCY, exam=RELAXING_FLOOR, hormonal=ATROPHY, history=CANCER_ASKED_NO)
    )
    notes = note_codes(result, VAGINAL_ESTROGEN)
    assert "estrogen.ask_cancer_history" not in notes
    assert "estrogen.cancer_team" not in notes
    assert not any("breast or womb cancer" in notice for notice in result.plan["notices"])
    assert "cancer team" not in item(result.plan, VAGINAL_ESTROGEN)["title"]


# --- Other referrals ---------------------------------------------------------------------


def test_medication_check_for_diuretics() -> None:
    # Reference §4: GP review of timing for diuretics.
    plan = plan_of(intake(history={"diuretics": True}))
    assert item(plan, MEDICATION_CHECK)["category"] == "medical_referral"
    assert MEDICATION_CHECK not in codes(plan_of(intake(history={"diuretics": False})))


def test_manual_therapy_for_an_overactive_floor_with_tenderness() -> None:
    # Reference §4: overactive with tenderness (AUA IC/BPS), in clinic.
    plan = plan_of(intake(exam={**OVERACTIVE_FLOOR, "tenderness": True}))
    assert item(plan, MANUAL_THERAPY)["phase"] == 1
    assert MANUAL_THERAPY not in codes(plan_of(intake(exam={**RELAXING_FLOOR, "tenderness": True})))
    assert MANUAL_THERAPY not in codes(plan_of(intake(exam=OVERACTIVE_FLOOR)))


@pytest.mark.parametrize(("months", "applies"), [(2, False), (3, True), (12, True)])
def test_sui_procedures_after_3_months_of_supervised_pfmt(months: int, applies: bool) -> None:
    # Reference §4: stress leaks persisting after ≥ 3 months of PFMT (NICE NG123).
    plan = plan_of(
        intake(symptoms=STRESS, exam=RELAXING_FLOOR, history={"pfmt_months_tried": months})
    )
    assert (SUI_PROCEDURES in codes(plan)) is applies
    if applies:
        procedures = item(plan, SUI_PROCEDURES)
        assert procedures["phase"] == 1
        for words in ("pessary", "bulking", "sling", "colposuspension"):
            assert words in procedures["rationale"]


def test_no_sui_procedures_without_stress_leaks() -> None:
    plan = plan_of(intake(symptoms=URGENCY, exam=RELAXING_FLOOR, history={"pfmt_months_tried": 6}))
    assert SUI_PROCEDURES not in codes(plan)


@pytest.mark.parametrize(
    ("weeks_ago", "applies"), [(8, False), (25, False), (26, True), (52, True)]
)
def test_urology_referral_when_leaks_persist_6_months_after_prostatectomy(
    weeks_ago: int, applies: bool
) -> None:
    # Reference §4: not improving by 6 months -> ask the urologist about surgery (AUA).
    data = intake(
        anatomy="penis",
        symptoms=STRESS,
        exam=RELAXING_FLOOR,
        history={"prostatectomy": True, "prostatectomy_weeks_ago": weeks_ago},
    )
    assert (POST_PROSTATECTOMY in codes(plan_of(data))) is applies


def test_prolapse_bulge_gets_a_urogynaecology_referral() -> None:
    # Reference §4: bulge at or below the introitus -> urogynaecology.
    plan = plan_of(intake(symptoms={"prolapse_bulge": True}, exam=RELAXING_FLOOR))
    assert "urogynaecology" in item(plan, PROLAPSE)["rationale"]


@pytest.mark.parametrize("finding", ["hypermobility", "scoliosis", "chronic_pain"])
def test_complex_bodies_get_a_whole_body_plan(finding: str) -> None:
    # Reference §4: hypermobility, scoliosis, chronic pain -> hips, spine, posture.
    rationale = item(plan_of(intake(history={finding: True})), COMPLEX_BODIES)["rationale"]
    assert "hips, spine and posture" in rationale


def test_referrals_never_count_toward_the_phase_1_cap() -> None:
    # Reference §4: referrals never count; §3 rule 4: they never replace the first steps.
    data = intake(
        symptoms={**URGENCY, "voiding_difficulty": True},
        exam=RELAXING_FLOOR,
        hormonal=ATROPHY,
        history={
            **CANCER_ASKED_NO,
            "diabetes": True,
            "diuretics": True,
            "scoliosis": True,
            "bladder_training_weeks_tried": 6,
        },
    )
    plan = plan_of(data, settings=PlanSettings(phase_one_limit=0))
    for code in (
        VAGINAL_ESTROGEN,
        MEDICATION_CHECK,
        OAB_MEDICATION,
        GP_REVIEW,
        SPECIALIST_ASSESSMENT,
        COMPLEX_BODIES,
    ):
        assert item(plan, code)["phase"] == 1, code
    assert item(plan, BREATHING)["phase"] == 1
    assert item(plan, BLADDER_TRAINING)["phase"] == 1
