"""Writes for the questionnaires of an assessment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from assessments import questionnaires as q
from assessments.models import Assessment, Status
from assessments.services.assessments import NotADraft

QUESTIONNAIRE_COLUMNS = [
    "questionnaires",
    "pfdi20_total",
    "pfiq7_total",
    "iciq_ui_sf_total",
    "oab_v8_total",
]


@transaction.atomic
def assessment_questionnaires_save(
    *, assessment: Assessment, answers: dict[str, Any], user: User
) -> Assessment:
    """Store the answers (intake-v1 shape) and their scores on a draft.

    Raises NotADraft once the assessment is complete, QuestionnaireError for a bad answer.
    """
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.status != Status.DRAFT:
        raise NotADraft()
    apply_questionnaires(current, answers)
    current.updated_by = user
    saved = [*QUESTIONNAIRE_COLUMNS, "updated_by"]
    # Only these columns: the intake form may be open elsewhere on the same draft.
    current.full_clean(exclude=[f.name for f in Assessment._meta.fields if f.name not in saved])
    current.save(update_fields=[*saved, "updated_at"])
    return current


def apply_questionnaires(assessment: Assessment, answers: dict[str, Any]) -> None:
    """Store validated raw answers and their totals (raises QuestionnaireError)."""
    scores = q.score_all(answers)
    assessment.questionnaires = answers
    pfdi20, pfiq7 = scores.get("pfdi20"), scores.get("pfiq7")
    iciq, oab = scores.get("iciq_ui_sf"), scores.get("oab_v8")
    assessment.pfdi20_total = None if pfdi20 is None else Decimal(str(pfdi20.total))
    assessment.pfiq7_total = None if pfiq7 is None else Decimal(str(pfiq7.total))
    assessment.iciq_ui_sf_total = None if iciq is None else iciq.total
    assessment.oab_v8_total = None if oab is None else oab.total
