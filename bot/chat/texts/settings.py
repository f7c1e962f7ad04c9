"""What the bot says in /settings, /pause, /resume and /stop."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.chat.texts import onboarding as choices
from bot.content.models import Level
from bot.i18n import N_, _, dates

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
    return _(
        "⚙️ <b>Your settings</b>\n\n"
        "🌍 Time zone: {zone}\n⏰ Reminder: {clock}\n📅 Days: {days}\n"
        "🎯 Focus: {focus}\n📈 Level: {level}\n⏱ Session: {length}\n\n"
        "{status}\n\nTap what you'd like to change."
    ).format(
        zone=escape(zone),
        clock=clock,
        days=days,
        focus=focus,
        level=choices.level_name(level),
        length=choices.minutes_long(minutes),
        status=status,
    )


def next_reminder(when: str) -> str:
    return _("🔔 Next reminder: <b>{when}</b>.").format(when=when)


def no_next_reminder() -> str:
    return _("🔕 No reminder is scheduled.")


def saved() -> str:
    return _("✓ Saved.")


def paused_until(day: date) -> str:
    return _("⏸ Reminders are paused until <b>{day}</b>.").format(day=date_label(day))


def paused_open() -> str:
    return _("⏸ Reminders are paused until you send /resume.")


def paused_red_flag() -> str:
    return _("⏸ Everything waits until you've been checked for your pain. See /resume.")


def edit_zone() -> str:
    return _("🌍 Time zone")


def edit_time() -> str:
    return _("⏰ Time")


def edit_days() -> str:
    return _("📅 Days")


def edit_focus() -> str:
    return _("🎯 Focus")


def edit_level() -> str:
    return _("📈 Level")


def edit_length() -> str:
    return _("⏱ Length")


def pause() -> str:
    return _("⏸ Pause")


def resume() -> str:
    return _("▶️ Resume")


def close() -> str:
    return _("✓ Close")


def back() -> str:
    return _("↩ Back")


def closed() -> str:
    return _("Settings closed. Send /settings any time to change something.")


def not_subscribed() -> str:
    return _("You haven't finished setting up yet. Send /start to carry on.")


def no_subscription() -> str:
    return _("You aren't signed up for reminders. Send /start to set up your daily stretches.")


def stopped() -> str:
    return _("You're unsubscribed at the moment. Send /start to subscribe again.")


# --- Pause ----------------------------------------------------------------------------------


def pause_prompt() -> str:
    return _("⏸ Take a break from reminders? Choose for how long:")


_PAUSE_CHOICES = {
    "3d": N_("3 days"),
    "1w": N_("1 week"),
    "2w": N_("2 weeks"),
    "1m": N_("1 month"),
    "open": N_("Until I resume"),
}


def pause_choices() -> dict[str, str]:
    """The pause buttons' labels by their choice key (`bot.domain.onboarding.PAUSE_CHOICES`)."""
    return {key: _(label) for key, label in _PAUSE_CHOICES.items()}


def cancel() -> str:
    return _("Cancel")


def nothing_changed() -> str:
    return _("Nothing changed.")


def paused(back_on: date | None) -> str:
    if back_on is None:
        return _("⏸ Reminders paused. Send /resume whenever you're ready to carry on.")
    return _(
        "⏸ Reminders paused. They start again on <b>{day}</b>; send /resume to come back sooner."
    ).format(day=date_label(back_on))


def pause_red_flag() -> str:
    return _(
        "Your reminders already wait until you've been checked for your pain. "
        "Send /resume once a doctor or physiotherapist has seen you."
    )


# --- Resume ---------------------------------------------------------------------------------


def resumed(when: str) -> str:
    return _("▶️ Welcome back! Your next reminder: <b>{when}</b>.").format(when=when)


def already_on(when: str) -> str:
    return _("Your reminders are already on. Next one: <b>{when}</b>.").format(when=when)


# --- Stop -----------------------------------------------------------------------------------


def stop_confirm() -> str:
    return _(
        "Unsubscribe from Stretchbot?\n\n"
        "• You won't get any more reminders.\n"
        "• Your settings and history stay stored, so /start brings you back in one tap.\n"
        "• To erase everything instead, use /delete."
    )


def stop_yes() -> str:
    return _("Yes, unsubscribe")


def stop_no() -> str:
    return _("No, keep my reminders")


def stopped_done() -> str:
    return _(
        "You're unsubscribed. I won't send you anything unless you write to me.\n\n"
        "Send /start to come back, or /delete to erase everything I've stored."
    )


def stop_nothing() -> str:
    return _("You're not subscribed, so there's nothing to stop.")
