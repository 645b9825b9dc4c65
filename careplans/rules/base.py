"""What a rule is and what it makes; ``build_plan`` turns drafts into careplan-v1 items."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from careplans.rules.findings import Findings


@dataclass(frozen=True)
class Hold:
    """Why an item waits for phase 2 (section 3 rule 2 and section 4).

    ``reason`` is in the therapist's words (careplan-v1 ``hold_reason``); ``code`` and
    ``values`` let the printed plan say it in the patient's words (phrases.patient_note).
    """

    code: str
    reason: str
    values: Mapping[str, Any] = field(default_factory=dict)
    safety: bool = True  # a safety hold (rule 2), not "one step at a time" or "at review"

    def note(self) -> dict[str, Any]:
        return {"code": self.code, **self.values}


@dataclass(frozen=True)
class Draft:
    """What a rule makes; ``build_plan`` adds the rule's code, category and source.

    The phase is 2 exactly when ``holds`` is not empty: an item never waits without saying
    why (careplan-v1 ``hold_reason``).
    """

    title: str
    rationale: str
    dosing: Mapping[str, int] = field(default_factory=dict)
    holds: tuple[Hold, ...] = ()
    notes: tuple[Mapping[str, Any], ...] = ()  # for the patient, see phrases.patient_note
    more_sources: tuple[str, ...] = ()  # sources of the findings that shaped this item

    @property
    def phase(self) -> int:
        return 2 if self.holds else 1


@dataclass(frozen=True)
class Rule:
    """One row of the reference's table: the item, when it applies (in words, for
    docs/clinical-rules.md, next to the function that decides it) and its source."""

    code: str
    category: str
    source: str
    applies: Callable[[Findings], bool]
    make: Callable[[Findings], Draft]
    when: str = ""
    dosing: str = ""  # the dose in words, for docs/clinical-rules.md


def always(f: Findings) -> bool:
    return True
