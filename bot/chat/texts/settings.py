"""What the bot says in /settings, /pause, /resume and /stop."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.content.models import Level
from bot.i18n import N_, dates

COMMANDS = {
    "settings": N_("Change time, days, focus, level or length"),
    "pause": N_("Pause reminders for a while"),
    "resume": N_("Turn reminders back on"),
    "stop": N_("Unsubscribe"),
}


def date_label(day: date) -> str:
    return dates.date_label(day)


# --- The menu -------------------------------------------------------------------------------


def menu(
    zone: str, clock: str, days: str, focus: str, level: Level, minutes: int, status: str
) -> str:
    return (
        "⚙️ <b>Your settings</b>\n\n"
        f"🌍 Time zone: {escape(zone)}\n⏰ Reminder: {clock}\n📅 Days: {days}\n"
        f"🎯 Focus: {focus}\n📈 Level: {level.label}\n⏱ Session: {minutes} minutes\n\n"
        f"{status}\n\nTap what you'd like to change."
    )


def next_reminder(when: str) -> str:
    return f"🔔 Next reminder: <b>{when}</b>."


NO_NEXT_REMINDER = "🔕 No reminder is scheduled."
SAVED = "✓ Saved."


def paused_until(day: date) -> str:
    return f"⏸ Reminders are paused until <b>{date_label(day)}</b>."


PAUSED_OPEN = "⏸ Reminders are paused until you send /resume."
PAUSED_RED_FLAG = "⏸ Everything waits until you've been checked for your pain. See /resume."

EDIT_ZONE = "🌍 Time zone"
EDIT_TIME = "⏰ Time"
EDIT_DAYS = "📅 Days"
EDIT_FOCUS = "🎯 Focus"
EDIT_LEVEL = "📈 Level"
EDIT_LENGTH = "⏱ Length"
PAUSE = "⏸ Pause"
RESUME = "▶️ Resume"
CLOSE = "✓ Close"
BACK = "↩ Back"
CLOSED = "Settings closed. Send /settings any time to change something."

NOT_SUBSCRIBED = "You haven't finished setting up yet. Send /start to carry on."
NO_SUBSCRIPTION = "You aren't signed up for reminders. Send /start to set up your daily stretches."
STOPPED = "You're unsubscribed at the moment. Send /start to subscribe again."

# --- Pause ----------------------------------------------------------------------------------

PAUSE_PROMPT = "⏸ Take a break from reminders? Choose for how long:"
PAUSE_CHOICES = {
    "3d": "3 days",
    "1w": "1 week",
    "2w": "2 weeks",
    "1m": "1 month",
    "open": "Until I resume",
}
CANCEL = "Cancel"
NOTHING_CHANGED = "Nothing changed."


def paused(back_on: date | None) -> str:
    if back_on is None:
        return "⏸ Reminders paused. Send /resume whenever you're ready to carry on."
    return (
        f"⏸ Reminders paused. They start again on <b>{date_label(back_on)}</b>; "
        "send /resume to come back sooner."
    )


PAUSE_RED_FLAG = (
    "Your reminders already wait until you've been checked for your pain. "
    "Send /resume once a doctor or physiotherapist has seen you."
)

# --- Resume ---------------------------------------------------------------------------------


def resumed(when: str) -> str:
    return f"▶️ Welcome back! Your next reminder: <b>{when}</b>."


def already_on(when: str) -> str:
    return f"Your reminders are already on. Next one: <b>{when}</b>."


# --- Stop -----------------------------------------------------------------------------------

STOP_CONFIRM = (
    "Unsubscribe from Stretchbot?\n\n"
    "• You won't get any more reminders.\n"
    "• Your settings and history stay stored, so /start brings you back in one tap.\n"
    "• To erase everything instead, use /delete."
)
STOP_YES = "Yes, unsubscribe"
STOP_NO = "No, keep my reminders"
STOPPED_DONE = (
    "You're unsubscribed. I won't send you anything unless you write to me.\n\n"
    "Send /start to come back, or /delete to erase everything I've stored."
)
STOP_NOTHING = "You're not subscribed, so there's nothing to stop."
