"""/pause and /resume: a break from reminders, until a date or until the person is back.

A dated pause is lifted by a small job on that date in the person's own time zone. A red flag
is not a pause but a hold on the person (`bot.usecases.holds`): /resume lifts the person's own
pause, and while a hold is open it shows the hold and its lifting buttons instead; it never
skips the check.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import settings as keyboards
from bot.chat.screens import Screen, show
from bot.chat.services import AnyApplication, AnyContext, Services, services_of, services_of_app
from bot.chat.settings import holding, is_subscribed, me, not_subscribed_screen
from bot.chat.texts import common as common_texts
from bot.chat.texts import settings as texts
from bot.chat.views import outcomes
from bot.chat.views.onboarding import buttons_for, next_reminder_label
from bot.domain import onboarding as signup
from bot.domain.lifecycle import Refused
from bot.domain.onboarding import Prompt
from bot.domain.zones import local_zone
from bot.usecases import lifecycle as life

logger = logging.getLogger(__name__)

PAUSE_CHECK_INTERVAL = timedelta(minutes=1)


# --- Pause ----------------------------------------------------------------------------------


async def pause_command(update: Update, context: AnyContext) -> None:
    await show(update, await _pause_prompt(services_of(context), update))


async def on_pause_menu(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        if not is_subscribed(await me(db, update)):
            return common_texts.button_expired()
    await show(update, await _pause_prompt(services, update))
    return None


async def _pause_prompt(services: Services, update: Update) -> Screen:
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None:
            return not_subscribed_screen(subscriber)
        if await holding(db, subscriber) is not None:
            return Screen(texts.pause_red_flag())
        subscriber.awaiting_input = Prompt.PAUSE.value
        return Screen(
            texts.pause_prompt(), keyboards.pause_choices(buttons_for(services, subscriber))
        )


async def on_pause(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    now = services.now()
    async with services.db() as db:
        subscriber = await me(db, update)
        if (
            subscriber is None
            or not is_subscribed(subscriber)
            or not signup.prompt_is_open(Prompt.PAUSE, subscriber.awaiting_input)
        ):
            return common_texts.button_expired()
        zone = local_zone(subscriber.timezone, services.settings.default_timezone)
        today = now.astimezone(zone).date()
        valid, back_on = signup.pause_end(cb.arg(0), today)
        if not valid:
            return common_texts.button_expired()
        subscriber.awaiting_input = None
        if isinstance(await life.pause(db, subscriber, now, back_on), Refused):
            return common_texts.button_expired()
        logger.info("subscriber %s paused (dated: %s)", subscriber.id, back_on is not None)
    await show(update, Screen(texts.paused(back_on)))
    return None


async def lift_pauses(services: Services) -> list[int]:
    """Resume everyone whose dated pause ends today in their zone (run every minute)."""
    async with services.db() as db:
        lifted = await life.lift_finished_pauses(db, services.now())
    if lifted:
        logger.info("lifted %d finished pauses", len(lifted))
    return lifted


async def _lift_pauses_job(context: AnyContext) -> None:
    await lift_pauses(services_of(context))


async def _start_pause_job(application: AnyApplication) -> None:
    if application.job_queue is None:
        logger.warning("no job queue: dated pauses will end only on /resume")
        return
    application.job_queue.run_repeating(
        _lift_pauses_job, interval=PAUSE_CHECK_INTERVAL, first=1.0, name="lift-pauses"
    )
    await lift_pauses(services_of_app(application))


# --- Resume ---------------------------------------------------------------------------------


async def resume_command(update: Update, context: AnyContext) -> None:
    await show(update, await _resume(services_of(context), update))


async def on_resume(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        if not is_subscribed(await me(db, update)):
            return common_texts.button_expired()
    await show(update, await _resume(services, update))
    return None


async def _resume(services: Services, update: Update) -> Screen:
    """Back on; while a hold is open, the person's own pause ends but the hold is shown (with
    its lifting buttons), since nothing comes until it is lifted."""
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None:
            return not_subscribed_screen(subscriber)
        subscriber.awaiting_input = None
        result = await life.resume(db, subscriber, services.now())
        hold = await holding(db, subscriber)
        if hold is not None:
            buttons = buttons_for(services, subscriber)
            view = outcomes.hold_screen(services.content.safety, buttons, hold)
            return Screen(view.text, view.markup)
        when = next_reminder_label(services, subscriber) or "-"
        if isinstance(result, Refused):
            return Screen(texts.already_on(when))
        logger.info("subscriber %s resumed", subscriber.id)
        return Screen(texts.resumed(when))


FEATURE = Feature(
    name="pausing",
    handlers=[
        CommandHandler("pause", pause_command),
        CommandHandler("resume", resume_command),
    ],
    callbacks={
        keyboards.PAUSE_MENU: on_pause_menu,
        keyboards.PAUSE: on_pause,
        keyboards.RESUME: on_resume,
    },
    commands=[("pause", texts.COMMANDS["pause"]), ("resume", texts.COMMANDS["resume"])],
    on_startup=_start_pause_job,
)
