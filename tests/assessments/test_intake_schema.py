"""Intake files against contract pelvic-intake/1, and the care-plan output schema."""

import copy
import json
from pathlib import Path

import pytest
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from assessments import intake as intake_module
from assessments.intake import (
    INTAKE_SCHEMA,
    FieldError,
    IntakeError,
    intake_errors,
    load_intake_file,
    load_intake_text,
    validate_intake,
)
from careplans.contract import CAREPLAN_SCHEMA, careplan_errors
from clinic import i18n

# The worked example of contract pelvic-intake/1 (contracts/examples/intake-example.json).
EXAMPLE_TEXT = (Path(__file__).parent / "data" / "intake-example.json").read_text()

MINIMAL = {"schema": "pelvic-intake/1", "patient": {"anatomy": "penis", "age": 67}}

# Every integer range of intake-v1.md, typed out from the contract (not read from the schema).
INTEGER_RANGES = [
    ("patient", "age", 12, 110),
    ("symptoms", "day_voids", 0, 40),
    ("symptoms", "night_voids", 0, 15),
    ("exam", "oxford_grade", 0, 5),
    ("exam", "endurance_s", 0, 60),
    ("exam", "repetitions", 0, 20),
    ("exam", "fast_contractions", 0, 30),
    ("hormonal", "weeks_postpartum", 0, 520),
    ("history", "vaginal_births", 0, 20),
    ("history", "prostatectomy_weeks_ago", 0, 1040),
    ("history", "pfmt_months_tried", 0, 240),
    ("lifestyle", "caffeine_drinks_per_day", 0, 30),
    ("lifestyle", "alcohol_units_per_week", 0, 200),
    ("lifestyle", "fluid_intake_ml", 0, 10000),
]
NUMBER_RANGES = [("patient", "weight_kg", 25, 350), ("lifestyle", "bmi", 10, 90)]


def example() -> dict:
    return json.loads(EXAMPLE_TEXT)


def with_value(section: str, key: str, value: object) -> dict:
    data = copy.deepcopy(MINIMAL)
    if section == "hormonal" and key == "weeks_postpartum":
        data["hormonal"] = {"status": "postpartum"}
    data.setdefault(section, {})[key] = value
    return data


def messages(data: object) -> dict[str, str]:
    return {error.field: error.message for error in intake_errors(data)}


# --- the schema files ----------------------------------------------------------------------


def test_schema_files_are_draft_2020_12() -> None:
    Draft202012Validator.check_schema(INTAKE_SCHEMA)
    Draft202012Validator.check_schema(CAREPLAN_SCHEMA)


def test_every_pattern_has_its_own_message() -> None:
    def patterns(node: object) -> set[str]:
        if isinstance(node, dict):
            found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
            return found.union(*(patterns(value) for value in node.values()))
        if isinstance(node, list):
            return set().union(*(patterns(value) for value in node))
        return set()

    known = {
        intake_module.LANGUAGE_PATTERN,
        intake_module.DIARY_PATH_PATTERN,
        intake_module.CODE_PATTERN,
        intake_module.DOSING_KEY_PATTERN,
        intake_module.NOT_BLANK_PATTERN,
    }
    assert patterns(INTAKE_SCHEMA) | patterns(CAREPLAN_SCHEMA) == known


def test_every_object_refuses_unknown_keys() -> None:
    def objects(node: object) -> list[dict]:
        if isinstance(node, dict):
            own = [node] if "properties" in node else []
            # "if" / "then" only add conditions to their object, which refuses unknown keys.
            values = [value for key, value in node.items() if key not in ("if", "then")]
            return own + [o for value in values for o in objects(value)]
        if isinstance(node, list):
            return [o for value in node for o in objects(value)]
        return []

    for node in objects(INTAKE_SCHEMA) + objects(CAREPLAN_SCHEMA):
        assert node["additionalProperties"] is False


# --- valid files -----------------------------------------------------------------------------


def test_the_contract_example_is_valid() -> None:
    assert load_intake_text(EXAMPLE_TEXT) == example()


def test_schema_and_patient_are_all_that_is_required() -> None:
    assert validate_intake(MINIMAL) is MINIMAL


def test_it_accepts_every_questionnaire() -> None:
    data = copy.deepcopy(MINIMAL)
    data["questionnaires"] = {
        "pfdi20": [0, 1, 2, 3, 4] * 4,
        "pfiq7": {"bladder": [0] * 7, "bowel": [3] * 7, "prolapse": [1, 2, 3, 0, 1, 2, 3]},
        "iqq3": {"any_leak_3_months": False},
        "iciq_ui_sf": {"frequency": 5, "amount": 6, "interference": 10},
        "oab_v8": [0, 1, 2, 3, 4, 5, 5, 0],
    }
    assert intake_errors(data) == []


@pytest.mark.parametrize("tag", ["en", "es", "pt-BR", "zh-Hant-TW", "es-419", "gsw"])
def test_it_accepts_language_tags(tag: str) -> None:
    assert intake_errors(with_value("patient", "language", tag)) == []


@pytest.mark.parametrize(
    "diary",
    [
        "diary.csv",
        "diaries/week 1.csv",
        "../shared/diary.csv",
        [],
        [{"time": "2026-03-02T07:05", "event": "rise"}, {"anything": 1}],
    ],
)
def test_it_accepts_a_diary_path_or_rows(diary: object) -> None:
    data = copy.deepcopy(MINIMAL)
    data["diary"] = diary
    assert intake_errors(data) == []


# --- each kind of error names the field ----------------------------------------------------


@pytest.mark.parametrize(("section", "key", "low", "high"), INTEGER_RANGES)
def test_integer_ranges_follow_the_contract(section: str, key: str, low: int, high: int) -> None:
    assert intake_errors(with_value(section, key, low)) == []
    assert intake_errors(with_value(section, key, high)) == []
    expected = f"must be a whole number from {low} to {high}, found "
    for bad in (low - 1, high + 1, float(low), "5", True, None):
        found = messages(with_value(section, key, bad))
        assert found[f"{section}.{key}"].startswith(expected), bad


@pytest.mark.parametrize(("section", "key", "low", "high"), NUMBER_RANGES)
def test_number_ranges_follow_the_contract(section: str, key: str, low: int, high: int) -> None:
    for good in (low, high, low + 0.5, float(high)):
        assert intake_errors(with_value(section, key, good)) == []
    for bad in (low - 0.1, high + 1, "80", False, float("nan"), float("inf")):
        found = messages(with_value(section, key, bad))
        assert found[f"{section}.{key}"].startswith(f"must be a number from {low} to {high}")


def test_a_boolean_is_not_an_age() -> None:
    assert messages(with_value("patient", "age", True)) == {
        "patient.age": "must be a whole number from 12 to 110, found true"
    }


def test_a_number_is_not_a_boolean() -> None:
    assert messages(with_value("exam", "knack", 1)) == {
        "exam.knack": "must be true or false, found 1"
    }


def test_a_missing_required_key_is_named() -> None:
    data = {"schema": "pelvic-intake/1", "patient": {}}
    assert messages(data) == {"patient.age": "is required", "patient.anatomy": "is required"}
    assert messages({}) == {"patient": "is required", "schema": "is required"}


def test_the_schema_version_must_match() -> None:
    data = {**MINIMAL, "schema": "pelvic-intake/2"}
    assert messages(data) == {
        "schema": 'must be "pelvic-intake/1", found "pelvic-intake/2"',
    }


def test_an_enum_lists_the_choices() -> None:
    assert messages(with_value("exam", "tone", "tight")) == {
        "exam.tone": 'must be one of: normal, increased, decreased; found "tight"'
    }
    assert messages(with_value("patient", "anatomy", 1)) == {
        "patient.anatomy": "must be one of: vulva, penis, unspecified; found 1"
    }


def test_a_typo_is_an_unknown_field_with_a_suggestion() -> None:
    data = example()
    data["exam"]["oxford"] = data["exam"].pop("oxford_grade")
    assert messages(data) == {
        "exam.oxford": "unknown field (a typo would silently drop a finding); "
        "did you mean oxford_grade?"
    }


def test_unknown_keys_are_refused_at_every_level() -> None:
    data = example()
    data["redflags"] = []
    data["patient"]["sex"] = "F"
    data["questionnaires"]["iciq_ui_sf"]["total"] = 11
    assert set(messages(data)) == {
        "redflags",
        "patient.sex",
        "questionnaires.iciq_ui_sf.total",
    }
    assert messages(data)["redflags"].endswith("did you mean red_flags?")


def test_a_strange_key_is_quoted_in_the_path() -> None:
    data = {**MINIMAL, "exam": {"tone ": "normal", "": 1}}
    assert set(messages(data)) == {'exam["tone "]', 'exam[""]'}


def test_list_items_are_named_by_index() -> None:
    data = with_value("symptoms", "stress_leak_triggers", ["cough", "sneeze", "hop"])
    data["red_flags"] = ["dysuria", "dysuria"]
    assert messages(data) == {
        "symptoms.stress_leak_triggers[2]": "must be one of: cough, sneeze, laugh, lift, "
        'exercise, jump, walk, stand_up; found "hop"',
        "red_flags": 'must not list "dysuria" twice',
    }
    assert "red_flags[0]" in messages({**MINIMAL, "red_flags": ["haematuria"]})


def test_questionnaire_answers_are_checked() -> None:
    data = copy.deepcopy(MINIMAL)
    data["questionnaires"] = {
        "pfdi20": [0] * 19,
        "pfiq7": {"bladder": [0] * 6 + [4], "bowel": [0] * 7},
        "iqq3": {"any_leak_3_months": True, "when": ["urge", "night"], "most_often": "both"},
        "iciq_ui_sf": {"frequency": 2, "amount": 3, "interference": 11},
        "oab_v8": [6] + [0] * 7,
    }
    assert messages(data) == {
        "questionnaires.pfdi20": "must have exactly 20 entries, found 19",
        "questionnaires.pfiq7.bladder[6]": "must be a whole number from 0 to 3, found 4",
        "questionnaires.pfiq7.prolapse": "is required",
        "questionnaires.iqq3.when[1]": 'must be one of: activity, urge, other; found "night"',
        "questionnaires.iqq3.most_often": "must be one of: activity, urge, other, equal; "
        'found "both"',
        "questionnaires.iciq_ui_sf.amount": "must be one of: 0, 2, 4, 6; found 3",
        "questionnaires.iciq_ui_sf.interference": "must be a whole number from 0 to 10, found 11",
        "questionnaires.oab_v8[0]": "must be a whole number from 0 to 5, found 6",
    }


@pytest.mark.parametrize("tag", ["english", "en_US", "e", "en\n", "", "pt-BR-"])
def test_it_refuses_what_is_not_a_language_tag(tag: str) -> None:
    assert messages(with_value("patient", "language", tag))["patient.language"].startswith(
        "must be a language tag such as en"
    )


def test_pronouns_are_short() -> None:
    assert intake_errors(with_value("patient", "pronouns", "x" * 40)) == []
    assert messages(with_value("patient", "pronouns", "x" * 41)) == {
        "patient.pronouns": "must be at most 40 characters long, found 41"
    }


@pytest.mark.parametrize(
    ("diary", "field", "start"),
    [
        ("/etc/passwd", "diary", "must be a path relative to the intake file's folder"),
        ("C:\\diary.csv", "diary", "must be a path relative to the intake file's folder"),
        ("", "diary", "must not be empty"),
        (12, "diary", "must be text or a list, found 12"),
        ([{"time": "x"}, "void"], "diary[1]", 'must be an object, found "void"'),
        ([{}] * 20001, "diary", "must have at most 20000 entries, found 20001"),
    ],
)
def test_a_bad_diary_is_named(diary: object, field: str, start: str) -> None:
    data = {**MINIMAL, "diary": diary}
    assert messages(data)[field].startswith(start)


def test_errors_come_in_natural_order_without_duplicates() -> None:
    data = example()
    data["red_flags"] = ["a"] * 11
    data["exam"]["tone"] = "x"
    data["patient"]["age"] = 5.5
    errors = intake_errors(data)
    fields = [error.field for error in errors]
    assert fields == ["exam.tone", "patient.age", "red_flags"] + [
        f"red_flags[{i}]" for i in range(11)
    ]
    assert len(set(errors)) == len(errors)


def test_the_error_lists_every_problem_one_per_line() -> None:
    data = {**MINIMAL, "exam": {"tone": "x", "knack": "yes"}}
    with pytest.raises(IntakeError) as caught:
        validate_intake(data)
    assert isinstance(caught.value, ValueError)
    assert caught.value.errors == [
        FieldError("exam.knack", 'must be true or false, found "yes"'),
        FieldError("exam.tone", 'must be one of: normal, increased, decreased; found "x"'),
    ]
    assert str(caught.value) == (
        'exam.knack: must be true or false, found "yes"\n'
        'exam.tone: must be one of: normal, increased, decreased; found "x"'
    )


def test_a_whole_file_that_is_not_an_object_is_refused() -> None:
    assert messages([MINIMAL]) == {"(intake)": "must be an object, found a list"}


def test_messages_go_through_the_translation_hook() -> None:
    i18n.install(lambda message: message.replace("must be", "doit être"))
    try:
        assert messages(with_value("exam", "oxford_grade", 7)) == {
            "exam.oxford_grade": "doit être a whole number from 0 to 5, found 7"
        }
    finally:
        i18n.install(gettext)  # Django's, as clinic.apps installs it


# --- cross-field rules ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["postmenopausal", "pregnant", None])
def test_weeks_postpartum_needs_status_postpartum(status: str | None) -> None:
    data = {**MINIMAL, "hormonal": {"weeks_postpartum": 6}}
    if status:
        data["hormonal"]["status"] = status
    message = messages(data)["hormonal.weeks_postpartum"]
    assert 'hormonal.status "postpartum"' in message
    assert f'found hormonal.status "{status}"' in message if status else "missing" in message


def test_weeks_postpartum_with_status_postpartum_is_fine() -> None:
    data = {**MINIMAL, "hormonal": {"status": "postpartum", "weeks_postpartum": 6}}
    assert intake_errors(data) == []


def test_a_misspelt_status_is_one_error_not_two() -> None:
    data = {**MINIMAL, "hormonal": {"status": "post-partum", "weeks_postpartum": 6}}
    assert list(messages(data)) == ["hormonal.status"]


@pytest.mark.parametrize("consent", [False, None])
def test_an_internal_exam_needs_recorded_consent(consent: bool | None) -> None:
    data = {**MINIMAL, "exam": {"internal_exam": True, "oxford_grade": 3}}
    if consent is not None:
        data["exam"]["consent_recorded"] = consent
    message = messages(data)["exam.internal_exam"]
    assert "exam.consent_recorded true" in message
    assert "found exam.consent_recorded" in message


def test_no_internal_exam_needs_no_consent() -> None:
    data = {**MINIMAL, "exam": {"internal_exam": False, "tone": "normal"}}
    assert intake_errors(data) == []


def test_anatomy_never_blocks_a_finding() -> None:
    data = copy.deepcopy(MINIMAL)  # anatomy "penis"
    data["hormonal"] = {"status": "postpartum", "weeks_postpartum": 10, "vaginal_atrophy": True}
    data["history"] = {"vaginal_births": 1, "prostatectomy": True}
    assert intake_errors(data) == []


# --- reading text and files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema": "pelvic-intake/1",\n "patient": }', "is not valid JSON: Expecting value "),
        ('{"a": 1,\n "a": 2}', 'has the key "a" twice in one object'),
        ('{"x": NaN}', "contains NaN, which is not a number JSON allows"),
        ('{"x": -Infinity}', "contains -Infinity, which is not a number JSON allows"),
        ('{"x": 1e999}', "contains 1e999, which is not a number JSON allows"),
        ("[" * 100_000, "is nested too deeply"),
        ("", "is not valid JSON"),
        (b"\xff\xfe{}", "is not UTF-8 text"),
        (b" " * (1024 * 1024 + 1), "is larger than the 1 MB limit"),
        (" " * (1024 * 1024) + "é", "is larger than the 1 MB limit"),
        ('{"x": ' + "9" * 5000 + "}", "contains a number too long to read"),
    ],
)
def test_bad_text_is_a_file_error(text: str | bytes, message: str) -> None:
    with pytest.raises(IntakeError) as caught:
        load_intake_text(text)
    [error] = caught.value.errors
    assert error.field == "(file)"
    assert message in error.message


def test_a_json_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(IntakeError) as caught:
        load_intake_text('{"schema": "pelvic-intake/1",\n "patient": }')
    assert caught.value.errors[0].message.endswith("(line 2, column 13)")


def test_a_duplicate_finding_is_refused_even_deep_inside() -> None:
    text = EXAMPLE_TEXT.replace('"tone": "normal",', '"tone": "normal", "tone": "increased",')
    with pytest.raises(IntakeError, match='key "tone" twice'):
        load_intake_text(text)


def test_bytes_with_a_byte_order_mark_are_read() -> None:
    assert load_intake_text(b"\xef\xbb\xbf" + json.dumps(MINIMAL).encode()) == MINIMAL
    assert load_intake_text("\ufeff" + json.dumps(MINIMAL)) == MINIMAL


def test_load_intake_file_returns_the_folder_for_the_diary(tmp_path: Path) -> None:
    folder = tmp_path / "maria"
    folder.mkdir()
    path = folder / "intake.json"
    path.write_text(json.dumps({**MINIMAL, "diary": "diary.csv"}))
    intake, where = load_intake_file(path)
    assert intake["diary"] == "diary.csv"
    assert where == folder


def test_load_intake_file_reports_what_cannot_be_read(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.json", tmp_path):
        with pytest.raises(IntakeError) as caught:
            load_intake_file(path)
        assert caught.value.errors[0].field == "(file)"
        assert str(path) in caught.value.errors[0].message


def test_load_intake_file_reports_schema_errors(tmp_path: Path) -> None:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps({**MINIMAL, "exam": {"oxford_grade": 6}}))
    with pytest.raises(IntakeError, match=r"exam\.oxford_grade: must be a whole number"):
        load_intake_file(path)


# --- the care-plan schema ------------------------------------------------------------------


def a_plan() -> dict:
    return {
        "schema": "pelvic-careplan/1",
        "classification": {
            "incontinence_type": "mixed",
            "predominant": "stress",
            "tone_profile": "underactive",
            "reasons": ["stress leaks on cough", "urgency"],
        },
        "red_flags": [],
        "urgent_referral": False,
        "notices": [],
        "items": [
            {
                "code": "relaxation.diaphragmatic_breathing",
                "category": "relaxation",
                "phase": 1,
                "title": "Belly breathing",
                "rationale": "Always first.",
                "dosing": {"minutes": 5, "times_per_day": 2},
                "source": "Clinic protocol",
            },
            {
                "code": "education.pelvic_floor",
                "category": "education",
                "phase": 2,
                "title": "Your pelvic floor",
                "rationale": "Always.",
                "dosing": {},
                "source": "NICE NG123",
                "hold_reason": "One step at a time: this starts at your review.",
            },
        ],
    }


def test_a_good_plan_passes() -> None:
    assert careplan_errors(a_plan()) == []
    plan = a_plan()
    plan["classification"]["predominant"] = None
    assert careplan_errors(plan) == []


def test_a_bad_plan_names_each_field() -> None:
    plan = a_plan()
    plan["classification"]["predominant"] = "mixed"
    plan["red_flags"] = ["dysuria", "dysuria"]
    item = plan["items"][0]
    item.update(category="exercise", phase=3, rationale="", source="  ", code="Breathing")
    item["dosing"] = {"hold_s": 2.5, "Sets": 3, "weeks": -1}
    del plan["items"][1]["title"]
    plan["items"][1]["extra"] = 1
    found = {error.field: error.message for error in careplan_errors(plan)}
    assert found == {
        "classification.predominant": 'must be one of: stress, urgency, null; found "mixed"',
        "red_flags": 'must not list "dysuria" twice',
        "items[0].category": "must be one of: relaxation, strengthening, coordination, "
        "bladder_training, lifestyle, medical_referral, specialist_referral, urgent_referral, "
        'education; found "exercise"',
        "items[0].phase": "must be one of: 1, 2; found 3",
        "items[0].rationale": "must not be empty",
        "items[0].source": "must not be blank",
        "items[0].code": "must be a dotted code such as relaxation.diaphragmatic_breathing, "
        'found "Breathing"',
        "items[0].dosing": 'must have names in lower_case such as hold_s, found "Sets"',
        "items[0].dosing.hold_s": "must be a whole number, at least 0, found 2.5",
        "items[0].dosing.weeks": "must be a whole number, at least 0, found -1",
        "items[1].title": "is required",
        "items[1].extra": "unknown field (a typo would silently drop a finding)",
    }


def test_a_plan_needs_items_and_its_version() -> None:
    plan = a_plan()
    plan["items"] = []
    plan["schema"] = "pelvic-careplan/2"
    assert {error.field: error.message for error in careplan_errors(plan)} == {
        "items": "must not be empty",
        "schema": 'must be "pelvic-careplan/1", found "pelvic-careplan/2"',
    }
    assert careplan_errors("plan") == [FieldError("(care plan)", 'must be an object, found "plan"')]


# --- properties ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


def _strategy(schema: dict) -> st.SearchStrategy:
    """Valid values for one schema node of ours (enough JSON Schema for these two files)."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        low, high = schema["minimum"], schema["maximum"]
        return st.integers(low, high) | st.floats(low, high)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if schema.get("pattern") == intake_module.LANGUAGE_PATTERN:
            return st.from_regex(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}", fullmatch=True)
        return st.text(max_size=schema.get("maxLength", 30))
    if kind == ["string", "array"]:  # the diary
        path = st.from_regex(r"[a-z0-9_ ]{1,12}(/[a-z0-9_ ]{1,12}){0,2}\.csv", fullmatch=True)
        rows = st.lists(st.dictionaries(st.text(max_size=10), json_values, max_size=4), max_size=3)
        return path | rows
    if kind == "array":
        size = {"min_size": schema.get("minItems", 0), "max_size": schema.get("maxItems", 5)}
        return st.lists(_strategy(schema["items"]), unique=schema.get("uniqueItems", False), **size)
    if kind == "object":
        properties = {key: _strategy(value) for key, value in schema["properties"].items()}
        required = schema.get("required", [])
        return st.fixed_dictionaries(
            {key: properties[key] for key in required},
            optional={key: value for key, value in properties.items() if key not in required},
        )
    raise AssertionError(f"no strategy for {schema}")


def _obey_cross_field_rules(data: dict) -> dict:
    if "weeks_postpartum" in data.get("hormonal", {}):
        data["hormonal"]["status"] = "postpartum"
    if data.get("exam", {}).get("internal_exam"):
        data["exam"]["consent_recorded"] = True
    return data


valid_intakes = _strategy(INTAKE_SCHEMA).map(_obey_cross_field_rules)


def _only_intake_errors(call: object, argument: object) -> None:
    try:
        result = call(argument)
    except IntakeError as error:
        assert error.errors
        assert all(e.field and e.message for e in error.errors)
        str(error)
    else:
        assert isinstance(result, dict)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(valid_intakes)
def test_valid_generated_intakes_pass(data: dict) -> None:
    assert intake_errors(data) == []
    assert load_intake_text(json.dumps(data)) == data


@settings(max_examples=300)
@given(json_values)
def test_any_json_value_gives_only_intake_errors(value: object) -> None:
    _only_intake_errors(validate_intake, value)
    _only_intake_errors(load_intake_text, json.dumps(value))


@settings(max_examples=300)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_text_gives_only_intake_errors(text: str | bytes) -> None:
    _only_intake_errors(load_intake_text, text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(valid_intakes, st.data())
def test_a_damaged_intake_gives_only_intake_errors(data: dict, draw: st.DataObject) -> None:
    section = draw.draw(st.sampled_from([*INTAKE_SCHEMA["properties"], "extra"]))
    target = data.get(section)
    if isinstance(target, dict) and target and draw.draw(st.booleans()):
        key = draw.draw(st.sampled_from(sorted(target)) | st.text(max_size=8))
        target[key] = draw.draw(json_values)
    else:
        data[section] = draw.draw(json_values)
    _only_intake_errors(validate_intake, data)
    _only_intake_errors(load_intake_text, json.dumps(data))


@pytest.mark.parametrize("depth", [50, 5_000])
def test_hostile_nesting_gives_only_intake_errors(depth: int) -> None:
    nested: object = "dysuria"
    for _ in range(depth):
        nested = [{"a": nested}] if depth < 100 else [nested]
    for section in ("red_flags", "patient", "diary", "questionnaires", "extra"):
        _only_intake_errors(validate_intake, {**MINIMAL, section: nested})
        _only_intake_errors(validate_intake, {**MINIMAL, section: [nested, nested]})
    _only_intake_errors(validate_intake, nested)
    _only_intake_errors(load_intake_text, "[" * depth + "]" * depth)
    _only_intake_errors(load_intake_text, '{"a":' * depth + "1" + "}" * depth)
