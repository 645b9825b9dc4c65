"""assessments.questionnaires: scoring by hand-computed values, range errors, properties.

Scoring rules: clinical reference, section 6. Pure Python: no database, no Django.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import questionnaires as q
from assessments.questionnaires import (
    MINIMAL_IMPORTANT_CHANGE,
    PFDI20_ITEMS,
    PFIQ7_ITEMS,
    ICIQUISFScore,
    OABV8Score,
    PFDI20Score,
    PFIQ7Score,
    QuestionnaireError,
    iqq3_type,
    score_iciq_ui_sf,
    score_oab_v8,
    score_pfdi20,
    score_pfiq7,
)

# --- PFDI-20 (Barber 2005; reference §6) ----------------------------------------------


def test_pfdi20_scales_are_mean_times_25_and_total_is_their_sum() -> None:
    # POPDI-6 = items 1-6: (1+2+3+4+0+0)/6 x 25 = 41.67; CRADI-8 all 0 = 0;
    # UDI-6 all 4 = 100; total = 141.67.
    items = [1, 2, 3, 4, 0, 0] + [0] * 8 + [4] * 6

    assert score_pfdi20(items) == PFDI20Score(popdi6=41.7, cradi8=0.0, udi6=100.0, total=141.7)


def test_pfdi20_rounds_once_at_the_end() -> None:
    # POPDI 1/6 x 25 = 4.1667, CRADI 2/8 x 25 = 6.25, UDI 1/6 x 25 = 4.1667.
    # Total = 14.583 -> 14.6, not the sum of the rounded scales (4.2 + 6.3 + 4.2 = 14.7).
    items = [1, 0, 0, 0, 0, 0] + [1, 1, 0, 0, 0, 0, 0, 0] + [1, 0, 0, 0, 0, 0]

    assert score_pfdi20(items) == PFDI20Score(popdi6=4.2, cradi8=6.3, udi6=4.2, total=14.6)


def test_pfdi20_extremes_are_0_and_300() -> None:
    assert score_pfdi20([0] * 20) == PFDI20Score(0.0, 0.0, 0.0, 0.0)
    assert score_pfdi20([4] * 20) == PFDI20Score(100.0, 100.0, 100.0, 300.0)


@pytest.mark.parametrize("count", [0, 19, 21])
def test_pfdi20_needs_20_answers(count: int) -> None:
    with pytest.raises(QuestionnaireError) as error:
        score_pfdi20([0] * count)

    assert error.value.field == "pfdi20"
    assert "20" in error.value.message


@pytest.mark.parametrize("bad", [-1, 5, 2.0, True, None, "3"])
def test_pfdi20_items_must_be_whole_numbers_0_to_4(bad: object) -> None:
    items: list[Any] = [0] * 20
    items[2] = bad

    with pytest.raises(QuestionnaireError) as error:
        score_pfdi20(items)

    assert error.value.field == "pfdi20.3"
    assert "item 3" in str(error.value)


def test_pfdi20_has_20_item_wordings() -> None:
    assert len(PFDI20_ITEMS) == 20
    assert all(item.endswith("?") for item in PFDI20_ITEMS)


# --- PFIQ-7 (Barber 2005; reference §6) -----------------------------------------------


def test_pfiq7_scales_are_mean_times_100_over_3_and_total_is_their_sum() -> None:
    # bladder 21/7 x 100/3 = 100; bowel 1/7 x 100/3 = 4.762; prolapse 14/7 x 100/3 =
    # 66.667; total = 171.429 (the rounded scales would add to 171.5).
    answers = {"bladder": [3] * 7, "bowel": [1, 0, 0, 0, 0, 0, 0], "prolapse": [2] * 7}

    assert score_pfiq7(answers) == PFIQ7Score(bladder=100.0, bowel=4.8, prolapse=66.7, total=171.4)


def test_pfiq7_extremes_are_0_and_300() -> None:
    assert score_pfiq7({scale: [0] * 7 for scale in ("bladder", "bowel", "prolapse")}).total == 0
    assert score_pfiq7({scale: [3] * 7 for scale in ("bladder", "bowel", "prolapse")}).total == 300


def test_pfiq7_items_must_be_0_to_3() -> None:
    answers = {"bladder": [0] * 7, "bowel": [0] * 6 + [4], "prolapse": [0] * 7}

    with pytest.raises(QuestionnaireError) as error:
        score_pfiq7(answers)

    assert error.value.field == "pfiq7.bowel.7"


def test_pfiq7_needs_all_three_scales() -> None:
    with pytest.raises(QuestionnaireError) as error:
        score_pfiq7({"bladder": [0] * 7, "bowel": [0] * 7})

    assert error.value.field == "pfiq7.prolapse"


def test_pfiq7_rejects_unknown_scales() -> None:
    answers = {scale: [0] * 7 for scale in ("bladder", "bowel", "prolapse", "sexual")}

    with pytest.raises(QuestionnaireError) as error:
        score_pfiq7(answers)

    assert error.value.field == "pfiq7"


def test_pfiq7_has_7_item_wordings() -> None:
    assert len(PFIQ7_ITEMS) == 7


# --- ICIQ-UI SF (licensed: scores only; reference §6) ----------------------------------


def test_iciq_ui_sf_total_is_the_sum_of_the_three_scores() -> None:
    # 3 + 2 + 6 = 11 (the intake example's answers).
    score = score_iciq_ui_sf({"frequency": 3, "amount": 2, "interference": 6})

    assert score == ICIQUISFScore(frequency=3, amount=2, interference=6, total=11)


def test_iciq_ui_sf_extremes_are_0_and_21() -> None:
    assert score_iciq_ui_sf({"frequency": 0, "amount": 0, "interference": 0}).total == 0
    assert score_iciq_ui_sf({"frequency": 5, "amount": 6, "interference": 10}).total == 21


@pytest.mark.parametrize("amount", [1, 3, 5, 7, -2, 8])
def test_iciq_ui_sf_amount_is_only_0_2_4_or_6(amount: int) -> None:
    with pytest.raises(QuestionnaireError) as error:
        score_iciq_ui_sf({"frequency": 1, "amount": amount, "interference": 1})

    assert error.value.field == "iciq_ui_sf.amount"


@pytest.mark.parametrize(
    ("field", "bad"), [("frequency", 6), ("frequency", -1), ("interference", 11)]
)
def test_iciq_ui_sf_scores_must_be_in_range(field: str, bad: int) -> None:
    answers = {"frequency": 1, "amount": 2, "interference": 1, field: bad}

    with pytest.raises(QuestionnaireError) as error:
        score_iciq_ui_sf(answers)

    assert error.value.field == f"iciq_ui_sf.{field}"


def test_iciq_ui_sf_has_no_severity_label() -> None:
    # ICIQ advice (reference §6): a total has no absolute severity meaning.
    fields = set(ICIQUISFScore.__dataclass_fields__)

    assert fields == {"frequency", "amount", "interference", "total"}


def test_licensed_instruments_have_score_labels_only() -> None:
    # Reference §6: ICIQ-UI SF is licensed and OAB-V8's licence unknown, so the module
    # holds short neutral score labels, never their question text.
    labels = [*q.ICIQ_UI_SF_LABELS.values(), q.OAB_V8_ITEM_LABEL]

    assert all(re.fullmatch(r"[\w %()]+ score \([0-9–, or]+\)", label) for label in labels)
    assert not [name for name in dir(q) if re.match(r"(ICIQ|OAB).*(ITEMS|QUESTIONS)$", name)]


# --- OAB-V8 (reference §6) ------------------------------------------------------------


def test_oab_v8_total_of_8_suggests_oab() -> None:
    assert score_oab_v8([1] * 8) == OABV8Score(total=8, suggests_oab=True)


def test_oab_v8_total_of_7_does_not_suggest_oab() -> None:
    assert score_oab_v8([1] * 7 + [0]) == OABV8Score(total=7, suggests_oab=False)


def test_oab_v8_items_must_be_0_to_5() -> None:
    with pytest.raises(QuestionnaireError) as error:
        score_oab_v8([0] * 7 + [6])

    assert error.value.field == "oab_v8.8"


# --- 3IQ (Brown 2006) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("most_often", "expected"),
    [("activity", "stress"), ("urge", "urgency"), ("other", "other"), ("equal", "mixed")],
)
def test_iqq3_type_follows_most_often(most_often: str, expected: str) -> None:
    # Brown 2006: the type follows question 3.
    answers = {"any_leak_3_months": True, "when": ["activity", "urge"], "most_often": most_often}

    assert iqq3_type(answers) == expected


def test_iqq3_no_leaks_means_no_type() -> None:
    # Brown 2006: "no" to question 1 completes the questionnaire.
    assert iqq3_type({"any_leak_3_months": False}) is None
    assert iqq3_type({"any_leak_3_months": False, "most_often": "urge"}) is None


def test_iqq3_without_most_often_has_no_type() -> None:
    assert iqq3_type({"any_leak_3_months": True, "when": ["urge"]}) is None


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"any_leak_3_months": True, "most_often": "sometimes"}, "iqq3.most_often"),
        ({"any_leak_3_months": "yes"}, "iqq3.any_leak_3_months"),
        ({"any_leak_3_months": True, "when": ["cough"]}, "iqq3.when"),
        ({"any_leak_3_months": True, "when": "urge"}, "iqq3.when"),
        ({"any_leak_3_months": True, "most_offen": "urge"}, "iqq3"),
    ],
)
def test_iqq3_rejects_answers_outside_the_questionnaire(
    answers: dict[str, Any], field: str
) -> None:
    with pytest.raises(QuestionnaireError) as error:
        iqq3_type(answers)

    assert error.value.field == field


def test_iqq3_wording_has_three_questions_and_four_most_often_choices() -> None:
    assert len(q.IQQ3_QUESTIONS) == 3
    assert [code for code, _wording in q.IQQ3_WHEN_CHOICES] == ["activity", "urge", "other"]
    assert [code for code, _wording in q.IQQ3_MOST_OFTEN_CHOICES] == [
        "activity",
        "urge",
        "other",
        "equal",
    ]


def test_minimal_important_changes_follow_the_reference() -> None:
    # Reference §6: ICIQ-UI SF 2.52 (Nyström 2015); PFDI-20 24 (Karjalainen).
    assert MINIMAL_IMPORTANT_CHANGE == {"iciq_ui_sf": 2.52, "pfdi20": 24.0}


def test_error_is_a_value_error_with_field_and_message() -> None:
    error = QuestionnaireError("oab_v8", "OAB-V8 answers must be a list.")

    assert isinstance(error, ValueError)
    assert (error.field, error.message, str(error)) == (
        "oab_v8",
        "OAB-V8 answers must be a list.",
        "OAB-V8 answers must be a list.",
    )


# --- Properties: anything in, a score in range or QuestionnaireError out ---------------

_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.lists(st.integers(0, 4), max_size=3),
)
_ITEM_LISTS = st.one_of(
    st.lists(st.one_of(st.integers(-2, 6), _ANYTHING), max_size=25),
    st.lists(st.integers(-1, 6), min_size=7, max_size=21),
    st.text(max_size=25),
    _ANYTHING,
    st.dictionaries(st.text(max_size=3), st.integers()),
)
_NAMED_ANSWERS = st.one_of(
    st.dictionaries(
        st.one_of(
            st.sampled_from(["bladder", "bowel", "prolapse", "frequency"]),
            st.none(),
            st.integers(),
            st.text(max_size=3),
        ),
        _ITEM_LISTS,
        max_size=4,
    ),
    st.dictionaries(
        st.sampled_from(["frequency", "amount", "interference", "other"]),
        st.one_of(st.integers(-1, 11), _ANYTHING),
        max_size=4,
    ),
    _ITEM_LISTS,
)


@given(_ITEM_LISTS)
def test_pfdi20_never_raises_anything_but_questionnaire_error(items: Any) -> None:
    try:
        score = score_pfdi20(items)
    except QuestionnaireError:
        return
    for scale in (score.popdi6, score.cradi8, score.udi6):
        assert 0 <= scale <= 100
    assert 0 <= score.total <= 300


@given(st.lists(st.integers(0, 4), min_size=20, max_size=20))
def test_pfdi20_valid_answers_score_within_range(items: list[int]) -> None:
    score = score_pfdi20(items)

    assert 0 <= score.total <= 300
    assert score.popdi6 == round(sum(items[:6]) * 25 / 6 + 1e-9, 1)
    assert abs(score.total - (score.popdi6 + score.cradi8 + score.udi6)) <= 0.15


@given(_NAMED_ANSWERS)
def test_pfiq7_never_raises_anything_but_questionnaire_error(answers: Any) -> None:
    try:
        score = score_pfiq7(answers)
    except QuestionnaireError:
        return
    for scale in (score.bladder, score.bowel, score.prolapse):
        assert 0 <= scale <= 100
    assert 0 <= score.total <= 300


_PFIQ7_SCALE = st.lists(st.integers(0, 3), min_size=7, max_size=7)


@given(
    st.fixed_dictionaries(
        {"bladder": _PFIQ7_SCALE, "bowel": _PFIQ7_SCALE, "prolapse": _PFIQ7_SCALE}
    )
)
def test_pfiq7_valid_answers_score_within_range(answers: dict[str, list[int]]) -> None:
    score = score_pfiq7(answers)

    assert 0 <= score.total <= 300


@given(_NAMED_ANSWERS)
def test_iciq_ui_sf_never_raises_anything_but_questionnaire_error(answers: Any) -> None:
    try:
        score = score_iciq_ui_sf(answers)
    except QuestionnaireError:
        return
    assert score.amount in (0, 2, 4, 6)
    assert 0 <= score.total <= 21


@given(_ITEM_LISTS)
def test_oab_v8_never_raises_anything_but_questionnaire_error(items: Any) -> None:
    try:
        score = score_oab_v8(items)
    except QuestionnaireError:
        return
    assert 0 <= score.total <= 40
    assert score.suggests_oab == (score.total >= 8)


@given(
    st.one_of(
        st.dictionaries(
            st.sampled_from(["any_leak_3_months", "when", "most_often", "other"]),
            st.one_of(
                _ANYTHING,
                st.sampled_from(["activity", "urge", "other", "equal"]),
                st.lists(st.sampled_from(["activity", "urge", "other", "cough"])),
            ),
        ),
        _ITEM_LISTS,
    )
)
def test_iqq3_never_raises_anything_but_questionnaire_error(answers: Any) -> None:
    try:
        result = iqq3_type(answers)
    except QuestionnaireError:
        return
    assert result in (None, "stress", "urgency", "other", "mixed")
