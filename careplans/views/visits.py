from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from assessments.views.intake import assessment_form_page
from careplans import services
from clinic.access import AuthenticatedHttpRequest


@require_POST
def visit_complete(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    """The intake page's Complete button: the assessment and the reviews it answers."""
    return assessment_form_page(request, assessment_id, complete=services.visit_complete)
