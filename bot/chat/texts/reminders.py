"""What the daily reminder says, and the answers to its buttons (snooze, not today).

HTML parse mode. Routine titles and descriptions come from `content/` and are escaped here, so
callers pass raw values.

The reminder is rendered by the dispatcher's job, outside any update: `bot.chat.reminders`
renders each card inside `using(<the subscriber's stored language>)`, so `_()` here speaks it.
Weekday and month names are CLDR's (Babel), not our catalogs'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape

from babel import Locale
from babel.dates import format_date, get_day_names

from bot.i18n import DEFAULT_LANGUAGE, _, current, ngettext

# --- Buttons --------------------------------------------------------------------------------


def start() -> str:
    return _("▶️ Start")


def not_today() -> str:
    return _("🙅 Not today")


def snooze_button(minutes: int) -> str:
    return _("⏰ In {duration}").format(duration=_duration(minutes))


# --- The reminder ---------------------------------------------------------------------------


def daily_heading() -> str:
    return _("🌿 <b>Time to stretch</b>")


def snoozed_heading() -> str:
    return _("⏰ <b>Here's your stretch, as promised</b>")


def reminder(
    heading: str,
    title: str | None,
    description: str | None,
    minutes: int | None,
    changes: Sequence[str] = (),
) -> str:
    """The reminder card: today's routine with its length, what was changed in it for this
    person and why (`changes`, lines from `session.swap_lines`), and one line on going gently."""
    if title is None:
        body = _("Your routine for today is ready whenever you are.")
    else:
        name = escape(title)
        if minutes:
            body = _("Today: <b>{title}</b> · about {minutes} min").format(
                title=name, minutes=minutes
            )
        else:
            body = _("Today: <b>{title}</b>").format(title=name)
        if description:
            body += f"\n{escape(description)}"
        if changes:
            body += "\n\n" + _("<b>Made for you today:</b>") + "\n" + "\n".join(changes)
    gently = _(
        "Tap <b>Start</b> when you're ready. Ease into each stretch: a gentle pull is right, "
        "pain is not."
    )
    return f"{heading}\n\n{body}\n\n{gently}"


def snoozed_note(at: datetime) -> str:
    note = _("⏰ Snoozed: I'll remind you again at {time}.").format(time=_clock(at))
    return f"\n\n<i>{note}</i>"


def skipped_note(next_at: datetime | None, today: date) -> str:
    if next_at is None:
        return "\n\n<i>" + _("Skipped for today.") + "</i>"
    note = _("Skipped for today. Next reminder: {when}.").format(when=_when(next_at, today))
    return f"\n\n<i>{note}</i>"


# --- Answers to taps (short: they show as a toast) -------------------------------------------


def snoozed(at: datetime) -> str:
    return _("Okay! I'll remind you at {time}.").format(time=_clock(at))


def already_snoozed(at: datetime) -> str:
    return _("Already snoozed: I'll remind you at {time}.").format(time=_clock(at))


def no_more_snoozes(limit: int) -> str:
    if limit == 0:
        return _("Snoozing is switched off. You can start now, or skip today.")
    if limit == 1:
        return _("You've snoozed once today already. Start now, or skip today?")
    return ngettext(
        "You've snoozed {count} time today already. Start now, or skip today?",
        "You've snoozed {count} times today already. Start now, or skip today?",
        limit,
    ).format(count=limit)


def skipped(next_at: datetime | None, today: date) -> str:
    if next_at is None:
        return _("No problem, rest today.")
    return _("No problem, rest today. See you {when}.").format(when=_when(next_at, today))


def not_active() -> str:
    return _("Your reminders are paused, so there is nothing to snooze or skip.")


# --- Helpers -------------------------------------------------------------------------------

_BABEL_LOCALE = {DEFAULT_LANGUAGE: "en_GB"}


def _locale() -> str:
    language = current().language
    return _BABEL_LOCALE.get(language, language)


def _clock(at: datetime) -> str:
    return at.strftime("%H:%M")


def _when(at: datetime, today: date) -> str:
    """'tomorrow at 08:00', 'on Monday at 08:00' or 'on 3 March at 08:00' (local time)."""
    days = (at.date() - today).days
    time = _clock(at)
    if days == 0:
        return _("today at {time}").format(time=time)
    if days == 1:
        return _("tomorrow at {time}").format(time=time)
    if days < 7:
        weekday = str(get_day_names("wide", "format", _locale())[at.weekday()])
        return _("on {weekday} at {time}").format(weekday=weekday, time=time)
    locale = _locale()
    pattern = Locale.parse(locale).datetime_skeletons["MMMMd"].pattern  # "3 March", "3. März"
    day = str(format_date(at.date(), pattern, locale=locale))
    return _("on {date} at {time}").format(date=day, time=time)


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    return _("{minutes} min").format(minutes=minutes)
