"""Helpers for the dispatcher tests: a sandbox Telegram, people in it, due subscribers, a clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, time
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.db.deliveries import DueSubscriber, Reminder
from bot.db.models import (
    DeliveryStatus,
    Preferences,
    ReminderDelivery,
    Subscriber,
    SubscriberStatus,
)
from bot.dispatch import Dispatcher, DispatchOptions, Rendered
from bot.net.aiohttp_request import AiohttpRequest
from bot.net.budget import SendBudget
from sandbox import SandboxServer, SimUser
from tests.support.clock import TestClock

Factory = async_sessionmaker[AsyncSession]
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday, 08:00 UTC


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def people(server: SandboxServer, count: int) -> list[SimUser]:
    """People who have started the bot, so it may write to them."""
    users = [server.user(f"P{number}") for number in range(count)]
    for user in users:
        server.state.chats[user.id].started = True
    return users


async def add_due(
    factory: Factory,
    users: list[SimUser],
    due: datetime,
    *,
    status: SubscriberStatus = SubscriberStatus.ACTIVE,
    reminder_time: time = time(8, 0),
) -> dict[int, int]:
    """One subscriber per person, due at `due`, reminded daily; returns user id -> subscriber id."""
    async with factory.begin() as session:
        first = (await session.execute(select(func.coalesce(func.max(Subscriber.id), 0)))).scalar()
        assert isinstance(first, int)
        ids = {user.id: first + offset + 1 for offset, user in enumerate(users)}
        if not users:
            return ids
        now = datetime.now(UTC)
        await session.execute(
            insert(Subscriber),
            [
                {
                    "id": ids[user.id],
                    "telegram_user_id": user.id,
                    "chat_id": user.id,
                    "timezone": "UTC",
                    "status": status,
                    "created_at": now,
                    "updated_at": now,
                }
                for user in users
            ],
        )
        await session.execute(
            insert(Preferences),
            [
                {
                    "subscriber_id": ids[user.id],
                    "reminder_time": reminder_time,
                    "weekdays": 0b1111111,
                    "focus_areas": [],
                    "level": "beginner",
                    "session_minutes": 10,
                    "next_reminder_at": due,
                }
                for user in users
            ],
        )
    return ids


def render_plain(reminder: Reminder) -> Rendered:
    """A reminder whose text names its delivery, so duplicates are easy to count."""
    return Rendered(f"reminder {reminder.delivery_id}", None)


def same_routine(_subject: DueSubscriber, _day: object) -> str | None:
    return "gentle_start"


def make_dispatcher(
    server: SandboxServer,
    factory: Factory,
    clock: TestClock,
    *,
    budget: SendBudget | None = None,
    render: Callable[[Reminder], Rendered] = render_plain,
    **options: Any,
) -> Dispatcher:
    settings: dict[str, Any] = {"backoff_seconds": 0.01, "workers": 16, "batch_size": 100}
    settings.update(options)
    bot = Bot(
        server.token,
        base_url=server.bot_base_url,
        base_file_url=server.file_base_url,
        request=AiohttpRequest(connection_pool_size=64),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )
    return Dispatcher(
        session_factory=factory,
        bot=bot,
        render=render,
        choose_routine=same_routine,
        clock=clock,
        budget=budget,
        options=DispatchOptions(**settings),
    )


async def deliveries_by_status(factory: Factory) -> dict[DeliveryStatus, int]:
    async with factory() as session:
        rows = await session.execute(
            select(ReminderDelivery.status, func.count()).group_by(ReminderDelivery.status)
        )
        return {DeliveryStatus(status): count for status, count in rows.all()}


def bot_messages_per_chat(server: SandboxServer, users: list[SimUser]) -> dict[int, int]:
    return {user.id: len(user.bot_messages()) for user in users}


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Wait until `check()` holds; fail after `timeout` seconds."""
    for _ in range(int(timeout / 0.01)):
        if await check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition did not come true in time")


async def pending_at_least(factory: Factory, count: int) -> bool:
    return (await deliveries_by_status(factory)).get(DeliveryStatus.PENDING, 0) >= count


async def everyone_has_one(users: list[SimUser]) -> bool:
    return all(user.bot_messages() for user in users)


async def someone_has_one(users: list[SimUser]) -> bool:
    return any(user.bot_messages() for user in users)


async def claimed_and_stuck(factory: Factory, dispatcher: Dispatcher, count: int) -> bool:
    """`count` deliveries claimed and the dispatcher blocked on its full queue: outside any
    transaction, so cancelling it now is like the process dying after its claims committed."""
    return dispatcher.queue_full and await pending_at_least(factory, count)


async def crash_after_claiming(factory: Factory, dispatcher: Dispatcher, count: int) -> None:
    """Run a dispatcher whose workers never start until `count` claims have committed, then
    cancel it: the same as its process dying between claim and send."""
    run = asyncio.create_task(dispatcher.run_once())
    await eventually(lambda: claimed_and_stuck(factory, dispatcher, count))
    run.cancel()
    await asyncio.gather(run, return_exceptions=True)
