"""The chart picture of `/statistik`: reports by category and by state, as a PNG.

Drawn on a `matplotlib.figure.Figure` with the Agg canvas, never through pyplot: no global
state, no GUI backend, safe to call from a worker thread.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from conversations.i18n import Lang
from conversations.statistics import MonthlyStats, period_label, state_label

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 9.0, 100  # 800 x 900 px: readable on a phone
LABEL_WIDTH = 22  # characters per line of a bar's label
BAR_COLOR = "#1f5f99"


def _bars(axes: Axes, title: str, counts: dict[str, int]) -> None:
    labels = [textwrap.fill(label, LABEL_WIDTH) for label in counts]
    values = list(counts.values())
    positions = list(range(len(values)))
    axes.barh(positions, values, color=BAR_COLOR)
    axes.set_yticks(positions, labels=labels, fontsize=11)
    axes.invert_yaxis()  # first item on top, as in the message
    top = max(values, default=0)
    axes.set_xlim(0, max(1, top) * 1.15)  # room for the numbers; all-zero data still draws
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelsize=10)
    axes.set_title(title, fontsize=13, fontweight="bold", loc="left")
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for position, value in zip(positions, values, strict=True):
        axes.text(value, position, f" {value}", va="center", ha="left", fontsize=11)


def stats_chart(stats: MonthlyStats) -> bytes:
    """A PNG (about 800 x 900 px) with two horizontal bar charts, labels in Indonesian."""
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(
        f"Statistik WBS {period_label(stats.month, Lang.ID)} — {stats.total} laporan",
        fontsize=15,
        fontweight="bold",
    )
    by_category, by_state = figure.subplots(2, 1)
    _bars(by_category, "Laporan per kategori", stats.by_category)
    _bars(
        by_state,
        "Laporan per status",
        {state_label(code, Lang.ID): n for code, n in stats.by_state.items()},
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
