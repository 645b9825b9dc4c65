"""The care-plan builder: intake findings (intake-v1) -> a draft plan (careplan-v1).

Deterministic: the same intake, diary and settings always give the same plan, byte for
byte once dumped as JSON. Order of the items: by phase (1 = start now, 2 = at review),
and within a phase by the category order of ``CATEGORIES``, then by the order of
``RULES``; so an urgent referral is always first and breathing comes straight after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assessments.classification import classify
from careplans.rules import (
    bladder,
    coordination,
    education,
    lifestyle,
    referrals,
    relaxation,
    strengthening,
    urgent,
)
from careplans.rules.base import Draft, Hold, Rule
from careplans.rules.bladder import QUICK_SQUEEZES
from careplans.rules.findings import DEFAULT_SETTINGS, DiaryFindings, Findings, PlanSettings
from careplans.rules.notices import plan_notices
from careplans.rules.safety import (
    BIOFEEDBACK,
    BREATHING,
    CUEING,
    DOWN_TRAINING,
    KNACK,
    PFMT,
    hold_reason,
)
from clinic.i18n import gettext as _

SCHEMA = "pelvic-careplan/1"

CATEGORIES: tuple[str, ...] = (
    "urgent_referral",
    "relaxation",
    "coordination",
    "strengthening",
    "bladder_training",
    "lifestyle",
    "medical_referral",
    "specialist_referral",
    "education",
)

# Every rule of section 4's table, family by family, in category order.
RULES: tuple[Rule, ...] = (
    *urgent.RULES,
    *relaxation.RULES,
    *coordination.RULES,
    *strengthening.RULES,
    *bladder.RULES,
    *lifestyle.RULES,
    *referrals.RULES,
    *education.RULES,
)

# Section 4, "One step at a time": the categories the phase-1 limit counts, and the order
# in which items keep their place ("first_line" and "other_type" stand for PFMT or bladder
# training, depending on the predominant type). Breathing never counts.
COUNTED_CATEGORIES = frozenset(
    {"relaxation", "strengthening", "coordination", "bladder_training", "lifestyle"}
)
PRIORITY: tuple[str, ...] = (
    DOWN_TRAINING,
    "first_line",
    CUEING,
    KNACK,
    "other_type",
    "relaxation.stress_care",
    BIOFEEDBACK,
    "lifestyle.caffeine",
    "lifestyle.fluids",
    lifestyle.VOIDING_HABITS,
    "lifestyle.bowel",
    "lifestyle.weight",
    "lifestyle.smoking_cough",
    "lifestyle.alcohol",
)


@dataclass(frozen=True)
class PlannedItem:
    """One item as built: its careplan-v1 fields, and the patient notes for printing."""

    rule: Rule
    draft: Draft

    @property
    def notes(self) -> list[dict[str, Any]]:
        return [*(hold.note() for hold in self.draft.holds), *map(dict, self.draft.notes)]

    @property
    def hold_code(self) -> str:
        return self.draft.holds[0].code if self.draft.holds else ""

    def contract(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "code": self.rule.code,
            "category": self.rule.category,
            "phase": self.draft.phase,
            "title": self.draft.title,
            "rationale": self.draft.rationale,
            "dosing": dict(self.draft.dosing),
            "source": "; ".join((self.rule.source, *self.draft.more_sources)),
        }
        if self.draft.holds:
            item["hold_reason"] = hold_reason(self.draft.holds)
        return item


@dataclass(frozen=True)
class BuiltPlan:
    plan: dict[str, Any]  # careplan-v1
    items: tuple[PlannedItem, ...]  # in the plan's order


def _first_line(f: Findings) -> tuple[str, str]:
    """The first-line treatment of the predominant type, and the other one, which takes the
    "other type's treatment" place (PFMT for a bulge in an urgency-predominant plan too)."""
    if f.classification.predominant == "urgency":
        return bladder.BLADDER_TRAINING, PFMT
    # Stress first; with no leaks classified (after prostatectomy, or a bulge) PFMT leads.
    return PFMT, bladder.BLADDER_TRAINING


def _one_step_at_a_time(
    f: Findings, planned: list[PlannedItem]
) -> tuple[list[PlannedItem], list[str]]:
    """Section 4: at most ``phase_one_limit`` counted items start in phase 1; the rest wait
    with the hold reason "one step at a time". Down-training and the first-line treatment
    never move."""
    first_line, other_type = _first_line(f)
    order = [
        first_line if code == "first_line" else other_type if code == "other_type" else code
        for code in PRIORITY
    ]

    def rank(item: PlannedItem) -> int:
        code = item.rule.code
        return order.index(code) if code in order else len(order)

    counted = [
        item
        for item in planned
        if item.draft.phase == 1
        and item.rule.category in COUNTED_CATEGORIES
        and item.rule.code != BREATHING
    ]
    protected = {DOWN_TRAINING, first_line}
    waits: set[str] = set()
    kept = 0
    for item in sorted(counted, key=rank):  # stable: RULES order among equals
        if item.rule.code in protected or kept < f.settings.phase_one_limit:
            kept += 1
        else:
            waits.add(item.rule.code)
    one_step = Hold("hold.one_step", _("One step at a time: added at your review"), safety=False)
    result = [
        PlannedItem(item.rule, replace(item.draft, holds=(one_step,)))
        if item.rule.code in waits
        else item
        for item in planned
    ]
    moved = [item.draft.title for item in planned if item.rule.code in waits]
    return _squeezes_wait_with_pfmt(result), moved


def _squeezes_wait_with_pfmt(planned: list[PlannedItem]) -> list[PlannedItem]:
    """Section 3 rule 2: the Knack and the quick squeezes of urge suppression wait whenever
    PFMT waits -- also when it waits only for "one step at a time" (the safer reading)."""
    pfmt = next((item for item in planned if item.rule.code == PFMT), None)
    if pfmt is None or pfmt.draft.phase == 1:
        return planned
    result = []
    for item in planned:
        if item.rule.code == KNACK and item.draft.phase == 1:
            item = PlannedItem(item.rule, replace(item.draft, holds=pfmt.draft.holds))
        elif item.rule.code == bladder.BLADDER_TRAINING:
            notes = tuple(n for n in item.draft.notes if n.get("code") != QUICK_SQUEEZES)
            rationale = item.draft.rationale.replace(
                bladder.urge_suppression(squeezes=True), bladder.urge_suppression(squeezes=False)
            )
            item = PlannedItem(item.rule, replace(item.draft, notes=notes, rationale=rationale))
        result.append(item)
    return result


def build(
    intake: Mapping[str, Any],
    *,
    diary: DiaryFindings | None = None,
    settings: PlanSettings = DEFAULT_SETTINGS,
) -> BuiltPlan:
    """The plan for a valid intake, with what the printed plan needs besides careplan-v1."""
    classification = classify(intake)
    f = Findings(intake=intake, classification=classification, diary=diary, settings=settings)
    planned = [PlannedItem(rule, rule.make(f)) for rule in RULES if rule.applies(f)]
    planned, moved = _one_step_at_a_time(f, planned)
    # Phase 1 before phase 2; RULES order (category order) within a phase. Stable sort.
    planned.sort(key=lambda item: item.draft.phase)
    items = [item.contract() for item in planned]
    notices = _unique([*classification.notices, *plan_notices(f, items, moved=moved)])
    plan = {
        "schema": SCHEMA,
        "classification": classification.to_contract(),
        "red_flags": list(f.red_flags),
        "urgent_referral": bool(f.red_flags),
        "referral_urgency": f.referral_urgency,
        "notices": notices,
        "items": items,
    }
    return BuiltPlan(plan=plan, items=tuple(planned))


def build_plan(
    intake: Mapping[str, Any],
    *,
    diary: DiaryFindings | None = None,
    settings: PlanSettings = DEFAULT_SETTINGS,
) -> dict[str, Any]:
    """A draft care plan (careplan-v1) for a valid intake (intake-v1)."""
    return build(intake, diary=diary, settings=settings).plan


def _unique(texts: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(text for text in texts if text))
