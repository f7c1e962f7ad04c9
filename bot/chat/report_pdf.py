"""/report as a PDF: A4 pages drawn with matplotlib's PDF backend, the charts on top and the
same sections as the chat message below them.

Object API only (no pyplot, no global figure), so it runs in a worker thread. Fonts are embedded
as TrueType (`pdf.fonttype` 42) rather than Type 3, so the text stays selectable and searchable
(and a test can read it back with pypdf). Nothing is written to disk: the bytes go to Telegram.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.chat.texts import report as texts
from bot.domain.report import Report
from bot.domain.stats import GOAL_MAX_PER_WEEK, GOAL_MIN_PER_WEEK

matplotlib.rcParams["pdf.fonttype"] = 42

A4 = (8.27, 11.69)
LEFT = 0.07
LINE = 0.0135
"""Line height as a fraction of the page."""
WRAP = 100
"""Characters per line at the body's font size."""
BOTTOM = 0.05
_BAR = "#2f6b4f"
_GOAL = "#f2c14e"
_PAIN = "#9b2d20"


def _lines(report: Report) -> Iterator[tuple[str, bool]]:
    """(text, is a heading) for every line of the body, wrapped to the page width."""
    for section in texts.sections(report):
        yield "", False
        yield section.title, True
        for line in section.lines:
            for index, piece in enumerate(textwrap.wrap(line, WRAP) or [""]):
                yield ("   " + piece if index else piece), False


def _weeks_chart(axes: Axes, report: Report) -> None:
    positions = list(range(len(report.weeks)))
    counts = [week.sessions for week in report.weeks]
    axes.axhspan(
        GOAL_MIN_PER_WEEK, GOAL_MAX_PER_WEEK, color=_GOAL, alpha=0.3, label=texts.chart_goal()
    )
    axes.bar(positions, counts, color=_BAR, width=0.6)
    labels = [texts.short_date(w.monday) for w in report.weeks]
    axes.set_xticks(positions, labels, fontsize=7)
    axes.set_ylim(0, max([GOAL_MAX_PER_WEEK + 1, *counts]) + 0.5)
    axes.set_title(texts.chart_weeks(), fontsize=9)
    axes.legend(loc="upper left", fontsize=7, frameon=False)


def _pain_chart(axes: Axes, report: Report) -> None:
    """Ratings in the order given, one point each (several a day stay apart)."""
    positions = list(range(len(report.ratings)))
    axes.plot(positions, [r.rating for r in report.ratings], color=_PAIN, marker="o", markersize=3)
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks([0, 5, 10])
    axes.set_title(texts.chart_pain(), fontsize=9)
    step = max(1, len(positions) // 6)
    shown = positions[::step]
    axes.set_xticks(
        shown,
        [texts.short_date(report.ratings[i].day) for i in shown],
        fontsize=7,
    )


def render(report: Report) -> bytes:
    """The report as PDF bytes: one page, a second when the lists are long."""
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": texts.title(), "Creator": "Stretchbot"}) as pdf:
        figure = Figure(figsize=A4)
        title, subtitle = texts.heading(report)
        figure.text(LEFT, 0.955, title, fontsize=15, weight="bold")
        figure.text(LEFT, 0.935, subtitle, fontsize=9)
        figure.text(LEFT, 0.918, texts.disclaimer(), fontsize=8, style="italic")
        for axes in (
            figure.add_axes((LEFT, 0.72, 0.40, 0.16)),
            figure.add_axes((0.55, 0.72, 0.40, 0.16)),
        ):
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
        weeks_axes, pain_axes = figure.axes
        _weeks_chart(weeks_axes, report)
        _pain_chart(pain_axes, report)
        y = 0.67
        for text, is_heading in _lines(report):
            if y < BOTTOM:
                pdf.savefig(figure)
                figure = Figure(figsize=A4)
                y = 0.95
            if text:
                figure.text(
                    LEFT,
                    y,
                    text,
                    fontsize=10 if is_heading else 8.5,
                    weight="bold" if is_heading else "normal",
                )
            y -= LINE
        pdf.savefig(figure)
    return buffer.getvalue()
