"""The send budget shared through Redis: two processes of one bot keep one limit together.

Runs against the Redis at `TEST_REDIS_URL` (default 127.0.0.1:6379, database 15); each test
uses a bot id of its own. Without Redis the tests skip on a laptop but fail in CI (`CI=true`).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import pytest
from redis.asyncio import Redis

from bot.net.budget import BudgetLimits, LaneLimits, Priority, SendBudget
from bot.net.budget_redis import RedisStore

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
LIMITS = BudgetLimits(free=LaneLimits(100.0, person_burst=8, reminder_burst=2))

MakeBudget = Callable[[], SendBudget]
T = TypeVar("T")


async def _bounded(waiting: Awaitable[T]) -> T:
    """A stuck store fails the test within a minute instead of hanging the whole suite."""
    return await asyncio.wait_for(waiting, 60)


@pytest.fixture
async def redis_budget() -> AsyncIterator[MakeBudget]:
    """Budgets of one fresh bot id, each on its own connection (as separate processes are)."""
    probe = Redis.from_url(REDIS_URL)
    try:
        await probe.ping()
    except Exception as error:
        await probe.aclose()
        if IN_CI:
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    await probe.aclose()
    bot_id = f"test-{uuid.uuid4().hex[:12]}"
    made: list[SendBudget] = []

    def make() -> SendBudget:
        budget = SendBudget(LIMITS, RedisStore.from_url(REDIS_URL, bot_id))
        made.append(budget)
        return budget

    yield make
    if made:
        store = made[0].store
        assert isinstance(store, RedisStore)
        await store.reset()
    for budget in made:
        await budget.close()


async def _timed(budget: SendBudget, chat: int, priority: Priority, order: float) -> float:
    await budget.acquire(chat, priority, order=order)
    return time.monotonic()


async def test_two_budgets_on_redis_share_one_limit(redis_budget: MakeBudget) -> None:
    first, second = redis_budget(), redis_budget()
    started = time.monotonic()
    times = await _bounded(
        asyncio.gather(
            *(_timed(first, 1_000 + n, Priority.REMINDER, n) for n in range(100)),
            *(_timed(second, 2_000 + n, Priority.REMINDER, n) for n in range(100)),
        )
    )
    elapsed = max(times) - started
    # 200 at 100/s together: about 2 s (each alone would have taken 1 s).
    assert 1.9 <= elapsed <= 3.0
    ordered = sorted(times)
    assert all(b - a >= 0.99 for a, b in zip(ordered, ordered[110:], strict=False))


async def test_people_first_across_processes(redis_budget: MakeBudget) -> None:
    dispatcher, chat_side = redis_budget(), redis_budget()
    bulk = [
        asyncio.create_task(_timed(dispatcher, 1_000 + n, Priority.REMINDER, n)) for n in range(250)
    ]
    await asyncio.sleep(0.5)
    asked = time.monotonic()
    replies = await _bounded(
        asyncio.gather(*(_timed(chat_side, n, Priority.PERSON, 0) for n in (1, 2, 3)))
    )
    answered = max(replies) - asked
    await _bounded(asyncio.gather(*bulk))
    assert answered < 0.1  # not behind the 200 reminders still queued (2 s of budget)
    assert max(await _bounded(asyncio.gather(*bulk))) - asked > 1.5


async def test_one_chat_is_paced_across_processes(redis_budget: MakeBudget) -> None:
    first, second = redis_budget(), redis_budget()
    times = sorted(
        await _bounded(
            asyncio.gather(
                *(
                    _timed(budget, 42, Priority.PERSON, 0)
                    for budget in (first, second, first, second)
                )
            )
        )
    )
    # Two at once (the chat's burst), then one a second, whichever process sends.
    assert times[2] - times[0] >= 0.95
    assert times[3] - times[2] >= 0.95


async def test_a_429_in_one_process_pauses_the_chat_in_the_other(
    redis_budget: MakeBudget,
) -> None:
    first, second = redis_budget(), redis_budget()
    await first.flooded(7, 1.5, Priority.REMINDER)
    asked = time.monotonic()
    other_chat = await _timed(second, 8, Priority.PERSON, 0)
    paused_chat = await _timed(second, 7, Priority.PERSON, 0)
    assert other_chat - asked < 0.1
    assert paused_chat - asked >= 1.4


_WORKER = """
import asyncio, json, sys, time
from bot.net.budget import BudgetLimits, LaneLimits, Priority, SendBudget
from bot.net.budget_redis import RedisStore

async def watchdog():
    # A stuck worker says where it is stuck (its tasks' stacks) before the test gives up on it.
    await asyncio.sleep(30)
    for task in asyncio.all_tasks():
        task.print_stack(file=sys.stderr)
    sys.stderr.flush()

async def main(url, bot_id, count):
    asyncio.get_running_loop().create_task(watchdog())
    limits = BudgetLimits(free=LaneLimits(100.0, person_burst=8, reminder_burst=2))
    budget = SendBudget(limits, RedisStore.from_url(url, bot_id))
    print("ready", flush=True)
    sys.stdin.readline()
    times = []
    async def one(n):
        await budget.acquire(3_000 + n, Priority.REMINDER, order=n)
        times.append(time.time())
    await asyncio.gather(*(one(n) for n in range(count)))
    await budget.close()
    print(json.dumps(times), flush=True)

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


async def test_two_real_processes_share_one_budget(redis_budget: MakeBudget) -> None:
    here = redis_budget()
    store = here.store
    assert isinstance(store, RedisStore)
    bot_id = store.bot_id
    worker = subprocess.Popen(  # noqa: ASYNC220 (it waits on stdin; we read it in a thread)
        [sys.executable, "-c", _WORKER, REDIS_URL, bot_id, "150"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        assert worker.stdout.readline().strip() == "ready"
        worker.stdin.write("go\n")
        worker.stdin.flush()

        async def one(n: int) -> float:
            await here.acquire(4_000 + n, Priority.REMINDER, order=n)
            return time.time()

        # Bounded: a stuck worker or store fails the test instead of hanging the suite.
        ours = await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(150))), 60)
        theirs = json.loads(await asyncio.wait_for(asyncio.to_thread(worker.stdout.readline), 60))
    finally:
        worker.kill()
        worker.wait()
    everything = sorted([*ours, *theirs])
    assert len(everything) == 300
    # 300 at 100/s between the two processes: about 3 s, never two budgets' worth.
    assert everything[-1] - everything[0] >= 2.8
    assert all(b - a >= 0.99 for a, b in zip(everything, everything[110:], strict=False))
