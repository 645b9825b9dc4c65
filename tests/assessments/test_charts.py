"""The diary-day chart: what it draws, and an SVG fit for a page, an <img> and a PDF."""

import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from matplotlib import dates as mdates

from assessments import charts
from assessments.diary import diary_days, parse_diary_csv

EXAMPLE = Path(__file__).parent / "data" / "diary-example.csv"
SVG = "{http://www.w3.org/2000/svg}"
HEADER = "time,event,volume_ml,urgency,note\n"


def example_days():
    return diary_days(parse_diary_csv(EXAMPLE.read_text(encoding="utf-8")))


def one_day(rows: str):
    (day,) = diary_days(parse_diary_csv(HEADER + rows))
    return day


def test_it_is_an_svg_with_the_title():
    svg = charts.diary_day_svg(example_days()[0], title="Day 1: Monday 2 March 2026")
    root = ET.fromstring(svg)
    assert svg.startswith("<svg")
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Day 1: Monday 2 March 2026"
    assert root.get("role") == "img"


def test_text_stays_text_and_labels_the_axes():
    svg = charts.diary_day_svg(example_days()[0], title="Day 1")
    texts = {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert {"Voided (mL)", "Drinks (mL)", "Time of day", "Leaks", "Day 1"} <= texts
    assert {"Void", "Void, urgency 3–4", "Leak, urgency 3–4", "Night (in bed)"} <= texts
    assert "22:00" in texts  # clock times on the x axis


def test_it_is_deterministic():
    day = example_days()[0]
    assert charts.diary_day_svg(day, title="Day 1") == charts.diary_day_svg(day, title="Day 1")


def test_it_can_be_drawn_from_several_threads():
    day = example_days()[0]
    expected = charts.diary_day_svg(day, title="Day 1")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: charts.diary_day_svg(day, title="Day 1"), range(4)))
    assert results == [expected] * 4


def test_it_is_safe_inline_and_as_an_image():
    svg = charts.diary_day_svg(example_days()[0], title='Day 1 <script>alert("x")</script> & $x$')
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg  # neither is allowed inside HTML
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg  # the title is escaped, and no mathtext is parsed
    assert "<metadata" not in svg  # no creator, no date, no links to vocabularies
    # Under a Content-Security-Policy without 'unsafe-inline' no CSS would apply.
    assert "style=" not in svg and "<style" not in svg
    references = re.findall(r'(?:href|url)\(?="?([^")]*)', svg)
    assert references and all(ref.startswith("#") for ref in references)
    assert "<image" not in svg


def voids_leaks_drinks(day):
    figure = charts._draw(day, "Day")
    return figure.axes


def bars(ax):
    """Bars in time order (a bar is minutes wide; the night span is hours wide)."""
    return sorted((p for p in ax.patches if p.get_width() < 0.05), key=lambda p: p.get_x())


def test_voids_and_drinks_are_bars_of_their_volumes():
    voids, _leaks, drinks = voids_leaks_drinks(example_days()[0])
    assert [bar.get_height() for bar in bars(voids)] == [380, 210, 180, 240, 200, 260, 150, 310]
    assert [bar.get_height() for bar in bars(drinks)] == [250, 300, 350, 400]
    first = bars(voids)[0]
    assert first.get_x() + first.get_width() / 2 == pytest.approx(
        mdates.date2num(datetime(2026, 3, 2, 6, 50))  # noqa: DTZ001 (local)
    )  # centred on its time


def test_leaks_are_markers_and_urgency_is_highlighted():
    day = one_day(
        "2026-03-02T07:00,rise,,,\n"
        "2026-03-02T08:00,void,200,4,\n"
        "2026-03-02T09:00,void,250,1,\n"
        "2026-03-02T10:00,leak,,,\n"
        "2026-03-02T11:00,leak,,3,\n"
    )
    voids, leaks, _drinks = voids_leaks_drinks(day)
    urgent_void, plain_void = bars(voids)
    assert urgent_void.get_hatch() == "//" and not plain_void.get_hatch()
    assert urgent_void.get_facecolor() != plain_void.get_facecolor()
    (markers,) = leaks.collections
    assert len(markers.get_offsets()) == 2
    urgent, plain = markers.get_facecolors()
    assert list(urgent) != list(plain)


def test_the_night_is_shaded_from_bed_to_the_next_rise():
    day = example_days()[0]
    voids, _leaks, _drinks = voids_leaks_drinks(day)
    spans = [p for p in voids.patches if p.get_width() > 0.05]
    (night,) = spans
    assert night.get_x() == mdates.date2num(day.bed)
    assert night.get_x() + night.get_width() == mdates.date2num(day.next_rise)


def test_a_day_with_little_in_it_still_draws():
    day = one_day("2026-03-02T07:00,rise,,,\n2026-03-02T07:05,void,,,\n2026-03-02T07:30,drink,,,\n")
    svg = charts.diary_day_svg(day, title="Day 1")
    texts = {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert "No leaks recorded" in texts
    assert "Volume not measured" in texts  # the unmeasured void and drink are shown
    assert "After the diary's last entry" in texts  # no next rise: the rest is unknown


def test_volume_not_measured_is_in_the_legend_only_when_drawn():
    svg = charts.diary_day_svg(example_days()[0], title="Day 1")
    assert "Volume not measured" not in svg
    assert "After the diary" not in svg  # day 1 ends with the next rise
