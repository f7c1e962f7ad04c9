"""The send budget, run in virtual time: minutes of sending take milliseconds.

`VirtualTimeLoop` is an ordinary asyncio loop whose clock only moves when every task is
waiting: instead of blocking in `select`, it jumps the clock to the next timer. The budget
gets that loop's clock and real asyncio timers, so nothing about it is mocked.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import selectors
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from telegram.error import RetryAfter

from bot.net.budget import (
    BudgetLimits,
    Lane,
    LaneLimits,
    LocalStore,
    Priority,
    SendBudget,
    retry_after_seconds,
    seconds,
)

T = TypeVar("T")
Sent = list[tuple[float, int, str]]


class _VirtualSelector(selectors.DefaultSelector):
    """Never blocks: when nothing is ready it advances virtual time by the requested timeout."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:
            raise RuntimeError("deadlock: every task waits and no timer is set")
        self.now += timeout
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._virtual = _VirtualSelector()
        super().__init__(self._virtual)

    def time(self) -> float:
        return self._virtual.now


def run_virtual(main: Coroutine[Any, Any, T]) -> T:
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(main)
    finally:
        loop.close()


def budget(limits: BudgetLimits | None = None, store: LocalStore | None = None) -> SendBudget:
    clock = asyncio.get_running_loop().time
    return SendBudget(limits, store or LocalStore(clock=clock), clock=clock)


async def send(
    budget: SendBudget,
    sent: Sent,
    chat: int,
    priority: Priority = Priority.REMINDER,
    *,
    order: float = 0.0,
    lane: Lane = Lane.FREE,
    tag: str = "",
) -> None:
    await budget.acquire(chat, priority, order=order, lane=lane)
    sent.append((asyncio.get_running_loop().time(), chat, tag or priority.name))


def max_in_window(times: list[float], window: float) -> int:
    """Most sends within any half-open window of `window` seconds."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window - 1e-9:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_virtual_loop_really_is_virtual() -> None:
    async def main() -> float:
        await asyncio.sleep(3600)
        return asyncio.get_running_loop().time()

    assert run_virtual(main()) == pytest.approx(3600)


@pytest.mark.parametrize("priority", list(Priority))
def test_600_chats_at_30_per_second_take_20_seconds(priority: Priority) -> None:
    async def main() -> Sent:
        sent: Sent = []
        shared = budget()
        await asyncio.gather(*(send(shared, sent, chat, priority) for chat in range(600)))
        return sent

    times = [moment for moment, _, _ in run_virtual(main())]
    assert len(times) == 600
    assert 19.0 <= max(times) - min(times) <= 21.0  # 20 s ± 5 %
    burst = BudgetLimits().free.person_burst if priority is Priority.PERSON else 2
    # Telegram (and the stand-in) accept 30 at once and 30/s: we stay well inside.
    assert max_in_window(times, 1.0) <= 30 + burst - 1


def test_single_chat_gets_its_burst_then_one_per_second() -> None:
    async def main() -> Sent:
        sent: Sent = []
        shared = budget()
        for _ in range(10):
            await send(shared, sent, 7, Priority.PERSON)
        return sent

    times = [moment for moment, _, _ in run_virtual(main())]
    assert times[1] < 0.1  # two at once (Telegram tolerates three)
    gaps = [b - a for a, b in itertools.pairwise(times[1:])]
    assert all(gap >= 1.0 - 1e-9 for gap in gaps)
    assert max_in_window(times, 1.0) <= 2
    assert times[-1] == pytest.approx(8.0, abs=0.05)


def test_a_busy_chat_does_not_delay_other_chats() -> None:
    async def main() -> Sent:
        sent: Sent = []
        shared = budget()
        busy = [send(shared, sent, 1) for _ in range(20)]
        await asyncio.gather(*busy, *(send(shared, sent, chat) for chat in (2, 3, 4)))
        return sent

    sent = run_virtual(main())
    others = [moment for moment, chat, _ in sent if chat != 1]
    assert len(others) == 3
    assert max(others) < 0.5
    assert max(moment for moment, chat, _ in sent if chat == 1) >= 18.0


def test_people_go_before_every_queued_reminder() -> None:
    async def main() -> tuple[Sent, float]:
        sent: Sent = []
        shared = budget()
        reminders = [
            asyncio.create_task(send(shared, sent, 10_000 + n, order=float(n))) for n in range(300)
        ]
        await asyncio.sleep(2.0)  # 300 reminders need 10 s: most are still queued
        asked = asyncio.get_running_loop().time()
        people = [send(shared, sent, chat, Priority.PERSON) for chat in range(1, 11)]
        await asyncio.gather(*people, *reminders)
        return sent, asked

    sent, asked = run_virtual(main())
    people = [moment for moment, _, tag in sent if tag == "PERSON"]
    assert len(people) == 10
    # Ten replies at once: served within people's burst and the steady rate, not after 8 s.
    assert max(people) - asked <= 10 / 30
    reminders = [chat for _, chat, tag in sent if tag == "REMINDER"]
    assert reminders == sorted(reminders)  # in due order
    assert len(reminders) == 300


def test_reminders_go_in_due_order_whatever_order_they_came_in() -> None:
    async def main() -> Sent:
        sent: Sent = []
        shared = budget()
        dues = list(range(200))
        random.Random(3).shuffle(dues)
        await asyncio.gather(*(send(shared, sent, 5_000 + due, order=due) for due in dues))
        return sent

    sent = run_virtual(main())
    chats = [chat for _, chat, _ in sent]
    # The first few are granted as they arrive (nobody queued yet); from then on, due order.
    assert chats[5:] == sorted(chats[5:])


def test_a_429_pauses_only_that_chat() -> None:
    async def main() -> tuple[Sent, float]:
        sent: Sent = []
        shared = budget()
        await shared.flooded(1, timedelta(seconds=10), Priority.PERSON)
        start = asyncio.get_running_loop().time()
        await asyncio.gather(*(send(shared, sent, chat) for chat in (1, 2, 3, 1)))
        assert shared.stats.floods == {"person": 1}
        assert shared.stats.global_pauses == 0
        return sent, start

    sent, start = run_virtual(main())
    first_chat = [moment for moment, chat, _ in sent if chat == 1]
    others = [moment for moment, chat, _ in sent if chat != 1]
    assert min(first_chat) >= start + 10.0
    assert max(first_chat) - min(first_chat) >= 1.0  # no burst straight after the pause
    assert max(others) < start + 0.5


def test_many_chats_refused_at_once_pause_everyone_then_resume_evenly() -> None:
    async def main() -> tuple[Sent, float, int]:
        sent: Sent = []
        shared = budget(BudgetLimits(free=LaneLimits(10, person_burst=10, reminder_burst=10)))
        for chat in (1, 2, 3):
            await shared.flooded(chat, 4, Priority.REMINDER)
        paused_at = asyncio.get_running_loop().time()
        await asyncio.gather(*(send(shared, sent, chat) for chat in range(100, 130)))
        return sent, paused_at, shared.stats.global_pauses

    sent, paused_at, pauses = run_virtual(main())
    times = sorted(moment for moment, _, _ in sent)
    assert pauses == 1
    assert times[0] >= paused_at + 4.0
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.1 - 1e-9  # steady 10/s, although the budget allows bursts of 10


def test_a_pause_during_the_wait_moves_the_waiting_send() -> None:
    async def main() -> float:
        shared = budget(BudgetLimits(chat_burst=1))
        clock = asyncio.get_running_loop().time
        await shared.acquire(1)  # spends the chat's only turn
        waiter = asyncio.create_task(shared.acquire(1))  # due at t=1
        await asyncio.sleep(0.5)
        await shared.flooded(1, 5.0)  # until t=5.5
        await waiter
        return clock()

    assert run_virtual(main()) >= 5.5


def test_two_budgets_on_one_store_keep_one_limit_and_people_first() -> None:
    """Two processes of one bot (here two budgets on one store; Redis in production)."""

    async def main() -> tuple[Sent, float]:
        sent: Sent = []
        store = LocalStore(clock=asyncio.get_running_loop().time)
        dispatcher, chat_side = budget(store=store), budget(store=store)
        bulk = [
            asyncio.create_task(send(dispatcher, sent, 10_000 + n, order=n, tag="a"))
            for n in range(150)
        ] + [
            asyncio.create_task(send(chat_side, sent, 20_000 + n, order=n, tag="b"))
            for n in range(150)
        ]
        await asyncio.sleep(3.0)
        asked = asyncio.get_running_loop().time()
        await send(chat_side, sent, 1, Priority.PERSON, tag="person")
        await asyncio.gather(*bulk)
        return sent, asked

    sent, asked = run_virtual(main())
    times = [moment for moment, _, _ in sent]
    assert 9.5 <= max(times) - min(times) <= 10.5  # 300 at 30/s overall, not 60/s
    assert max_in_window(times, 1.0) <= 31
    (person,) = [moment for moment, _, tag in sent if tag == "person"]
    assert person - asked < 0.05  # the other process's reminders do not hold it up


def test_paid_broadcast_reminders_go_at_1000_per_second_and_people_keep_their_lane() -> None:
    async def main() -> tuple[Sent, float]:
        sent: Sent = []
        shared = budget(BudgetLimits.telegram(paid_broadcast=True))
        lane = shared.reminder_lane
        bulk = [
            asyncio.create_task(send(shared, sent, 10_000 + n, order=n, lane=lane))
            for n in range(5000)
        ]
        await asyncio.sleep(1.0)
        asked = asyncio.get_running_loop().time()
        await asyncio.gather(*(send(shared, sent, n, Priority.PERSON) for n in range(1, 6)))
        await asyncio.gather(*bulk)
        return sent, asked

    sent, asked = run_virtual(main())
    assert asked == pytest.approx(1.0)
    bulk = [moment for moment, _, tag in sent if tag == "REMINDER"]
    assert 4.8 <= max(bulk) - min(bulk) <= 5.2
    assert max_in_window(bulk, 1.0) <= 1050
    people = [moment for moment, _, tag in sent if tag == "PERSON"]
    assert max(people) - asked < 0.05


def test_paid_lane_is_refused_when_paid_broadcasts_are_off() -> None:
    async def main() -> None:
        with pytest.raises(ValueError, match="paid"):
            await budget().acquire(1, Priority.REMINDER, lane=Lane.PAID)

    run_virtual(main())


def test_waiting_is_counted_per_priority() -> None:
    async def main() -> SendBudget:
        shared = budget()
        await asyncio.gather(*(shared.acquire(chat, Priority.REMINDER) for chat in range(60)))
        assert shared.queue_depth == 0
        return shared

    shared = run_virtual(main())
    assert shared.stats.granted == {"reminder": 60}
    # 60 at 30/s: on average a reminder waited about a second.
    assert 50 <= shared.stats.waited_seconds["reminder"] <= 70


def test_idle_chats_are_forgotten() -> None:
    async def main() -> tuple[int, int, int]:
        store = LocalStore(clock=asyncio.get_running_loop().time, max_idle_chats=64)
        shared = budget(BudgetLimits(free=LaneLimits(100, 1, 1)), store)
        await asyncio.gather(*(shared.acquire(chat) for chat in range(5000)))
        busy = store.tracked_chats  # the last seconds' chats still have spent budgets
        await asyncio.sleep(10)
        dropped = store.forget_idle()
        return busy, dropped, store.tracked_chats

    busy, dropped, left = run_virtual(main())
    assert 0 < busy <= 2 * 5000
    assert dropped == busy
    assert left == 0


def test_memory_stays_bounded_when_sends_trickle_in() -> None:
    async def main() -> int:
        store = LocalStore(clock=asyncio.get_running_loop().time, max_idle_chats=64)
        shared = budget(store=store)
        most = 0
        for chat in range(3000):
            await shared.acquire(chat)
            most = max(most, store.tracked_chats)
        return most

    assert run_virtual(main()) <= 128


def test_cancelled_waiters_give_their_turn_away() -> None:
    async def main() -> Sent:
        sent: Sent = []
        shared = budget()
        doomed = [asyncio.create_task(send(shared, sent, 100 + n)) for n in range(30)]
        await asyncio.sleep(0.1)
        for task in doomed:
            task.cancel()
        await asyncio.gather(*doomed, return_exceptions=True)
        await asyncio.gather(*(send(shared, sent, chat, tag="kept") for chat in range(5)))
        return sent

    sent = run_virtual(main())
    kept = [moment for moment, _, tag in sent if tag == "kept"]
    assert len(kept) == 5
    assert max(kept) < 0.5


def test_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        LaneLimits(0, 1, 1)
    with pytest.raises(ValueError):
        LaneLimits(30, person_burst=1, reminder_burst=2)
    with pytest.raises(ValueError):
        BudgetLimits(chat_burst=0)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_seconds_accepts_both_ptb_shapes() -> None:
    assert seconds(3) == 3.0
    assert seconds(timedelta(milliseconds=1500)) == 1.5
    assert retry_after_seconds(RetryAfter(7)) == 7.0
    assert retry_after_seconds(RetryAfter(timedelta(seconds=2))) == 2.0


def test_a_failing_store_fails_the_waiting_sends_instead_of_hanging_them() -> None:
    """Once the shared store (Redis) errors, every queued send raises; none waits forever."""

    class Failing(LocalStore):
        def __init__(self, clock: Callable[[], float]) -> None:
            super().__init__(clock=clock)
            self.broken = False

        async def try_take(
            self, chat_id: int | None, priority: Priority, lane: Lane, limits: BudgetLimits
        ) -> Any:
            if self.broken:
                raise ConnectionError("store is down")
            return await super().try_take(chat_id, priority, lane, limits)

    async def main() -> list[object]:
        store = Failing(asyncio.get_running_loop().time)
        shared = budget(store=store)
        sent: Sent = []
        tasks = [asyncio.create_task(send(shared, sent, 500 + n)) for n in range(60)]
        await asyncio.sleep(0.5)
        store.broken = True
        return await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)

    results = run_virtual(main())
    failed = [r for r in results if isinstance(r, ConnectionError)]
    assert failed, "the sends queued behind a broken store raise"
    assert all(r is None or isinstance(r, ConnectionError) for r in results)


def test_queue_depth_is_its_own_gauge_in_the_metrics_registry() -> None:
    from bot import metrics

    async def main() -> tuple[float, float, float]:
        sent: Sent = []
        shared = budget()
        assert metrics.sample("stretchbot_send_budget_queue_depth") == 0
        sends = [asyncio.create_task(send(shared, sent, chat)) for chat in range(90)]
        await asyncio.sleep(1.0)  # about 30 out, the rest still waiting
        during = metrics.sample("stretchbot_send_budget_queue_depth")
        scraped = await metrics.render()
        await asyncio.gather(*sends)
        after = metrics.sample("stretchbot_send_budget_queue_depth")
        line = next(
            row
            for row in scraped.decode().splitlines()
            if row.startswith("stretchbot_send_budget_queue_depth ")
        )
        await shared.close()
        assert len(sent) == 90
        return during, float(line.split()[1]), after

    during, exported, after = run_virtual(main())
    assert 40 <= during <= 65  # 90 waiting, ~30 a second granted
    assert exported == during  # what /metrics serves is the same figure
    assert after == 0


class _RoundTripStore(LocalStore):
    """A store whose answers take a network round trip, as Redis's do: others act meanwhile."""

    def __init__(self, clock: Callable[[], float], delays: list[float]) -> None:
        super().__init__(clock=clock)
        self._delays = delays  # the first questions' round trips; then `delays[-1]` each

    async def try_take(
        self, chat_id: int | None, priority: Priority, lane: Lane, limits: BudgetLimits
    ) -> Any:
        delay = self._delays.pop(0) if len(self._delays) > 1 else self._delays[0]
        verdict = self.take_now(chat_id, priority, lane, limits)
        await asyncio.sleep(delay)  # the answer travels back while others act
        return verdict


def test_a_send_queued_while_the_store_answers_someone_else_is_never_lost() -> None:
    """The first send asks the store directly; its slow answer (no turn) comes back while the
    queue is being served, and it queues ahead of the send the pump is asking about. It once
    vanished from the queue there and waited forever (seen across two processes on Redis)."""

    async def main() -> Sent:
        clock = asyncio.get_running_loop().time
        store = _RoundTripStore(clock, delays=[0.05, 0.02])
        shared = SendBudget(BudgetLimits(free=LaneLimits(100, 1, 1)), store, clock=clock)
        store.take_now(None, Priority.REMINDER, Lane.FREE, shared.limits)  # the turn is spent
        sent: Sent = []
        first = asyncio.create_task(send(shared, sent, 1, order=0))
        await asyncio.sleep(0)  # it is asking the store now
        rest = [asyncio.create_task(send(shared, sent, 100 + n, order=1 + n)) for n in range(20)]
        await asyncio.wait_for(asyncio.gather(first, *rest), 30)
        return sent

    sent = run_virtual(main())
    assert sorted(chat for _, chat, _ in sent) == [1, *range(100, 120)]
    assert len(sent) == 21


def test_every_queued_send_is_granted_once_whatever_the_store_round_trips() -> None:
    """Many senders, people and reminders, on a store with uneven round trips: each one gets
    exactly one turn, and none is left waiting."""

    async def main() -> Sent:
        clock = asyncio.get_running_loop().time
        store = _RoundTripStore(clock, delays=[0.03, 0.0, 0.02, 0.001, 0.04, 0.002])
        shared = SendBudget(BudgetLimits(free=LaneLimits(100, 4, 1)), store, clock=clock)
        sent: Sent = []
        tasks = []
        for n in range(120):
            priority = Priority.PERSON if n % 7 == 0 else Priority.REMINDER
            tasks.append(asyncio.create_task(send(shared, sent, n, priority, order=120 - n)))
            if n % 10 == 0:
                await asyncio.sleep(0.003)
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
        assert shared.queue_depth == 0
        return sent

    sent = run_virtual(main())
    assert sorted(chat for _, chat, _ in sent) == list(range(120))


def test_a_countdown_tick_takes_only_an_idle_chat_and_leaves_the_person_their_reply() -> None:
    async def main() -> tuple[list[bool], Sent]:
        sent: Sent = []
        shared = budget()
        took = [await shared.try_acquire(7)]  # idle chat: the tick goes
        took.append(await shared.try_acquire(7))  # a second one at once: skipped, never queued
        await send(shared, sent, 7, Priority.PERSON)  # the person's reply still goes at once
        took.append(await shared.try_acquire(7))  # the chat is busy now: the tick gives way
        await asyncio.sleep(1.0)
        took.append(await shared.try_acquire(7))  # not yet idle: one turn is still owed back
        await asyncio.sleep(1.0)
        took.append(await shared.try_acquire(7))
        return took, sent

    took, sent = run_virtual(main())
    assert took == [True, False, False, False, True]
    assert [moment for moment, _, _ in sent] == [0.0]


def test_a_countdown_tick_never_jumps_or_joins_the_queue() -> None:
    async def main() -> tuple[bool, bool, int, dict[str, int]]:
        sent: Sent = []
        shared = budget()
        waiting = [asyncio.create_task(send(shared, sent, chat)) for chat in range(40)]
        await asyncio.sleep(0)
        behind = await shared.try_acquire(1000)  # reminders wait: the tick is skipped
        depth = shared.queue_depth
        await asyncio.gather(*waiting)
        await asyncio.sleep(1.0)
        return behind, await shared.try_acquire(1000), depth, shared.stats.granted

    behind, later, depth, granted = run_virtual(main())
    assert (behind, later) == (False, True)
    assert depth > 0
    assert granted == {"reminder": 40, "tick": 1}


def test_on_queue_runs_once_and_only_when_the_store_says_wait() -> None:
    """A tap is answered early only when its edit really waits: not when a turn is free."""

    async def main() -> tuple[list[tuple[str, float]], Sent]:
        calls: list[tuple[str, float]] = []
        sent: Sent = []
        shared = budget()
        clock = asyncio.get_running_loop().time

        def note(name: str) -> Callable[[], Coroutine[Any, Any, None]]:
            async def on_queue() -> None:
                calls.append((name, clock()))

            return on_queue

        # The chat's burst of two is free: granted at once, no call.
        for tag in ("first", "second"):
            await shared.acquire(5, Priority.PERSON, on_queue=note(tag))
            sent.append((clock(), 5, tag))
        # The third waits a second for its chat: called at once, once.
        await shared.acquire(5, Priority.PERSON, on_queue=note("third"))
        sent.append((clock(), 5, "third"))
        return calls, sent

    calls, sent = run_virtual(main())
    assert [name for name, _ in calls] == ["third"]
    assert calls[0][1] == pytest.approx(0.0, abs=0.01)  # before the wait, not after it
    assert sent[-1][0] == pytest.approx(1.0, abs=0.05)


def test_on_queue_is_not_called_for_a_send_granted_at_its_first_turn_behind_others() -> None:
    async def main() -> list[str]:
        calls: list[str] = []
        shared = budget()

        def note(name: str) -> Callable[[], Coroutine[Any, Any, None]]:
            async def on_queue() -> None:
                calls.append(name)

            return on_queue

        # Reminders fill the queue; a person's send queues behind them but, people first and
        # with a larger burst, is granted at the pump's first ask: no early answer.
        reminders = [
            asyncio.create_task(shared.acquire(100 + n, Priority.REMINDER)) for n in range(60)
        ]
        await asyncio.sleep(0.5)
        await shared.acquire(7, Priority.PERSON, on_queue=note("person"))
        # A person whose own chat is spent waits behind nobody but its chat: called.
        for _ in range(2):
            await shared.acquire(8, Priority.PERSON)
        await shared.acquire(8, Priority.PERSON, on_queue=note("busy chat"))
        await asyncio.gather(*reminders)
        return calls

    assert run_virtual(main()) == ["busy chat"]


def test_a_failing_on_queue_does_not_fail_the_send() -> None:
    async def main() -> float:
        shared = budget()

        async def broken() -> None:
            raise RuntimeError("the answer could not be sent")

        for _ in range(2):
            await shared.acquire(9, Priority.PERSON)
        await shared.acquire(9, Priority.PERSON, on_queue=broken)
        return asyncio.get_running_loop().time()

    assert run_virtual(main()) == pytest.approx(1.0, abs=0.05)


def test_on_queue_is_not_called_for_a_wait_nobody_would_notice() -> None:
    """At 100 a second per chat the third quick send waits 10 ms: not worth an early answer."""

    async def main() -> tuple[list[str], float]:
        calls: list[str] = []
        shared = budget(BudgetLimits(chat_rate=100.0))

        async def on_queue() -> None:
            calls.append("called")

        for _ in range(3):
            await shared.acquire(4, Priority.PERSON, on_queue=on_queue)
        return calls, asyncio.get_running_loop().time()

    calls, now = run_virtual(main())
    assert calls == [] and now == pytest.approx(0.01, abs=0.005)


def test_a_person_waiting_out_a_paused_free_lane_does_not_hold_up_paid_reminders() -> None:
    """Head-of-line: the person at the head of the queue waits for the free lane (paused after
    a 429 for everyone); reminders on the paid lane have nothing to wait for and go at once.
    The old pump waited for the head's lane before asking about anyone behind it."""

    async def main() -> tuple[Sent, SendBudget]:
        sent: Sent = []
        shared = budget(BudgetLimits.telegram(paid_broadcast=True))
        await shared.store.pause_lane(Lane.FREE, 10.0, shared.limits)
        person = asyncio.create_task(send(shared, sent, 1, Priority.PERSON))
        await asyncio.sleep(0)  # the person queues first and is the head
        bulk = [
            asyncio.create_task(send(shared, sent, 10_000 + n, order=n, lane=Lane.PAID))
            for n in range(100)
        ]
        await asyncio.sleep(0.5)
        assert shared.queue_depth == 1  # only the person still waits, counted once
        await asyncio.gather(person, *bulk)
        return sent, shared

    sent, shared = run_virtual(main())
    bulk = [moment for moment, _, tag in sent if tag == "REMINDER"]
    assert len(bulk) == 100
    assert max(bulk) < 0.5
    (person,) = [moment for moment, _, tag in sent if tag == "PERSON"]
    assert 10.0 <= person < 10.5
    assert shared.queue_depth == 0
