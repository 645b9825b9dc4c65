"""Outcomes over visits from the database: a fixed number of queries, however many visits.

Only completed assessments count as visits: a draft may still change. Diary metrics are
computed from ONE query of the diary rows of the visits concerned, grouped in Python;
nothing is read per visit. The page reads one page of TABLE_ROWS visits (and one row of
counts and baselines), so its work is the same for 500 visits as for 10; the chart and
the CSV read every visit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from assessments import diary, wallclock
from assessments.models import Assessment, DiaryEntry, Status
from assessments.progress import MEASURES, VisitOutcomes, visit_cells
from clinic.csv_rows import csv_safe
from clinic.models import Patient

# A programme of pelvic floor training has a handful of reviews: a page of 10 visits shows
# most patients whole and keeps the page as fast at 500 visits as at 5 (measured: 50 rows
# with their diaries took 3 times as long as 5).
TABLE_ROWS = 10
# The three diary metrics charted need only these events, and only their times.
_DIARY_EVENTS = ("rise", "bed", "void", "leak")

_COLUMNS = (
    "id",
    "assessed_on",
    "kind",
    "iciq_ui_sf_total",
    "pfdi20_total",
    "pfiq7_total",
    "oab_v8_total",
    "oxford_grade",
    "day_voids",
    "night_voids",
)
# Measures with a MID: their baselines (first values) come from these columns.
_BASELINE_COLUMNS = {"iciq_ui_sf": "iciq_ui_sf_total", "pfdi20": "pfdi20_total"}


def completed_visits(patient: Patient) -> QuerySet[Assessment]:
    return Assessment.objects.filter(patient=patient, status=Status.COMPLETE)


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _events_by_assessment(entries: QuerySet[DiaryEntry]) -> dict[int, list[diary.DiaryEvent]]:
    """One query for the diary rows of many assessments, grouped by assessment.

    Only what daytime frequency, nocturia and leaks a day depend on: the days (rise, bed),
    voids and leaks, by time. Drinks, volumes and urgency are left unread, so the other
    metrics of these events mean nothing and are not used.
    """
    grouped: dict[int, list[diary.DiaryEvent]] = defaultdict(list)
    rows = (
        entries.filter(event__in=_DIARY_EVENTS)
        .order_by("assessment_id", "time", "id")
        .values_list("assessment_id", "time", "event")
    )
    for assessment_id, time, event in rows:
        events = grouped[assessment_id]
        events.append(
            diary.DiaryEvent(len(events) + 2, wallclock.from_db(time), event, None, None, "")
        )
    return grouped


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _metric(metrics: Mapping[str, object], key: str) -> float | None:
    """A diary-v1 metric as a number (null stays None)."""
    value = metrics.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _outcomes(row: tuple[Any, ...], events: list[diary.DiaryEvent]) -> VisitOutcomes:
    (pk, assessed_on, kind, iciq, pfdi20, pfiq7, oab_v8, oxford, day_voids, night_voids) = row
    # Age, weight and the frequency threshold change none of the three metrics used here.
    metrics = diary.diary_metrics(events) if events else {}
    recorded = _count(metrics.get("days_recorded"))
    from_diary = recorded > 0
    return VisitOutcomes(
        assessment_id=pk,
        assessed_on=assessed_on,
        kind=kind,
        iciq_ui_sf=_number(iciq),
        pfdi20=_number(pfdi20),
        pfiq7=_number(pfiq7),
        oab_v8=_number(oab_v8),
        oxford_grade=_number(oxford),
        daytime_frequency=(
            _metric(metrics, "daytime_frequency") if from_diary else _number(day_voids)
        ),
        nocturia=_metric(metrics, "nocturia") if from_diary else _number(night_voids),
        leaks_per_day=_metric(metrics, "incontinence_episodes_per_day") if from_diary else None,
        diary_days=recorded if events else None,
        voids_from_diary=from_diary,
    )


def patient_visits(patient: Patient, *, until: date | None = None) -> list[VisitOutcomes]:
    """Every completed visit, oldest first (up to and including ``until``): 2 queries."""
    visits = completed_visits(patient)
    if until is not None:
        visits = visits.filter(assessed_on__lte=until)
    rows = list(visits.order_by("assessed_on", "id").values_list(*_COLUMNS))
    events = _events_by_assessment(DiaryEntry.objects.filter(assessment__in=visits))
    return [_outcomes(row, events.get(row[0], [])) for row in rows]


def recent_visits(
    patient: Patient, *, limit: int = TABLE_ROWS, offset: int = 0
) -> list[VisitOutcomes]:
    """Completed visits newest first, ``limit`` of them after skipping ``offset``:
    2 queries (1 when there is no visit)."""
    latest = completed_visits(patient).order_by("-assessed_on", "-id")[offset : offset + limit]
    rows = list(latest.values_list(*_COLUMNS))
    # The ids, not a LIMIT subquery: some databases refuse LIMIT inside IN (...).
    events = _events_by_assessment(
        DiaryEntry.objects.filter(assessment_id__in=[r[0] for r in rows])
    )
    return [_outcomes(row, events.get(row[0], [])) for row in rows]


@dataclass(frozen=True)
class Overview:
    visits: int  # completed visits in all
    baselines: dict[str, float]  # first values of the measures with a MID, by measure key
    baseline_dates: dict[str, date]


def overview(patient: Patient) -> Overview:
    """How many visits, and the baselines of the measures with a MID: 1 query."""
    visits = Assessment.objects.filter(patient=OuterRef("pk"), status=Status.COMPLETE)
    annotations: dict[str, Any] = {
        "visit_count": Subquery(
            visits.order_by().values("patient").annotate(n=Count("pk")).values("n")
        )
    }
    for key, column in _BASELINE_COLUMNS.items():
        first = visits.filter(**{f"{column}__isnull": False}).order_by("assessed_on", "id")
        annotations[f"{key}_value"] = Subquery(first.values(column)[:1])
        annotations[f"{key}_on"] = Subquery(first.values("assessed_on")[:1])
    row = Patient.objects.filter(pk=patient.pk).annotate(**annotations).values(*annotations).get()
    baselines = {
        key: float(row[f"{key}_value"])
        for key in _BASELINE_COLUMNS
        if row[f"{key}_value"] is not None
    }
    dates = {key: row[f"{key}_on"] for key in baselines}
    return Overview(visits=row["visit_count"] or 0, baselines=baselines, baseline_dates=dates)


# --- CSV export ---------------------------------------------------------------------------

# Column names are stable codes, not translated: a spreadsheet or script reading the export
# keeps working in any language (as the diary CSV's columns do).
CSV_HEADER = (
    "date",
    "kind",
    "iciq_ui_sf",
    "iciq_ui_sf_change_from_baseline",
    "iciq_ui_sf_mid_reached",
    "pfdi20",
    "pfdi20_change_from_baseline",
    "pfdi20_mid_reached",
    "pfiq7",
    "oab_v8",
    "oxford_grade",
    "daytime_frequency",
    "nocturia",
    "leaks_per_day",
    "voids_source",
    "diary_days",
)


def _plain(value: float | None) -> int | float | None:
    """A measure as the number the table shows: 4, 4.5 (a number, so csv_safe leaves a
    change of -4 a number a spreadsheet can add up)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 1)


def outcome_rows(visits: Iterable[VisitOutcomes]) -> Iterator[list[str]]:
    """The header, then one row per visit in the order given; every cell CSV-safe
    (clinic.csv_rows.csv_safe, the guard of every CSV export)."""
    visits = list(visits)
    baselines: dict[str, float] = {}
    for visit in sorted(visits, key=lambda v: (v.assessed_on, v.assessment_id)):
        for key in _BASELINE_COLUMNS:
            if key not in baselines and getattr(visit, key) is not None:
                baselines[key] = getattr(visit, key)
    yield list(CSV_HEADER)
    for visit in visits:
        cells = visit_cells(visit, baselines)
        row: list[object] = [visit.assessed_on.isoformat(), visit.kind]
        for m in MEASURES:
            if m.key == "oxford_grade":
                row.append(_plain(visit.oab_v8))  # OAB-V8 sits with the questionnaires
            cell = cells[m.key]
            row.append(_plain(cell.value))
            if m.mid is not None:
                row.append(_plain(cell.change))
                row.append("" if cell.change is None else ("yes" if cell.reached else "no"))
        if visit.daytime_frequency is None and visit.nocturia is None:
            row.append("")
        else:
            row.append("diary" if visit.voids_from_diary else "reported")
        row.append("" if visit.diary_days is None else visit.diary_days)
        yield [csv_safe(cell) for cell in row]
