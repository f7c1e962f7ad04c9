"""Daily reminders end to end: at the person's local time, snooze, not today, pause, downtime.

The bot runs for real (its JobQueue ticks the dispatcher every 0.2 s); only the clock is the
test's. Alex signs up for 07:30 in Berlin, Monday to Friday; the clock starts on Tuesday
24 November 2026 at 07:00 in Berlin (06:00 UTC), so the first reminder is due at 06:30 UTC.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.chat import reminders
from bot.db.models import DeliveryKind, DeliveryStatus, ReminderDelivery, SubscriberStatus
from bot.dispatch import Dispatcher
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of
from tests.support.clock import TestClock

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

FIRST_DUE = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # Tuesday 07:30 in Berlin
REMINDER_BUTTONS = ["▶️ Start", "⏰ In 30 min", "🙅 Not today", "🆘 I'm in pain"]


def dispatcher(bot: RunningBot) -> Dispatcher:
    running = reminders.dispatcher_of(bot.services)
    assert running is not None, "the reminders feature did not start its dispatcher"
    return running


async def signed_up(bot: RunningBot, person: SimUser) -> Walkthrough:
    walk = Walkthrough(person)
    await onboard(walk, zone="Berlin", clock="07:30")
    person.mark_read()
    subscriber = await subscriber_of(bot, person)
    assert subscriber is not None and subscriber.preferences.next_reminder_at == FIRST_DUE
    return walk


async def nothing_sent(bot: RunningBot, person: SimUser) -> None:
    """Drain once more (besides the job's own ticks) and check the chat stayed quiet."""
    await dispatcher(bot).run_once()
    assert person.unread() == []


async def deliveries_of(bot: RunningBot, person: SimUser) -> list[ReminderDelivery]:
    subscriber = await subscriber_of(bot, person)
    assert subscriber is not None
    async with bot.services.db() as db:
        result = await db.execute(
            select(ReminderDelivery)
            .where(ReminderDelivery.subscriber_id == subscriber.id)
            .order_by(ReminderDelivery.id)
        )
        return list(result.scalars())


async def next_reminder(bot: RunningBot, person: SimUser) -> datetime | None:
    subscriber = await subscriber_of(bot, person)
    assert subscriber is not None
    return subscriber.preferences.next_reminder_at


async def reminder_at(
    bot: RunningBot, clock: TestClock, person: SimUser, at: datetime
) -> ChatMessage:
    """Move the clock to `at`; the bot's own recurring job sends the reminder."""
    clock.set(at)
    message = await person.next_message(timeout=5)
    await dispatcher(bot).run_once()  # and the send's outcome is written
    return message


async def test_the_reminder_comes_at_local_time_with_todays_routine(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)
    clock.set(datetime(2026, 11, 24, 6, 29, 59, tzinfo=UTC))
    await nothing_sent(stretchbot, person)

    message = await reminder_at(stretchbot, clock, person, FIRST_DUE)

    assert text_of(message).startswith("🌿 Time to stretch")
    (record,) = await deliveries_of(stretchbot, person)
    routine = stretchbot.content.routines[str(record.routine_id)]
    assert f"Today: {routine.title} · about " in text_of(message)
    assert message.button_labels == REMINDER_BUTTONS
    assert (record.status, record.kind) == (DeliveryStatus.SENT, DeliveryKind.DAILY)
    assert (record.due_at, record.message_id) == (FIRST_DUE, message.message_id)
    # Wednesday, same local time; nothing more today.
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    await nothing_sent(stretchbot, person)


async def test_snooze_brings_it_back_later_and_the_schedule_carries_on(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    first = await reminder_at(stretchbot, clock, person, FIRST_DUE)

    answer = await walk.tap("⏰ In 30 min", message=first)

    assert answer.text == "Okay! I'll remind you at 08:00."
    snoozed = await person.wait_for_edit(first)
    assert "Snoozed: I'll remind you again at 08:00." in text_of(snoozed)
    assert snoozed.button_labels == ["▶️ Start", "🆘 I'm in pain"]
    clock.set(datetime(2026, 11, 24, 6, 59, tzinfo=UTC))
    await nothing_sent(stretchbot, person)

    later = await reminder_at(stretchbot, clock, person, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))

    assert text_of(later).startswith("⏰ Here's your stretch, as promised")
    assert later.button_labels == REMINDER_BUTTONS
    daily, snooze = await deliveries_of(stretchbot, person)
    assert (daily.kind, snooze.kind) == (DeliveryKind.DAILY, DeliveryKind.SNOOZE)
    assert snooze.routine_id == daily.routine_id
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)

    # A second snooze is allowed (two a day by default), a third is not.
    assert (await walk.tap("⏰ In 30 min", message=later)).text == "Okay! I'll remind you at 08:30."
    third = await reminder_at(stretchbot, clock, person, datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    answer = await walk.tap("⏰ In 30 min", message=third)
    assert answer.text == "You've snoozed 2 times today already. Start now, or skip today?"
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)


async def test_not_today_is_recorded_and_nothing_more_comes_today(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    first = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    await walk.tap("⏰ In 30 min", message=first)
    later = await reminder_at(stretchbot, clock, person, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    await walk.tap("⏰ In 30 min", message=later)  # snoozed again, until 08:30
    third = await reminder_at(stretchbot, clock, person, datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    await walk.tap("⏰ In 30 min", message=third)  # refused: two a day
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)

    answer = await walk.tap("🙅 Not today", message=third)

    assert answer.text == "No problem, rest today. See you tomorrow at 07:30."
    edited = await person.wait_for_edit(third)
    assert "Skipped for today. Next reminder: tomorrow at 07:30." in text_of(edited)
    assert edited.button_labels == ["🆘 I'm in pain"]
    statuses = [record.status for record in await deliveries_of(stretchbot, person)]
    assert statuses == [DeliveryStatus.SENT, DeliveryStatus.SENT, DeliveryStatus.SKIPPED]
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    clock.set(datetime(2026, 11, 24, 22, 0, tzinfo=UTC))
    await nothing_sent(stretchbot, person)


async def test_not_today_drops_a_snooze_and_old_reminders_buttons_expire(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    tuesday = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    wednesday = await reminder_at(
        stretchbot, clock, person, datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    )
    # Yesterday's reminder was never answered; its buttons no longer change anything.
    for label in ("⏰ In 30 min", "🙅 Not today"):
        answer = await walk.tap(label, message=tuesday)
        assert answer.text == "This button has expired. Nothing was changed."
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 26, 6, 30, tzinfo=UTC)

    # Snoozing, then "Not today" on the same day: the snoozed reminder never comes.
    await walk.tap("⏰ In 30 min", message=wednesday)
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert (await person.wait_for_edit(wednesday)).button_labels == ["▶️ Start", "🆘 I'm in pain"]
    later = await reminder_at(stretchbot, clock, person, datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    await walk.tap("🙅 Not today", message=later)
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    clock.set(datetime(2026, 11, 25, 23, 0, tzinfo=UTC))
    await nothing_sent(stretchbot, person)


async def test_pausing_stops_reminders_and_resuming_brings_them_back(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    await walk.send("/pause")
    await walk.tap("Until I resume")
    assert await next_reminder(stretchbot, person) is None
    person.mark_read()

    clock.set(datetime(2026, 11, 25, 7, 0, tzinfo=UTC))  # Wednesday, past 07:30 Berlin
    await nothing_sent(stretchbot, person)

    await walk.send("/resume")
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    person.mark_read()
    message = await reminder_at(
        stretchbot, clock, person, datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    )
    assert message.button_labels == REMINDER_BUTTONS
    assert [r.due_at for r in await deliveries_of(stretchbot, person)] == [
        datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    ]


async def test_a_short_outage_delivers_late_a_long_one_records_a_miss(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)

    await stretchbot.stop()
    clock.set(datetime(2026, 11, 24, 7, 45, tzinfo=UTC))  # 75 minutes late: within the grace
    await stretchbot.start()
    late = await person.next_message(timeout=5)
    assert late.button_labels == REMINDER_BUTTONS

    await stretchbot.stop()
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # 2.5 hours after Wednesday's
    await stretchbot.start()
    await nothing_sent(stretchbot, person)

    records = await deliveries_of(stretchbot, person)
    assert [(r.due_at, r.status) for r in records] == [
        (FIRST_DUE, DeliveryStatus.SENT),
        (datetime(2026, 11, 25, 6, 30, tzinfo=UTC), DeliveryStatus.MISSED),
    ]
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 26, 6, 30, tzinfo=UTC)


async def test_a_person_who_blocked_the_bot_gets_nothing(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)
    await person.block()
    for _ in range(100):  # the bot learns it from the my_chat_member update
        subscriber = await subscriber_of(stretchbot, person)
        if subscriber is not None and subscriber.status is SubscriberStatus.BLOCKED:
            break
        await asyncio.sleep(0.05)
    sends = len(stretchbot.sandbox.calls_of("sendMessage"))

    clock.set(FIRST_DUE)
    await nothing_sent(stretchbot, person)

    assert len(stretchbot.sandbox.calls_of("sendMessage")) == sends
    assert await deliveries_of(stretchbot, person) == []
    assert await next_reminder(stretchbot, person) is None
