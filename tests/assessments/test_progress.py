"""Outcomes over visits, without a database: series, direction and the MID markers."""

from datetime import date, timedelta

from assessments.progress import (
    MEASURES,
    OutcomeSeries,
    VisitOutcomes,
    has_outcome,
    mid_reached,
    progress_series,
    reaches_mid,
    visit_cells,
)

START = date(2026, 1, 5)


def visit(n: int, **outcomes) -> VisitOutcomes:
    return VisitOutcomes(
        n, START + timedelta(weeks=3 * n), "intake" if n == 0 else "review", **outcomes
    )


def series(key: str, *values: float | None) -> OutcomeSeries:
    visits = [visit(n, **{key: value}) for n, value in enumerate(values)]
    (found,) = [s for s in progress_series(visits) if s.key == key]
    return found


def test_there_is_a_series_per_measure_in_order_empty_ones_included():
    result = progress_series([visit(0, iciq_ui_sf=12)])
    assert [s.key for s in result] == [m.key for m in MEASURES]
    assert [s.key for s in result if s.points] == ["iciq_ui_sf"]
    assert [s.label for s in result] == [
        "ICIQ-UI SF",
        "PFDI-20",
        "PFIQ-7",
        "Modified Oxford grade",
        "Daytime frequency",
        "Nocturia",
        "Leaks",
    ]


def test_points_are_in_date_order_whatever_the_order_given():
    visits = [visit(2, pfiq7=40.0), visit(0, pfiq7=80.0), visit(1, pfiq7=60.0)]
    (pfiq7,) = [s for s in progress_series(visits) if s.key == "pfiq7"]
    assert pfiq7.points == [
        (START, 80.0),
        (START + timedelta(weeks=3), 60.0),
        (START + timedelta(weeks=6), 40.0),
    ]


def test_visits_without_a_value_are_left_out_not_zero():
    s = series("nocturia", None, 3, None, 1)
    assert [value for _day, value in s.points] == [3.0, 1.0]
    assert s.baseline == (START + timedelta(weeks=3), 3.0)
    assert s.latest == (START + timedelta(weeks=9), 1.0)


def test_only_iciq_and_pfdi20_have_a_mid_with_its_source():
    mids = {s.key: (s.mid, s.mid_source) for s in progress_series([])}
    assert mids["iciq_ui_sf"] == (2.52, "Nyström 2015")
    assert mids["pfdi20"] == (24.0, "Karjalainen 2021")
    assert all(mids[key] == (None, "") for key in mids if key not in ("iciq_ui_sf", "pfdi20"))


def test_directions():
    better = {s.key: s.better for s in progress_series([])}
    assert better.pop("oxford_grade") == "higher"
    assert set(better.values()) == {"lower"}


def test_an_iciq_fall_of_3_from_the_baseline_reaches_the_mid_and_2_does_not():
    # 2.52 points: whole-point scores reach it with a fall of 3.
    assert mid_reached(series("iciq_ui_sf", 14, 12, 11, 9)) == [2, 3]


def test_the_mid_is_measured_from_the_baseline_not_the_previous_visit():
    # Two points a visit: never 2.52 visit to visit, but 4 and 6 from the first.
    assert mid_reached(series("iciq_ui_sf", 16, 14, 12, 10)) == [2, 3]


def test_the_baseline_is_the_first_visit_with_a_value():
    assert mid_reached(series("iciq_ui_sf", None, 10, 7)) == [1]


def test_a_worsening_by_the_mid_is_not_marked():
    assert mid_reached(series("iciq_ui_sf", 5, 9, 14)) == []
    assert mid_reached(series("pfdi20", 50.0, 120.0)) == []


def test_a_point_that_falls_back_is_no_longer_marked():
    assert mid_reached(series("pfdi20", 120.0, 90.0, 110.0, 80.0)) == [1, 3]


def test_exactly_the_mid_reaches_it_despite_floating_point():
    # 32.3 - 8.3 is 23.999999999999996 in floats; scores are exact to one place.
    assert 32.3 - 8.3 < 24
    assert mid_reached(series("pfdi20", 32.3, 8.3)) == [1]
    assert mid_reached(series("pfdi20", 32.3, 8.4)) == []


def test_measures_without_a_published_mid_mark_nothing():
    assert mid_reached(series("pfiq7", 200.0, 20.0)) == []
    assert mid_reached(series("leaks_per_day", 6.0, 0.0)) == []
    assert mid_reached(series("oxford_grade", 0, 5)) == []


def test_higher_is_better_reaches_upwards():
    assert reaches_mid("higher", 1.0, 2, 3)
    assert not reaches_mid("higher", 1.0, 3, 2)
    assert not reaches_mid("lower", None, 20, 0)


def test_a_single_visit_marks_nothing():
    assert mid_reached(series("iciq_ui_sf", 12)) == []
    assert mid_reached(series("iciq_ui_sf")) == []


def test_cells_carry_the_change_from_the_baseline_for_measures_with_a_mid():
    cells = visit_cells(
        visit(3, iciq_ui_sf=9, pfdi20=100.0, pfiq7=40.0, leaks_per_day=1.5),
        {"iciq_ui_sf": 14.0, "pfdi20": 110.0},
    )
    assert (cells["iciq_ui_sf"].value, cells["iciq_ui_sf"].change) == (9, -5.0)
    assert cells["iciq_ui_sf"].reached
    assert (cells["pfdi20"].change, cells["pfdi20"].reached) == (-10.0, False)
    assert (cells["pfiq7"].value, cells["pfiq7"].change, cells["pfiq7"].reached) == (
        40.0,
        None,
        False,
    )
    assert cells["nocturia"].value is None


def test_a_visit_has_an_outcome_only_with_a_charted_measure():
    assert not has_outcome(visit(0))
    assert not has_outcome(visit(0, oab_v8=12))  # exported, not charted
    assert has_outcome(visit(0, oxford_grade=0))
