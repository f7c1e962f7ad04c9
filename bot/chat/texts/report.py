"""What /report says: the figures of `bot.domain.report` in words a professional reads.

One list of sections feeds both the chat message and the PDF, so the two say the same thing.
Plain text, no HTML: the message is sent without a parse mode and the PDF draws the lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.chat.texts.export import CHECKED_BY as CHECKED_BY_WORDS
from bot.chat.texts.export import CLEARANCE as CLEARANCE_WORDS
from bot.chat.texts.export import PAIN_SOURCE as SOURCE_WORDS
from bot.domain.report import Report, Stage, TriageLine
from bot.domain.stats import GOAL_MAX_PER_WEEK, GOAL_MIN_PER_WEEK, GoalStatus
from bot.i18n import N_

COMMAND = ("report", N_("A summary to show your physio or doctor"))
FILENAME = "stretchbot-summary.pdf"
CAPTION = "📄 Your stretching summary, to show a physio or doctor. The same words follow below."
NOTHING_YET = (
    "📄 There's nothing to summarise yet: finish setting up with /start, do a session or two, "
    "then ask again."
)

TITLE = "Stretching summary"
DISCLAIMER = (
    "What this person did and reported in Stretchbot, a stretching reminder bot. "
    "It is not a medical record and not medical advice."
)
CHART_WEEKS = "Sessions per week"
CHART_PAIN = "Pain after sessions (0–10)"
CHART_GOAL = f"goal {GOAL_MIN_PER_WEEK}–{GOAL_MAX_PER_WEEK}"

_GOAL_WORDS = {
    GoalStatus.BELOW: "below the goal",
    GoalStatus.WITHIN: "within the goal",
    GoalStatus.ABOVE: "above the goal",
}
OUTCOME_WORDS = {
    None: "not answered",
    "ease_off": "advised to ease off",
    "professional": "advised to see a professional",
    "urgent": "advised to get urgent care",
}
LIMIT_WORDS = {
    "no_nerve_tension": "No nerve-tension stretches (the chair progression is left out).",
    "gentle_only": "Gentle stretches only (beginner level, no advanced stages).",
}


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: tuple[str, ...]


def day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def _short_day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


def heading(report: Report) -> tuple[str, str]:
    """The title line and the line under it (who, when, which zone)."""
    who = f" for {report.first_name}" if report.first_name else ""
    return (
        f"{TITLE}{who}",
        f"Made on {day(report.made_on)} · dates and times in {report.zone}",
    )


def _weeks(report: Report) -> Section:
    lines = [
        f"• Week of {_short_day(week.monday)}: {week.sessions} "
        f"session{'s' if week.sessions != 1 else ''}, {_GOAL_WORDS[week.status]}"
        for week in report.weeks
    ]
    lines.append(f"Goal reached in {report.weeks_on_goal} of {len(report.weeks)} weeks.")
    return Section(
        f"Sessions per week, last {len(report.weeks)} weeks (goal: "
        f"{GOAL_MIN_PER_WEEK}–{GOAL_MAX_PER_WEEK} a week)",
        tuple(lines),
    )


def _stretches(report: Report) -> Section:
    lines = tuple(
        f"• {line.name}: {line.done} done, {line.eased} eased off, {line.stopped} stopped"
        for line in report.stretches
    )
    return Section(
        "Stretches in these weeks (done in full, done after easing off, session stopped there)",
        lines or ("None yet.",),
    )


def _ratings(report: Report) -> Section:
    lines = tuple(f"• {_short_day(r.day)}: {r.rating}" for r in report.ratings)
    return Section(
        "Pain ratings at the end of sessions (0 = none, 10 = worst)",
        lines or ("None given in these weeks.",),
    )


def triage_line(line: TriageLine) -> str:
    when = f"{day(line.at.date())} {line.at:%H:%M}"
    source = SOURCE_WORDS.get(line.source, "reported another way")
    outcome = OUTCOME_WORDS.get(line.outcome, "advised otherwise")
    if line.checked_by is None and line.outcome == "ease_off":
        checked = "no check needed"
    elif line.checked_by is None:
        checked = "not checked by anyone yet" if line.resolved_on is None else "closed"
    else:
        who = CHECKED_BY_WORDS.get(line.checked_by, "someone")
        said = CLEARANCE_WORDS.get(line.clearance or "", "no answer given")
        checked = f"checked by {who}: {said}"
    if line.resolved_on is not None:
        checked += f" (closed {_short_day(line.resolved_on)})"
    elif line.outcome in ("professional", "urgent") or line.outcome is None:
        checked += " (still open: no sessions until it is cleared)"
    return f"• {when}, {source}: {outcome}; {checked}"


def _triages(report: Report) -> Section:
    return Section(
        "Every pain report, with who checked it",
        tuple(triage_line(t) for t in report.triages) or ("None.",),
    )


def stage_line(stage: Stage) -> str:
    stepped = " (stepped back for a week after a symptom)" if stage.stepped_back else ""
    if stage.current is None:
        return f"• None of {stage.first.name} and its harder stages is offered now{stepped}"
    return f"• Highest stage offered now: {stage.current.name}{stepped}"


def _stages(report: Report) -> Section:
    return Section(
        "Nerve-tension progression",
        tuple(stage_line(s) for s in report.stages) or ("None in this set of stretches.",),
    )


def _limits(report: Report) -> Section:
    lines = tuple(f"• {LIMIT_WORDS.get(limit, limit)}" for limit in report.limits)
    return Section("Limits a professional set", lines or ("None.",))


def sections(report: Report) -> tuple[Section, ...]:
    return (
        _weeks(report),
        _stretches(report),
        _ratings(report),
        _triages(report),
        _stages(report),
        _limits(report),
    )


def as_text(report: Report) -> str:
    """The whole report as one plain-text message (split later if Telegram needs it)."""
    title, subtitle = heading(report)
    parts = [f"📄 {title}\n{subtitle}\n{DISCLAIMER}"]
    for section in sections(report):
        parts.append("\n".join((section.title, *section.lines)))
    return "\n\n".join(parts)


def chunks(text: str, limit: int = 4096) -> list[str]:
    """Split at blank lines (then at lines) so each part fits one Telegram message."""
    parts: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        pieces = [block] if len(block) <= limit else _split_lines(block, limit)
        for piece in pieces:
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _split_lines(block: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for line in block.split("\n"):
        line = line[:limit]
        joined = f"{current}\n{line}" if current else line
        if len(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = line
    if current:
        pieces.append(current)
    return pieces
