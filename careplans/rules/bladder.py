"""Bladder training for urgency or mixed incontinence (section 4; careplan-v1 arithmetic)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from careplans.rules.base import Draft, Rule
from careplans.rules.findings import Findings
from careplans.rules.phrases import num, sentences
from careplans.rules.safety import strengthening_holds
from clinic.i18n import gettext as _

BLADDER_TRAINING = "bladder_training.schedule"
BLADDER_TRAINING_MIN_WEEKS = 6  # NICE NG123: at least 6 weeks
STEP_MIN = 15
STEP_DAYS = 7
ROUND_TO_MIN = 15
LOWEST_START_MIN = 30
WAKING_MINUTES = 960
QUICK_SQUEEZES = "bladder.quick_squeezes"  # 16 waking hours: the start from reported day voids


def bladder_training_dosing(start_min: int, *, target_min: int = 180) -> dict[str, int]:
    """careplan-v1: lengthen by 15 minutes every 7 days until the target; ``weeks`` is the
    larger of 6 and the weeks the steps need, so the last week reaches the target; a start
    already at or above the target is kept."""
    target = max(target_min, start_min)
    steps = math.ceil((target - start_min) / STEP_MIN)
    return {
        "start_interval_min": start_min,
        "increase_min": STEP_MIN,
        "every_days": STEP_DAYS,
        "target_interval_min": target,
        "weeks": max(BLADDER_TRAINING_MIN_WEEKS, 1 + steps),
    }


def rounded_start(minutes: float) -> int:
    """Rounded down to a multiple of 15 minutes, and at least 30."""
    return max(LOWEST_START_MIN, int(minutes // ROUND_TO_MIN) * ROUND_TO_MIN)


def bladder_start(f: Findings) -> tuple[int, str]:
    """The start interval and where it came from: "diary", "day_voids" or "default"."""
    if f.diary is not None and f.diary.mean_daytime_interval_min:
        return rounded_start(f.diary.mean_daytime_interval_min), "diary"
    day_voids = f.number("symptoms", "day_voids")
    if day_voids:
        return rounded_start(WAKING_MINUTES / day_voids), "day_voids"
    return rounded_start(f.settings.bladder_training_default_start_min), "default"


def urge_suppression(*, squeezes: bool) -> str:
    if squeezes:
        return _(
            "Urge suppression: stop, stand or sit still, a few quick pelvic floor squeezes, "
            "slow breathing, distraction, firm pressure on the perineum, wait for the urge to "
            "fade, then walk calmly."
        )
    return _(
        "Urge suppression without squeezes: stop, stand or sit still, slow breathing, "
        "distraction, firm pressure on the perineum, wait for the urge to fade, then walk "
        "calmly."
    )


def bladder_dose_sentence(dosing: Mapping[str, int]) -> str:
    """The rationale's sentence of the dose: careplans.restate words it again when the
    therapist changes the dose."""
    return _(
        "Wait at least the interval between toilet visits, adding %(increase_min)s minutes "
        "every %(every_days)s days to %(target_interval_min)s minutes, for %(weeks)s weeks."
    ) % dict(dosing)


def _bladder_training_applies(f: Findings) -> bool:
    return f.urgency


def _bladder_training_make(f: Findings) -> Draft:
    start, origin = bladder_start(f)
    dosing = bladder_training_dosing(start, target_min=f.settings.bladder_training_target_min)
    parts = [_("Urgency with urge leaks.") if f.yes("symptoms", "urge_leaks") else _("Urgency.")]
    voids, voids_from_diary = f.day_voids()
    if voids is not None:
        if voids_from_diary:
            parts.append(_("%(voids)s voids a day on the diary.") % {"voids": num(voids)})
        else:
            parts.append(_("%(voids)s voids a day reported.") % {"voids": num(voids)})
    values: dict[str, int | None] = {"minutes": start}
    if origin == "diary":
        values["mean"] = f.diary.mean_daytime_interval_min if f.diary else start
        parts.append(
            _("Starts at %(minutes)s minutes, from the diary's mean daytime interval (%(mean)s).")
            % values
        )
    elif origin == "day_voids":
        parts.append(
            _("Starts at %(minutes)s minutes: 960 waking minutes ÷ the reported day voids.")
            % values
        )
    else:
        parts.append(
            _("No diary and no day voids: starts at the clinic default, %(minutes)s minutes.")
            % values
        )
    parts.append(bladder_dose_sentence(dosing))
    notes: tuple[dict[str, object], ...] = ()
    # Section 4: the no-squeeze form of urge suppression whenever PFMT waits.
    squeezes = not strengthening_holds(f)
    parts.append(urge_suppression(squeezes=squeezes))
    if squeezes:
        notes = ({"code": QUICK_SQUEEZES},)
    title = _("Bladder training: stretch the time between toilet visits")
    return Draft(title, sentences(*parts), dosing, notes=notes)


RULES: tuple[Rule, ...] = (
    Rule(
        BLADDER_TRAINING,
        "bladder_training",
        "NICE NG123 (bladder training ≥ 6 weeks, first-line for urgency or mixed); "
        "urge-suppression protocols in the continence literature",
        _bladder_training_applies,
        _bladder_training_make,
        dosing=(
            "Start: the diary's mean daytime interval, else 960 / day_voids, else the "
            "clinic default (60); rounded down to a multiple of 15, at least 30. Add 15 "
            "minutes every 7 days to the clinic's target (180); weeks = max(6, 1 + "
            "ceil((target - start) / 15))."
        ),
        when="Section 4: urgency or mixed; at least 6 weeks (NICE NG123).",
    ),
)
