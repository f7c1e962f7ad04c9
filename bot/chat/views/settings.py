"""The /settings menu and the one-line status of a subscriber's reminders."""

from __future__ import annotations

from datetime import time

from bot.chat.keyboards import settings as keyboards
from bot.chat.screens import Screen
from bot.chat.services import Services
from bot.chat.texts import kindness as kindness_texts
from bot.chat.texts import onboarding as choice_texts
from bot.chat.texts import settings as texts
from bot.chat.views.onboarding import buttons_for, next_reminder_label
from bot.content.models import Level
from bot.db.models import Subscriber, SubscriberStatus
from bot.domain import onboarding as signup
from bot.domain.zones import zone_of
from bot.i18n.dates import zone_name


def status_line(services: Services, subscriber: Subscriber, held: bool = False) -> str:
    """`held`: a red flag or an unanswered triage holds the person (it outranks any pause)."""
    if held:
        return texts.paused_red_flag()
    if subscriber.status == SubscriberStatus.PAUSED:
        if subscriber.paused_until is not None:
            return texts.paused_until(subscriber.paused_until)
        return texts.paused_open()
    upcoming = next_reminder_label(services, subscriber)
    return texts.next_reminder(upcoming) if upcoming else texts.no_next_reminder()


def zone_line(key: str | None) -> str:
    """ "Moskau (Europe/Moscow)": the place in the person's language, and the zone's own name."""
    zone = zone_of(key)
    if zone is None or key is None:
        return key or "-"
    place = zone_name(zone)
    return key if place == key else f"{place} ({key})"


def _clock(value: time | None, other: time | None) -> str | None:
    """A quiet hours end as text, None when quiet hours are off (either end missing)."""
    return signup.clock_text(value) if value is not None and other is not None else None


def menu_screen(services: Services, subscriber: Subscriber, held: bool = False) -> Screen:
    preferences = subscriber.preferences
    clock = preferences.reminder_time
    level = signup.parse_level(preferences.level)
    text = texts.menu(
        zone=zone_line(subscriber.timezone),
        clock=signup.clock_text(clock) if clock is not None else "-",
        days=choice_texts.days_label(signup.days_of(preferences.weekdays)),
        focus=choice_texts.focus_label(preferences.focus_areas),
        level=level if level is not None else Level.BEGINNER,
        minutes=preferences.session_minutes,
        status="\n".join(
            (
                status_line(services, subscriber, held),
                kindness_texts.sound_line(preferences.quiet),
                kindness_texts.quiet_hours_line(
                    _clock(preferences.quiet_from, preferences.quiet_until),
                    _clock(preferences.quiet_until, preferences.quiet_from),
                ),
            )
        ),
    )
    paused = subscriber.status == SubscriberStatus.PAUSED
    markup = keyboards.menu(
        buttons_for(services, subscriber), paused=paused, quiet=preferences.quiet
    )
    return Screen(text, markup)
