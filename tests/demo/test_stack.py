"""The demo's pieces together: the page's server, the real bot against the local Telegram, and
"Send the next reminder now" going through the real dispatcher at the moment it falls due."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import aiohttp
from sqlalchemy import select

from bot.chat.texts import common as common_texts
from bot.chat.texts import reminders as reminder_texts
from bot.config import Settings
from bot.content.loader import Content
from bot.db import subscribers
from bot.db.models import DeliveryKind, DeliveryStatus, ReminderDelivery
from bot.db.models import SubscriberStatus as Status
from bot.demo import Demo, DemoClock, stack
from bot.domain.lifecycle import Tier
from bot.usecases import holds
from bot.usecases import lifecycle as life
from sandbox.people import SimUser
from tests.demo.conftest import START

SEVEN = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


async def started(demo: Demo) -> SimUser:
    """The demo's first person, after pressing START (so the bot may write to them)."""
    (alex,) = demo.people()
    await alex.send("/start")
    await alex.next_message()
    return alex


async def make_subscriber(demo: Demo, user_id: int, status: Status = Status.ACTIVE) -> None:
    """Finish sign-up directly in the database: a 07:00 UTC reminder every day."""
    async with demo.services.db() as db:
        subscriber = await subscribers.get_by_user_id(db, user_id)
        assert subscriber is not None
        subscriber.status = Status.ACTIVE
        subscriber.onboarding_step = None
        subscriber.timezone = "UTC"
        subscriber.safety_acknowledged_at = demo.clock()
        preferences = await subscribers.preferences_of(db, subscriber)
        preferences.reminder_time = time(7, 0)
        preferences.weekdays = 0b1111111
        preferences.focus_areas = ["hamstrings", "lower_back"]
        preferences.session_minutes = 5
        await life.preferences_changed(db, subscriber, demo.clock())
        if status is Status.PAUSED:
            await life.pause(db, subscriber, demo.clock())


async def deliveries_of(demo: Demo, user_id: int) -> list[ReminderDelivery]:
    async with demo.services.db() as db:
        subscriber = await subscribers.get_by_user_id(db, user_id)
        assert subscriber is not None
        result = await db.execute(
            select(ReminderDelivery)
            .where(ReminderDelivery.subscriber_id == subscriber.id)
            .order_by(ReminderDelivery.id)
        )
        return list(result.scalars())


async def test_it_serves_the_page_and_starts_with_one_person(demo: Demo) -> None:
    async with aiohttp.ClientSession() as http, http.get(demo.url) as response:
        assert response.status == 200
        assert "Stretchbot" in await response.text()
    assert [person.first_name for person in demo.people()] == ["Alex"]
    commands = await demo.application.bot.get_my_commands()
    assert "start" in [command.command for command in commands]


async def test_nothing_is_sent_before_sign_up_is_finished(demo: Demo) -> None:
    (alex,) = demo.people()
    result = await demo.send_reminder_now(alex.id)
    assert not result.sent
    assert result.message == "Alex hasn't subscribed yet: tap START in the chat and sign up first."
    await alex.send("/start")
    await alex.next_message()
    result = await demo.send_reminder_now(alex.id)
    assert not result.sent
    assert "still signing up" in result.message
    assert demo.clock() == START, "the clock moves only for a reminder that is due"


async def test_the_daily_reminder_comes_as_if_its_time_had_come(demo: Demo) -> None:
    alex = await started(demo)
    await make_subscriber(demo, alex.id)

    result = await demo.send_reminder_now(alex.id)
    assert result.sent, result.message
    assert result.message == (
        "Sent Alex's reminder for Tue 24 Nov, 07:00 (UTC). "
        "The bot's clock jumped 1 h ahead to get there."
    )
    assert demo.clock() == SEVEN == result.clock
    reminder = await alex.wait_for_message(lambda m: "Time to stretch" in (m.text or ""))
    assert reminder.button_labels[0] == reminder_texts.start()
    assert common_texts.in_pain() in reminder.button_labels
    (delivery,) = await deliveries_of(demo, alex.id)
    assert (delivery.due_at, delivery.kind, delivery.status) == (
        SEVEN,
        DeliveryKind.DAILY,
        DeliveryStatus.SENT,
    )

    # Again: the next one is tomorrow's, and the clock goes there.
    result = await demo.send_reminder_now(alex.id)
    assert result.sent
    assert "Wed 25 Nov, 07:00 (UTC)" in result.message and "jumped 1 d ahead" in result.message
    assert demo.clock() == SEVEN + timedelta(days=1)
    assert [d.kind for d in await deliveries_of(demo, alex.id)] == [DeliveryKind.DAILY] * 2


async def test_a_red_flag_hold_is_named_not_called_no_reminder(demo: Demo) -> None:
    alex = await started(demo)
    await make_subscriber(demo, alex.id)
    async with demo.services.db() as db:
        subscriber = await subscribers.get_by_user_id(db, alex.id)
        assert subscriber is not None
        await holds.record_red_flag(
            db, subscriber, "checkin", Tier.PROFESSIONAL, [("checkin", "numbness")], demo.clock()
        )
    result = await demo.send_reminder_now(alex.id)
    assert not result.sent
    assert "on hold after a red flag" in result.message and "who checked them" in result.message
    assert demo.clock() == START
    assert await deliveries_of(demo, alex.id) == []


async def test_an_unanswered_pain_question_is_named_too(demo: Demo) -> None:
    alex = await started(demo)
    await make_subscriber(demo, alex.id)
    async with demo.services.db() as db:
        subscriber = await subscribers.get_by_user_id(db, alex.id)
        assert subscriber is not None
        await holds.open_triage(db, subscriber, "o", demo.clock())
    result = await demo.send_reminder_now(alex.id)
    assert not result.sent
    assert "a pain question is waiting" in result.message


async def test_paused_reminders_stay_paused(demo: Demo) -> None:
    alex = await started(demo)
    await make_subscriber(demo, alex.id, Status.PAUSED)
    result = await demo.send_reminder_now(alex.id)
    assert not result.sent
    assert "paused" in result.message
    assert demo.clock() == START
    assert await deliveries_of(demo, alex.id) == []


async def test_people_of_an_earlier_demo_come_back(
    demo_settings: Settings, content: Content
) -> None:
    clock = DemoClock(lambda: START)
    async with Demo(demo_settings, content, port=0, clock=clock) as first:
        alex = await started(first)
        sam = first.sandbox.user("Sam")
        await sam.send("/start")
        await sam.next_message()
        await make_subscriber(first, alex.id)
    async with Demo(demo_settings, content, port=0, clock=clock) as second:
        assert [(p.id, p.first_name) for p in second.people()] == [
            (alex.id, "Alex"),
            (sam.id, "Sam"),
        ]
        # Their chats count as started, so Alex's reminder reaches them and nobody is blocked.
        result = await second.send_reminder_now(alex.id)
        assert result.sent, result.message
        back = second.sandbox.existing_user(alex.id)
        assert "Time to stretch" in (back.bot_messages()[-1].text or "")


def test_the_next_reminder_line_uses_the_persons_fixed_offset_zone() -> None:
    """A zone typed as an offset is stored as "UTC+05:30"; the demo's line reads it the way
    the bot does (`bot.domain.zones`), not as an unknown key shown in UTC."""
    due = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
    assert stack._local(due, "UTC+05:30") == "Tue 24 Nov, 07:00 (UTC+05:30)"
    assert stack._local(due, "Nowhere/Such") == "Tue 24 Nov, 01:30 (UTC)"
    assert stack._which_day(due, datetime(2026, 11, 23, 20, 0, tzinfo=UTC), "UTC+05:30") == "today"
    assert stack._which_day(due, datetime(2026, 11, 23, 18, 0, tzinfo=UTC), "UTC+05:30") == (
        "tomorrow"
    )
