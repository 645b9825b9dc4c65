"""Coordination: finding the right muscles, biofeedback, and the Knack (section 4), each
gated as section 3 rule 2 says."""

from __future__ import annotations

from careplans.rules.base import Draft, Rule
from careplans.rules.findings import Findings
from careplans.rules.phrases import finding_name, num, sentences, triggers_named
from careplans.rules.safety import (
    BIOFEEDBACK,
    CUEING,
    KNACK,
    relax_first_holds,
    strengthening_holds,
)
from clinic.i18n import gettext as _

CANNOT_CONTRACT_MAX_OXFORD = 1  # biofeedback: Oxford grade 1 or less (NICE NG210 / NG123)


def _cueing_applies(f: Findings) -> bool:
    # Accessory muscles, breath holding, bearing down, or Oxford grade 0.
    return bool(f.classification.coordination_findings) or f.oxford_grade == 0


def cue(anatomy: str) -> str:
    """Section 4: anatomy-specific cues; "as if stopping wind" for everyone, and the only
    cue when the anatomy is unspecified."""
    if anatomy == "penis":
        return _('"draw the penis up and in" or "lift the testicles", or "as if stopping wind"')
    if anatomy == "vulva":
        return _('"close and lift the vaginal opening", or "as if stopping wind"')
    return _('"lift as if stopping wind"')


def _cueing_make(f: Findings) -> Draft:
    found = [finding_name(code) for code in f.classification.coordination_findings]
    if f.oxford_grade == 0:
        found.append(_("Oxford grade 0"))
    found_text = ", ".join(found)
    rationale = _(
        "On examination: %(findings)s. Cue: %(cue)s; a lift, not a push down; breathe out "
        "while lifting, then let go fully. Never practise by stopping the urine stream."
    ) % {"findings": found_text, "cue": cue(f.anatomy)}
    # Phase 1 when bearing down or Oxford 0 is the reason (the lift is taught first);
    # phase 2 for a relax-first reason, even if those are present too.
    return Draft(_("Find the right muscles"), rationale, holds=relax_first_holds(f))


def _biofeedback_applies(f: Findings) -> bool:
    grade = f.oxford_grade
    return (grade is not None and grade <= CANNOT_CONTRACT_MAX_OXFORD) or f.yes(
        "exam", "bearing_down"
    )


def _biofeedback_make(f: Findings) -> Draft:
    parts = []
    grade = f.oxford_grade
    if grade is not None and grade <= CANNOT_CONTRACT_MAX_OXFORD:
        parts.append(
            _("Modified Oxford %(grade)s/5: no effective contraction yet.") % {"grade": num(grade)}
        )
    if f.yes("exam", "bearing_down"):
        parts.append(_("Bears down instead of lifting."))
    parts.append(_("Consider biofeedback or electrical stimulation to find the muscles."))
    # Its phase follows cueing's rule (section 4).
    return Draft(
        _("Biofeedback to feel the squeeze"), sentences(*parts), holds=relax_first_holds(f)
    )


def _knack_applies(f: Findings) -> bool:
    return bool(f.triggers)


def _knack_make(f: Findings) -> Draft:
    parts = [
        _("Leaks on %(triggers)s.") % {"triggers": triggers_named(f.triggers)},
        _("Contract just before and during each of these efforts, then let go fully."),
    ]
    notes: list[dict[str, object]] = [{"code": "knack.triggers", "triggers": list(f.triggers)}]
    if f.yes("exam", "knack"):
        parts.append(_("Already pre-contracts before a cough on examination: keep it up."))
        notes.append({"code": "knack.keep_going"})
    # The Knack is a squeeze: it waits whenever PFMT waits, with the same reason (rule 2).
    return Draft(
        _("The Knack: lift before the moments you leak"),
        sentences(*parts),
        holds=strengthening_holds(f),
        notes=tuple(notes),
    )


RULES: tuple[Rule, ...] = (
    Rule(
        CUEING,
        "coordination",
        "Seed articles",
        _cueing_applies,
        _cueing_make,
        when="Section 4: accessory muscles, breath holding, bearing down, Oxford 0.",
    ),
    Rule(
        BIOFEEDBACK,
        "coordination",
        "NICE NG210; NICE NG123 (biofeedback or electrical stimulation when unable to contract)",
        _biofeedback_applies,
        _biofeedback_make,
        when="Section 4: Oxford grade 1 or less, or bearing down.",
    ),
    Rule(
        KNACK,
        "coordination",
        "Miller 1998, 2008",
        _knack_applies,
        _knack_make,
        when="Section 4: stress leaks on any effort trigger.",
    ),
)
