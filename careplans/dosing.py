"""The dosing vocabulary: what each dosing key of a plan item is called, for the clinician
(the summary, the plan page's dose fields) and for the patient (the printed plan's dose
grid and its one-line dose), and which keys a library text may use as placeholders.

The keys are careplan-v1's, plus the two the builder adds: ``rest_s`` (the full release
after each squeeze, safety rule 3) and ``review_after_weeks`` (OAB medication review).
A key not in the table (a clinic's own, from its library) is shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import localize
from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class DosingKey:
    clinician: StrOrPromise  # the field's label with its unit, "Hold (seconds)"
    patient: StrOrPromise = ""  # the dose grid's label, "Hold"; "" when not in a grid
    unit: StrOrPromise = ""  # the dose grid's unit, "seconds"
    unit_one: StrOrPromise = ""  # the unit after 1, where it differs: "time a day"
    # The amount in words for the clinician ("Hold 6 seconds"): an ngettext_lazy on "n".
    amount: StrOrPromise = ""


def _amount(singular: str, plural: str) -> StrOrPromise:
    return ngettext_lazy(singular, plural, "n")


DOSING: Mapping[str, DosingKey] = {
    "contractions": DosingKey(
        _("Squeezes"), _("Repeat"), _("times"), amount=_amount("%(n)s squeeze", "%(n)s squeezes")
    ),
    "hold_s": DosingKey(
        _("Hold (seconds)"),
        _("Hold"),
        _("seconds"),
        amount=_amount("Hold %(n)s second", "Hold %(n)s seconds"),
    ),
    "rest_s": DosingKey(
        _("Rest (seconds)"),
        _("Rest"),
        _("seconds"),
        amount=_amount("Rest %(n)s second", "Rest %(n)s seconds"),
    ),
    "sets_per_day": DosingKey(
        _("Sets a day"),
        _("Sets"),
        _("a day"),
        amount=_amount("%(n)s set a day", "%(n)s sets a day"),
    ),
    "fast_contractions": DosingKey(
        _("Quick squeezes"),
        _("Quick squeezes"),
        _("after that"),
        amount=_amount("%(n)s quick squeeze", "%(n)s quick squeezes"),
    ),
    "weeks": DosingKey(
        _("Weeks"), _("Keep going"), _("weeks"), amount=_amount("for %(n)s week", "for %(n)s weeks")
    ),
    "minutes": DosingKey(
        _("Minutes"),
        pgettext_lazy("duration", "Time"),
        _("minutes"),
        amount=_amount("%(n)s minute", "%(n)s minutes"),
    ),
    "times_per_day": DosingKey(
        _("Times a day"),
        _("How often"),
        _("times a day"),
        _("time a day"),
        amount=_amount("%(n)s time a day", "%(n)s times a day"),
    ),
    "start_interval_min": DosingKey(
        _("Start interval (minutes)"),
        amount=_amount("Start %(n)s minute apart", "Start %(n)s minutes apart"),
    ),
    "increase_min": DosingKey(
        _("Increase (minutes)"),
        amount=_amount("add %(n)s minute", "add %(n)s minutes"),
    ),
    "every_days": DosingKey(
        _("Every (days)"), amount=_amount("every %(n)s day", "every %(n)s days")
    ),
    "target_interval_min": DosingKey(
        _("Target interval (minutes)"),
        amount=_amount("up to %(n)s minute apart", "up to %(n)s minutes apart"),
    ),
    "max_drinks_per_day": DosingKey(
        _("Caffeine drinks a day (at most)"),
        amount=_amount("At most %(n)s caffeine drink a day", "At most %(n)s caffeine drinks a day"),
    ),
    "target_ml_per_day": DosingKey(
        _("Fluid a day (mL)"), amount=_amount("%(n)s mL of fluid a day", "%(n)s mL of fluid a day")
    ),
    "review_after_weeks": DosingKey(
        _("Review after (weeks)"),
        amount=_amount("review after %(n)s week", "review after %(n)s weeks"),
    ),
}

# Dosing keys a patient text may show: every key of the table.
PLACEHOLDERS: tuple[str, ...] = tuple(DOSING)

# The printed plan's dose grids, in the order their cells are read: an exercise (shown
# when it has squeezes or a hold; each cell when its dose is set), and a timed practice
# (shown when it has both minutes and times a day).
EXERCISE_GRID: tuple[str, ...] = (
    "hold_s",
    "rest_s",
    "contractions",
    "fast_contractions",
    "sets_per_day",
    "weeks",
)
TIMED_GRID: tuple[str, ...] = ("minutes", "times_per_day")
# Bladder training's target interval when the dosing names none; the printed week-by-week
# schedule assumes the same (careplans.documents.bladder_schedule).
DEFAULT_TARGET_INTERVAL_MIN = 180


def clinician_label(key: str) -> str:
    """The clinician's label of a dosing key, with its unit ("Hold (seconds)"); a clinic's
    own key (not in the table) in its words: "my_key" reads "My key"."""
    entry = DOSING.get(key)
    return str(entry.clinician) if entry else key.replace("_", " ").capitalize()


def clinician_amount(key: str, value: int) -> str:
    """One dose in words for the clinician: "Hold 6 seconds"; a clinic's own key as
    "My key: 2"."""
    entry = DOSING.get(key)
    if entry is None or not entry.amount:
        return f"{clinician_label(key)}: {localize(value)}"
    # The lazy plural picks its form from "n" as it is formatted.
    return str(entry.amount % {"n": value})


def clinician_line(dosing: Mapping[str, int]) -> str:
    """A whole dose for the clinician, in the vocabulary's words and the dosing's order:
    "8 squeezes · Hold 6 seconds · Rest 6 seconds" ("" when there is none)."""
    return " · ".join(clinician_amount(key, value) for key, value in dosing.items())


@dataclass(frozen=True)
class GridCell:
    label: str
    value: int
    unit: str


@dataclass(frozen=True)
class DoseGrid:
    cells: list[GridCell]
    short: bool  # the timed practice's two-cell grid


def _cell(key: str, value: int) -> GridCell:
    entry = DOSING[key]
    unit = entry.unit_one if value == 1 and entry.unit_one else entry.unit
    return GridCell(str(entry.patient), value, str(unit))


def dose_grid(dosing: Mapping[str, int]) -> DoseGrid | None:
    """The printed plan's dose grid of an item, or None when its dosing has none."""
    if dosing.get("contractions") or dosing.get("hold_s"):
        cells = [_cell(key, dosing[key]) for key in EXERCISE_GRID if dosing.get(key)]
        return DoseGrid(cells, short=False)
    if dosing.get("minutes") and dosing.get("times_per_day"):
        return DoseGrid([_cell(key, dosing[key]) for key in TIMED_GRID], short=True)
    return None


def patient_line(dosing: Mapping[str, int]) -> str:
    """How much and how often, in one short line for the patient ("" when none fits)."""
    d = {key: localize(value) for key, value in dosing.items()}
    if dosing.get("contractions") and dosing.get("hold_s"):
        line = ngettext(
            "%(n)s squeeze, hold %(hold)s seconds",
            "%(n)s squeezes, hold each %(hold)s seconds",
            dosing["contractions"],
        ) % {"n": d["contractions"], "hold": d["hold_s"]}
        if dosing.get("sets_per_day"):
            line += ", " + _times_a_day(dosing["sets_per_day"], d["sets_per_day"])
        return line
    if dosing.get("minutes"):
        line = ngettext("%(n)s minute", "%(n)s minutes", dosing["minutes"]) % {"n": d["minutes"]}
        if dosing.get("times_per_day"):
            line += ", " + _times_a_day(dosing["times_per_day"], d["times_per_day"])
        return line
    if dosing.get("start_interval_min"):
        target = dosing.get("target_interval_min") or DEFAULT_TARGET_INTERVAL_MIN
        return gettext(
            "Wait at least %(start)s minutes between toilet visits by day, building up to "
            "%(target)s minutes"
        ) % {"start": d["start_interval_min"], "target": localize(target)}
    if "max_drinks_per_day" in dosing:
        return ngettext(
            "No more than %(n)s drink with caffeine a day",
            "No more than %(n)s drinks with caffeine a day",
            dosing["max_drinks_per_day"],
        ) % {"n": d["max_drinks_per_day"]}
    if dosing.get("target_ml_per_day"):
        return gettext("About %(ml)s mL of drinks a day") % {"ml": d["target_ml_per_day"]}
    return ""


def _times_a_day(count: int, shown: str) -> str:
    return ngettext("once a day", "%(n)s times a day", count) % {"n": shown}
