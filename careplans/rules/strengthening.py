"""Strengthening: supervised pelvic floor muscle training, only when the floor can take it
(section 3 rules 2 and 3; section 4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from careplans.rules.base import Draft, Rule
from careplans.rules.findings import Findings, section
from careplans.rules.phrases import num, sentences, strength_summary, triggers_named
from careplans.rules.safety import PFMT, strengthening_holds
from clinic.i18n import gettext as _

# PERFECT dosing (Laycock & Jerwood 2001) within NICE NG123's minimum programme.
PFMT_MIN_CONTRACTIONS = 8
PFMT_MAX_CONTRACTIONS = 10
PFMT_MIN_HOLD_S = 1
PFMT_MAX_HOLD_S = 10
PFMT_UNMEASURED_HOLD_S = 3
PFMT_MAX_FAST = 10
PFMT_UNMEASURED_FAST = 5
PFMT_SETS_PER_DAY = 3
PFMT_WEEKS = 12
PROLAPSE_PFMT_WEEKS = 16
PROSTATECTOMY_SOURCE = "AUA/GURS/SUFU incontinence after prostate treatment (2019, amended 2024)"
PROLAPSE_PFMT_SOURCE = "NICE NG123 / NG210 (prolapse: PFMT ≥ 4 months)"
PROSTATECTOMY_REVIEW_WEEKS = 26  # AUA: not improving by 6 months -> discuss surgery
PERFECT_KEYS = ("endurance_s", "repetitions", "fast_contractions")


def pfmt_dosing(exam: Mapping[str, Any], *, weeks: int = PFMT_WEEKS) -> dict[str, int]:
    """PERFECT-based dosing (Laycock & Jerwood 2001) within NICE NG123's minimum."""

    def measured(key: str) -> int | None:
        value = exam.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    repetitions = measured("repetitions") or 0
    contractions = min(PFMT_MAX_CONTRACTIONS, max(PFMT_MIN_CONTRACTIONS, repetitions))
    endurance = measured("endurance_s")
    if endurance is None:
        hold = PFMT_UNMEASURED_HOLD_S
    else:
        hold = min(PFMT_MAX_HOLD_S, max(PFMT_MIN_HOLD_S, endurance))
    fast = measured("fast_contractions")
    fast = PFMT_UNMEASURED_FAST if fast is None else min(PFMT_MAX_FAST, max(1, fast))
    return {
        "contractions": contractions,
        "hold_s": hold,
        "rest_s": hold,  # the full release (rule 3): rest at least as long as the hold
        "sets_per_day": PFMT_SETS_PER_DAY,
        "fast_contractions": fast,
        "weeks": max(PFMT_WEEKS, weeks),
    }


def measured_as_a_lift(f: Findings) -> bool:
    """PERFECT measures a lift: a patient who bears down, or has Oxford grade 0, was not
    lifting when measured, so the dose starts from the unmeasured defaults instead."""
    return not f.yes("exam", "bearing_down") and f.oxford_grade != 0


def _pfmt_applies(f: Findings) -> bool:
    return (
        f.stress_leaks or f.yes("history", "prostatectomy") or f.yes("symptoms", "prolapse_bulge")
    )


def _pfmt_weeks(f: Findings) -> int:
    weeks = PFMT_WEEKS
    if f.yes("symptoms", "prolapse_bulge"):
        weeks = max(weeks, PROLAPSE_PFMT_WEEKS)
    if f.yes("history", "prostatectomy"):
        since = f.number("history", "prostatectomy_weeks_ago") or 0
        weeks = max(weeks, PROSTATECTOMY_REVIEW_WEEKS - int(since))
    return weeks


def _leak_sentence(f: Findings) -> str:
    kind = f.classification.incontinence_type
    if kind == "stress":
        return _("Stress leaks (%(triggers)s).") % {"triggers": triggers_named(f.triggers)}
    if kind == "mixed":
        first = _("urgency") if f.classification.predominant == "urgency" else _("stress")
        return _(
            "Mixed leaks: stress (%(triggers)s) with urgency; %(first)s leaks treated first."
        ) % {"triggers": triggers_named(f.triggers), "first": first}
    return ""


def pfmt_dose_sentence(dosing: Mapping[str, int]) -> str:
    """The rationale's sentence of the dose: careplans.restate words it again when the
    therapist changes the dose."""
    return _(
        "Start at %(contractions)s × %(hold_s)s s, %(sets_per_day)s times a day, building "
        "toward 10 s × 10; let go fully for %(rest_s)s s after every squeeze. Progress "
        "lying, sitting, standing, then during daily tasks; after 3 months a daily "
        "maintenance set."
    ) % dict(dosing)


def _pfmt_make(f: Findings) -> Draft:
    exam = section(f.intake, "exam")
    if not measured_as_a_lift(f):
        exam = {k: v for k, v in exam.items() if k not in PERFECT_KEYS}
    dosing = pfmt_dosing(exam, weeks=_pfmt_weeks(f))
    holds = strengthening_holds(f)
    parts = [_leak_sentence(f)]
    sources: list[str] = []
    if f.yes("history", "prostatectomy"):
        sources.append(PROSTATECTOMY_SOURCE)
        since = f.number("history", "prostatectomy_weeks_ago")
        if since is None:
            parts.append(_("After prostatectomy: training from straight after surgery."))
        else:
            parts.append(
                _("Prostatectomy %(weeks)s weeks ago: training from straight after surgery.")
                % {"weeks": num(since)}
            )
    if f.yes("symptoms", "prolapse_bulge"):
        sources.append(PROLAPSE_PFMT_SOURCE)
        parts.append(_("Prolapse bulge: training for at least 16 weeks."))
    summary = strength_summary(f)
    if summary and f.get("exam", "relaxation") == "complete" and not holds:
        parts.append(_("The floor relaxes fully (%(exam)s).") % {"exam": summary})
    elif summary:
        parts.append(_("On examination: %(exam)s.") % {"exam": summary})
    else:
        parts.append(_("Strength not measured yet."))
    if summary and not measured_as_a_lift(f):
        parts.append(
            _("Measured while not lifting: dosed from the defaults; measure again once it is.")
        )
    parts.append(pfmt_dose_sentence(dosing))
    title = _("Pelvic floor exercises: squeeze, lift, let go fully")
    return Draft(title, sentences(*parts), dosing, holds=holds, more_sources=tuple(sources))


RULES: tuple[Rule, ...] = (
    Rule(
        PFMT,
        "strengthening",
        "NICE NG123 (PFMT ≥ 3 months, ≥ 8 contractions × 3/day); Laycock & Jerwood 2001 (PERFECT)",
        _pfmt_applies,
        _pfmt_make,
        dosing=(
            f"Contractions: the larger of {PFMT_MIN_CONTRACTIONS} and PERFECT repetitions "
            f"(at most {PFMT_MAX_CONTRACTIONS}); hold: PERFECT endurance within "
            f"{PFMT_MIN_HOLD_S}-{PFMT_MAX_HOLD_S} s ({PFMT_UNMEASURED_HOLD_S} s unmeasured "
            f"or not measured as a lift); rest = hold; {PFMT_SETS_PER_DAY} sets a day; at "
            f"least {PFMT_WEEKS} weeks ({PROLAPSE_PFMT_WEEKS} with a prolapse bulge)."
        ),
        when=(
            "Section 4: stress or mixed (also after prostatectomy, and for a prolapse "
            "bulge); phase 1 only without a hold reason (section 3 rule 2)."
        ),
    ),
)
