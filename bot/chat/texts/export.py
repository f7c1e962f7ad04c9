"""The words /export writes instead of the codes the database stores.

Every stored code has its word here; a code not listed (a row written by a newer version, say)
is written as its words with the underscores dropped, never as a raw code.
"""

from __future__ import annotations

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

LANGUAGES = {"en": "English", "de": "German", "es": "Spanish", "ru": "Russian"}

STATUS = {
    "onboarding": "setting up",
    "active": "receiving reminders",
    "paused": "paused",
    "stopped": "stopped",
    "blocked": "the bot is blocked in Telegram",
}
PAUSE_REASON = {
    "user": "you paused reminders",
    "red_flag": "a pain report needed a check (older record)",
}
SETUP_STEP = {
    "safety": "reading the safety note",
    "screening": "answering the safety questions",
    "urgent": "advised to get urgent care before starting",
    "professional": "advised to see a professional before starting",
    "zone": "choosing a time zone",
    "time": "choosing a reminder time",
    "days": "choosing reminder days",
    "focus": "choosing focus areas",
    "level": "choosing a level",
    "length": "choosing a session length",
}
OPEN_QUESTION = {
    **SETUP_STEP,
    "pause": "whether to pause reminders",
    "stop": "whether to stop reminders",
    "delete": "whether to erase everything",
    "red_flag": "who checked you after a pain report",
    "rescreen": "whether anything changed since the safety questions",
}
ADVICE = {
    "ease_off": "ease off",
    "professional": "see a professional",
    "urgent": "get urgent care",
}
SESSION_STATUS = {
    "active": "still running",
    "completed": "finished",
    "stopped": "stopped",
    "abandoned": "left unfinished",
}
EVENT = {
    "hold": "held for the full time",
    "hold_early": "hold ended early",
    "checkin": "said how it felt",
    "done": "done",
    "done_eased": "done after easing off",
    "done_short": "done, but held for less than planned",
    "skipped": "skipped",
    "locked": "not offered yet (earlier stages first)",
    "warning_ok": "read the warning and went on",
    "paused": "paused because of pain",
    "resumed": "went on after a pause",
    "ended": "session finished",
    "stopped": "session stopped",
    "abandoned": "session left unfinished",
}
SIDE = {"left": "left", "right": "right"}
PAIN_SOURCE = {
    "r": "from a reminder",
    "s": "during a session",
    "c": "from a session card",
    "o": "with /pain or a message",
    "t": "in a typed message",
    "checkin": "at a check-in after a stretch",
    "rating": "with a high pain rating after a session",
    "screening": "in the sign-up safety questions",
}
CHECKED_BY = {
    "gp": "a GP or doctor",
    "physio": "a physiotherapist",
    "urgent_care": "urgent care",
    "other": "someone else",
}
CLEARANCE = {
    "cleared": "cleared to stretch",
    "no_nerve_tension": "cleared, but no nerve-tension stretches",
    "gentle_only": "cleared for gentle stretches only",
    "not_cleared": "not cleared yet",
}
REMINDER_KIND = {"daily": "daily reminder", "snooze": "snoozed reminder"}
REMINDER_STATUS = {
    "pending": "waiting to be sent",
    "sent": "sent",
    "missed": "missed (too late to send)",
    "failed": "could not be sent",
    "skipped": "skipped",
}
ANSWER = {"yes": "yes", "no": "no"}
CHECKIN_QUESTION = "How did that stretch feel?"
LEGS_QUESTION = "Do the backs of your legs feel tight all the time, even without stretching?"


def word(words: dict[str, str], code: str | None) -> str | None:
    """The word for a stored code; None stays None; an unknown code reads as words."""
    if code is None:
        return None
    return words.get(code, code.replace("_", " "))
