"""Every button of the practice screens (today's card, its preview, each phase of a session,
the way back into one, the reminder, the step-up offer, the safety questions asked again, the
legs question): tapped once, twice at once, on a deleted message and on one older than 48 h,
each must end where a single tap does (`tests.e2e.crawl`)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.chat.texts import common as common_texts
from bot.chat.texts import session as texts
from bot.db import subscribers
from bot.db.models import DeliveryStatus, ReminderDelivery
from bot.domain.progression import COMFORT_RUN
from bot.usecases import lifecycle as life
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.crawl import Reach, Screen, by_command, crawl, send_for, then_tap
from tests.e2e.practice_helpers import TIMEOUT, has, hold_label, subscribe
from tests.e2e.test_progression import practised

pytestmark = pytest.mark.e2e

CARD = by_command("/now", texts.start())
STEP = then_tap(CARD, texts.start())
HOLDING = then_tap(STEP, hold_label)
CHECKIN = then_tap(HOLDING, texts.done_early())


def skipped_through(first: Reach, steps: int) -> Reach:
    return then_tap(first, *[texts.skip()] * steps)


async def running(bot: RunningBot, person: SimUser) -> ChatMessage:
    await STEP(bot, person)
    return await send_for(person, "/now", texts.continue_button())


async def reminder(bot: RunningBot, person: SimUser) -> ChatMessage:
    """A reminder set for a minute from now; the clock moves on to it and the bot's own
    dispatcher sends it (the same day for everyone, so the same routine)."""
    me = await subscribe(bot, person)
    await send_for(person, "/help")  # Telegram lets a bot write once the person wrote first
    async with bot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        preferences = await subscribers.preferences_of(db, row)
        preferences.reminder_time = (bot.clock() + timedelta(minutes=1)).time()
        await life.preferences_changed(db, row, bot.clock())
        due = preferences.next_reminder_at
        await db.commit()
    assert due is not None
    bot.clock.set(due)
    card = await person.wait_for_message(has("Time to stretch"), timeout=TIMEOUT)
    await _recorded_as_sent(bot, me)
    return card


async def _recorded_as_sent(bot: RunningBot, subscriber_id: int) -> None:
    """The dispatcher marks the delivery sent only after Telegram answered, a moment after the
    card arrives; a test that reads the rows before then would find it still pending."""
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while True:
        async with bot.services.db() as db:
            pending = await db.scalar(
                select(func.count())
                .select_from(ReminderDelivery)
                .where(
                    ReminderDelivery.subscriber_id == subscriber_id,
                    ReminderDelivery.status == DeliveryStatus.PENDING,
                )
            )
        if not pending:
            return
        assert asyncio.get_running_loop().time() < deadline, "the reminder stayed pending"
        await asyncio.sleep(0.02)


async def rescreening(bot: RunningBot, person: SimUser) -> ChatMessage:
    """Last asked the safety questions 30 days ago: /now asks them again first."""
    me = await subscribe(bot, person, "seated_progression")
    async with bot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        row.last_screened_at = bot.clock() - timedelta(days=30)
        await db.commit()
    return await send_for(person, "/now", "✅ Nothing has changed")


async def legs_question(bot: RunningBot, person: SimUser) -> ChatMessage:
    """Never asked about their legs, with the chair routine (nerve tension) as today's."""
    await subscribe(bot, person, "seated_progression", legs_asked=False)
    return await send_for(person, "/now", "Yes, they always feel tight")


STEP_UP_ROUTINE = "lower_back_short_easy"


async def step_up(bot: RunningBot, person: SimUser) -> ChatMessage:
    """Five comfortable sessions of a routine: its next session offers the harder one."""
    me = await subscribe(bot, person, STEP_UP_ROUTINE)
    now = bot.clock()
    for days_ago in range(COMFORT_RUN + 1, 1, -1):
        await practised(bot, me, STEP_UP_ROUTINE, now - timedelta(days=days_ago))
    card = await send_for(person, "/now", texts.start())
    tap = await person.tap(texts.start(), message=card)
    await tap.answered(TIMEOUT)
    return await person.wait_for_message(has("Ready for a step up?"), timeout=TIMEOUT)


IN_PAIN = common_texts.in_pain()
SCREENS = [
    Screen("card", CARD),
    Screen("preview", then_tap(CARD, texts.preview_button())),
    Screen("step", STEP),
    Screen("holding", HOLDING),
    Screen("check-in", CHECKIN),
    Screen("eased off", then_tap(CHECKIN, "Uncomfortable 😣")),
    Screen("check-in: what kind of pain", then_tap(CHECKIN, "Sharp pain")),
    Screen("rating", skipped_through(STEP, 3)),
    Screen("rated", then_tap(skipped_through(STEP, 3), "7")),
    Screen("running, from /now", running),
    Screen("pain from a step", then_tap(STEP, IN_PAIN)),
    Screen("reminder", reminder),
    Screen("reminder snoozed", then_tap(reminder, "⏰ In 30 min")),
    Screen("step up", step_up),
    Screen("safety questions again", rescreening),
    Screen(
        "safety questions again: something changed",
        then_tap(rescreening, "Something has changed"),
    ),
    Screen("legs question", legs_question),
    Screen("legs: tight", then_tap(legs_question, "Yes, they always feel tight")),
]


@pytest.mark.parametrize("screen", SCREENS, ids=str)
async def test_every_button(stretchbot: RunningBot, screen: Screen) -> None:
    assert await crawl(stretchbot, screen)
