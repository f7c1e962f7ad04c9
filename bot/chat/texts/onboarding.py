"""What the bot says while someone signs up, and the words for their choices.

HTML parse mode. Anything the person typed or that comes from their profile is escaped by the
functions here, so handlers can pass raw values.
"""

from __future__ import annotations

from html import escape

from bot.content.models import FocusArea, Level
from bot.domain.onboarding import DaysAdvice, LocalWhen
from bot.i18n import N_

COMMANDS = {"start": N_("Subscribe, or carry on setting up")}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# --- Welcome and safety ---------------------------------------------------------------------


def welcome(first_name: str | None, safety_note: str) -> str:
    name = f", {escape(first_name)}" if first_name else ""
    return (
        f"Hi{name}! 👋 I'm Stretchbot.\n\n"
        "On the days you choose, I'll send you a short stretching routine for your legs and "
        "back, and guide you through it one stretch at a time.\n\n"
        f"<b>Safety first</b>\n{escape(safety_note)}"
    )


UNDERSTOOD = "✅ I understand"
WELCOME_BACK = "Welcome back! Let's carry on where we left off."

# --- Screening ------------------------------------------------------------------------------


def screening_question(intro: str, number: int, total: int, question: str) -> str:
    return f"{escape(intro)}\n\n<b>Question {number} of {total}</b>\n{escape(question)}"


def urgent(title: str, text: str, question: str) -> str:
    return (
        f"<b>{escape(title)}</b>\n\n{escape(text)}\n\n"
        "I won't set up reminders until this has been looked at.\n\n"
        f"{escape(question)}"
    )


URGENT_NOT_YET = (
    "That's all right. Please get that help first; your health comes before stretching.\n\n"
    "When you've been seen and told stretching is fine for you, send /start and we'll carry on."
)


def professional(title: str, text: str) -> str:
    return (
        f"<b>{escape(title)}</b>\n\n{escape(text)}\n\n"
        "I'll hold your sign-up here until a doctor or physiotherapist has looked at this. "
        "Once one of them has told you stretching is fine for you, tap below and start gently."
    )


PROFESSIONAL_CONTINUE = "A professional cleared me"
PROFESSIONAL_LATER = "I'll check first"
PROFESSIONAL_WAITING = (
    "Good idea. Once you've spoken to a doctor or physiotherapist, send /start and we'll "
    "carry on from here."
)

# --- Choices --------------------------------------------------------------------------------


def step_heading(number: int, total: int, title: str) -> str:
    return f"<b>Step {number} of {total} · {title}</b>" if number else f"<b>{title}</b>"


ZONE_TITLE = "Time zone"
ZONE_PROMPT = (
    "So that reminders arrive at the right local time: where are you?\n\n"
    "Tap your zone below, share your location, or type a city (<i>Berlin</i>), "
    "a zone name (<i>Europe/Berlin</i>) or an offset (<i>UTC+3</i>)."
)
SHARE_LOCATION = "📍 Share my location"
LOCATION_PROMPT = (
    "Tap the <b>📍 Share my location</b> button below. I only use it to find your time zone, "
    "and I don't store the location itself."
)
LOCATION_BUTTON = "📍 Send my location"
LOCATION_NOT_FOUND = (
    "I couldn't find a time zone for that spot (out at sea?). "
    "Please type your nearest city instead, or pick a zone from the list."
)
LOCATION_OFF_EARTH = (
    "That location can't be right: it lies outside the map. "
    "Please type your nearest city instead, or pick a zone from the list."
)
LOCATION_NOT_ASKED = (
    "Thanks, but I only use a location to set your time zone. "
    "To change your time zone, open /settings."
)


def zone_confirmed(zone_label: str, zone_key: str, local_clock: str) -> str:
    place = escape(zone_label) if zone_label == zone_key else f"{escape(zone_label)}"
    detail = "" if zone_label == zone_key else f" ({escape(zone_key)})"
    return f"✓ Time zone: <b>{place}</b>{detail}. It's {local_clock} there right now."


def zone_invalid(reason: str) -> str:
    return f"🤔 {escape(reason)}"


TIME_TITLE = "Reminder time"
TIME_PROMPT = (
    "When would you like your reminder? Tap a time, or type one such as "
    "<i>7:30</i>, <i>19:00</i> or <i>7pm</i>."
)
CHANGE_ZONE = "🌍 Wrong zone? Change it"


def time_invalid(reason: str) -> str:
    return f"🤔 {escape(reason)} Please try again, for example <i>7:30</i> or <i>19:00</i>."


def time_confirmed(clock: str) -> str:
    return f"✓ Reminder time: <b>{clock}</b>."


DAYS_TITLE = "Days"
DAYS_PROMPT = (
    "On which days? Tap a day to switch it on or off, then <b>Done</b>.\n"
    "Three to five sessions a week is a good aim."
)
DAYS_NONE = "Please pick at least one day."
DAYS_ADVICE = {
    DaysAdvice.FEW: "Fewer than three days is fine; three to five a week tends to work best.",
    DaysAdvice.MANY: "Lots of days! Keep the stretches gentle; rest days help too.",
}
DONE = "Done ✓"


def days_confirmed(days: str, advice: DaysAdvice | None) -> str:
    note = f"\n{DAYS_ADVICE[advice]}" if advice is not None else ""
    return f"✓ Days: <b>{days}</b>.{note}"


FOCUS_TITLE = "Focus"
FOCUS_PROMPT = "Which areas would you like to work on? Pick as many as you like, then <b>Done</b>."
FOCUS_NONE = "Please pick at least one area."


def focus_confirmed(areas: str) -> str:
    return f"✓ Focus: <b>{areas}</b>."


LEVEL_TITLE = "Level"
LEVEL_PROMPT = "How used to stretching are you?"
LEVEL_LABELS = {
    Level.BEGINNER: "🌱 Beginner: new to it",
    Level.INTERMEDIATE: "🌿 Intermediate: I stretch now and then",
    Level.ADVANCED: "🌳 Advanced: I stretch often",
}


def level_confirmed(level: Level) -> str:
    return f"✓ Level: <b>{level.label}</b>."


LENGTH_TITLE = "Session length"
LENGTH_PROMPT = "How long should a session be?"


def minutes_label(minutes: int) -> str:
    return f"{minutes} min"


def length_confirmed(minutes: int) -> str:
    return f"✓ Session length: <b>{minutes} minutes</b>."


CHECK = "✅"
UNCHECKED = "▫️"

# --- Words for choices, shared with /settings -----------------------------------------------


def days_label(days: frozenset[int]) -> str:
    """ "Mon–Fri", "every day", "Mon, Wed, Fri"."""
    if len(days) == 7:
        return "every day"
    if days == frozenset(range(5)):
        return "Mon–Fri"
    if days == frozenset({5, 6}):
        return "weekends"
    return ", ".join(WEEKDAYS_SHORT[day] for day in sorted(days)) or "no days"


def focus_label(areas: list[str]) -> str:
    names = [FocusArea(area).label for area in areas if area in FocusArea.__members__.values()]
    return escape(", ".join(names) or "none yet")


def when_label(when: LocalWhen, zone_key: str) -> str:
    """ "Tuesday 07:30 (Europe/Berlin)", with "today"/"tomorrow" when that is clearer."""
    day = WEEKDAYS[when.weekday]
    if when.days_ahead == 0:
        day = f"today ({day})"
    elif when.days_ahead == 1:
        day = f"tomorrow ({day})"
    return f"{day} {when.clock} ({escape(zone_key)})"


# --- Summary --------------------------------------------------------------------------------


def summary(first: str, days: str, focus: str, level: Level, minutes: int) -> str:
    return (
        "🎉 <b>You're all set!</b>\n\n"
        f"Your first routine arrives <b>{first}</b>.\n\n"
        f"• Days: {days}\n• Focus: {focus}\n• Level: {level.label}\n"
        f"• Session: {minutes} minutes\n\n"
        "You can change any of this with /settings. Fancy a first session right now?"
    )


START_NOW = "▶️ Start a session now"
OPEN_SETTINGS = "⚙️ Settings"
ALREADY_SUBSCRIBED = "You're already subscribed. Here's how things stand:"
WELCOME_BACK_SUBSCRIBED = "Welcome back! Your reminders are on again."
WELCOME_BACK_PAUSED = (
    "Welcome back! Because of the pain you told me about, sessions and reminders wait until "
    "you've been checked. Send /resume when you have."
)

# --- Hints when typed text is not an answer -------------------------------------------------

HINT_TAP = "Please tap one of the buttons to answer. Here's the question again:"

SIGNED_UP_HELD = (
    "⏸ One thing first: because of the pain you told me about, sessions and reminders wait "
    "until you've been checked. Send /now to see what's needed."
)
