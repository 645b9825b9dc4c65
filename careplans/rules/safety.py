"""The safety rules (clinical reference, section 3): the one source of the hold reasons.

The builder asks ``strengthening_holds`` and ``relax_first_holds`` which items wait, and
``safety_violations`` asks the same functions of an edited plan and its intake, so the
plan that is built and the plan that is checked can never follow two different rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assessments.classification import classify
from careplans.rules.base import Hold
from careplans.rules.findings import DEFAULT_SETTINGS, Findings, PlanSettings, red_flags_of
from careplans.rules.phrases import findings_named, listed
from clinic.i18n import gettext as _

URGENT_REFERRAL = "urgent_referral.red_flags"
BREATHING = "relaxation.diaphragmatic_breathing"
DOWN_TRAINING = "relaxation.down_training"
PFMT = "strengthening.pfmt"
CUEING = "coordination.cueing"
KNACK = "coordination.knack"
BIOFEEDBACK = "coordination.biofeedback"

# Items whose removal by a therapist needs a stated reason (safety rules 1-3).
SAFETY_CODES: frozenset[str] = frozenset({URGENT_REFERRAL, DOWN_TRAINING, BREATHING})
# Items that ask the patient to squeeze: they wait whenever strengthening waits (rule 2).
SQUEEZE_CODES: frozenset[str] = frozenset({PFMT, KNACK})
# Items that teach the contraction: they wait only for a relax-first reason (rule 2).
CONTRACTION_TEACHING_CODES: frozenset[str] = frozenset({CUEING, BIOFEEDBACK})

# Section 3 rule 2: with the tone profile unknown, these point to a floor that does not
# relax (seed article) -- besides the pain findings of section 2.
TIGHT_FLOOR_SYMPTOMS: tuple[str, ...] = (
    "straining_to_defecate",
    "voiding_difficulty",
    "incomplete_emptying",
    "constant_tension",
)


def tight_floor_signs(f: Findings) -> tuple[str, ...]:
    """Pain findings and the other tight-floor signs present (section 3 rule 2)."""
    signs = list(f.classification.pain_findings)
    signs += [key for key in TIGHT_FLOOR_SYMPTOMS if f.yes("symptoms", key) and key not in signs]
    return tuple(signs)


def _pain_hold(pain: Sequence[str]) -> Hold:
    if "painful_penetration" in pain:
        until = _("starts once the muscles relax fully and penetration is comfortable")
    else:
        until = _("starts once the muscles relax fully and the pain has settled")
    reason = _("%(findings)s: %(until)s") % {"findings": findings_named(pain), "until": until}
    return Hold("hold.pain", reason[:1].upper() + reason[1:], {"findings": list(pain)})


def relax_first_holds(f: Findings) -> tuple[Hold, ...]:
    """The relax-first reasons: an overactive or tense-and-weak floor, any pain finding, or
    tight-floor signs with the tone profile unknown (section 3 rule 2). Down-training is
    needed exactly when one applies (section 4), and contraction cueing waits for them."""
    holds: list[Hold] = []
    profile = f.classification.tone_profile
    if profile == "tense_and_weak":
        holds.append(
            Hold(
                "hold.tight_floor",
                _("Tense and weak pelvic floor: starts once the muscles can relax fully"),
            )
        )
    elif profile == "overactive":
        holds.append(
            Hold(
                "hold.tight_floor",
                _("Overactive pelvic floor: starts once the muscles can relax fully"),
            )
        )
    pain = f.classification.pain_findings
    if pain:
        holds.append(_pain_hold(pain))
    signs = tight_floor_signs(f)
    if profile == "unknown" and signs:
        holds.append(
            Hold(
                "hold.not_examined",
                _(
                    "Not examined yet, with signs of a tight floor (%(signs)s): starts once "
                    "the therapist has examined and the floor relaxes fully"
                )
                % {"signs": findings_named(signs)},
            )
        )
    return tuple(holds)


def strengthening_holds(f: Findings) -> tuple[Hold, ...]:
    """Why ``strengthening.pfmt`` (and every squeeze) waits for phase 2; empty when it
    need not (section 3 rule 2, sources: seed articles; AUA IC/BPS; NICE NG123)."""
    holds = list(relax_first_holds(f))
    grade = f.oxford_grade
    if grade is None and not any(hold.code == "hold.not_examined" for hold in holds):
        # NICE NG123: a digital assessment confirms a correct contraction before PFMT.
        holds.append(
            Hold(
                "hold.no_contraction_checked",
                _(
                    "No contraction assessed yet (no Oxford grade): starts once a digital "
                    "assessment confirms a correct contraction (NICE NG123)"
                ),
            )
        )
    if f.yes("exam", "bearing_down"):
        holds.append(
            Hold(
                "hold.bearing_down",
                _("Bears down instead of lifting: starts once the contraction is a lift"),
            )
        )
    elif grade == 0:
        holds.append(
            Hold(
                "hold.no_squeeze_felt",
                _("Oxford grade 0: starts once a contraction can be felt and is a lift"),
            )
        )
    return tuple(holds)


def hold_reason(holds: Sequence[Hold]) -> str:
    return "; ".join(hold.reason for hold in holds)


# --- Checking an edited plan ------------------------------------------------------------------


def _active_items(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [item for item in plan.get("items") or () if isinstance(item, Mapping)]


def safety_violations(
    plan: Mapping[str, Any],
    *,
    intake: Mapping[str, Any] | None = None,
    settings: PlanSettings = DEFAULT_SETTINGS,
) -> list[str]:
    """Where a (possibly edited) plan breaks safety rules 1-3; empty when it breaks none.

    The plan is checked *with its intake* (rule 5), through the same hold functions the
    builder uses. Without the intake (an old caller), rule 2 is read from the plan's tone
    profile alone, which cannot see pain findings: pass the intake.
    """
    problems: list[str] = []
    items = _active_items(plan)
    codes = [item.get("code") for item in items]

    red_flags = list(plan.get("red_flags") or ())
    if intake is not None:
        red_flags += [flag for flag in red_flags_of(intake) if flag not in red_flags]
    if red_flags or plan.get("urgent_referral"):
        if URGENT_REFERRAL not in codes:
            problems.append(
                _("Red flags are present but the plan has no urgent referral (safety rule 1).")
            )
        elif codes[0] != URGENT_REFERRAL:
            problems.append(_("The urgent referral must be the first item (safety rule 1)."))
    if BREATHING not in codes:
        problems.append(
            _("The plan has no diaphragmatic breathing; every plan starts with it (safety rule 3).")
        )
    else:
        expected = 1 if codes and codes[0] == URGENT_REFERRAL else 0
        if codes.index(BREATHING) != expected:
            problems.append(
                _(
                    "Diaphragmatic breathing must come first, straight after any urgent "
                    "referral (safety rule 3)."
                )
            )

    if intake is not None:
        f = Findings(intake=intake, classification=classify(intake), diary=None, settings=settings)
        squeeze_holds, relax_holds = strengthening_holds(f), relax_first_holds(f)
    else:
        profile = (plan.get("classification") or {}).get("tone_profile")
        relax_holds = ()
        if profile in ("overactive", "tense_and_weak"):
            relax_holds = (Hold("hold.tight_floor", _("an overactive pelvic floor")),)
        squeeze_holds = relax_holds

    for item in items:
        if item.get("phase") != 1:
            continue
        code, category = item.get("code"), item.get("category")
        if squeeze_holds and (code in SQUEEZE_CODES or category == "strengthening"):
            problems.append(
                _(
                    "%(code)s asks for squeezing in phase 1 although it must wait: %(why)s "
                    "(safety rule 2)."
                )
                % {"code": code, "why": hold_reason(squeeze_holds)}
            )
        elif relax_holds and code in CONTRACTION_TEACHING_CODES:
            problems.append(
                _(
                    "%(code)s teaches a contraction in phase 1 although the floor must learn "
                    "to relax first: %(why)s (safety rule 2)."
                )
                % {"code": code, "why": hold_reason(relax_holds)}
            )
    if relax_holds and DOWN_TRAINING not in codes:
        problems.append(
            _("The plan has no pelvic floor down-training despite: %(why)s (safety rule 2).")
            % {"why": listed([hold.reason for hold in relax_holds])}
        )
    for item in items:
        if item.get("category") != "strengthening":
            continue
        dosing = item.get("dosing") or {}
        rest = dosing.get("rest_s") if isinstance(dosing, Mapping) else None
        if not isinstance(rest, int) or isinstance(rest, bool) or rest < 1:
            problems.append(
                _(
                    "%(code)s does not teach the full release after each contraction: set "
                    "rest_s in its dosing (safety rule 3)."
                )
                % {"code": item.get("code")}
            )
    return problems
