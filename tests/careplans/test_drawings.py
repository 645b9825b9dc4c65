"""The line drawings printed beside plan items: one safe, self-contained SVG per choice."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from careplans.models import Drawing

DRAWINGS = Path(__file__).resolve().parents[2] / "static" / "floorplan" / "drawings"
SVG = "{http://www.w3.org/2000/svg}"
FORBIDDEN = {"script", "image", "text", "tspan", "textPath", "foreignObject", "style", "use"}
INK, TINT = "#1f2937", "#e5e7eb"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(value: str) -> ET.Element:
    return ET.parse(DRAWINGS / f"{value}.svg").getroot()


def test_every_choice_has_a_drawing_and_no_strays() -> None:
    files = {p.stem for p in DRAWINGS.glob("*.svg")}
    assert files == set(Drawing.values)


@pytest.mark.parametrize("value", Drawing.values)
def test_it_is_a_small_svg_with_the_shared_canvas_and_a_title(value: str) -> None:
    path = DRAWINGS / f"{value}.svg"
    assert path.stat().st_size < 6 * 1024
    root = parse(value)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 160 120"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and (title.text or "").strip()
    assert root.get("aria-labelledby") == title.get("id")


@pytest.mark.parametrize("value", Drawing.values)
def test_it_has_no_script_text_raster_or_external_reference(value: str) -> None:
    raw = (DRAWINGS / f"{value}.svg").read_text(encoding="utf-8")
    assert "<!DOCTYPE" not in raw and "<!ENTITY" not in raw
    for element in parse(value).iter():
        assert local(element.tag) not in FORBIDDEN
        for name, attr in element.attrib.items():
            assert local(name) != "href"
            assert not local(name).lower().startswith("on")
            assert "url(" not in attr and "://" not in attr and "data:" not in attr


@pytest.mark.parametrize("value", Drawing.values)
def test_it_keeps_the_family_style(value: str) -> None:
    for element in parse(value).iter():
        if local(element.tag) != "path":
            continue
        stroke, fill = element.get("stroke"), element.get("fill")
        assert fill in {"none", TINT}
        if stroke is not None:
            assert (stroke, element.get("stroke-width")) == (INK, "3")
            assert element.get("stroke-linecap") == element.get("stroke-linejoin") == "round"
    colours = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", (DRAWINGS / f"{value}.svg").read_text()))
    assert colours <= {INK, TINT}
