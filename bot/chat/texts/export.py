"""The words /export writes instead of the codes the database stores, in the reader's language.

Every stored code has its word here (marked for the catalogs, translated when written); a code
not listed (a row written by a newer version, say) is written as its words with the underscores
dropped, never as a raw code. Weekday names come from CLDR (`bot.i18n.dates`).
"""

from __future__ import annotations

from bot.chat.texts import report
from bot.i18n import N_, _

LANGUAGES = {"en": N_("English"), "de": N_("German"), "es": N_("Spanish"), "ru": N_("Russian")}

STATUS = {
    "onboarding": N_("setting up"),
    "active": N_("receiving reminders"),
    "paused": N_("paused"),
    "stopped": N_("stopped"),
    "blocked": N_("the bot is blocked in Telegram"),
}
PAUSE_REASON = {
    "user": N_("you paused reminders"),
    "red_flag": N_("a pain report needed a check (older record)"),
}
SETUP_STEP = {
    "safety": N_("reading the safety note"),
    "screening": N_("answering the safety questions"),
    "urgent": N_("advised to get urgent care before starting"),
    "professional": N_("advised to see a professional before starting"),
    "zone": N_("choosing a time zone"),
    "time": N_("choosing a reminder time"),
    "days": N_("choosing reminder days"),
    "focus": N_("choosing focus areas"),
    "level": N_("choosing a level"),
    "length": N_("choosing a session length"),
}
OPEN_QUESTION = {
    **SETUP_STEP,
    "pause": N_("whether to pause reminders"),
    "stop": N_("whether to stop reminders"),
    "delete": N_("whether to erase everything"),
    "red_flag": N_("who checked you after a pain report"),
    "rescreen": N_("whether anything changed since the safety questions"),
}
ADVICE = {
    "ease_off": N_("ease off"),
    "professional": N_("see a professional"),
    "urgent": N_("get urgent care"),
}
SESSION_STATUS = {
    "active": N_("still running"),
    "completed": N_("finished"),
    "stopped": N_("stopped"),
    "abandoned": N_("left unfinished"),
}
EVENT = {
    "hold": N_("held for the full time"),
    "hold_early": N_("hold ended early"),
    "checkin": N_("said how it felt"),
    "done": N_("done"),
    "done_eased": N_("done after easing off"),
    "done_short": N_("done, but held for less than planned"),
    "skipped": N_("skipped"),
    "locked": N_("not offered yet (earlier stages first)"),
    "warning_ok": N_("read the warning and went on"),
    "paused": N_("paused because of pain"),
    "resumed": N_("went on after a pause"),
    "ended": N_("session finished"),
    "stopped": N_("session stopped"),
    "abandoned": N_("session left unfinished"),
}
SIDE = {"left": N_("left"), "right": N_("right")}
# The same words as the professional's report, so the two never describe one event differently.
PAIN_SOURCE = report.SOURCE_WORDS
CHECKED_BY = report.CHECKED_BY_WORDS
CLEARANCE = report.CLEARANCE_WORDS
REMINDER_KIND = {"daily": N_("daily reminder"), "snooze": N_("snoozed reminder")}
REMINDER_STATUS = {
    "pending": N_("waiting to be sent"),
    "sent": N_("sent"),
    "missed": N_("missed (too late to send)"),
    "failed": N_("could not be sent"),
    "skipped": N_("skipped"),
}
ANSWER = {"yes": N_("yes"), "no": N_("no")}


def checkin_question() -> str:
    return _("How did that stretch feel?")


def legs_question() -> str:
    return _("Do the backs of your legs feel tight all the time, even without stretching?")


def word(words: dict[str, str], code: str | None) -> str | None:
    """The word for a stored code in the reader's language; None stays None; an unknown code
    reads as words."""
    if code is None:
        return None
    known = words.get(code)
    return _(known) if known is not None else code.replace("_", " ")
