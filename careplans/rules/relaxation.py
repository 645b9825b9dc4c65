"""Relaxation: breathing first in every plan (rule 3), down-training where the floor must
learn to let go (rule 2), and care for a nervous system on alert (section 4)."""

from __future__ import annotations

from careplans.rules.base import Draft, Rule, always
from careplans.rules.findings import Findings
from careplans.rules.phrases import capitalised, findings_named, sentences, strength_summary
from careplans.rules.safety import BREATHING, DOWN_TRAINING, relax_first_holds, tight_floor_signs
from clinic.i18n import gettext as _

BREATHING_MINUTES = 5
BREATHING_TIMES_PER_DAY = 2
# Section 4: no dosing standard for down-training; the minutes are a clinic setting (a
# convention) and the therapist changes the dose on the plan.
DOWN_TRAINING_TIMES_PER_DAY = 1
STRESS_CARE_FINDINGS = ("high_stress", "poor_sleep", "chronic_pain")


def _breathing_make(f: Findings) -> Draft:
    parts = [
        _(
            "Every plan starts here: the pelvic floor moves with the diaphragm, softening and "
            "lowering as the ribs widen on the in-breath and gently returning on the out-breath."
        )
    ]
    if f.yes("exam", "breath_holding"):
        parts.append(_("Holds the breath when contracting."))
    if f.classification.overactive:
        parts.append(_("The first step in letting an overactive floor release."))
    dosing = {"minutes": BREATHING_MINUTES, "times_per_day": BREATHING_TIMES_PER_DAY}
    return Draft(_("Belly breathing: let your pelvic floor soften"), sentences(*parts), dosing)


def needs_down_training(f: Findings) -> bool:
    """Overactive or tense-and-weak floor, any pain finding, or tight-floor signs with the
    tone unknown (section 4)."""
    return bool(relax_first_holds(f))


def _down_training_make(f: Findings) -> Draft:
    parts = []
    profile = f.classification.tone_profile
    if profile == "tense_and_weak":
        parts.append(
            _("Tense and weak floor: held short, it has no range left to contract (%(exam)s).")
            % {"exam": strength_summary(f) or _("strength not measured")}
        )
    elif profile == "overactive":
        parts.append(_("Overactive floor: it cannot lengthen and let go fully."))
    if f.classification.pain_findings:
        parts.append(
            _("Pain findings: %(findings)s.")
            % {"findings": findings_named(f.classification.pain_findings)}
        )
    if profile == "unknown":
        parts.append(
            _("Not examined yet; signs of a tight floor: %(signs)s.")
            % {"signs": findings_named(tight_floor_signs(f))}
        )
    parts.append(
        _(
            "Conscious release (reverse Kegel) in positions of ease (child's pose, happy baby, "
            "supported squat) and gentle hip and inner-thigh stretches; %(minutes)s minutes "
            "once a day to start, a default the therapist sets."
        )
        % {"minutes": f.settings.down_training_minutes}
    )
    dosing = {
        "minutes": f.settings.down_training_minutes,
        "times_per_day": DOWN_TRAINING_TIMES_PER_DAY,
    }
    return Draft(_("Learn to let your pelvic floor go"), sentences(*parts), dosing)


def _stress_care_applies(f: Findings) -> bool:
    return any(f.yes("history", key) for key in STRESS_CARE_FINDINGS)


def _stress_care_make(f: Findings) -> Draft:
    found = findings_named([key for key in STRESS_CARE_FINDINGS if f.yes("history", key)])
    rationale = _(
        "%(findings)s: a nervous system on alert keeps the pelvic floor tight. Breathing, "
        "sleep, and referral to psychology if wanted."
    ) % {"findings": capitalised(found)}
    return Draft(_("Calm your nervous system: breathing, sleep, support"), rationale)


RULES: tuple[Rule, ...] = (
    Rule(
        BREATHING,
        "relaxation",
        "Seed articles; standard practice",
        always,
        _breathing_make,
        when="Section 3 rule 3: always, first (after any urgent referral).",
        dosing=f"{BREATHING_MINUTES} minutes, {BREATHING_TIMES_PER_DAY} times a day.",
    ),
    Rule(
        DOWN_TRAINING,
        "relaxation",
        "Seed articles; Mayo Clin Proc review of non-relaxing pelvic floor dysfunction",
        needs_down_training,
        _down_training_make,
        when=(
            "Section 4: overactive, tense-and-weak, any pain finding, or tight signs unexamined."
        ),
        dosing="The clinic's down-training minutes (default 5), once a day; set per plan.",
    ),
    Rule(
        "relaxation.stress_care",
        "relaxation",
        "Seed articles",
        _stress_care_applies,
        _stress_care_make,
        when="Section 4: high stress, poor sleep, chronic pain.",
    ),
)
