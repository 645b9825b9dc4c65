"""Urgent referral: red flags first, at the urgency the finding demands (section 3 rule 1)."""

from __future__ import annotations

from assessments.red_flags import EMERGENCY, URGENT, flag_tiers, suspected_cauda_equina
from careplans.rules.base import Draft, Rule
from careplans.rules.findings import Findings
from careplans.rules.phrases import red_flag_name, sentences, tier_name
from careplans.rules.safety import URGENT_REFERRAL
from clinic.i18n import gettext as _

SOURCE = (
    "Cauda equina guidance (GIRFT / NICE CKS: immediate emergency referral); NICE NG12 "
    "(visible haematuria at ≥ 45; persistent bloating); NICE NG123 (urgent: haematuria, "
    "non-visible at ≥ 50, UTI with haematuria at ≥ 40, pelvic mass; refer: palpable "
    "bladder after voiding, fistula)"
)


def _red_flags_apply(f: Findings) -> bool:
    return bool(f.red_flags)


def _red_flags_make(f: Findings) -> Draft:
    tier = f.referral_urgency
    flags = "; ".join(
        _("%(flag)s (%(tier)s)") % {"flag": red_flag_name(t.flag), "tier": tier_name(t.tier)}
        for t in flag_tiers(f.red_flags, f.age)
    )
    first = _("Red flags: %(flags)s.") % {"flags": flags}
    if tier == EMERGENCY:
        title = _("Go to an emergency department now")
        if suspected_cauda_equina(f.red_flags):
            why = _("Suspected cauda equina syndrome: immediate emergency referral.")
        else:
            why = _("Sudden severe pelvic pain: immediate emergency assessment.")
        meanwhile = _(
            "The printed plan tells the patient to go now; the exercises wait until a doctor "
            "has seen them."
        )
    elif tier == URGENT:
        title = _("See your GP (family doctor) within the next few days")
        why = _(
            "Urgent GP assessment (age %(age)s): suspected-cancer pathway (NICE NG12) or "
            "urgent specialist opinion."
        ) % {"age": f.age}
        meanwhile = _("The safe first steps below can start meanwhile.")
    else:
        title = _("See your GP (family doctor) within the next two weeks")
        why = _("GP assessment within two weeks.")
        meanwhile = _("The safe first steps below can start meanwhile.")
    return Draft(title, sentences(first, why, meanwhile))


RULES: tuple[Rule, ...] = (
    Rule(
        URGENT_REFERRAL,
        "urgent_referral",
        SOURCE,
        _red_flags_apply,
        _red_flags_make,
        when=(
            "Section 3 rule 1: any red flag; first in the plan, at the highest tier "
            "present (emergency, urgent, soon)."
        ),
    ),
)
