"""The send limiter, run in virtual time: minutes of sending take milliseconds.

`VirtualTimeLoop` is an ordinary asyncio loop whose clock only moves when every task is
waiting: instead of blocking in `select`, it jumps the clock to the next timer. The limiter
gets that loop's clock and the real `asyncio.sleep`, so nothing about it is mocked.
"""

from __future__ import annotations

import asyncio
import itertools
import selectors
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from telegram.error import RetryAfter

from bot.net.ratelimit import RateLimiter, retry_after_seconds, seconds

T = TypeVar("T")


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


def run_virtual(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()


def limiter(**options: Any) -> RateLimiter:
    """A limiter on the running (virtual) loop's clock."""
    return RateLimiter(clock=asyncio.get_running_loop().time, **options)


async def send_all(
    rate_limiter: RateLimiter,
    chats: list[int],
    send: Callable[[int], Awaitable[None]] | None = None,
) -> list[tuple[float, int]]:
    """Start one task per message at once; return (time sent, chat) in sending order."""
    clock = asyncio.get_running_loop().time
    sent: list[tuple[float, int]] = []

    async def one(chat: int) -> None:
        await rate_limiter.acquire(chat)
        sent.append((clock(), chat))
        if send is not None:
            await send(chat)

    await asyncio.gather(*(one(chat) for chat in chats))
    return sent


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

    assert run_virtual(main) == pytest.approx(3600)


def test_600_chats_at_30_per_second_take_20_seconds() -> None:
    async def main() -> list[tuple[float, int]]:
        return await send_all(limiter(global_rate=30), list(range(600)))

    sent = run_virtual(main)
    times = [moment for moment, _ in sent]
    assert len(sent) == 600
    assert 19.0 <= max(times) - min(times) <= 21.0  # 20 s ± 5 %
    assert max_in_window(times, 1.0) <= 30


def test_single_chat_gets_its_burst_then_one_per_second() -> None:
    async def main() -> list[tuple[float, int]]:
        return await send_all(limiter(chat_rate=1.0, chat_burst=3), [7] * 10)

    times = [moment for moment, _ in run_virtual(main)]
    assert times[2] < 0.2  # the burst of three goes out at once (spaced by the global budget)
    assert times[3] >= times[0] + 1.0 - 1e-9  # then the bucket refills at one per second
    after_burst = times[3:]
    gaps = [b - a for a, b in itertools.pairwise(after_burst)]
    assert all(gap >= 1.0 - 1e-9 for gap in gaps)
    assert max_in_window(after_burst, 1.0) <= 1
    assert max_in_window(times, 1.0) <= 3
    assert times[-1] == pytest.approx(7.0, abs=0.1)  # 10 messages: 3 at once, then 7 at 1/s


def test_a_busy_chat_does_not_delay_other_chats() -> None:
    async def main() -> list[tuple[float, int]]:
        return await send_all(limiter(), [1] * 20 + [2, 3, 4])

    sent = run_virtual(main)
    others = [moment for moment, chat in sent if chat != 1]
    assert len(others) == 3
    assert max(others) < 0.5
    assert max(moment for moment, chat in sent if chat == 1) >= 17.0


def test_pause_all_holds_everyone_then_resumes_evenly() -> None:
    async def main() -> tuple[list[tuple[float, int]], float]:
        rate_limiter = limiter(global_rate=10)
        paused_at: list[float] = []

        async def pause_once(chat: int) -> None:
            if chat == 5:
                paused_at.append(asyncio.get_running_loop().time())
                rate_limiter.pause_all(timedelta(seconds=4))

        sent = await send_all(rate_limiter, list(range(30)), pause_once)
        return sent, paused_at[0]

    sent, paused_at = run_virtual(main)
    times = sorted(moment for moment, _ in sent)
    assert not [t for t in times if paused_at < t < paused_at + 4.0]
    resumed = [t for t in times if t >= paused_at + 4.0]
    assert len(resumed) == 24
    assert resumed[0] == pytest.approx(paused_at + 4.0)
    assert max_in_window(resumed, 1.0) <= 10  # no burst after the pause


def test_no_burst_right_after_a_pause() -> None:
    async def main() -> tuple[list[tuple[float, int]], float]:
        rate_limiter = limiter(global_rate=10, global_burst=10)
        clock = asyncio.get_running_loop().time
        paused_at: list[float] = []

        async def pause_once(chat: int) -> None:
            if chat == 25:
                paused_at.append(clock())
                rate_limiter.pause_all(10.0)  # longer than the queue already booked

        sent = await send_all(rate_limiter, list(range(60)), pause_once)
        return sent, paused_at[0]

    sent, paused_at = run_virtual(main)
    resumed = sorted(moment for moment, _ in sent if moment >= paused_at + 10.0)
    assert resumed
    gaps = [b - a for a, b in itertools.pairwise(resumed)]
    assert min(gaps) >= 0.1 - 1e-9  # steady 10/s, although the budget allows bursts of 10


def test_pause_chat_during_the_global_wait_still_counts() -> None:
    async def main() -> float:
        rate_limiter = limiter(global_rate=1)
        clock = asyncio.get_running_loop().time
        ahead = [asyncio.create_task(rate_limiter.acquire(chat)) for chat in range(2, 7)]
        late = asyncio.create_task(rate_limiter.acquire(1))  # its global turn is at t=5
        await asyncio.sleep(0.5)
        rate_limiter.pause_chat(1, 10.0)  # until t=10.5
        await asyncio.gather(*ahead)
        await late
        return clock()

    assert run_virtual(main) >= 10.5


def test_pause_chat_holds_only_that_chat() -> None:
    async def main() -> tuple[list[tuple[float, int]], float]:
        rate_limiter = limiter()
        rate_limiter.pause_chat(1, 10.0)
        start = asyncio.get_running_loop().time()
        return await send_all(rate_limiter, [1, 2, 3, 1]), start

    sent, start = run_virtual(main)
    first_chat = [moment for moment, chat in sent if chat == 1]
    others = [moment for moment, chat in sent if chat != 1]
    assert min(first_chat) >= start + 10.0
    assert max(others) < start + 0.5


def test_pause_chat_while_waiting_moves_the_send() -> None:
    async def main() -> list[float]:
        rate_limiter = limiter(chat_burst=1)
        clock = asyncio.get_running_loop().time
        await rate_limiter.acquire(1)  # spends the chat's only token
        waiter = asyncio.create_task(rate_limiter.acquire(1))  # due at t=1
        await asyncio.sleep(0.5)
        rate_limiter.pause_chat(1, 5.0)  # until t=5.5
        await waiter
        return [clock()]

    (sent_at,) = run_virtual(main)
    assert sent_at >= 5.5


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_slot_pauses_everyone_on_retry_after() -> None:
    async def main() -> tuple[float, float]:
        rate_limiter = limiter()
        clock = asyncio.get_running_loop().time
        with pytest.raises(RetryAfter):
            async with rate_limiter.slot(1):
                raise RetryAfter(3)
        failed_at = clock()
        async with rate_limiter.slot(2):
            return failed_at, clock()

    failed_at, next_send = run_virtual(main)
    assert next_send >= failed_at + 3.0


def test_idle_chats_are_forgotten() -> None:
    async def main() -> tuple[int, int, int]:
        rate_limiter = limiter(global_rate=100, max_idle_chats=64)
        await send_all(rate_limiter, list(range(5000)))
        busy = rate_limiter.tracked_chats  # the last second's chats still have spent budgets
        await asyncio.sleep(10)
        dropped = rate_limiter.forget_idle()
        return busy, dropped, rate_limiter.tracked_chats

    busy, dropped, left = run_virtual(main)
    assert busy > 0
    assert dropped == busy
    assert left == 0


def test_memory_stays_bounded_when_sends_trickle_in() -> None:
    async def main() -> int:
        rate_limiter = limiter(max_idle_chats=64)
        most = 0
        for chat in range(3000):
            await rate_limiter.acquire(chat)
            most = max(most, rate_limiter.tracked_chats)
        return most

    assert run_virtual(main) <= 128


def test_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        RateLimiter(global_rate=0)
    with pytest.raises(ValueError):
        RateLimiter(chat_burst=0)
    with pytest.raises(ValueError):
        RateLimiter(max_idle_chats=0)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_seconds_accepts_both_ptb_shapes() -> None:
    assert seconds(3) == 3.0
    assert seconds(timedelta(milliseconds=1500)) == 1.5
    assert retry_after_seconds(RetryAfter(7)) == 7.0
    assert retry_after_seconds(RetryAfter(timedelta(seconds=2))) == 2.0
