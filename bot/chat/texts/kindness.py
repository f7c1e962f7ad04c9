"""What kinder reminders say: quiet mode in /settings, and the question after many skips."""

from __future__ import annotations

from bot.i18n import _, ngettext

# --- Quiet reminders (/settings) -----------------------------------------------------------


def sound_line(quiet: bool) -> str:
    """The line of the settings menu that says how reminders arrive."""
    if quiet:
        return _("🔕 Reminders arrive silently, without a sound.")
    return _("🔔 Reminders arrive with a sound.")


def quiet_button(quiet: bool) -> str:
    """The settings button that switches it: it names what a tap does."""
    return _("🔔 Reminders with sound") if quiet else _("🔕 Silent reminders")


def quiet_toggled(quiet: bool) -> str:
    """The toast after the switch."""
    if quiet:
        return _("From now on reminders arrive silently.")
    return _("From now on reminders arrive with a sound.")


# --- Many 'Not today's in one week -------------------------------------------------------


def rethink_note(skipped: int) -> str:
    """Under a skipped reminder, after more 'Not today's this week than the cap: no blame, a
    question. `skipped` counts this one too."""
    line = ngettext(
        "<i>That's {count} 'Not today' this week, and that's all right. "
        "Maybe other days would suit you better, or a short break from reminders?</i>",
        "<i>That's {count} times 'Not today' this week, and that's all right. "
        "Maybe other days would suit you better, or a short break from reminders?</i>",
        skipped,
    )
    return "\n\n" + line.format(count=skipped)


def rethink_toast() -> str:
    return _("Skipped for today. Would other days or a break suit you better?")


def change_days_button() -> str:
    return _("📅 Change my days")


def pause_button() -> str:
    return _("⏸ Pause for a while")


# --- The weekly nudge (a line on the reminder) --------------------------------------------


def nudge_line(done: int, goal: int) -> str:
    """Under the reminder, once a week when someone is behind their goal and can still reach
    it: how far they are, what is left, and that it is their choice. No blame."""
    missing = goal - done
    line = ngettext(
        "💛 <i>{done} of your {goal} sessions this week so far. {count} more would reach your "
        "goal, and your days still leave room for it. Only if it feels right today.</i>",
        "💛 <i>{done} of your {goal} sessions this week so far. {count} more would reach your "
        "goal, and your days still leave room for them. Only if it feels right today.</i>",
        missing,
    )
    return "\n\n" + line.format(done=done, goal=goal, count=missing)


# --- Quiet hours (/settings, the time picker, snoozes) ------------------------------------


def _span(start: str, end: str) -> str:
    return f"{start}–{end}"


def quiet_hours_line(start: str | None, end: str | None) -> str:
    """The settings menu's line: the span, or off."""
    if start is None or end is None:
        return _("🌙 Quiet hours: off")
    return _("🌙 Quiet hours: {span}").format(span=_span(start, end))


def quiet_hours_button() -> str:
    return _("🌙 Quiet hours")


def quiet_hours_prompt(start: str | None, end: str | None) -> str:
    current = quiet_hours_line(start, end)
    return _(
        "🌙 <b>Quiet hours</b>\n\n"
        "Nothing from me arrives between these times: no reminder, no snooze, no nudge.\n\n"
        "{current}\n\nChoose your quiet hours:"
    ).format(current=current)


def quiet_hours_off_button() -> str:
    return _("Off")


def back_button() -> str:
    return _("↩ Back")


def quiet_hours_saved(start: str | None, end: str | None) -> str:
    if start is None or end is None:
        return _("✓ Quiet hours are off.")
    return _("✓ Quiet hours: {span}. Nothing arrives then.").format(span=_span(start, end))


def quiet_hours_swallow_reminder(start: str, end: str, reminder: str) -> str:
    """Refused: the chosen quiet hours would cover the daily reminder."""
    return _(
        "⚠️ Your reminder at {reminder} would fall inside {span}, so I didn't save them. "
        "Choose other quiet hours, or change the reminder time first."
    ).format(reminder=reminder, span=_span(start, end))


def time_in_quiet_hours(chosen: str, start: str, end: str) -> str:
    """Refused: a reminder time inside the quiet hours."""
    return _(
        "⚠️ {time} is inside your quiet hours ({span}), so I can't remind you then. "
        "Choose another time, or change your quiet hours in /settings."
    ).format(time=chosen, span=_span(start, end))


def snoozed_before_quiet(at: str, start: str) -> str:
    """The toast of a snooze shortened so it comes before the quiet hours."""
    return _("Okay! I'll remind you at {at}, before your quiet hours begin at {start}.").format(
        at=at, start=start
    )


def snoozed_after_quiet(at: str) -> str:
    """The toast of a snooze moved to the end of the quiet hours."""
    return _("Your quiet hours come first, so I'll remind you at {at}, when they end.").format(
        at=at
    )


def no_snooze_in_quiet(start: str, end: str) -> str:
    """The toast when a snooze would fall in quiet hours that last into tomorrow."""
    return _(
        "Your quiet hours ({span}) begin before then, so no snooze tonight. "
        "Your next reminder comes as usual."
    ).format(span=_span(start, end))
