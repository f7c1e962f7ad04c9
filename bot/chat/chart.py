"""The weekly chart of /stats: sessions per week as bars, with the 3–5 goal as a band.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no GUI, no global figure
state), so it is safe to run in a worker thread while the bot keeps answering.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.chat.texts import stats as texts
from bot.domain.stats import GOAL_MAX_PER_WEEK, GOAL_MIN_PER_WEEK, WeekBar

_BAR = "#3b8f6b"
_THIS_WEEK = "#2f6fb0"
_GOAL = "#f2c14e"


def weekly_chart_png(weeks: Sequence[WeekBar]) -> bytes:
    """A small PNG (about 600 x 300 px): one bar per week, this week highlighted."""
    figure = Figure(figsize=(6, 3), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(weeks)))
    counts = [week.sessions for week in weeks]
    colours = [_BAR] * len(weeks)
    if colours:
        colours[-1] = _THIS_WEEK
    axes.axhspan(
        GOAL_MIN_PER_WEEK, GOAL_MAX_PER_WEEK, color=_GOAL, alpha=0.3, label=texts.CHART_GOAL
    )
    axes.bar(positions, counts, color=colours, width=0.6)
    for x, count in zip(positions, counts, strict=True):
        if count:
            axes.text(x, count + 0.1, str(count), ha="center", va="bottom", fontsize=9)
    axes.set_xticks(positions, [f"{w.monday.day} {w.monday:%b}" for w in weeks], fontsize=8)
    axes.set_ylim(0, max([GOAL_MAX_PER_WEEK + 1, *counts]) + 0.5)
    axes.set_title(texts.CHART_TITLE, fontsize=11)
    axes.legend(loc="upper left", fontsize=8, frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
