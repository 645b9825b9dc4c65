"""Progress over visits as SVG small multiples, drawn with matplotlib like the diary charts.

One panel per measure that has a value, the visits as points joined by a line, dates on the
x axis, shared by every panel so a visit lines up across them. A point whose change from the
baseline reaches the minimal important difference is a star (shape, not colour alone), and
a dashed line shows how far the score has to fall (or rise) to reach it. The SVG goes
through assessments/charts.py's lock, settings and cleaning: deterministic, text as text,
no style attributes, so it can be served as an image, inlined or printed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import cast

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from assessments import charts
from assessments.progress import OutcomeSeries, mid_reached

# Okabe & Ito's colour-blind-safe palette, as in charts.py.
LINE = "#0072B2"  # blue
REACHED = "#009E73"  # bluish green
THRESHOLD = "#595959"
INK = charts.INK
GRID = charts.GRID

# Printed at the width of an A4 or Letter page (about 6.9 in) the figure shrinks to about
# three quarters: 13 pt ticks print at 10 pt.
TICK_PT = 13
LABEL_PT = 14
TITLE_PT = 16
PANEL_WIDTH_IN = 4.6
PANEL_HEIGHT_IN = 2.7
VALUES_UP_TO = 12  # points labelled with their value; beyond this the labels crowd
DATES_UP_TO = 3  # so few visit dates are the x ticks themselves, with the year


def progress_chart_svg(
    series: Sequence[OutcomeSeries], *, title: str | None = None, for_patient: bool = False
) -> str:
    """Small multiples of the series that have a value; a note when none has.

    ``for_patient``: the printed plan's wording, without "MID" and "no published MID".
    """
    title = title if title is not None else _("Progress over visits")
    shown = [s for s in series if s.points]
    return charts.figure_svg(lambda: _draw(shown, title, for_patient=for_patient), title)


def _x(day: date) -> float:
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 (read as UTC)
    return float(mdates.date2num(midnight))  # type: ignore[no-untyped-call]  # untyped in matplotlib


def _x_limits(shown: Sequence[OutcomeSeries]) -> tuple[float, float]:
    days = [day for s in shown for day, _value in s.points]
    first, last = min(days), max(days)
    margin = max((last - first) * 0.06, timedelta(days=10))
    return _x(first - margin), _x(last + margin)


def _date_formatter(pattern: str) -> FuncFormatter:
    # Month names from Django's translations, in the active language.

    def label(value: float, _position: int | None = None) -> str:
        day = mdates.num2date(value, tz=UTC).date()  # type: ignore[no-untyped-call]  # untyped
        return date_format(day, pattern)

    return FuncFormatter(label)


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _panel(ax: Axes, s: OutcomeSeries, *, for_patient: bool) -> tuple[bool, bool]:
    """Draws one measure; says whether it drew stars and a threshold line (for the legend)."""
    xs = [_x(day) for day, _value in s.points]
    ys = [value for _day, value in s.points]
    reached = set(mid_reached(s))
    # Smaller marks as visits accumulate, so hundreds of them stay a readable line.
    size = 7 if len(xs) <= VALUES_UP_TO else (5 if len(xs) <= 40 else 3.5)
    ax.plot(
        xs,
        ys,
        color=LINE,
        linewidth=2,
        marker="o",
        markersize=size,
        markerfacecolor=LINE,
        markeredgecolor="white",
        markeredgewidth=1,
        zorder=3,
    )
    if reached:
        ax.plot(
            [xs[i] for i in sorted(reached)],
            [ys[i] for i in sorted(reached)],
            linestyle="none",
            marker="*",
            markersize=size * 2.7,
            markerfacecolor=REACHED,
            markeredgecolor=INK,
            markeredgewidth=1 if size > 4 else 0.6,
            zorder=4,
        )
    threshold = False
    if s.mid is not None and len(s.points) > 1:
        baseline = ys[0]
        target = baseline - s.mid if s.better == "lower" else baseline + s.mid
        low = s.low if s.low is not None else -math.inf
        high = s.high if s.high is not None else math.inf
        threshold = low <= target <= high
        if threshold:
            ax.axhline(target, color=THRESHOLD, linestyle=(0, (5, 3)), linewidth=1.3, zorder=2)

    if s.low is not None and s.high is not None:
        bottom, top = s.low, s.high
        # An instrument's own range, in quarters (thirds of 0-21, single Oxford grades).
        step = 1 if top <= 5 else (top - bottom) / (3 if top == 21 else 3)
        ax.set_yticks([bottom + step * k for k in range(round((top - bottom) / step) + 1)])
    else:
        bottom, top = 0.0, max(max(ys) * 1.2, 1.0)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
    pad = (top - bottom) * 0.06
    labelled = len(ys) <= VALUES_UP_TO
    ax.set_ylim(bottom - pad, top + pad * (3 if labelled else 1))
    if labelled:
        for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
            ax.annotate(
                _number(y),
                (x, y),
                xytext=(0, 12 if index in reached else 7),  # clear of a star's top
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=TICK_PT - 1,
                color=INK,
                annotation_clip=False,
            )

    direction = _("lower is better") if s.better == "lower" else _("higher is better")
    if s.mid is None and not for_patient:
        detail = _("%(unit)s · %(direction)s · no published MID")
    else:
        detail = _("%(unit)s · %(direction)s")
    ax.set_title(
        s.label,
        loc="left",
        fontsize=LABEL_PT,
        fontweight="bold",
        color=INK,
        pad=22,
        parse_math=False,
    )
    ax.text(
        0,
        1.03,
        detail % {"unit": s.unit, "direction": direction},
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=TICK_PT - 1,
        color="#404040",
        parse_math=False,
    )
    ax.tick_params(labelsize=TICK_PT, colors=INK, labelbottom=True)
    ax.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    return bool(reached), threshold


def _draw(shown: Sequence[OutcomeSeries], title: str, *, for_patient: bool) -> Figure:
    if not shown:
        figure = Figure(figsize=(2 * PANEL_WIDTH_IN, 1.4), facecolor="white")
        figure.text(
            0.5,
            0.5,
            _("No outcomes recorded yet."),
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            color=INK,
            parse_math=False,
        )
        return figure

    columns = 1 if len(shown) == 1 else 2
    rows = math.ceil(len(shown) / columns)
    figure = Figure(
        figsize=(columns * PANEL_WIDTH_IN, rows * PANEL_HEIGHT_IN + 1.1),
        layout="constrained",
        facecolor="white",
    )
    axes = figure.subplots(rows, columns, sharex=True, squeeze=False).flatten()
    start, end = _x_limits(shown)
    # Room between a panel's dates and the title of the panel below it.
    cast(ConstrainedLayoutEngine, figure.get_layout_engine()).set(h_pad=0.12, hspace=0.06)
    drawn = [_panel(ax, s, for_patient=for_patient) for ax, s in zip(axes, shown, strict=False)]
    for ax in axes[len(shown) :]:
        ax.remove()
    first = axes[0]
    first.set_xlim(start, end)
    days = sorted({day for s in shown for day, _value in s.points})
    if len(days) <= DATES_UP_TO:
        first.set_xticks([_x(day) for day in days])
        first.xaxis.set_major_formatter(_date_formatter("j M Y"))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=5, tz=UTC)  # type: ignore[no-untyped-call]
        first.xaxis.set_major_locator(locator)
        # A day only when the visits are close together; the year under the month, so
        # labels of half-yearly ticks do not run into each other.
        first.xaxis.set_major_formatter(_date_formatter("j M" if end - start <= 120 else "M\nY"))

    figure.suptitle(title, fontsize=TITLE_PT, fontweight="bold", color=INK, parse_math=False)
    figure.legend(
        handles=_legend_handles(
            stars=any(stars for stars, _line in drawn),
            threshold=any(line for _stars, line in drawn),
            for_patient=for_patient,
        ),
        loc="outside lower center",
        ncols=3,
        fontsize=TICK_PT,
        frameon=False,
    )
    return figure


def _legend_handles(*, stars: bool, threshold: bool, for_patient: bool) -> list[Line2D]:
    handles = [
        Line2D(
            [],
            [],
            color=LINE,
            linewidth=2,
            marker="o",
            markersize=7,
            markeredgecolor="white",
            label=_("Visit"),
        )
    ]
    if stars:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="*",
                markersize=17,
                markerfacecolor=REACHED,
                markeredgecolor=INK,
                label=(
                    _("A change big enough to make a real difference")
                    if for_patient
                    else _("Improved by the MID or more since the first visit")
                ),
            )
        )
    if threshold:
        handles.append(
            Line2D(
                [],
                [],
                color=THRESHOLD,
                linestyle=(0, (5, 3)),
                linewidth=1.3,
                label=_("Level of a real difference") if for_patient else _("MID threshold"),
            )
        )
    return handles
