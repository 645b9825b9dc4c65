"""Bladder-diary charts as SVG, drawn with matplotlib (for the pages and the PDFs).

Figures are built as ``Figure`` objects, never through pyplot, whose global state is not
safe in a multi-threaded server. The SVG keeps text as text (``svg.fonttype: none``), is
the same bytes for the same diary day, and carries no prolog, DOCTYPE, metadata or style
attributes, so it can be served as an image or pasted inline into a page that forbids
inline styles.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, Any, TypedDict

import matplotlib
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from assessments.diary import URGENCY_EPISODE_MIN, DiaryDay, DiaryEvent

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Headless: the figures below need no backend, and no import of pyplot may open a GUI.
matplotlib.use("Agg")

# Okabe & Ito's colour-blind-safe palette; urgency adds a hatch, so colour is never the
# only cue.
VOID = "#0072B2"  # blue
URGENT = "#E69F00"  # orange
LEAK = "#D55E00"  # vermillion
DRINK = "#56B4E9"  # sky blue
NIGHT = "#4D4D4D"
INK = "#1A1A1A"
GRID = "#D9D9D9"


class _PatchStyle(TypedDict):
    facecolor: str
    edgecolor: str
    hatch: str
    linewidth: float


_UNRECORDED: _PatchStyle = {
    "facecolor": "white",
    "edgecolor": "#B3B3B3",
    "hatch": "//",
    "linewidth": 0,
}

TICK_PT = 13
LABEL_PT = 14
TITLE_PT = 16
BAR_MINUTES = 16

# Matplotlib is not thread-safe (rcParams are process-wide, and so are its caches): one
# chart at a time, with the SVG options applied only while it is saved.
_LOCK = threading.Lock()
_SVG_RC: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "floorplan-diary-chart"}
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}

# Presentation attributes matplotlib writes as CSS declarations; all are SVG attributes.
_PRESENTATION = {
    "clip-path",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
}
_STYLE_ATTR = re.compile(r' style="([^"]*)"')
_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_DEFAULT_STYLE = re.compile(r"\s*<style\b[^>]*>[^<]*</style>")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _is_urgent(event: DiaryEvent) -> bool:
    return event.urgency is not None and event.urgency >= URGENCY_EPISODE_MIN


def _x(time: datetime) -> float:
    return float(mdates.date2num(time))  # type: ignore[no-untyped-call]  # untyped in matplotlib


def day_title(day: DiaryDay) -> str:
    """The heading of a day's chart, also its <title>: "Day 1: Monday March 2, 2026"."""
    return _("Day %(number)d: %(weekday)s %(date)s") % {
        "number": day.number,
        "weekday": date_format(day.rise, "l"),
        "date": date_format(day.rise, "DATE_FORMAT"),
    }


def figure_svg(draw: Callable[[], Figure], title: str) -> str:
    """Draw a figure and save it as SVG one at a time (matplotlib's settings are
    process-wide), then clean it for pages that forbid inline styles."""
    with _LOCK:
        figure = draw()
        out = io.StringIO()
        with matplotlib.rc_context(_SVG_RC):
            figure.savefig(out, format="svg", metadata=_NO_METADATA)
    return _embeddable(out.getvalue(), title)


def diary_day_svg(day: DiaryDay, *, title: str) -> str:
    """One diary day from rise to the next rise: voids, leaks, drinks and the night."""
    return figure_svg(lambda: _draw(day, title), title)


def _draw(day: DiaryDay, title: str) -> Figure:
    figure = Figure(figsize=(12, 6.4), layout="constrained", facecolor="white")
    voids_ax, leaks_ax, drinks_ax = figure.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [3.2, 0.8, 1.7]}
    )
    width = BAR_MINUTES / (24 * 60)
    voids = [e for e in day.events if e.event == "void"]
    drinks = [e for e in day.events if e.event == "drink"]
    leaks = [e for e in day.events if e.event == "leak"]

    measured = [v for v in voids if v.volume_ml is not None]
    voids_ax.bar(
        [_x(v.time) for v in measured],
        [v.volume_ml for v in measured],
        width=width,
        color=[URGENT if _is_urgent(v) else VOID for v in measured],
        hatch=["//" if _is_urgent(v) else "" for v in measured],
        edgecolor=INK,
        linewidth=0.6,
        zorder=3,
    )
    unmeasured = [v for v in voids if v.volume_ml is None]
    top = max([v.volume_ml or 0 for v in voids] + [100]) * 1.15
    voids_ax.scatter(
        [_x(v.time) for v in unmeasured],
        [top * 0.04] * len(unmeasured),
        s=110,
        facecolors="white",
        edgecolors=[URGENT if _is_urgent(v) else VOID for v in unmeasured],
        linewidths=2.2,
        zorder=4,
    )
    voids_ax.set_ylim(0, top)
    voids_ax.set_ylabel(_("Voided (mL)"), fontsize=LABEL_PT, parse_math=False)

    leaks_ax.scatter(
        [_x(e.time) for e in leaks],
        [0.5] * len(leaks),
        marker="v",
        s=190,
        c=[URGENT if _is_urgent(e) else LEAK for e in leaks],
        edgecolors=[INK if _is_urgent(e) else LEAK for e in leaks],
        linewidths=2,
        zorder=4,
    )
    if not leaks:
        _say_none(leaks_ax, _("No leaks recorded"))
    leaks_ax.set_ylim(0, 1)
    leaks_ax.set_yticks([])
    leaks_ax.set_ylabel(_("Leaks"), fontsize=LABEL_PT, rotation=0, ha="right", va="center")

    poured = [d for d in drinks if d.volume_ml is not None]
    drinks_ax.bar(
        [_x(d.time) for d in poured],
        [d.volume_ml for d in poured],
        width=width,
        color=DRINK,
        edgecolor=INK,
        linewidth=0.6,
        zorder=3,
    )
    drink_top = max([d.volume_ml or 0 for d in drinks] + [100]) * 1.15
    unpoured = [d for d in drinks if d.volume_ml is None]
    drinks_ax.scatter(
        [_x(d.time) for d in unpoured],
        [drink_top * 0.08] * len(unpoured),
        s=110,
        facecolors="white",
        edgecolors=DRINK,
        linewidths=2.2,
        zorder=4,
    )
    if not drinks:
        _say_none(drinks_ax, _("No drinks recorded"))
    drinks_ax.set_ylim(0, drink_top)
    drinks_ax.set_ylabel(_("Drinks (mL)"), fontsize=LABEL_PT)
    drinks_ax.set_xlabel(_("Time of day"), fontsize=LABEL_PT)

    # Every day on the same scale: a last day without its next rise still spans 24 hours.
    start = day.rise - timedelta(minutes=20)
    end = day.next_rise or max(day.end, day.rise + timedelta(hours=24))
    end += timedelta(minutes=20)
    night_end = day.next_rise or end
    # Without a next rise the diary stopped at its last event: what follows is unknown.
    unrecorded = day.next_rise is None and end - day.end > timedelta(minutes=30)
    for ax in (voids_ax, leaks_ax, drinks_ax):
        if day.bed is not None:
            ax.axvspan(_x(day.bed), _x(night_end), color=NIGHT, alpha=0.14, lw=0, zorder=1)
        if unrecorded:
            after = day.end + timedelta(minutes=BAR_MINUTES / 2)
            ax.axvspan(_x(after), _x(end), zorder=1, **_UNRECORDED)
        ax.set_xlim(_x(start), _x(end))
        ax.tick_params(labelsize=TICK_PT, colors=INK)
        ax.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
    leaks_ax.grid(False)
    # Diary times are naive wall-clock times; date2num reads them as UTC, so must these.
    # (AutoDateLocator and DateFormatter are untyped in matplotlib.)
    locator = mdates.AutoDateLocator(minticks=5, maxticks=13, tz=UTC)  # type: ignore[no-untyped-call]
    drinks_ax.xaxis.set_major_locator(locator)
    formatter = mdates.DateFormatter("%H:%M", tz=UTC)  # type: ignore[no-untyped-call]
    drinks_ax.xaxis.set_major_formatter(formatter)
    figure.align_ylabels([voids_ax, drinks_ax])

    figure.suptitle(title, fontsize=TITLE_PT, fontweight="bold", parse_math=False)
    figure.legend(
        handles=_legend_handles(unmeasured=bool(unmeasured or unpoured), unrecorded=unrecorded),
        loc="outside lower center",
        ncols=4,
        fontsize=TICK_PT,
        frameon=False,
    )
    return figure


def _say_none(ax: Axes, text: str) -> None:
    """An empty lane says so: nothing recorded is not the same as a missing chart."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=TICK_PT,
        color="#595959",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 4},
        parse_math=False,
    )


def _legend_handles(*, unmeasured: bool, unrecorded: bool) -> list[Artist]:
    def marker(label: str, shape: str, face: str, edge: str, size: float = 12) -> Line2D:
        return Line2D(
            [],
            [],
            linestyle="none",
            marker=shape,
            markersize=size,
            markerfacecolor=face,
            markeredgecolor=edge,
            markeredgewidth=2,
            label=label,
        )

    handles: list[Artist] = [
        Patch(facecolor=VOID, edgecolor=INK, label=_("Void")),
        Patch(facecolor=URGENT, edgecolor=INK, hatch="//", label=_("Void, urgency 3–4")),
        marker(_("Leak"), "v", LEAK, LEAK),
        marker(_("Leak, urgency 3–4"), "v", URGENT, INK),
        Patch(facecolor=DRINK, edgecolor=INK, label=_("Drink")),
    ]
    if unmeasured:
        handles.append(marker(_("Volume not measured"), "o", "white", "#595959", 10))
    handles.append(Patch(facecolor=NIGHT, alpha=0.14, label=_("Night (in bed)")))
    if unrecorded:
        handles.append(Patch(**_UNRECORDED, label=_("After the diary's last entry")))
    return handles


def _attributes(match: re.Match[str]) -> str:
    pairs = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name in _PRESENTATION:
            pairs.append(f' {name}="{value}"')
        else:  # not expected from matplotlib; kept, at the cost of inline use (tested)
            pairs.append(f' style="{name}: {value}"')
    return "".join(pairs)


def _embeddable(svg: str, title: str) -> str:
    """Served as a file or pasted into HTML: no prolog, no CSS, an accessible title."""
    svg = _PROLOG.sub("", svg, count=1)
    # Matplotlib's one stylesheet sets two defaults; they move to the root, and inherit.
    svg = _DEFAULT_STYLE.sub("", svg, count=1)
    svg = _STYLE_ATTR.sub(_attributes, svg)
    opening = _SVG_OPEN.search(svg)
    assert opening is not None
    tag = opening.group(0)[:-1] + ' role="img" stroke-linejoin="round" stroke-linecap="butt">'
    return (
        svg[: opening.start()] + tag + f"\n <title>{escape(title)}</title>" + svg[opening.end() :]
    )
