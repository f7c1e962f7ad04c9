"""A person who blocks the bot gets nothing; unblocking puts them back where they were."""

from __future__ import annotations

import asyncio

from bot.db import pain
from bot.db.models import SubscriberStatus
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import raise_flag
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of


async def _wait_for_status(bot: RunningBot, person: SimUser, status: SubscriberStatus) -> None:
    """my_chat_member is handled asynchronously; poll the row (briefly) until it changes."""
    for _ in range(100):
        subscriber = await subscriber_of(bot, person)
        if subscriber is not None and subscriber.status == status:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the status never became {status}")


async def test_block_then_unblock_restores_reminders(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await onboard(Walkthrough(person))
    await person.block()
    await _wait_for_status(stretchbot, person, SubscriberStatus.BLOCKED)
    blocked = await subscriber_of(stretchbot, person)
    assert blocked is not None and blocked.preferences.next_reminder_at is None

    await person.unblock()
    await _wait_for_status(stretchbot, person, SubscriberStatus.ACTIVE)
    back = await subscriber_of(stretchbot, person)
    assert back is not None and back.preferences.next_reminder_at is not None


async def test_a_red_flag_hold_survives_blocking_and_unblocking(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await onboard(Walkthrough(person))
    me = await subscriber_of(stretchbot, person)
    assert me is not None
    await raise_flag(stretchbot, me.id)
    await person.block()
    await _wait_for_status(stretchbot, person, SubscriberStatus.BLOCKED)
    await person.unblock()
    await _wait_for_status(stretchbot, person, SubscriberStatus.ACTIVE)
    back = await subscriber_of(stretchbot, person)
    assert back is not None and back.preferences.next_reminder_at is None
    async with stretchbot.services.db() as db:
        assert len(await pain.unresolved_red_flags(db, me.id)) == 1


async def test_unblocking_keeps_a_pause(stretchbot: RunningBot, person: SimUser) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    await walk.send("/pause")
    await walk.tap("Until I resume")
    await person.block()
    await _wait_for_status(stretchbot, person, SubscriberStatus.BLOCKED)
    await person.unblock()
    await _wait_for_status(stretchbot, person, SubscriberStatus.PAUSED)
    paused = await subscriber_of(stretchbot, person)
    assert paused is not None and paused.preferences.next_reminder_at is None


async def test_replies_still_queued_when_a_person_blocks_cost_one_refusal_not_one_each(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await onboard(Walkthrough(person))
    stretchbot.sandbox.excuse_unavoidable()  # the first 403 is how the bot learns of the block
    await person.send_then_block("/help", "/stats", "/settings", "/help")
    await _wait_for_status(stretchbot, person, SubscriberStatus.BLOCKED)
    assert await stretchbot.sandbox.settle()
    refused = [call for call in stretchbot.sandbox.calls if call.status == 403]
    assert len(refused) == 1, [call.method for call in refused]

    await person.unblock()
    await _wait_for_status(stretchbot, person, SubscriberStatus.ACTIVE)
    before = max(message.message_id for message in person.bot_messages())
    await person.send("/help")  # written after the unblock: answered again
    await person.wait_for_message(lambda message: message.message_id > before)
