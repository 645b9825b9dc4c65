"""careplans.dosing: the one vocabulary of the dosing keys, read by the printed plan, the
clinician summary, the plan page's dose fields and the library's placeholders. No
database."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from careplans import dosing, library, rules
from careplans.dosing import DOSING, clinician_label, clinician_line, dose_grid, patient_line
from careplans.forms import ItemForm
from careplans.library import load_library_entries
from tests.careplans.conftest import SAMPLES, example_intake, sample_intake


def test_the_placeholders_are_the_keys_of_the_table():
    assert library.PLACEHOLDERS is dosing.PLACEHOLDERS == tuple(DOSING)


def test_every_key_the_builder_or_the_library_doses_has_a_label():
    used = {key for entry in load_library_entries() for key in entry["default_dosing"]}
    for intake in [example_intake(), *(sample_intake(name) for name in SAMPLES)]:
        used |= {key for item in rules.build(intake).plan["items"] for key in item["dosing"]}
    assert used <= set(DOSING)


def test_a_key_has_its_label_and_a_clinics_own_key_reads_as_written():
    assert clinician_label("hold_s") == "Hold (seconds)"
    assert clinician_label("every_days") == "Every (days)"
    assert clinician_label("start_interval_min") == "Start interval (minutes)"
    assert clinician_label("max_drinks_per_day") == "Caffeine drinks a day (at most)"
    assert clinician_label("my_key") == "My key"


def test_a_dose_in_words_for_the_clinician():
    dose = {"contractions": 8, "hold_s": 6, "rest_s": 1, "sets_per_day": 3, "my_key": 2}
    assert clinician_line(dose) == (
        "8 squeezes · Hold 6 seconds · Rest 1 second · 3 sets a day · My key: 2"
    )
    assert clinician_line({}) == ""


def test_the_summary_lists_each_key_with_its_label():
    item = {"dosing": {"hold_s": 4, "sets_per_day": 3, "my_key": 2}}
    html = render_to_string("careplans/documents/_dosing.html", {"item": item})
    assert html.strip().endswith(
        '<span class="nowrap">Hold (seconds): 4</span><br><span class="nowrap">Sets a day: 3</span>'
        '<br><span class="nowrap">My key: 2</span>'
    )
    empty = render_to_string("careplans/documents/_dosing.html", {"item": {"dosing": {}}})
    assert empty.strip().endswith("–")


def test_the_plan_pages_dose_fields_use_the_labels():
    form = ItemForm(dosing={"hold_s": 4, "times_per_day": 2, "my_key": 1})
    labels = [form.fields[f"dosing_{key}"].label for key in ("hold_s", "times_per_day", "my_key")]
    assert [str(label) for label in labels] == ["Hold (seconds)", "Times a day", "My key"]


# --- The printed plan -----------------------------------------------------------------------


def cells(dosing_values):
    grid = dose_grid(dosing_values)
    return None if grid is None else (grid.short, [(c.label, c.value, c.unit) for c in grid.cells])


def test_an_exercise_grid_shows_its_set_doses_in_reading_order():
    assert cells({"contractions": 8, "sets_per_day": 3, "hold_s": 4, "rest_s": 0, "weeks": 12}) == (
        False,
        [
            ("Hold", 4, "seconds"),
            ("Repeat", 8, "times"),
            ("Sets", 3, "a day"),
            ("Keep going", 12, "weeks"),
        ],
    )


def test_a_timed_practice_has_the_short_grid_with_one_time_a_day():
    assert cells({"minutes": 5, "times_per_day": 1}) == (
        True,
        [("Time", 5, "minutes"), ("How often", 1, "time a day")],
    )
    assert cells({"minutes": 5, "times_per_day": 2})[1][1] == ("How often", 2, "times a day")


@pytest.mark.parametrize(
    "values", [{}, {"minutes": 5}, {"start_interval_min": 60}, {"contractions": 0, "hold_s": 0}]
)
def test_other_doses_have_no_grid(values):
    assert dose_grid(values) is None


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"contractions": 1, "hold_s": 5}, "1 squeeze, hold 5 seconds"),
        (
            {"contractions": 8, "hold_s": 5, "sets_per_day": 1},
            "8 squeezes, hold each 5 seconds, once a day",
        ),
        (
            {"contractions": 8, "hold_s": 5, "sets_per_day": 3},
            "8 squeezes, hold each 5 seconds, 3 times a day",
        ),
        ({"minutes": 1}, "1 minute"),
        ({"minutes": 10, "times_per_day": 2}, "10 minutes, 2 times a day"),
        (
            {"start_interval_min": 60},
            "Wait at least 60 minutes between toilet visits by day, building up to 180 minutes",
        ),
        (
            {"start_interval_min": 60, "target_interval_min": 150},
            "Wait at least 60 minutes between toilet visits by day, building up to 150 minutes",
        ),
        ({"max_drinks_per_day": 0}, "No more than 0 drinks with caffeine a day"),
        ({"max_drinks_per_day": 1}, "No more than 1 drink with caffeine a day"),
        ({"target_ml_per_day": 1500}, "About 1500 mL of drinks a day"),
        ({"review_after_weeks": 6}, ""),
        ({}, ""),
    ],
)
def test_the_patients_dose_line(values, line):
    assert patient_line(values) == line


def test_the_template_filters_read_the_vocabulary():
    template = Template(
        "{% load dosing %}{{ d|dose_line }}|{{ 'rest_s'|dosing_label }}|"
        "{% with grid=d|dose_grid %}{{ grid.cells.0.label }}{% endwith %}"
    )
    rendered = template.render(Context({"d": {"contractions": 8, "hold_s": 5}}))
    assert rendered == "8 squeezes, hold each 5 seconds|Rest (seconds)|Hold"
