"""Questionnaire answers on an assessment: raw answers kept, scores as columns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments import questionnaires as q
from assessments.models import Assessment


def apply_questionnaires(assessment: Assessment, answers: dict[str, Any]) -> None:
    """Store validated raw answers and their totals (raises QuestionnaireError)."""
    scores = score_all(answers)
    assessment.questionnaires = answers
    pfdi20, pfiq7 = scores.get("pfdi20"), scores.get("pfiq7")
    iciq, oab = scores.get("iciq_ui_sf"), scores.get("oab_v8")
    assessment.pfdi20_total = None if pfdi20 is None else Decimal(str(pfdi20.total))
    assessment.pfiq7_total = None if pfiq7 is None else Decimal(str(pfiq7.total))
    assessment.iciq_ui_sf_total = None if iciq is None else iciq.total
    assessment.oab_v8_total = None if oab is None else oab.total


def score_all(answers: dict[str, Any]) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    if "pfdi20" in answers:
        scores["pfdi20"] = q.score_pfdi20(answers["pfdi20"])
    if "pfiq7" in answers:
        scores["pfiq7"] = q.score_pfiq7(answers["pfiq7"])
    if "iciq_ui_sf" in answers:
        scores["iciq_ui_sf"] = q.score_iciq_ui_sf(answers["iciq_ui_sf"])
    if "oab_v8" in answers:
        scores["oab_v8"] = q.score_oab_v8(answers["oab_v8"])
    if "iqq3" in answers:
        scores["iqq3"] = q.iqq3_type(answers["iqq3"])
    return scores
