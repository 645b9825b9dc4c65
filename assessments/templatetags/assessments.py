from django import template

from assessments.models import Assessment
from clinic.models import Patient

register = template.Library()


@register.inclusion_tag("assessments/_red_flag_banner.html")
def red_flag_banner(patient: Patient) -> dict:
    """Shown on every page of a patient until a clinician records the referral."""
    open_flags = list(
        Assessment.objects.with_open_red_flags()
        .filter(patient=patient)
        .only("id", "red_flags", "assessed_on")
    )
    return {"open_flags": open_flags, "patient": patient}
