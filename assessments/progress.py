"""Outcomes over visits: one series per measure, and which changes are big enough to matter.

Pure Python, no Django: labels go through ``clinic.i18n.gettext`` when a series is built,
so the active language applies.

Minimal important differences (clinical-reference.md, section 6) exist for two measures:

- ICIQ-UI SF: 2.52 points, after pelvic floor muscle training for stress urinary
  incontinence (Nyström E, Sjöström M, Stenlund H, Samuelsson E. Neurourol Urodyn 2015).
- PFDI-20: 24 points (Karjalainen PK, Mattsson NK, Jalkanen JT, Nieminen K, Tolppanen AM.
  Int Urogynecol J 2021;32:3169-76): derived in prolapse surgery and proposed there as a
  difference between groups, so for one patient in a therapy programme it is a high bar.

PFIQ-7, the Modified Oxford grade and the diary measures have no published minimal
important difference here: they are charted without a marker, and the page says so.

A change is measured from the BASELINE, the first visit with a value for that measure,
not from the previous visit: both MIDs were derived as change from the pre-treatment
score, clinicians judge a programme against where the patient started, and a slow steady
improvement (1 point a visit) would never be marked visit to visit although it adds up.
Only a change in the improving direction is marked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from assessments.questionnaires import MINIMAL_IMPORTANT_CHANGE
from clinic.i18n import gettext as _

Better = Literal["lower", "higher"]


def gettext_noop(message: str) -> str:
    """Mark a string for makemessages; it is translated when a series is built."""
    return message


@dataclass(frozen=True)
class VisitOutcomes:
    """What one completed assessment measured; None is "not recorded"."""

    assessment_id: int
    assessed_on: date
    kind: str  # "intake" or "review"
    iciq_ui_sf: float | None = None
    pfdi20: float | None = None
    pfiq7: float | None = None
    oab_v8: float | None = None  # exported, not charted: the issue charts seven measures
    oxford_grade: float | None = None
    daytime_frequency: float | None = None
    nocturia: float | None = None
    leaks_per_day: float | None = None
    # Recorded diary days (getting up to going to bed); None when the visit had no diary.
    diary_days: int | None = None
    # Voids by day and at night come from the diary when it has recorded days, else from
    # what the patient reported at the visit ("Typical; the diary wins if present").
    voids_from_diary: bool = False


@dataclass(frozen=True)
class Measure:
    key: str  # a field of VisitOutcomes
    label: str  # marked with gettext_noop, translated when a series is built
    plain: str  # the same in words for patients (the printed plan)
    unit: str
    better: Better
    mid: float | None
    low: float | None = None  # the instrument's range, for a fixed y axis
    high: float | None = None
    mid_source: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure(
        "iciq_ui_sf",
        gettext_noop("ICIQ-UI SF"),
        gettext_noop("Leaking and how much it affects you"),
        gettext_noop("score 0–21"),
        "lower",
        MINIMAL_IMPORTANT_CHANGE["iciq_ui_sf"],
        0,
        21,
        "Nyström 2015",
    ),
    Measure(
        "pfdi20",
        gettext_noop("PFDI-20"),
        gettext_noop("Pelvic floor symptoms and how much they bother you"),
        gettext_noop("score 0–300"),
        "lower",
        MINIMAL_IMPORTANT_CHANGE["pfdi20"],
        0,
        300,
        "Karjalainen 2021",
    ),
    Measure(
        "pfiq7",
        gettext_noop("PFIQ-7"),
        gettext_noop("How your symptoms affect your daily life"),
        gettext_noop("score 0–300"),
        "lower",
        None,
        0,
        300,
    ),
    Measure(
        "oxford_grade",
        gettext_noop("Modified Oxford grade"),
        gettext_noop("Pelvic floor muscle strength"),
        gettext_noop("grade 0–5"),
        "higher",
        None,
        0,
        5,
    ),
    Measure(
        "daytime_frequency",
        gettext_noop("Daytime frequency"),
        gettext_noop("Toilet visits during the day"),
        gettext_noop("voids a day"),
        "lower",
        None,
    ),
    Measure(
        "nocturia",
        gettext_noop("Nocturia"),
        gettext_noop("Times you get up at night to pass urine"),
        gettext_noop("voids a night"),
        "lower",
        None,
    ),
    Measure(
        "leaks_per_day",
        gettext_noop("Leaks"),
        gettext_noop("Leaks a day"),
        gettext_noop("leaks a day"),
        "lower",
        None,
    ),
)
MEASURES_BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}


@dataclass(frozen=True)
class OutcomeSeries:
    key: str
    label: str
    plain: str
    unit: str
    better: Better
    mid: float | None
    points: list[tuple[date, float]]  # visits with a value, oldest first
    low: float | None = None
    high: float | None = None
    mid_source: str = ""

    @property
    def baseline(self) -> tuple[date, float] | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> tuple[date, float] | None:
        return self.points[-1] if self.points else None


def progress_series(visits: Sequence[VisitOutcomes]) -> list[OutcomeSeries]:
    """One series per measure, in MEASURES order, empty ones included; visits in any order."""
    ordered = sorted(visits, key=lambda v: (v.assessed_on, v.assessment_id))
    series = []
    for m in MEASURES:
        points = [
            (v.assessed_on, float(value))
            for v in ordered
            if (value := getattr(v, m.key)) is not None
        ]
        series.append(
            OutcomeSeries(
                key=m.key,
                label=_(m.label),
                plain=_(m.plain),
                unit=_(m.unit),
                better=m.better,
                mid=m.mid,
                points=points,
                low=m.low,
                high=m.high,
                mid_source=m.mid_source,
            )
        )
    return series


def _exact(value: float) -> Decimal:
    # Scores have at most one decimal place: 32.3 - 8.3 is 24.0 exactly, not 23.999…
    return Decimal(repr(float(value)))


def improvement(better: Better, baseline: float, value: float) -> float:
    """How much better than the baseline (negative: worse), exact to the scores' places."""
    change = _exact(baseline) - _exact(value)
    return float(change if better == "lower" else -change)


def reaches_mid(better: Better, mid: float | None, baseline: float, value: float) -> bool:
    """Improved from the baseline by at least the minimal important difference."""
    if mid is None:
        return False
    return _exact(improvement(better, baseline, value)) >= _exact(mid)


def mid_reached(series: OutcomeSeries) -> list[int]:
    """Indexes of the points whose change from the baseline (the first point) reaches the
    MID in the improving direction; none for a measure without a published MID."""
    if series.mid is None or not series.points:
        return []
    _day, baseline = series.points[0]
    return [
        index
        for index, (_when, value) in enumerate(series.points)
        if index > 0 and reaches_mid(series.better, series.mid, baseline, value)
    ]


@dataclass(frozen=True)
class Cell:
    """One measure at one visit, for a table: the value, and for measures with a MID the
    change from the baseline (value minus baseline: for a score where lower is better a
    negative change is an improvement) and whether it reaches the MID."""

    value: float | None
    change: float | None = None
    reached: bool = False


def visit_cells(visit: VisitOutcomes, baselines: Mapping[str, float]) -> dict[str, Cell]:
    """The cells of a visit by measure key; ``baselines`` are the first values by key."""
    cells = {}
    for m in MEASURES:
        value = getattr(visit, m.key)
        baseline = baselines.get(m.key)
        if value is None or m.mid is None or baseline is None:
            cells[m.key] = Cell(value)
            continue
        change = float(_exact(value) - _exact(baseline))
        cells[m.key] = Cell(value, change, reaches_mid(m.better, m.mid, baseline, value))
    return cells


def has_outcome(visit: VisitOutcomes) -> bool:
    return any(getattr(visit, m.key) is not None for m in MEASURES)
