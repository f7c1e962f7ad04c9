"""The weekly chart of /stats: sessions per week as bars, with the 3–5 goal as a band.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no GUI, no global figure
state), so it is safe to run in a worker thread while the bot keeps answering.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.chat.texts import stats as texts
from bot.domain.stats import GOAL_MAX_PER_WEEK, GOAL_MIN_PER_WEEK, WeekBar

_BAR = "#3b8f6b"
_THIS_WEEK = "#2f6fb0"
_GOAL = "#f2c14e"


@dataclass(frozen=True, slots=True)
class ChartWords:
    """The chart's words, rendered in the person's language before drawing in a thread."""

    title: str
    goal: str
    weeks: tuple[str, ...]


def chart_words(weeks: Sequence[WeekBar]) -> ChartWords:
    return ChartWords(
        texts.chart_title(), texts.chart_goal(), tuple(texts.chart_week(w.monday) for w in weeks)
    )


def weekly_chart_png(weeks: Sequence[WeekBar], words: ChartWords | None = None) -> bytes:
    """A small PNG (about 600 x 300 px): one bar per week, this week highlighted. `words`
    default to the current person's language."""
    words = words if words is not None else chart_words(weeks)
    figure = Figure(figsize=(6, 3), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(weeks)))
    counts = [week.sessions for week in weeks]
    colours = [_BAR] * len(weeks)
    if colours:
        colours[-1] = _THIS_WEEK
    axes.axhspan(GOAL_MIN_PER_WEEK, GOAL_MAX_PER_WEEK, color=_GOAL, alpha=0.3, label=words.goal)
    axes.bar(positions, counts, color=colours, width=0.6)
    for x, count in zip(positions, counts, strict=True):
        if count:
            axes.text(x, count + 0.1, str(count), ha="center", va="bottom", fontsize=9)
    axes.set_xticks(positions, list(words.weeks), fontsize=8)
    axes.set_ylim(0, max([GOAL_MAX_PER_WEEK + 1, *counts]) + 0.5)
    axes.set_title(words.title, fontsize=11)
    axes.legend(loc="upper left", fontsize=8, frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
