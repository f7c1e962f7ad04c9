"""Pacing outgoing messages under Telegram's flood limits: a global budget and one per chat.

PTB's `AIORateLimiter` is a minimal reference (DESIGN.md, "Pitfalls"): it does not hold a
private chat to about one message per second, and a 429 pauses everything forever-ish. Here:

* a global budget (default 30 messages/s, evenly spaced) shared by all sends of this process;
* a per-chat budget (default 1/s after a burst of 3), so a chatty session never floods a person;
* waiting for one chat's budget never delays other chats: a send takes its chat's turn first and
  only then a global turn, so nobody holds a global turn while waiting for their chat;
* memory stays bounded: a chat's state is dropped once its budget has fully refilled, which is
  lossless (a fresh bucket behaves exactly like a full one);
* `pause_all` / `pause_chat` honour a 429's `retry_after`; a pause moves waiting senders behind
  it and resumes at the steady rate, with no burst straight after the pause.

Budgets use the generic cell rate algorithm ("virtual scheduling"): each budget keeps the
theoretical time of its next free turn, so a reservation is O(1) and needs no background task.
The clock and sleep are injectable so tests run in virtual time.
"""

from __future__ import annotations

import asyncio
import math
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram.error import RetryAfter

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
ChatId = int | str


def seconds(value: float | timedelta) -> float:
    """Seconds from a number or a timedelta (PTB returns either, see `PTB_TIMEDELTA`)."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait, whatever type this PTB version hands out."""
    with warnings.catch_warnings():
        # PTB 22 warns that `retry_after` will become a timedelta; we accept both already.
        warnings.simplefilter("ignore")
        return seconds(error.retry_after)


class _Budget:
    """One token bucket as virtual scheduling: `rate` turns/s, up to `burst` at once."""

    __slots__ = ("_interval", "_tolerance", "next_free", "paused_until")

    def __init__(self, rate: float, burst: int) -> None:
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self.next_free = -math.inf  # theoretical time of the next turn at the steady rate
        self.paused_until = -math.inf

    def earliest(self, now: float) -> float:
        """The first moment a turn may be taken (now, or later when spent or paused)."""
        return max(now, self.next_free - self._tolerance, self.paused_until)

    def take(self, at: float) -> None:
        """Record a turn taken at `at` (which must be >= `earliest`)."""
        self.next_free = max(self.next_free, at) + self._interval

    def reserve(self, now: float) -> float:
        """Book the earliest free turn (possibly in the future) and return its time."""
        start = self.earliest(now)
        self.take(start)
        return start

    def pause(self, until: float) -> None:
        """No turns before `until`; then resume behind all booked turns, without a burst."""
        if until > self.paused_until:
            self.paused_until = until
            self.next_free = max(self.next_free, until) + self._tolerance

    def is_full(self, now: float) -> bool:
        """True when this budget is indistinguishable from a fresh one."""
        return self.next_free <= now and self.paused_until <= now


class _ChatState:
    """A chat's budget, a lock that keeps its sends in order, and how many are using it."""

    __slots__ = ("budget", "lock", "users")

    def __init__(self, rate: float, burst: int) -> None:
        self.budget = _Budget(rate, burst)
        self.lock = asyncio.Lock()
        self.users = 0


class RateLimiter:
    """Waits until a message to a chat may be sent; see the module docstring for the rules.

    Use `await limiter.acquire(chat_id)` right before each send, or `async with
    limiter.slot(chat_id):` around it to also pause everything when the send raises
    `RetryAfter`. One limiter per process, created inside the event loop that uses it.
    """

    def __init__(
        self,
        *,
        global_rate: float = 30.0,
        global_burst: int = 1,
        chat_rate: float = 1.0,
        chat_burst: int = 3,
        max_idle_chats: int = 1024,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if global_rate <= 0 or chat_rate <= 0:
            raise ValueError("rates must be positive (messages per second)")
        if global_burst < 1 or chat_burst < 1:
            raise ValueError("bursts must be at least 1")
        if max_idle_chats < 1:
            raise ValueError("max_idle_chats must be at least 1")
        self._global = _Budget(global_rate, global_burst)
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._chats: dict[ChatId, _ChatState] = {}
        self._max_idle_chats = max_idle_chats
        self._sweep_at = max_idle_chats
        self._clock = clock
        self._sleep = sleep

    @property
    def tracked_chats(self) -> int:
        """How many chats currently hold state (for tests and metrics)."""
        return len(self._chats)

    async def acquire(self, chat_id: ChatId) -> None:
        """Return when a message to `chat_id` may be sent now, and count it as sent."""
        state = self._chat_state(chat_id)
        state.users += 1
        try:
            async with state.lock:  # same-chat sends go one by one; other chats are not involved
                while True:
                    # Re-read after each wake: a pause_chat may have moved the chat's turn.
                    while (turn := state.budget.earliest(self._clock())) > self._clock():
                        await self._sleep_until(turn)
                    await self._global_turn()
                    now = self._clock()
                    if state.budget.paused_until <= now:  # no pause_chat arrived meanwhile
                        state.budget.take(now)
                        return
        finally:
            state.users -= 1

    @asynccontextmanager
    async def slot(self, chat_id: ChatId) -> AsyncIterator[None]:
        """`acquire`, then run the body; a `RetryAfter` from the body pauses all sends.

        Telegram's 429 during bulk sending is about the bot as a whole, so everyone waits;
        the error still propagates so the caller can retry or put the message back.
        """
        await self.acquire(chat_id)
        try:
            yield
        except RetryAfter as error:
            self.pause_all(retry_after_seconds(error))
            raise

    def pause_all(self, duration: float | timedelta) -> None:
        """Send nothing to anyone for `duration` (a 429's retry_after), then resume evenly."""
        self._global.pause(self._clock() + seconds(duration))

    def pause_chat(self, chat_id: ChatId, duration: float | timedelta) -> None:
        """Send nothing to this chat for `duration`; other chats carry on."""
        self._chat_state(chat_id).budget.pause(self._clock() + seconds(duration))

    def forget_idle(self) -> int:
        """Drop the state of chats whose budget is full and that nobody waits on; say how many.

        Dropping is lossless: a recreated chat starts full, exactly as the dropped one was.
        """
        now = self._clock()
        idle = [
            chat_id
            for chat_id, state in self._chats.items()
            if state.users == 0 and state.budget.is_full(now)
        ]
        for chat_id in idle:
            del self._chats[chat_id]
        return len(idle)

    def _chat_state(self, chat_id: ChatId) -> _ChatState:
        state = self._chats.get(chat_id)
        if state is None:
            if len(self._chats) >= self._sweep_at:
                # Amortised O(1): sweep only after the table has doubled since the last sweep.
                self.forget_idle()
                self._sweep_at = max(self._max_idle_chats, 2 * len(self._chats))
            state = self._chats[chat_id] = _ChatState(self._chat_rate, self._chat_burst)
        return state

    async def _global_turn(self) -> None:
        """Book the next global turn and wait for it; book again if a pause swallowed it."""
        while True:
            start = self._global.reserve(self._clock())
            await self._sleep_until(start)
            if start >= self._global.paused_until:
                return

    async def _sleep_until(self, moment: float) -> None:
        """Sleep until the clock reads `moment` (a sleep may end a hair early)."""
        while (delay := moment - self._clock()) > 0:
            await self._sleep(delay)
