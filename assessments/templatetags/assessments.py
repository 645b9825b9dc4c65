from typing import Any

from django import template

from assessments.models import RED_FLAG_NAMES, Assessment
from assessments.red_flags import (
    TIERS,
    URGENT,
    flag_tiers,
    referral_urgency,
    suspected_cauda_equina,
)
from clinic.models import Patient

register = template.Library()


def red_flag_tier(flags: list[str], age: int) -> dict[str, Any]:
    """What the banner says of one assessment's flags: the highest tier (clinical
    reference, section 3 rule 1) and each flag by name with its own tier, most urgent first."""
    tiers = sorted(flag_tiers(flags, age), key=lambda t: TIERS.index(t.tier))
    return {
        # Several tiers or referral routes among the flags: each flag says its own.
        "mixed": len({(t.tier, t.cancer_pathway) for t in tiers}) > 1,
        "tier": referral_urgency(flags, age),
        "cauda_equina": suspected_cauda_equina(flags),
        "flags": [
            {
                "name": str(RED_FLAG_NAMES.get(t.flag, t.flag.replace("_", " "))),
                "tier": t.tier,
                "cancer_pathway": t.cancer_pathway,
            }
            for t in tiers
        ],
        "cancer_pathway": any(t.cancer_pathway for t in tiers),
        "specialist_opinion": any(t.tier == URGENT and not t.cancer_pathway for t in tiers),
    }


@register.inclusion_tag("assessments/_red_flag_banner.html")
def red_flag_banner(patient: Patient) -> dict[str, Any]:
    """Shown on every page of a patient until a clinician records the referral."""
    assessments = (
        Assessment.objects.with_open_red_flags()
        .filter(patient=patient)
        .only("id", "red_flags", "assessed_on")
    )
    age = patient.age
    open_flags = [{"assessment": a, **red_flag_tier(a.red_flags or [], age)} for a in assessments]
    return {"open_flags": open_flags, "patient": patient}
