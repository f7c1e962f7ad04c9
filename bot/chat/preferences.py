"""Choosing time zone, reminder time, days, focus, level and session length.

The same pickers serve onboarding (then the next step follows) and /settings (then the settings
menu returns, with the next reminder recomputed at once). Each button carries its mode, and is
honoured only while its step is the one the person is on; anything else has expired. A time or
a time zone can also be typed, and a time zone can come from a shared location.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ReplyKeyboardRemove, Update
from telegram.ext import MessageHandler, filters

from bot.chat import onboarding
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import onboarding as keyboards
from bot.chat.screens import Screen, send, show
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.texts import common as common_texts
from bot.chat.texts import kindness as kindness_texts
from bot.chat.texts import onboarding as texts
from bot.chat.texts import settings as settings_texts
from bot.chat.views import onboarding as views
from bot.chat.views.onboarding import picker_screen
from bot.chat.views.settings import menu_screen
from bot.db.models import Subscriber
from bot.domain import onboarding as signup
from bot.domain.kindness import QuietHours
from bot.domain.onboarding import Mode, Step
from bot.domain.parsing import (
    InvalidLocation,
    InvalidTime,
    parse_time,
    parse_zone,
    zone_from_location,
)
from bot.domain.zones import InvalidZone, zone_of
from bot.usecases import lifecycle as life
from bot.usecases import people

logger = logging.getLogger(__name__)


async def _picking(
    db: AsyncSession, update: Update, cb: Callback, step: Step
) -> tuple[Subscriber, Mode] | None:
    """The person and the mode if this `step` button is still current; None: it expired."""
    user = update.effective_user
    mode = signup.parse_mode(cb.arg(0))
    subscriber = await people.known(db, user.id) if user else None
    if subscriber is None or mode is None or not _is_current(subscriber, mode, step):
        return None
    return subscriber, mode


def _is_current(subscriber: Subscriber, mode: Mode, step: Step) -> bool:
    return signup.is_current(
        mode,
        step,
        status=subscriber.status,
        onboarding_step=subscriber.onboarding_step,
        awaiting_input=subscriber.awaiting_input,
    )


def expected_text(subscriber: Subscriber) -> tuple[Mode, Step] | None:
    """Is the person on a step whose answer may be typed (a time zone or a time)?"""
    for mode, stored in (
        (Mode.ONBOARDING, subscriber.onboarding_step),
        (Mode.SETTINGS, subscriber.awaiting_input),
    ):
        step = signup.parse_step(stored)
        if step in signup.TEXT_STEPS and step is not None and _is_current(subscriber, mode, step):
            return mode, step
    return None


async def chosen(
    db: AsyncSession,
    services: Services,
    subscriber: Subscriber,
    mode: Mode,
    step: Step,
    note: str,
) -> Screen:
    """A choice is saved: onboarding moves on; /settings reschedules and shows the menu."""
    if mode is Mode.ONBOARDING:
        return await onboarding.advance(db, services, subscriber, step, note)
    subscriber.awaiting_input = None
    await life.preferences_changed(db, subscriber, services.now())
    logger.info("subscriber %s changed %s", subscriber.id, step.value)
    saved = f"{settings_texts.saved()} {note}" if note else settings_texts.saved()
    held = (await life.life_of(db, subscriber)).held
    return menu_screen(services, subscriber, held=held).with_note(saved)


# --- Time zone ------------------------------------------------------------------------------


async def on_zone(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.ZONE)
        if picking is None or zone_of(cb.arg(1)) is None:
            return common_texts.button_expired()
        subscriber, mode = picking
        subscriber.timezone = cb.arg(1)
        note = views.zone_confirmation(services, cb.arg(1))
        reply = await chosen(db, services, subscriber, mode, Step.ZONE, note)
    await show(update, reply)
    return None


async def on_share_location(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Telegram sends a location only from a reply-keyboard button, so offer one."""
    services = services_of(context)
    async with services.db() as db:
        if await _picking(db, update, cb, Step.ZONE) is None:
            return common_texts.button_expired()
    await send(update, texts.location_prompt(), keyboards.location_request())
    return None


async def on_change_zone(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """From the time step of onboarding, back to the time zone."""
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.TIME)
        if picking is None or picking[1] is not Mode.ONBOARDING:
            return common_texts.button_expired()
        subscriber = picking[0]
        subscriber.onboarding_step = Step.ZONE
        reply = views.step_screen(services, subscriber, Step.ZONE)
    await show(update, reply)
    return None


async def on_location(update: Update, context: AnyContext) -> None:
    """A shared location: its time zone, found offline; the location itself is not kept."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.location is None or user is None:
        return
    services = services_of(context)
    async with services.db() as db:
        subscriber = await people.known(db, user.id)
        expected = expected_text(subscriber) if subscriber is not None else None
    if expected is None or expected[1] is not Step.ZONE:
        await send(update, texts.location_not_asked(), ReplyKeyboardRemove())
        return
    where = message.location
    try:
        key = await asyncio.to_thread(zone_from_location, where.latitude, where.longitude)
    except InvalidLocation:
        await send(update, texts.location_off_earth())  # the step stays as it is
        return
    if key is None:
        await send(update, texts.location_not_found())
        return
    async with services.db() as db:
        subscriber = await people.known(db, user.id)
        if subscriber is None or expected_text(subscriber) != expected:
            return  # answered meanwhile by a tap; nothing more to do
        reply = await _zone_from_message(db, services, subscriber, expected[0], key)
    await send(update, views.zone_confirmation(services, key), ReplyKeyboardRemove())
    await show(update, reply)


async def _zone_from_message(
    db: AsyncSession, services: Services, subscriber: Subscriber, mode: Mode, key: str
) -> Screen:
    subscriber.timezone = key
    return await chosen(db, services, subscriber, mode, Step.ZONE, "")


# --- Time -----------------------------------------------------------------------------------


async def on_time(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.TIME)
        chosen_time = signup.parse_clock_arg(cb.arg(1))
        if picking is None or chosen_time is None:
            return common_texts.button_expired()
        subscriber, mode = picking
        refusal = _quiet_refusal(subscriber, chosen_time)
        if refusal is not None:
            reply = picker_screen(services, subscriber, Step.TIME, mode).with_note(refusal)
        else:
            subscriber.preferences.reminder_time = chosen_time
            note = texts.time_confirmed(signup.clock_text(chosen_time))
            reply = await chosen(db, services, subscriber, mode, Step.TIME, note)
    await show(update, reply)
    return None


def _quiet_refusal(subscriber: Subscriber, wanted: time) -> str | None:
    """Why `wanted` cannot be the reminder time (inside the quiet hours), or None."""
    preferences = subscriber.preferences
    hours = QuietHours.of(preferences.quiet_from, preferences.quiet_until)
    if hours is None or not hours.covers(wanted):
        return None
    return kindness_texts.time_in_quiet_hours(
        signup.clock_text(wanted), signup.clock_text(hours.start), signup.clock_text(hours.end)
    )


# --- Typed answers --------------------------------------------------------------------------


async def understand_text(update: Update, context: AnyContext) -> bool:
    """A typed time zone or time where one is expected; False when the text is not for us."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return False
    services = services_of(context)
    confirmation: str | None = None
    async with services.db() as db:
        subscriber = await people.known(db, user.id)
        expected = expected_text(subscriber) if subscriber is not None else None
        if subscriber is None or expected is None:
            return False
        mode, step = expected
        try:
            if step is Step.ZONE:
                key = parse_zone(message.text).key
                reply = await _zone_from_message(db, services, subscriber, mode, key)
                confirmation = views.zone_confirmation(services, key)
            else:
                typed = parse_time(message.text)
                refusal = _quiet_refusal(subscriber, typed)
                if refusal is not None:
                    picker = picker_screen(services, subscriber, Step.TIME, mode)
                    reply = picker.with_note(refusal)
                else:
                    subscriber.preferences.reminder_time = typed
                    note = texts.time_confirmed(signup.clock_text(typed))
                    reply = await chosen(db, services, subscriber, mode, Step.TIME, note)
        except InvalidZone as error:
            reply = Screen(texts.zone_invalid(error))
        except InvalidTime as error:
            reply = Screen(texts.time_invalid(error))
    if confirmation is not None:  # also takes away the location keyboard, if it was shown
        await send(update, confirmation, ReplyKeyboardRemove())
    await show(update, reply)
    return True


# --- Days and focus: toggles kept in the buttons until Done ---------------------------------


async def on_day(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.DAYS)
        mask, day = signup.parse_mask(cb.arg(1), signup.WEEKDAY_COUNT), cb.int_arg(2)
        if picking is None or mask is None or day is None or not 0 <= day < signup.WEEKDAY_COUNT:
            return common_texts.button_expired()
        subscriber, mode = picking
        toggled = signup.toggle_day(mask, day)
        reply = views.picker_screen(services, subscriber, Step.DAYS, mode, mask=toggled)
    await show(update, reply)
    return None


async def on_days_done(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.DAYS)
        mask = signup.parse_mask(cb.arg(1), signup.WEEKDAY_COUNT)
        if picking is None or mask is None:
            return common_texts.button_expired()
        if signup.check_days(mask) is not None:
            return texts.days_none()
        subscriber, mode = picking
        subscriber.preferences.weekdays = mask
        days = texts.days_label(signup.days_of(mask))
        note = texts.days_confirmed(days, signup.days_advice(mask))
        reply = await chosen(db, services, subscriber, mode, Step.DAYS, note)
    await show(update, reply)
    return None


async def on_focus(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.FOCUS)
        mask, index = signup.parse_mask(cb.arg(1), len(signup.FOCUS_ORDER)), cb.int_arg(2)
        if picking is None or mask is None or index is None:
            return common_texts.button_expired()
        if not 0 <= index < len(signup.FOCUS_ORDER):
            return common_texts.button_expired()
        subscriber, mode = picking
        toggled = signup.toggle_focus(mask, index)
        reply = views.picker_screen(services, subscriber, Step.FOCUS, mode, mask=toggled)
    await show(update, reply)
    return None


async def on_focus_done(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.FOCUS)
        mask = signup.parse_mask(cb.arg(1), len(signup.FOCUS_ORDER))
        if picking is None or mask is None:
            return common_texts.button_expired()
        if signup.check_focus(mask) is not None:
            return texts.focus_none()
        subscriber, mode = picking
        subscriber.preferences.focus_areas = signup.focus_areas(mask)
        note = texts.focus_confirmed(texts.focus_label(subscriber.preferences.focus_areas))
        reply = await chosen(db, services, subscriber, mode, Step.FOCUS, note)
    await show(update, reply)
    return None


# --- Level and length -----------------------------------------------------------------------


async def on_level(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.LEVEL)
        level = signup.parse_level(cb.arg(1))
        if picking is None or level is None:
            return common_texts.button_expired()
        subscriber, mode = picking
        subscriber.preferences.level = level.value
        reply = await chosen(
            db, services, subscriber, mode, Step.LEVEL, texts.level_confirmed(level)
        )
    await show(update, reply)
    return None


async def on_length(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        picking = await _picking(db, update, cb, Step.LENGTH)
        minutes = signup.parse_minutes(cb.arg(1))
        if picking is None or minutes is None:
            return common_texts.button_expired()
        subscriber, mode = picking
        subscriber.preferences.session_minutes = minutes
        note = texts.length_confirmed(minutes)
        reply = await chosen(db, services, subscriber, mode, Step.LENGTH, note)
    await show(update, reply)
    return None


FEATURE = Feature(
    name="preferences",
    handlers=[MessageHandler(filters.LOCATION & filters.ChatType.PRIVATE, on_location)],
    callbacks={
        keyboards.ZONE: on_zone,
        keyboards.ZONE_LOCATION: on_share_location,
        keyboards.ZONE_CHANGE: on_change_zone,
        keyboards.TIME: on_time,
        keyboards.DAY: on_day,
        keyboards.DAYS_DONE: on_days_done,
        keyboards.FOCUS: on_focus,
        keyboards.FOCUS_DONE: on_focus_done,
        keyboards.LEVEL: on_level,
        keyboards.LENGTH: on_length,
    },
)
