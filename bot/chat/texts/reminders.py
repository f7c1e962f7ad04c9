"""What the daily reminder says, and the answers to its buttons (snooze, not today).

HTML parse mode. Routine titles and descriptions come from `content/` and are escaped here, so
callers pass raw values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# --- Buttons --------------------------------------------------------------------------------

START = "▶️ Start"
NOT_TODAY = "🙅 Not today"


def snooze_button(minutes: int) -> str:
    return f"⏰ In {_duration(minutes)}"


# --- The reminder ---------------------------------------------------------------------------

DAILY_HEADING = "🌿 <b>Time to stretch</b>"
SNOOZED_HEADING = "⏰ <b>Here's your stretch, as promised</b>"


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
        body = "Your routine for today is ready whenever you are."
    else:
        length = f" · about {minutes} min" if minutes else ""
        body = f"Today: <b>{escape(title)}</b>{length}"
        if description:
            body += f"\n{escape(description)}"
        if changes:
            body += "\n\n<b>Made for you today:</b>\n" + "\n".join(changes)
    return (
        f"{heading}\n\n{body}\n\n"
        "Tap <b>Start</b> when you're ready. Ease into each stretch: a gentle pull is right, "
        "pain is not."
    )


def snoozed_note(at: datetime) -> str:
    return f"\n\n<i>⏰ Snoozed: I'll remind you again at {_clock(at)}.</i>"


def skipped_note(next_at: datetime | None, today: date) -> str:
    if next_at is None:
        return "\n\n<i>Skipped for today.</i>"
    return f"\n\n<i>Skipped for today. Next reminder: {_when(next_at, today)}.</i>"


# --- Answers to taps (short: they show as a toast) -------------------------------------------


def snoozed(at: datetime) -> str:
    return f"Okay! I'll remind you at {_clock(at)}."


def already_snoozed(at: datetime) -> str:
    return f"Already snoozed: I'll remind you at {_clock(at)}."


def no_more_snoozes(limit: int) -> str:
    if limit == 0:
        return "Snoozing is switched off. You can start now, or skip today."
    times = "once" if limit == 1 else f"{limit} times"
    return f"You've snoozed {times} today already. Start now, or skip today?"


def skipped(next_at: datetime | None, today: date) -> str:
    if next_at is None:
        return "No problem, rest today."
    return f"No problem, rest today. See you {_when(next_at, today)}."


NOT_ACTIVE = "Your reminders are paused, so there is nothing to snooze or skip."


# --- Helpers -------------------------------------------------------------------------------


def _clock(at: datetime) -> str:
    return at.strftime("%H:%M")


def _when(at: datetime, today: date) -> str:
    """'tomorrow at 08:00', 'on Monday at 08:00' or 'on 3 March at 08:00' (local time)."""
    days = (at.date() - today).days
    if days == 0:
        day = "today"
    elif days == 1:
        day = "tomorrow"
    elif days < 7:
        day = f"on {WEEKDAYS[at.weekday()]}"
    else:
        day = f"on {at.day} {at.strftime('%B')}"
    return f"{day} at {_clock(at)}"


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} min"
