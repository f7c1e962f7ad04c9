"""What the bot says while someone signs up, and the words for their choices.

HTML parse mode. Anything the person typed or that comes from their profile is escaped by the
functions here, so handlers can pass raw values. Every text is a function, translated when it
is rendered (`bot.i18n`); tables of labels hold `N_`-marked English and translate on lookup.
Content texts (the safety note, the screening) arrive already in the person's language.
"""

from __future__ import annotations

from html import escape

from bot.content.models import FocusArea, Level
from bot.domain.onboarding import DaysAdvice, LocalWhen
from bot.domain.parsing import InvalidTime
from bot.domain.unreadable import Unreadable
from bot.domain.zones import InvalidZone
from bot.i18n import N_, _, ngettext
from bot.i18n.dates import weekday_name, weekday_names

COMMANDS = {"start": N_("Subscribe, or carry on setting up")}

# --- Welcome and safety ---------------------------------------------------------------------


def welcome(first_name: str | None, safety_note: str) -> str:
    greeting = (
        _("Hi, {name}! 👋 I'm Stretchbot.").format(name=escape(first_name))
        if first_name
        else _("Hi! 👋 I'm Stretchbot.")
    )
    body = _(
        "On the days you choose, I'll send you a short stretching routine for your legs and "
        "back, and guide you through it one stretch at a time."
    )
    heading = _("Safety first")
    return f"{greeting}\n\n{body}\n\n<b>{heading}</b>\n{escape(safety_note)}"


def understood() -> str:
    return _("✅ I understand")


def welcome_back() -> str:
    return _("Welcome back! Let's carry on where we left off.")


# --- Screening ------------------------------------------------------------------------------


def screening_question(intro: str, number: int, total: int, question: str) -> str:
    heading = _("Question {number} of {total}").format(number=number, total=total)
    return f"{escape(intro)}\n\n<b>{heading}</b>\n{escape(question)}"


def urgent(title: str, text: str, question: str) -> str:
    held = _("I won't set up reminders until this has been looked at.")
    return f"<b>{escape(title)}</b>\n\n{escape(text)}\n\n{held}\n\n{escape(question)}"


def urgent_not_yet() -> str:
    return _(
        "That's all right. Please get that help first; your health comes before stretching.\n\n"
        "When you've been seen and told stretching is fine for you, send /start and we'll "
        "carry on."
    )


def professional(title: str, text: str) -> str:
    held = _(
        "I'll hold your sign-up here until a doctor or physiotherapist has looked at this. "
        "Once one of them has told you stretching is fine for you, tap below and start gently."
    )
    return f"<b>{escape(title)}</b>\n\n{escape(text)}\n\n{held}"


def professional_continue() -> str:
    return _("A professional cleared me")


def professional_later() -> str:
    return _("I'll check first")


def professional_waiting() -> str:
    return _(
        "Good idea. Once you've spoken to a doctor or physiotherapist, send /start and we'll "
        "carry on from here."
    )


# --- Choices --------------------------------------------------------------------------------


def step_heading(number: int, total: int, title: str) -> str:
    if not number:
        return f"<b>{title}</b>"
    heading = _("Step {number} of {total} · {title}").format(
        number=number, total=total, title=title
    )
    return f"<b>{heading}</b>"


def zone_title() -> str:
    return _("Time zone")


def zone_prompt() -> str:
    return _(
        "So that reminders arrive at the right local time: where are you?\n\n"
        "Tap your zone below, share your location, or type a city (<i>Berlin</i>), "
        "a zone name (<i>Europe/Berlin</i>) or an offset (<i>UTC+3</i>)."
    )


def share_location() -> str:
    return _("📍 Share my location")


def location_prompt() -> str:
    return _(
        "Tap the <b>📍 Send my location</b> button below. I only use it to find your time "
        "zone, and I don't store the location itself."
    )


def location_button() -> str:
    return _("📍 Send my location")


def location_not_found() -> str:
    return _(
        "I couldn't find a time zone for that spot (out at sea?). "
        "Please type your nearest city instead, or pick a zone from the list."
    )


def location_off_earth() -> str:
    return _(
        "That location can't be right: it lies outside the map. "
        "Please type your nearest city instead, or pick a zone from the list."
    )


def location_not_asked() -> str:
    return _(
        "Thanks, but I only use a location to set your time zone. "
        "To change your time zone, open /settings."
    )


def zone_confirmed(zone_label: str, zone_key: str, local_clock: str) -> str:
    place = f"<b>{escape(zone_label)}</b>"
    if zone_label != zone_key:
        place = f"{place} ({escape(zone_key)})"
    return _("✓ Time zone: {place}. It's {clock} there right now.").format(
        place=place, clock=local_clock
    )


def unreadable(error: Unreadable) -> str:
    """Why a typed time or zone could not be read, in the person's language (escaped)."""
    return escape(_(error.message).format(**error.values) if error.values else _(error.message))


def zone_invalid(error: InvalidZone) -> str:
    return f"🤔 {unreadable(error)}"


def time_title() -> str:
    return _("Reminder time")


def time_prompt() -> str:
    return _(
        "When would you like your reminder? Tap a time, or type one such as "
        "<i>7:30</i>, <i>19:00</i> or <i>7pm</i>."
    )


def change_zone() -> str:
    return _("🌍 Wrong zone? Change it")


def time_invalid(error: InvalidTime) -> str:
    again = _("Please try again, for example <i>7:30</i> or <i>19:00</i>.")
    return f"🤔 {unreadable(error)} {again}"


def time_confirmed(clock: str) -> str:
    return _("✓ Reminder time: <b>{clock}</b>.").format(clock=clock)


def days_title() -> str:
    return _("Days")


def days_prompt() -> str:
    return _(
        "On which days? Tap a day to switch it on or off, then <b>Done</b>.\n"
        "Three to five sessions a week is a good aim."
    )


def days_none() -> str:
    return _("Please pick at least one day.")


_DAYS_ADVICE = {
    DaysAdvice.FEW: N_("Fewer than three days is fine; three to five a week tends to work best."),
    DaysAdvice.MANY: N_("Lots of days! Keep the stretches gentle; rest days help too."),
}


def done() -> str:
    return _("Done ✓")


def days_confirmed(days: str, advice: DaysAdvice | None) -> str:
    note = f"\n{_(_DAYS_ADVICE[advice])}" if advice is not None else ""
    return _("✓ Days: <b>{days}</b>.").format(days=days) + note


def focus_title() -> str:
    return _("Focus")


def focus_prompt() -> str:
    return _("Which areas would you like to work on? Pick as many as you like, then <b>Done</b>.")


def focus_none() -> str:
    return _("Please pick at least one area.")


def focus_confirmed(areas: str) -> str:
    return _("✓ Focus: <b>{areas}</b>.").format(areas=areas)


def level_title() -> str:
    return _("Level")


def level_prompt() -> str:
    return _("How used to stretching are you?")


_LEVEL_CHOICES = {
    Level.BEGINNER: N_("🌱 Beginner: new to it"),
    Level.INTERMEDIATE: N_("🌿 Intermediate: I stretch now and then"),
    Level.ADVANCED: N_("🌳 Advanced: I stretch often"),
}
_LEVEL_NAMES = {
    Level.BEGINNER: N_("Beginner"),
    Level.INTERMEDIATE: N_("Intermediate"),
    Level.ADVANCED: N_("Advanced"),
}
_FOCUS_NAMES = {
    FocusArea.HAMSTRINGS: N_("Hamstrings"),
    FocusArea.CALVES: N_("Calves"),
    FocusArea.HIPS_GLUTES: N_("Hips & glutes"),
    FocusArea.LOWER_BACK: N_("Lower back"),
    FocusArea.SPINE: N_("Spine"),
}


def level_choice(level: Level) -> str:
    """The picker's button for `level`."""
    return _(_LEVEL_CHOICES[level])


def level_name(level: Level) -> str:
    """ "Beginner", for summaries and the settings menu."""
    return _(_LEVEL_NAMES[level])


def focus_name(area: FocusArea) -> str:
    """ "Hips & glutes": a focus area on a button or in a list (not escaped)."""
    return _(_FOCUS_NAMES[area])


def level_confirmed(level: Level) -> str:
    return _("✓ Level: <b>{level}</b>.").format(level=level_name(level))


def length_title() -> str:
    return _("Session length")


def length_prompt() -> str:
    return _("How long should a session be?")


def minutes_label(minutes: int) -> str:
    return _("{minutes} min").format(minutes=minutes)


def minutes_long(minutes: int) -> str:
    """ "15 minutes", with the plural form the language wants for the number."""
    return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)


def length_confirmed(minutes: int) -> str:
    return _("✓ Session length: <b>{length}</b>.").format(length=minutes_long(minutes))


CHECK = "✅"
UNCHECKED = "▫️"

# --- Words for choices, shared with /settings -----------------------------------------------


def days_label(days: frozenset[int]) -> str:
    """ "Mon–Fri", "every day", "Mon, Wed, Fri" (weekday abbreviations from CLDR)."""
    short = weekday_names("abbreviated")
    if len(days) == 7:
        return _("every day")
    if days == frozenset(range(5)):
        return f"{short[0]}–{short[4]}"
    if days == frozenset({5, 6}):
        return _("weekends")
    return ", ".join(short[day] for day in sorted(days)) or _("no days")


def focus_label(areas: list[str]) -> str:
    names = [
        focus_name(FocusArea(area)) for area in areas if area in FocusArea.__members__.values()
    ]
    return escape(", ".join(names) or _("none yet"))


def when_label(when: LocalWhen, zone_key: str) -> str:
    """ "Tuesday 07:30 (Europe/Berlin)", with "today"/"tomorrow" when that is clearer."""
    day = weekday_name(when.weekday)
    values = {"day": day, "clock": when.clock, "zone": escape(zone_key)}
    if when.days_ahead == 0:
        return _("today ({day}) {clock} ({zone})").format(**values)
    if when.days_ahead == 1:
        return _("tomorrow ({day}) {clock} ({zone})").format(**values)
    return _("{day} {clock} ({zone})").format(**values)


# --- Summary --------------------------------------------------------------------------------


def summary(first: str, days: str, focus: str, level: Level, minutes: int) -> str:
    return _(
        "🎉 <b>You're all set!</b>\n\n"
        "Your first routine arrives <b>{first}</b>.\n\n"
        "• Days: {days}\n• Focus: {focus}\n• Level: {level}\n"
        "• Session: {length}\n\n"
        "You can change any of this with /settings. Fancy a first session right now?"
    ).format(
        first=first, days=days, focus=focus, level=level_name(level), length=minutes_long(minutes)
    )


def start_now() -> str:
    return _("▶️ Start a session now")


def open_settings() -> str:
    return _("⚙️ Settings")


def already_subscribed() -> str:
    return _("You're already subscribed. Here's how things stand:")


def welcome_back_subscribed() -> str:
    return _("Welcome back! Your reminders are on again.")


def welcome_back_paused() -> str:
    return _(
        "Welcome back! Because of the pain you told me about, sessions and reminders wait "
        "until you've been checked. Send /resume when you have."
    )


# --- Hints when typed text is not an answer -------------------------------------------------


def hint_tap() -> str:
    return _("Please tap one of the buttons to answer. Here's the question again:")


def signed_up_held() -> str:
    return _(
        "⏸ One thing first: because of the pain you told me about, sessions and reminders "
        "wait until you've been checked. Send /now to see what's needed."
    )
