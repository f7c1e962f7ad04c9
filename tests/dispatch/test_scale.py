"""Several dispatchers on one PostgreSQL: no reminder twice, none lost, even with faults.

SQLite serialises writers, so only PostgreSQL can show double claiming (DESIGN.md, Pitfalls):
these tests run there only, each dispatcher with an engine of its own, like separate processes.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.db.engine import create_engine, create_session_factory
from bot.db.models import DeliveryStatus, Subscriber, SubscriberStatus
from bot.dispatch import Dispatcher
from bot.net.budget import BudgetLimits, SendBudget
from sandbox import FaultPlan, RateLimits, SandboxServer
from tests.dispatch.conftest import (
    START,
    Factory,
    add_due,
    bot_messages_per_chat,
    crash_after_claiming,
    deliveries_by_status,
    make_dispatcher,
    people,
)
from tests.support.clock import TestClock

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def backend() -> str:
    """Only PostgreSQL: the point is concurrent claiming through row locks."""
    return "postgres"


@pytest.fixture
async def second_factory(postgres_url: str, database_url: str) -> AsyncIterator[Factory]:
    """A second engine on the same database: what another process would have.

    (`postgres_url` is named so the run counts these among its PostgreSQL tests.)
    """
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def run_together(*dispatchers: Dispatcher) -> None:
    for dispatcher in dispatchers:
        await dispatcher.start()
    try:
        await asyncio.gather(*(dispatcher.run_once() for dispatcher in dispatchers))
    finally:
        for dispatcher in dispatchers:
            await dispatcher.stop()


async def test_two_dispatchers_send_5000_reminders_exactly_once(
    sandbox: SandboxServer, session_factory: Factory, second_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 5000)
    await add_due(session_factory, users, START)
    first = make_dispatcher(sandbox, session_factory, clock, batch_size=100, workers=32)
    second = make_dispatcher(sandbox, second_factory, clock, batch_size=100, workers=32)

    await run_together(first, second)

    counts = bot_messages_per_chat(sandbox, users)
    assert sorted(set(counts.values())) == [1], "a reminder went twice or not at all"
    assert len(sandbox.calls_of("sendMessage")) == 5000
    assert await deliveries_by_status(session_factory) == {DeliveryStatus.SENT: 5000}
    # Both really took part: the claim spread the work instead of one taking everything.
    assert first.stats.sent > 500 and second.stats.sent > 500
    assert first.stats.sent + second.stats.sent == 5000


async def test_a_dispatcher_killed_after_claiming_loses_nothing(
    sandbox: SandboxServer, session_factory: Factory, second_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 1000)
    await add_due(session_factory, users, START)
    doomed = make_dispatcher(sandbox, session_factory, clock, batch_size=200, workers=1)
    # Its workers never start: three claims commit (two fill its queue of 400, the third
    # waits for room), then the task is cancelled, as if the process had died.
    await crash_after_claiming(session_factory, doomed, 600)
    stranded = (await deliveries_by_status(session_factory))[DeliveryStatus.PENDING]
    assert stranded == 600

    survivor = make_dispatcher(sandbox, second_factory, clock, batch_size=200)
    await survivor.start()
    try:
        await survivor.run_once()
        clock.advance(seconds=survivor.options.lease.total_seconds() + 1)
        await survivor.run_once()  # the restarted process: the dead one's lease ran out
    finally:
        await survivor.stop()
    assert survivor.stats.taken_over == stranded
    assert sorted(set(bot_messages_per_chat(sandbox, users).values())) == [1]
    assert await deliveries_by_status(session_factory) == {DeliveryStatus.SENT: 1000}


async def test_injected_faults_lose_no_reminder_for_reachable_people(
    sandbox: SandboxServer, session_factory: Factory, second_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 1000)
    blocked = random.Random(7).sample(users, 50)  # 5 % answer 403
    for user in blocked:
        await user.block()
    await add_due(session_factory, users, START)
    # About 15 % more: 500/502 answers, dropped connections, replies lost after the message
    # went out, and answers slower than our timeout; plus the 429s their retries run into.
    sandbox.set_faults(
        FaultPlan(
            server_error_rate=0.06,
            drop_rate=0.03,
            lost_reply_rate=0.03,
            slow_rate=0.03,
            slow_seconds=0.4,
            seed=11,
        )
    )
    # Telegram's 1 message/s per chat, without a burst: a quick retry after a lost reply or a
    # slow answer (the message did arrive) is answered 429 with retry_after.
    sandbox.set_rate_limits(
        RateLimits(global_per_second=10_000, per_chat_per_second=1, per_chat_burst=1)
    )
    options = {"batch_size": 100, "max_attempts": 8, "send_timeout_seconds": 0.2}
    first = make_dispatcher(
        sandbox,
        session_factory,
        clock,
        budget=SendBudget(BudgetLimits.telegram(global_rate=2000)),
        **options,
    )
    second = make_dispatcher(
        sandbox,
        second_factory,
        clock,
        budget=SendBudget(BudgetLimits.telegram(global_rate=2000)),
        **options,
    )

    await run_together(first, second)

    calls = sandbox.calls_of("sendMessage")
    faulty = [call for call in calls if call.status != 200 or call.fault is not None]
    kinds = {call.fault.value if call.fault else call.status for call in faulty}
    assert {429, 403, "500", "502", "drop", "lost_reply", "slow"} <= kinds
    assert len(faulty) / len(calls) >= 0.15
    counts = bot_messages_per_chat(sandbox, users)
    blocked_ids = {user.id for user in blocked}
    assert all(counts[user.id] >= 1 for user in users if user.id not in blocked_ids)
    assert all(counts[user_id] == 0 for user_id in blocked_ids)
    assert await deliveries_by_status(session_factory) == {
        DeliveryStatus.SENT: 950,
        DeliveryStatus.FAILED: 50,
    }
    async with session_factory() as session:
        marked = await session.execute(
            select(func.count())
            .select_from(Subscriber)
            .where(Subscriber.status == SubscriberStatus.BLOCKED)
        )
        assert marked.scalar_one() == 50
    # Once a 403 reaches the dispatcher, that chat is never tried again. (A 403 whose reply was
    # lost or came too late looks like a network error, so a retry after it is right.)
    heard = [call for call in calls if call.status == 403 and call.fault is None]
    assert sorted(int(call.params["chat_id"]) for call in heard) == sorted(blocked_ids)
    for call in heard:
        after = calls[calls.index(call) + 1 :]
        assert not any(
            int(later.params["chat_id"]) == int(call.params["chat_id"]) for later in after
        )
