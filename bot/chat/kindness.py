"""Kinder reminders, chat side: the quiet switch and quiet hours in /settings (issue 16,
item 4).

The rules live in `bot.domain.kindness`; the 'Not today' cap is answered where 'Not today' is
(`reminders.skip`), and quiet reminders are sent so by the dispatcher (`Rendered.silent`).
"""

from __future__ import annotations

import logging
from datetime import time

from telegram import Update

from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import kindness as keyboards
from bot.chat.keyboards import settings as settings_keyboards
from bot.chat.screens import Screen, show
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.settings import holding, subscribed_me
from bot.chat.texts import common as common_texts
from bot.chat.texts import kindness as texts
from bot.chat.views.onboarding import buttons_for
from bot.chat.views.settings import menu_screen
from bot.db.models import Preferences, Subscriber
from bot.domain import onboarding as signup
from bot.domain.kindness import QuietHours
from bot.usecases import kindness as kinder

logger = logging.getLogger(__name__)


async def on_quiet(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Switch quiet reminders on or off and show the menu again with the new state."""
    services = services_of(context)
    async with services.db() as db:
        subscriber = await subscribed_me(db, update)
        if subscriber is None:
            return common_texts.button_expired()
        quiet = await kinder.switch_quiet(db, subscriber)
        reply = menu_screen(services, subscriber, held=await holding(db, subscriber) is not None)
    logger.info("subscriber %s set quiet reminders %s", subscriber.id, "on" if quiet else "off")
    await show(update, reply)
    return texts.quiet_toggled(quiet)


def _clock(value: time | None) -> str | None:
    return signup.clock_text(value) if value is not None else None


def quiet_hours_of(preferences: Preferences) -> QuietHours | None:
    return QuietHours.of(preferences.quiet_from, preferences.quiet_until)


def _picker(services: Services, subscriber: Subscriber) -> Screen:
    preferences = subscriber.preferences
    text = texts.quiet_hours_prompt(_clock(preferences.quiet_from), _clock(preferences.quiet_until))
    return Screen(text, keyboards.quiet_hours(buttons_for(services, subscriber)))


async def on_quiet_hours_menu(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Open the quiet hours picker."""
    services = services_of(context)
    async with services.db() as db:
        subscriber = await subscribed_me(db, update)
        if subscriber is None:
            return common_texts.button_expired()
        reply = _picker(services, subscriber)
    await show(update, reply)
    return None


async def on_quiet_hours(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Save the chosen quiet hours (or none), unless they would swallow the daily reminder."""
    services = services_of(context)
    if cb.arg(0) == keyboards.OFF:
        start: time | None = None
        end: time | None = None
    else:
        start, end = signup.parse_clock_arg(cb.arg(0)), signup.parse_clock_arg(cb.arg(1))
        if start is None or end is None or start == end:
            return common_texts.button_expired()
    async with services.db() as db:
        subscriber = await subscribed_me(db, update)
        if subscriber is None:
            return common_texts.button_expired()
        refused = await kinder.set_quiet_hours(db, subscriber, start, end)
        if refused is not None:
            refusal = texts.quiet_hours_swallow_reminder(
                signup.clock_text(refused.hours.start),
                signup.clock_text(refused.hours.end),
                signup.clock_text(refused.reminder),
            )
            reply = _picker(services, subscriber).with_note(refusal)
        else:
            held = await holding(db, subscriber) is not None
            note = texts.quiet_hours_saved(_clock(start), _clock(end))
            reply = menu_screen(services, subscriber, held=held).with_note(note)
            logger.info("subscriber %s changed quiet hours", subscriber.id)
    await show(update, reply)
    return None


FEATURE = Feature(
    name="kindness",
    callbacks={
        settings_keyboards.QUIET: on_quiet,
        settings_keyboards.QUIET_HOURS_MENU: on_quiet_hours_menu,
        settings_keyboards.QUIET_HOURS: on_quiet_hours,
    },
)
