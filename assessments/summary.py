"""What the assessment page (and later the clinician summary) shows, built once."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from assessments import classification, diary
from assessments.findings import SECTIONS, column, finding_state
from assessments.forms import SECTION_TITLES
from assessments.models import RED_FLAG_LABELS, TRIGGER_LABELS, Assessment
from assessments.questionnaires import score_all
from assessments.selectors import assessment_to_intake, diary_events


def _display(assessment: Assessment, name: str) -> str:
    value = getattr(assessment, name)
    if name == "stress_leak_triggers":
        return ", ".join(str(TRIGGER_LABELS.get(t, t)) for t in value) if value else _("none")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    display = getattr(assessment, f"get_{name}_display", None)
    return str(display()) if display else str(value)


def recorded_findings(assessment: Assessment) -> list[dict[str, Any]]:
    """Per section: the findings recorded (each positive, negative or process), and the
    labels of those not assessed."""
    sections = []
    for section, keys in SECTIONS.items():
        rows, missing = [], []
        for key in keys:
            name = column(section, key)
            field = cast("models.Field[Any, Any]", assessment._meta.get_field(name))  # a column
            label = str(field.verbose_name)
            value = getattr(assessment, name)
            if value is None:
                missing.append(label)
                continue
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "value": _display(assessment, name),
                    "state": finding_state(name, value),
                }
            )
        sections.append(
            {
                "key": section,
                "title": SECTION_TITLES[section],
                "rows": rows,
                "not_assessed": len(missing),
                "not_assessed_labels": missing,
            }
        )
    return sections


def assessment_summary(
    assessment: Assessment,
    *,
    daytime_frequency_threshold: float | None = None,
    events: list[diary.DiaryEvent] | None = None,
) -> dict[str, Any]:
    """What the assessment page and the documents show. ``events``: the diary, when the
    assessment is not stored (``build_plan`` on a file)."""
    intake = assessment_to_intake(assessment, with_diary=False)
    result = classification.classify(intake)
    events = diary_events(assessment) if events is None else events
    threshold = (
        daytime_frequency_threshold
        if daytime_frequency_threshold is not None
        else assessment.patient.clinic.daytime_frequency_threshold
    )
    metrics = (
        diary.diary_metrics(
            events,
            age=intake["patient"]["age"],
            weight_kg=intake["patient"].get("weight_kg"),
            daytime_frequency_threshold=threshold,
        )
        if events
        else None
    )
    return {
        "findings": recorded_findings(assessment),
        "classification": result,
        "scores": score_all(assessment.questionnaires or {}),
        "diary_events": events,
        "diary_metrics": metrics,
        "diary_days": diary.diary_days(events) if events else [],
        "red_flags": [str(RED_FLAG_LABELS.get(f, f)) for f in assessment.red_flags or []],
        "threshold": threshold,
    }
