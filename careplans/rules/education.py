"""Education: how the pelvic floor works, sex and pain, returning to impact after birth,
recovery after prostate surgery, and the warning signs (section 4)."""

from __future__ import annotations

from careplans.rules.base import Draft, Rule, always
from careplans.rules.findings import Findings
from careplans.rules.phrases import findings_named, num, sentences
from careplans.rules.strengthening import PROSTATECTOMY_SOURCE
from clinic.i18n import gettext as _

WARNING_SIGNS = "education.warning_signs"
RETURN_TO_IMPACT_WEEKS = 12  # Goom, Donnelly & Brockwell 2019
SEXUAL_PAIN = ("painful_penetration", "painful_orgasm")


def _pelvic_floor_make(f: Findings) -> Draft:
    parts = [
        _(
            "Every plan: what the pelvic floor does, in plain words; the goal is a floor that "
            "can relax fully, not a tighter one; a floor can be tense and weak at once. What "
            "to expect: most people notice a change after 6 to 12 weeks; keep going for at "
            "least 3 months."
        )
    ]
    if f.classification.overactive:
        parts.append(_("Overactive floor: more squeezing would make it worse."))
    return Draft(_("How your pelvic floor works: tighter is not better"), sentences(*parts))


def _sexual_health_applies(f: Findings) -> bool:
    return any(f.yes("symptoms", key) for key in SEXUAL_PAIN)


def _sexual_health_make(f: Findings) -> Draft:
    found = findings_named([key for key in SEXUAL_PAIN if f.yes("symptoms", key)])
    rationale = _(
        "%(found)s: pain is a signal, not something to push through; lubricant, own pace, "
        "dilators or touch exercises only as shown in clinic; psychosexual support if wanted."
    ) % {"found": found[:1].upper() + found[1:]}
    return Draft(_("Sex and pelvic pain: go at your own pace"), rationale)


def _return_to_impact_applies(f: Findings) -> bool:
    status: object = f.get("hormonal", "status")
    return status == "postpartum"


def _return_to_impact_make(f: Findings) -> Draft:
    weeks = f.number("hormonal", "weeks_postpartum")
    parts = []
    if weeks is not None:
        parts.append(_("%(weeks)s weeks postpartum.") % {"weeks": num(weeks)})
    else:
        parts.append(_("Postpartum."))
    parts.append(
        _(
            "No running, jumping or high-impact exercise before 12 weeks after birth, then "
            "only without leaks, heaviness, pain or bulge, building up gradually after a check."
        )
    )
    return Draft(_("Returning to running and impact after birth"), sentences(*parts))


def _prostatectomy_recovery_applies(f: Findings) -> bool:
    return f.yes("history", "prostatectomy")


def _prostatectomy_recovery_make(f: Findings) -> Draft:
    rationale = _(
        "After prostatectomy: most men improve over the first months; pads and containment "
        "products meanwhile; if leaks are not improving by 6 months, ask urology about "
        "surgery (offered at 1 year). Printed from the first plan."
    )
    return Draft(_("Recovery after prostate surgery: what to expect"), rationale)


def _warning_signs_make(f: Findings) -> Draft:
    rationale = _(
        "Every plan, on page 1, in three tiers: emergency department now (new saddle or "
        "buttock numbness, new loss of bladder or bowel control, retention, new leg "
        "weakness); GP within days (haematuria, dysuria with fever, recurrent infections, "
        "unexplained weight loss); therapist (worse pain, new or worse leaks)."
    )
    return Draft(_("Warning signs: when to get help"), rationale)


RULES: tuple[Rule, ...] = (
    Rule(
        "education.pelvic_floor",
        "education",
        "Seed articles; NICE NG123",
        always,
        _pelvic_floor_make,
        when="Section 4: always (seed articles; NICE NG123 for what to expect).",
    ),
    Rule(
        "education.sexual_health",
        "education",
        "Seed articles",
        _sexual_health_applies,
        _sexual_health_make,
        when="Section 4: painful penetration or painful orgasm.",
    ),
    Rule(
        "education.return_to_impact",
        "education",
        "Goom, Donnelly & Brockwell 2019 (returning to running postnatal guidelines)",
        _return_to_impact_applies,
        _return_to_impact_make,
        when="Section 4: postpartum.",
    ),
    Rule(
        "education.prostatectomy_recovery",
        "education",
        PROSTATECTOMY_SOURCE,
        _prostatectomy_recovery_applies,
        _prostatectomy_recovery_make,
        when="Section 4: prostatectomy -- what recovery looks like, from the first plan.",
    ),
    Rule(
        WARNING_SIGNS,
        "education",
        "Cauda equina guidance; NICE NG123 / NG12; seed article (red flags)",
        always,
        _warning_signs_make,
        when="Section 4 (last row) and section 8: always, on the plan's first page.",
    ),
)
