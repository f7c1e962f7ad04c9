"""/settings and /stop: changing one's mind after signing up.

The settings menu opens the same pickers as onboarding (see `preferences.py`); its Pause and
Resume buttons lead to `pausing.py`. /stop says what unsubscribing means before doing it.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import settings as keyboards
from bot.chat.screens import Screen, show
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import common as common_texts
from bot.chat.texts import settings as texts
from bot.chat.views.onboarding import buttons_for, picker_screen
from bot.chat.views.settings import menu_screen
from bot.db.models import Subscriber, SubscriberStatus
from bot.domain import onboarding as signup
from bot.domain.lifecycle import Hold
from bot.domain.onboarding import Mode, Prompt
from bot.usecases import lifecycle as life
from bot.usecases import people

logger = logging.getLogger(__name__)

_SUBSCRIBED = (SubscriberStatus.ACTIVE, SubscriberStatus.PAUSED)


async def me(db: AsyncSession, update: Update) -> Subscriber | None:
    user = update.effective_user
    return await people.known(db, user.id) if user else None


def is_subscribed(subscriber: Subscriber | None) -> bool:
    return (
        subscriber is not None
        and subscriber.status in _SUBSCRIBED
        and subscriber.onboarding_step is None
    )


async def subscribed_me(db: AsyncSession, update: Update) -> Subscriber | None:
    """The sender's row when they are subscribed, else None: the opening every settings tap
    shares (a button of a menu they can no longer use has expired). Any open picker closes."""
    subscriber = await me(db, update)
    if subscriber is None or not is_subscribed(subscriber):
        return None
    subscriber.awaiting_input = None
    return subscriber


def not_subscribed_screen(subscriber: Subscriber | None) -> Screen:
    """Why a subscriber-only command cannot run: never signed up (or erased with /delete),
    stopped, or not set up yet."""
    if subscriber is None:
        return Screen(texts.no_subscription())
    if subscriber.status == SubscriberStatus.STOPPED:
        return Screen(texts.stopped())
    return Screen(texts.not_subscribed())


async def holding(db: AsyncSession, subscriber: Subscriber) -> Hold | None:
    """The hold to show (newest red flag, else an unanswered triage), or None when free."""
    found = await life.life_of(db, subscriber)
    return found.red_flag or found.open_triage


# --- The menu -------------------------------------------------------------------------------


async def settings_command(update: Update, context: AnyContext) -> None:
    services = services_of(context)
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None:
            reply = not_subscribed_screen(subscriber)
        else:
            subscriber.awaiting_input = None
            held = await holding(db, subscriber) is not None
            reply = menu_screen(services, subscriber, held=held)
    await show(update, reply)


async def on_menu(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        subscriber = await subscribed_me(db, update)
        if subscriber is None:
            return common_texts.button_expired()
        reply = menu_screen(services, subscriber, held=await holding(db, subscriber) is not None)
    await show(update, reply)
    return None


async def on_edit(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Open one picker; while it is open, its buttons (and typed answers) count."""
    step = signup.parse_step(cb.arg(0))
    services = services_of(context)
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None or step not in signup.EDITABLE:
            return common_texts.button_expired()
        subscriber.awaiting_input = step.value
        reply = picker_screen(services, subscriber, step, Mode.SETTINGS)
    await show(update, reply)
    return None


async def on_close(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None:
            return common_texts.button_expired()
        subscriber.awaiting_input = None
    await show(update, Screen(texts.closed()))
    return None


# --- Stop -----------------------------------------------------------------------------------


NOT_SUBSCRIBED = frozenset({SubscriberStatus.ONBOARDING, SubscriberStatus.STOPPED})
"""Nobody to unsubscribe: half-way through sign-up (or a stranger again) or already stopped."""


async def stop_command(update: Update, context: AnyContext) -> None:
    services = services_of(context)
    async with services.db() as db:
        subscriber = await me(db, update)
        if subscriber is None or subscriber.status in NOT_SUBSCRIBED:
            reply = Screen(texts.stop_nothing())
        else:
            subscriber.awaiting_input = Prompt.STOP.value
            reply = Screen(
                texts.stop_confirm(), keyboards.stop_confirm(buttons_for(services, subscriber))
            )
    await show(update, reply)


async def on_stop(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        subscriber = await me(db, update)
        if (
            subscriber is None
            or subscriber.status in NOT_SUBSCRIBED
            or not signup.prompt_is_open(Prompt.STOP, subscriber.awaiting_input)
        ):
            return common_texts.button_expired()
        subscriber.awaiting_input = None
        if cb.arg(0) != "y":
            reply = Screen(texts.nothing_changed())
        else:
            await life.stop(db, subscriber, services.now())  # a hold stays: it is the person's
            logger.info("subscriber %s stopped", subscriber.id)
            reply = Screen(texts.stopped_done())
    await show(update, reply)
    return None


FEATURE = Feature(
    name="settings",
    handlers=[
        CommandHandler("settings", settings_command),
        CommandHandler("stop", stop_command),
    ],
    callbacks={
        keyboards.MENU: on_menu,
        keyboards.EDIT: on_edit,
        keyboards.CLOSE: on_close,
        keyboards.STOP: on_stop,
    },
    commands=[("settings", texts.COMMANDS["settings"]), ("stop", texts.COMMANDS["stop"])],
)
