from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from assessments.models import Assessment
from clinic.access import memberships_for


def assessment_for_user(request: HttpRequest, assessment_id: int) -> Assessment:
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
