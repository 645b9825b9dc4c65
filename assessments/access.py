from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from assessments.models import Assessment, DiaryEntry
from clinic.access import AuthenticatedHttpRequest, memberships_for


def assessment_for_user(request: AuthenticatedHttpRequest, assessment_id: int) -> Assessment:
    """An assessment of a patient in one of the user's clinics; anything else is a 404."""
    clinic_ids = [m.clinic_id for m in memberships_for(request)]
    try:
        return (
            Assessment.objects.in_clinics(clinic_ids)
            .select_related("patient", "patient__clinic", "therapist")
            .get(pk=assessment_id)
        )
    except Assessment.DoesNotExist:
        raise Http404(_("No such assessment.")) from None


def diary_entry_for_user(assessment: Assessment, entry_id: int) -> DiaryEntry:
    """A diary row of an assessment the user may see (``assessment_for_user`` first)."""
    try:
        return assessment.diary_entries.get(pk=entry_id)
    except DiaryEntry.DoesNotExist:
        raise Http404(_("No such diary row.")) from None
