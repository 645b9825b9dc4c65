"""Writes for the questionnaires of an assessment."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from assessments.models import Assessment, Status
from assessments.questionnaire_store import apply_questionnaires
from assessments.services import NotADraft

QUESTIONNAIRE_COLUMNS = [
    "questionnaires",
    "pfdi20_total",
    "pfiq7_total",
    "iciq_ui_sf_total",
    "oab_v8_total",
]


@transaction.atomic
def assessment_questionnaires_save(
    *, assessment: Assessment, answers: dict[str, Any], user
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
