"""Where each intake-v1 finding lives on the Assessment model.

One table serves the form sections, the JSON export and import, and "which sections are
done", so they cannot drift apart. Pure Python: no Django imports.
"""

from __future__ import annotations

# Contract section -> contract keys, in the contract's order.
SECTIONS: dict[str, tuple[str, ...]] = {
    "symptoms": (
        "stress_leak_triggers",
        "urgency",
        "urge_leaks",
        "day_voids",
        "night_voids",
        "voiding_difficulty",
        "incomplete_emptying",
        "pelvic_pain",
        "painful_penetration",
        "painful_orgasm",
        "constipation",
        "straining_to_defecate",
        "prolapse_bulge",
        "constant_tension",
        "most_bothersome",
    ),
    "exam": (
        "consent_recorded",
        "internal_exam",
        "tone",
        "oxford_grade",
        "endurance_s",
        "repetitions",
        "fast_contractions",
        "relaxation",
        "accessory_muscles",
        "breath_holding",
        "bearing_down",
        "knack",
        "tenderness",
    ),
    "hormonal": (
        "status",
        "weeks_postpartum",
        "breastfeeding",
        "vaginal_atrophy",
        "systemic_hrt",
        "vaginal_estrogen",
    ),
    "history": (
        "vaginal_births",
        "instrumental_birth",
        "pelvic_surgery",
        "prostatectomy",
        "prostatectomy_weeks_ago",
        "continence_surgery",
        "pelvic_radiotherapy",
        "neurological_condition",
        "diabetes",
        "hypermobility",
        "scoliosis",
        "chronic_pain",
        "high_stress",
        "poor_sleep",
        "diuretics",
        "pfmt_months_tried",
        "bladder_training_weeks_tried",
        "oab_medication_tried",
        "hormone_sensitive_cancer",
        "aromatase_inhibitor",
    ),
    "lifestyle": (
        "caffeine_drinks_per_day",
        "alcohol_units_per_week",
        "fluid_intake_ml",
        "bmi",
        "smoker",
        "chronic_cough",
    ),
}

# The few contract keys whose column needs another name on the model.
COLUMN_NAMES: dict[tuple[str, str], str] = {("hormonal", "status"): "hormonal_status"}

# Findings of the internal examination: recorded only once consent is recorded.
INTERNAL_EXAM_FINDINGS = (
    "internal_exam",
    "tone",
    "oxford_grade",
    "endurance_s",
    "repetitions",
    "fast_contractions",
    "relaxation",
    "tenderness",
)

STRESS_LEAK_TRIGGERS = ("cough", "sneeze", "laugh", "lift", "exercise", "jump", "walk", "stand_up")

RED_FLAGS = (
    "visible_haematuria",
    "non_visible_haematuria",
    "dysuria",
    "recurrent_uti",
    "sudden_severe_pelvic_pain",
    "saddle_anaesthesia",
    "new_leg_weakness_or_numbness",
    "new_bowel_or_bladder_loss_with_back_pain",
    "unexplained_weight_loss",
    "pelvic_mass",
    "suspected_fistula",
    "palpable_bladder_after_voiding",
    "persistent_bloating",
)


def column(section: str, key: str) -> str:
    return COLUMN_NAMES.get((section, key), key)


def all_columns() -> list[tuple[str, str, str]]:
    """(section, contract key, model column) for every finding."""
    return [(s, k, column(s, k)) for s, keys in SECTIONS.items() for k in keys]


def findings_to_intake(values: dict[str, object]) -> dict[str, dict[str, object]]:
    """Model column values -> intake-v1 sections. None means not assessed: left out."""
    sections: dict[str, dict[str, object]] = {}
    for section, key, name in all_columns():
        value = values.get(name)
        if value is None:
            continue
        sections.setdefault(section, {})[key] = value
    return sections


# Every finding's model column, in the contract's order.
FINDING_COLUMNS: list[str] = [name for _section, _key, name in all_columns()]


def intake_to_findings(intake: dict[str, object]) -> dict[str, object]:
    """intake-v1 sections -> model column values, None for every finding not in the file."""
    values: dict[str, object] = {}
    for section, key, name in all_columns():
        content = intake.get(section) or {}
        values[name] = content.get(key) if isinstance(content, dict) else None
    return values


# Consent and whether an internal examination was done are process, not findings: a
# letter never lists them among the findings (clinical reference, section 9).
PROCESS_FIELDS = frozenset({"consent_recorded", "internal_exam"})
# A zero here is a finding (no contraction, no hold), not an absence.
MEASURED_FIELDS = frozenset({"oxford_grade", "endurance_s", "repetitions", "fast_contractions"})
NORMAL_VALUES = {"tone": "normal", "relaxation": "complete"}


def finding_state(name: str, value: object) -> str:
    """The state of a recorded finding: positive, negative (absent or normal) or process."""
    if name in PROCESS_FIELDS:
        return "process"
    if value is False or value == [] or NORMAL_VALUES.get(name) == value:
        return "negative"
    if value == 0 and not isinstance(value, bool) and name not in MEASURED_FIELDS:
        return "negative"
    return "positive"
