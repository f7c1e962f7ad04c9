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
