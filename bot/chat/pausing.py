"""/pause and /resume: a break from reminders, until a date or until the person is back.

A dated pause is lifted by a small job on that date in the person's own time zone. A pause for
a red flag is lifted only after the warning is shown again and the person confirms they were
checked; a plain /resume never skips that.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat import outcomes
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import settings as keyboards
from bot.chat.screens import Screen, show
from bot.chat.services import AnyApplication, AnyContext, Services, services_of, services_of_app
from bot.chat.settings import is_subscribed, me, not_subscribed_screen, red_flagged
from bot.chat.texts import common as common_texts
from bot.chat.texts import settings as texts
from bot.chat.views.onboarding import buttons_for, next_reminder_label
from bot.db import subscribers
from bot.db.models import PauseReason, SubscriberStatus
from bot.domain import onboarding as flow
from bot.domain.onboarding import Prompt

logger = logging.getLogger(__name__)

PAUSE_CHECK_INTERVAL = timedelta(minutes=1)


# --- Pause ----------------------------------------------------------------------------------


async def pause_command(update: Update, context: AnyContext) -> None:
    await show(update, await _pause_prompt(services_of(context), update))


async def on_pause_menu(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        if not is_subscribed(await me(db, update)):
            return common_texts.BUTTON_EXPIRED
    await show(update, await _pause_prompt(services, update))
    return None


async def _pause_prompt(services: Services, update: Update) -> Screen:
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None:
            return not_subscribed_screen(subscriber)
        if red_flagged(subscriber):
            return Screen(texts.PAUSE_RED_FLAG)
        subscriber.awaiting_input = Prompt.PAUSE.value
        return Screen(
            texts.PAUSE_PROMPT, keyboards.pause_choices(buttons_for(services, subscriber))
        )


async def on_pause(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    now = services.now()
    async with services.db() as db:
        subscriber = await me(db, update)
        if (
            subscriber is None
            or not is_subscribed(subscriber)
            or red_flagged(subscriber)
            or not flow.prompt_is_open(Prompt.PAUSE, subscriber.awaiting_input)
        ):
            return common_texts.BUTTON_EXPIRED
        zone = flow.zone_of(subscriber.timezone)
        today = now.astimezone(zone).date() if zone is not None else now.date()
        valid, back_on = flow.pause_end(cb.arg(0), today)
        if not valid:
            return common_texts.BUTTON_EXPIRED
        subscriber.awaiting_input = None
        await subscribers.pause(db, subscriber, now, reason=PauseReason.USER, until=back_on)
        logger.info("subscriber %s paused (dated: %s)", subscriber.id, back_on is not None)
    await show(update, Screen(texts.paused(back_on)))
    return None


async def lift_pauses(services: Services) -> list[int]:
    """Resume everyone whose dated pause ends today in their zone (run every minute)."""
    async with services.db() as db:
        lifted = await subscribers.lift_finished_pauses(db, services.now())
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
            return common_texts.BUTTON_EXPIRED
    await show(update, await _resume(services, update))
    return None


async def _resume(services: Services, update: Update) -> Screen:
    """Back on, unless the pause was for a red flag: then the warning and a question first."""
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None:
            return not_subscribed_screen(subscriber)
        subscriber.awaiting_input = None
        if subscriber.status == SubscriberStatus.ACTIVE:
            return Screen(texts.already_on(next_reminder_label(services, subscriber) or "-"))
        if red_flagged(subscriber):
            subscriber.awaiting_input = Prompt.RED_FLAG.value
            confirm = services.content.safety.outcomes.confirm_checked
            return Screen(
                texts.red_flag_warning(confirm.paused, confirm.question),
                keyboards.red_flag_confirm(
                    buttons_for(services, subscriber), confirm.checked_label, confirm.not_yet_label
                ),
            )
        await subscribers.resume(db, subscriber, services.now())
        logger.info("subscriber %s resumed", subscriber.id)
        return Screen(texts.resumed(next_reminder_label(services, subscriber) or "-"))


async def on_red_flag_checked(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    confirm = services.content.safety.outcomes.confirm_checked
    async with services.db() as db:
        subscriber = await me(db, update)
        if (
            subscriber is None
            or not red_flagged(subscriber)
            or not flow.prompt_is_open(Prompt.RED_FLAG, subscriber.awaiting_input)
        ):
            return common_texts.BUTTON_EXPIRED
        subscriber.awaiting_input = None
        if cb.arg(0) != "y":
            reply = Screen(texts.red_flag_still_paused(confirm.still_paused))
        else:
            await outcomes.lift(db, subscriber, services.now())
            logger.info("subscriber %s confirmed a check-up and resumed", subscriber.id)
            when = next_reminder_label(services, subscriber) or "-"
            reply = Screen(texts.red_flag_resumed(confirm.resumed, when))
    await show(update, reply)
    return None


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
        keyboards.RED_FLAG_CHECKED: on_red_flag_checked,
    },
    commands=[("pause", texts.COMMANDS["pause"]), ("resume", texts.COMMANDS["resume"])],
    on_startup=_start_pause_job,
)
