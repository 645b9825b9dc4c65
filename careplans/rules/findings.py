"""The findings, read once: what every rule asks of an intake, its diary and the settings.

A missing key means "not assessed" (intake-v1) and is never read as false: ``yes`` is
true only for a finding assessed and present.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from assessments.classification import Classification
from assessments.diary import diary_metrics, mean_daytime_interval_min
from assessments.findings import RED_FLAGS
from assessments.red_flags import referral_urgency


@dataclass(frozen=True)
class PlanSettings:
    """Clinic settings. The defaults are the conventions of the clinical reference."""

    fluid_low_ml: int = 1500
    fluid_high_ml: int = 3000
    alcohol_units_per_week: int = 14
    daytime_frequency_threshold: float = 8
    nocturia_min_voids: float = 2  # section 2: nocturia as a trigger, a convention
    bladder_training_default_start_min: int = 60  # section 4: no diary, no day_voids
    bladder_training_target_min: int = 180  # section 4: 3 hours, a convention
    down_training_minutes: int = 5  # section 4: no dosing standard, a convention
    caffeine_max_drinks_per_day: int = 1  # the goal of a gradual caffeine reduction
    phase_one_limit: int = 5  # section 4, "one step at a time", a convention


DEFAULT_SETTINGS = PlanSettings()


@dataclass(frozen=True)
class DiaryFindings:
    metrics: Mapping[str, object]  # the diary-v1 output
    mean_daytime_interval_min: int | None


def diary_findings(
    events: Sequence[Any],
    *,
    age: int | None,
    weight_kg: float | None,
    settings: PlanSettings = DEFAULT_SETTINGS,
) -> DiaryFindings:
    """What the builder needs from a diary's events (assessments.diary computes it)."""
    metrics = diary_metrics(
        events,
        age=age,
        weight_kg=weight_kg,
        daytime_frequency_threshold=settings.daytime_frequency_threshold,
    )
    return DiaryFindings(
        metrics=metrics, mean_daytime_interval_min=mean_daytime_interval_min(events)
    )


def section(intake: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = intake.get(name)
    return value if isinstance(value, Mapping) else {}


def red_flags_of(intake: Mapping[str, Any]) -> tuple[str, ...]:
    """The intake's red flags in the contract's order (unknown codes after, as given)."""
    given = intake.get("red_flags") or ()
    known = tuple(flag for flag in RED_FLAGS if flag in given)
    unknown = tuple(dict.fromkeys(flag for flag in given if flag not in RED_FLAGS))
    return known + unknown


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Findings:
    """One intake, its classification and diary, and the settings: what rules read."""

    intake: Mapping[str, Any]
    classification: Classification
    diary: DiaryFindings | None
    settings: PlanSettings
    red_flags: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "red_flags", red_flags_of(self.intake))

    def get(self, section_name: str, key: str) -> Any:
        return section(self.intake, section_name).get(key)

    def yes(self, section_name: str, key: str) -> bool:
        """True only when the finding was assessed and present."""
        return self.get(section_name, key) is True

    def number(self, section_name: str, key: str) -> int | float | None:
        value = self.get(section_name, key)
        return value if _is_number(value) else None

    def metric(self, key: str) -> Any:
        return None if self.diary is None else self.diary.metrics.get(key)

    @property
    def age(self) -> int | None:
        age = self.number("patient", "age")
        return None if age is None else int(age)

    @property
    def anatomy(self) -> str:
        return str(self.get("patient", "anatomy") or "")

    @property
    def referral_urgency(self) -> str | None:
        return referral_urgency(self.red_flags, self.age)

    @property
    def stress_leaks(self) -> bool:
        return self.classification.incontinence_type in ("stress", "mixed")

    @property
    def urgency(self) -> bool:
        """Urgency or mixed incontinence (section 2)."""
        return self.classification.incontinence_type in ("urgency", "mixed")

    @property
    def urgency_symptom(self) -> bool:
        return self.yes("symptoms", "urgency") or self.yes("symptoms", "urge_leaks")

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(self.get("symptoms", "stress_leak_triggers") or ())

    @property
    def oxford_grade(self) -> int | None:
        grade = self.number("exam", "oxford_grade")
        return None if grade is None else int(grade)

    def day_voids(self) -> tuple[float | None, bool]:
        """Voids a day and whether they come from the diary (the diary wins)."""
        from_diary = self.metric("daytime_frequency")
        if _is_number(from_diary):
            return from_diary, True
        return self.number("symptoms", "day_voids"), False

    def night_voids(self) -> float | None:
        """Voids a night: the diary's mean per night, else ``night_voids`` (section 2)."""
        from_diary = self.metric("nocturia")
        if _is_number(from_diary):
            return from_diary
        return self.number("symptoms", "night_voids")

    def fluid_intake(self) -> tuple[int | float | None, bool]:
        """Fluid intake in mL a day and whether it comes from the diary (the diary wins)."""
        from_diary = self.metric("fluid_intake_ml_per_day")
        if _is_number(from_diary):
            return from_diary, True
        return self.number("lifestyle", "fluid_intake_ml"), False

    # The words of section 2 ("Words used in the rules below").

    @property
    def frequency(self) -> bool:
        voids, _from_diary = self.day_voids()
        return voids is not None and voids > self.settings.daytime_frequency_threshold

    @property
    def nocturia(self) -> bool:
        nights = self.night_voids()
        return nights is not None and nights >= self.settings.nocturia_min_voids

    @property
    def diary_polyuria(self) -> bool:
        return self.metric("polyuria_24h") is True or self.metric("nocturnal_polyuria") is True

    @property
    def any_leak(self) -> bool:
        return bool(self.triggers) or self.yes("symptoms", "urge_leaks")

    @property
    def urinary_symptoms(self) -> bool:
        """Any leak, urgency, frequency or nocturia."""
        return self.any_leak or self.urgency_symptom or self.frequency or self.nocturia

    @property
    def straining(self) -> bool:
        """Section 3 rule 2: straining to defecate, with or without constipation."""
        return self.yes("symptoms", "straining_to_defecate")
