"""Writes for assessments, one module per object they change: ``assessments`` (create,
save, complete, record a referral), ``diary``, ``questionnaires`` and ``intake_import``.
The assessment writes are also importable from here (``from assessments import
services``)."""

from assessments.findings import FINDING_COLUMNS
from assessments.services.assessments import (
    EDITABLE,
    EditConflict,
    IncompleteIntake,
    NotADraft,
    assessment_complete,
    assessment_create,
    assessment_record_referral,
    assessment_save,
    changes_since,
    snapshot,
)

__all__ = [
    "EDITABLE",
    "FINDING_COLUMNS",
    "EditConflict",
    "IncompleteIntake",
    "NotADraft",
    "assessment_complete",
    "assessment_create",
    "assessment_record_referral",
    "assessment_save",
    "changes_since",
    "snapshot",
]
