"""What /report says: the figures of `bot.domain.report` in words a professional reads.

One list of sections feeds both the chat message and the PDF, so the two say the same thing.
Plain text, no HTML: the message is sent without a parse mode and the PDF draws the lines.
Both are in the language of the person asking (`_()` when rendered; the PDF is drawn in a
worker thread, which `asyncio.to_thread` gives the same context). English dates keep the
report's own short form; the other languages get CLDR's (Babel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel import Locale
from babel.dates import format_date

from bot.domain.report import Report, Stage, TriageLine
from bot.domain.stats import GOAL_MAX_PER_WEEK, GOAL_MIN_PER_WEEK, GoalStatus
from bot.i18n import DEFAULT_LANGUAGE, N_, _, current, ngettext

COMMAND = ("report", N_("A summary to show your physio or doctor"))
FILENAME = "stretchbot-summary.pdf"


def caption() -> str:
    return _("📄 Your stretching summary, to show a physio or doctor. The same words follow below.")


def nothing_yet() -> str:
    return _(
        "📄 There's nothing to summarise yet: finish setting up with /start, do a session or "
        "two, then ask again."
    )


def title() -> str:
    return _("Stretching summary")


def disclaimer() -> str:
    return _(
        "What this person did and reported in Stretchbot, a stretching reminder bot. "
        "It is not a medical record and not medical advice."
    )


def chart_weeks() -> str:
    return _("Sessions per week")


def chart_pain() -> str:
    return _("Pain after sessions (0–10)")


def chart_goal() -> str:
    return _("goal {low}–{high}").format(low=GOAL_MIN_PER_WEEK, high=GOAL_MAX_PER_WEEK)


# Tables of words for stored codes: `N_` marks, translated where they are written (`_words`).
_GOAL_WORDS = {
    GoalStatus.BELOW: N_("below the goal"),
    GoalStatus.WITHIN: N_("within the goal"),
    GoalStatus.ABOVE: N_("above the goal"),
}
OUTCOME_WORDS = {
    None: N_("not answered"),
    "ease_off": N_("advised to ease off"),
    "professional": N_("advised to see a professional"),
    "urgent": N_("advised to get urgent care"),
}
LIMIT_WORDS = {
    "no_nerve_tension": N_("No nerve-tension stretches (the chair progression is left out)."),
    "gentle_only": N_("Gentle stretches only (beginner level, no advanced stages)."),
}
SOURCE_WORDS = {
    "r": N_("from a reminder"),
    "s": N_("during a session"),
    "c": N_("from a session card"),
    "o": N_("with /pain or a message"),
    "t": N_("in a typed message"),
    "checkin": N_("at a check-in after a stretch"),
    "rating": N_("with a high pain rating after a session"),
    "screening": N_("in the sign-up safety questions"),
}
CHECKED_BY_WORDS = {
    "gp": N_("a GP or doctor"),
    "physio": N_("a physiotherapist"),
    "urgent_care": N_("urgent care"),
    "other": N_("someone else"),
}
CLEARANCE_WORDS = {
    "cleared": N_("cleared to stretch"),
    "no_nerve_tension": N_("cleared, but no nerve-tension stretches"),
    "gentle_only": N_("cleared for gentle stretches only"),
    "not_cleared": N_("not cleared yet"),
}


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: tuple[str, ...]


_BABEL_LOCALE = {DEFAULT_LANGUAGE: "en_GB"}


def _locale() -> str:
    language = current().language
    return _BABEL_LOCALE.get(language, language)


def _format(value: date, english: str, skeleton: str) -> str:
    """English as the report always wrote it; other languages in CLDR's own order."""
    if current().language == DEFAULT_LANGUAGE:
        return english
    locale = _locale()
    pattern = Locale.parse(locale).datetime_skeletons[skeleton].pattern
    return str(format_date(value, pattern, locale=locale))


def day(value: date) -> str:
    """'Tue 24 Nov 2026' (a weekday, a day, a month, a year)."""
    return _format(value, f"{value:%a} {value.day} {value:%b %Y}", "yMMMEd")


def _short_day(value: date) -> str:
    return _format(value, f"{value:%a} {value.day} {value:%b}", "MMMEd")


def short_date(value: date) -> str:
    """'24 Nov': the charts' axis labels."""
    return _format(value, f"{value.day} {value:%b}", "MMMd")


def heading(report: Report) -> tuple[str, str]:
    """The title line and the line under it (who, when, which zone)."""
    if report.first_name:
        line = _("Stretching summary for {name}").format(name=report.first_name)
    else:
        line = title()
    return (
        line,
        _("Made on {day} · dates and times in {zone}").format(
            day=day(report.made_on), zone=report.zone
        ),
    )


def _weeks(report: Report) -> Section:
    lines = [
        ngettext(
            "• Week of {monday}: {count} session, {goal}",
            "• Week of {monday}: {count} sessions, {goal}",
            week.sessions,
        ).format(
            monday=_short_day(week.monday),
            count=week.sessions,
            goal=_(_GOAL_WORDS[week.status]),
        )
        for week in report.weeks
    ]
    lines.append(
        ngettext(
            "Goal reached in {reached} of {count} week.",
            "Goal reached in {reached} of {count} weeks.",
            len(report.weeks),
        ).format(reached=report.weeks_on_goal, count=len(report.weeks))
    )
    return Section(
        ngettext(
            "Sessions per week, last {count} week (goal: {low}–{high} a week)",
            "Sessions per week, last {count} weeks (goal: {low}–{high} a week)",
            len(report.weeks),
        ).format(count=len(report.weeks), low=GOAL_MIN_PER_WEEK, high=GOAL_MAX_PER_WEEK),
        tuple(lines),
    )


def _stretches(report: Report) -> Section:
    lines = tuple(
        _("• {name}: {done} done, {eased} eased off, {stopped} stopped").format(
            name=line.name, done=line.done, eased=line.eased, stopped=line.stopped
        )
        for line in report.stretches
    )
    return Section(
        _("Stretches in these weeks (done in full, done after easing off, session stopped there)"),
        lines or (_("None yet."),),
    )


def _ratings(report: Report) -> Section:
    lines = tuple(f"• {_short_day(r.day)}: {r.rating}" for r in report.ratings)
    return Section(
        _("Pain ratings at the end of sessions (0 = none, 10 = worst)"),
        lines or (_("None given in these weeks."),),
    )


def _words(table: dict[str, str], code: str | None, otherwise: str) -> str:
    found = table.get(code or "")
    return _(found) if found is not None else otherwise


def triage_line(line: TriageLine) -> str:
    when = f"{day(line.at.date())} {line.at:%H:%M}"
    source = _words(SOURCE_WORDS, line.source, _("reported another way"))
    outcome = _(OUTCOME_WORDS[line.outcome]) if line.outcome in OUTCOME_WORDS else None
    outcome = outcome or _("advised otherwise")
    if line.checked_by is None and line.outcome == "ease_off":
        checked = _("no check needed")
    elif line.checked_by is None:
        checked = _("not checked by anyone yet") if line.resolved_on is None else _("closed")
    else:
        who = _words(CHECKED_BY_WORDS, line.checked_by, _("someone"))
        said = _words(CLEARANCE_WORDS, line.clearance, _("no answer given"))
        checked = _("checked by {who}: {said}").format(who=who, said=said)
    if line.resolved_on is not None:
        checked += " " + _("(closed {day})").format(day=_short_day(line.resolved_on))
    elif line.outcome in ("professional", "urgent") or line.outcome is None:
        checked += " " + _("(still open: no sessions until it is cleared)")
    return _("• {when}, {source}: {outcome}; {checked}").format(
        when=when, source=source, outcome=outcome, checked=checked
    )


def _triages(report: Report) -> Section:
    return Section(
        _("Every pain report, with who checked it"),
        tuple(triage_line(t) for t in report.triages) or (_("None."),),
    )


def stage_line(stage: Stage) -> str:
    stepped = " " + _("(stepped back for a week after a symptom)") if stage.stepped_back else ""
    if stage.current is None:
        return (
            _("• None of {name} and its harder stages is offered now").format(name=stage.first.name)
            + stepped
        )
    return _("• Highest stage offered now: {name}").format(name=stage.current.name) + stepped


def _stages(report: Report) -> Section:
    return Section(
        _("Nerve-tension progression"),
        tuple(stage_line(s) for s in report.stages) or (_("None in this set of stretches."),),
    )


def _limits(report: Report) -> Section:
    lines = tuple(
        f"• {_(LIMIT_WORDS[limit]) if limit in LIMIT_WORDS else limit}" for limit in report.limits
    )
    return Section(_("Limits a professional set"), lines or (_("None."),))


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
    line, subtitle = heading(report)
    parts = [f"📄 {line}\n{subtitle}\n{disclaimer()}"]
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
