"""One send budget per bot, shaped like Telegram's flood limits, where people come first.

Telegram allows a bot about 30 messages a second overall and about one a second per private
chat (a few quick ones are tolerated). Every message the bot sends draws from this budget: chat
replies and edits (through `bot.net.ptb_limiter`), hold timers' messages, and reminders (the
dispatcher). `answerCallbackQuery` is not a message and is never counted.

* **People first.** A waiting send carries a `Priority`: an answer to something a person just
  did (`PERSON`) is granted before any queued reminder (`REMINDER`), and reminders go in the
  order they were due. In one process a priority queue decides; across processes the shared
  budget gives reminders a smaller tolerance than people (generic cell rate algorithm: a turn
  is granted while the budget's "theoretical arrival time" is at most `burst - 1` intervals
  ahead of now). Reminders running flat out leave `person_burst - reminder_burst` turns
  that only people can take, so another process's burst never starves someone's reply.
* **Per chat**: one a second after a burst of `chat_burst`; waiting for one chat never holds
  up other chats (the send steps aside until its chat is free).
* **Lanes**: the free lane is Telegram's 30/s. With paid broadcasts on, reminders carry
  `allow_paid_broadcast` and draw from a paid lane instead (Telegram allows up to 1,000/s for a
  fee); people stay in the free lane and still go first.
* **429s** pause only what they must: the chat that got it, and everyone only when several
  chats are refused within a second (the bot as a whole is over budget). Each is counted.
* **Shared across processes** when a `BudgetStore` on Redis is used (`bot.net.budget_redis`);
  `LocalStore` keeps the same state in this process (SQLite or no Redis: one process per bot).

Budgets are virtual scheduling, O(1) per turn, no background refill task. The clock is
injectable so tests run in virtual time.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
import warnings
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum, IntEnum
from typing import Protocol

from telegram.error import RetryAfter

from bot import metrics

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
ChatId = int | str

# Several 429s from different chats within this window mean the whole bot is over budget
# (another process sharing the token, say): then everyone pauses, not just those chats.
FLOOD_WINDOW_SECONDS = 1.0
FLOODS_FOR_GLOBAL_PAUSE = 3


def seconds(value: float | timedelta) -> float:
    """Seconds from a number or a timedelta (PTB returns either, see `PTB_TIMEDELTA`)."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait, whatever type this PTB version hands out."""
    with warnings.catch_warnings():
        # PTB 22 warns that `retry_after` will become a timedelta; we accept both already.
        warnings.simplefilter("ignore")
        return seconds(error.retry_after)


class BudgetBusy(Exception):
    """A `Priority.TICK` send found no free turn: it was not sent, and should be skipped."""


class Priority(IntEnum):
    """Who waits: lower values are served first."""

    PERSON = 0  # answers something a person just did (reply, edit, a hold's "Time!")
    REMINDER = 1  # bulk: takes what people leave, in due order
    TICK = 2
    """A redraw nobody waits for (a running hold's countdown): it takes a turn only while the
    chat and the lane are idle, never their burst, and never waits (`SendBudget.try_acquire`:
    skipped when busy), so a person's next reply still goes at once."""


class Lane(Enum):
    """Which overall limit a send counts against."""

    FREE = "free"  # Telegram's ~30 messages/s
    PAID = "paid"  # allow_paid_broadcast: up to 1,000/s, charged per message


@dataclass(frozen=True, slots=True)
class LaneLimits:
    """One overall limit: `rate` turns/s; how many at once people and reminders may take."""

    rate: float
    person_burst: int
    reminder_burst: int

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError("a lane's rate must be positive (messages per second)")
        if not 1 <= self.reminder_burst <= self.person_burst:
            raise ValueError("bursts must be at least 1, and people's at least reminders'")

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    def tolerance(self, priority: Priority) -> float:
        if priority is Priority.TICK:
            return 0.0
        burst = self.person_burst if priority is Priority.PERSON else self.reminder_burst
        return (burst - 1) * self.interval


@dataclass(frozen=True, slots=True)
class BudgetLimits:
    """The budget's shape. Defaults stay a little inside Telegram's (and the stand-in's) limits:
    30/s with bursts of 8 (server: 30 at once), per chat 1/s after 2 (server: 3)."""

    free: LaneLimits = LaneLimits(30.0, person_burst=8, reminder_burst=2)
    paid: LaneLimits | None = None
    chat_rate: float = 1.0
    chat_burst: int = 2

    def __post_init__(self) -> None:
        if self.chat_rate <= 0 or self.chat_burst < 1:
            raise ValueError("the per-chat rate must be positive and its burst at least 1")

    @classmethod
    def telegram(
        cls,
        *,
        global_rate: float = 30.0,
        chat_rate: float = 1.0,
        chat_burst: int = 2,
        paid_broadcast: bool = False,
        paid_rate: float = 1000.0,
    ) -> BudgetLimits:
        """Telegram's limits; `paid_broadcast` adds the 1,000/s lane for reminders."""
        paid = LaneLimits(paid_rate, person_burst=50, reminder_burst=50) if paid_broadcast else None
        return cls(
            free=LaneLimits(global_rate, person_burst=8, reminder_burst=2),
            paid=paid,
            chat_rate=chat_rate,
            chat_burst=chat_burst,
        )

    def lane(self, lane: Lane) -> LaneLimits:
        if lane is Lane.PAID:
            if self.paid is None:
                raise ValueError("paid broadcasts are off: no paid lane")
            return self.paid
        return self.free

    @property
    def chat_interval(self) -> float:
        return 1.0 / self.chat_rate

    @property
    def chat_tolerance(self) -> float:
        return (self.chat_burst - 1) * self.chat_interval

    def chat_tolerance_for(self, priority: Priority) -> float:
        """A tick may not dip into the chat's burst: that is kept for the person's replies."""
        return 0.0 if priority is Priority.TICK else self.chat_tolerance


@dataclass(frozen=True, slots=True)
class Verdict:
    """A store's answer to "may I send now?": granted, or how long to wait and for what."""

    wait: float = 0.0
    chat_busy: bool = False  # the chat's budget is spent (others may go meanwhile)

    @property
    def granted(self) -> bool:
        return self.wait <= 0


GRANTED = Verdict()


class BudgetStore(Protocol):
    """Where the budget's state lives: this process (`LocalStore`) or Redis (shared)."""

    async def try_take(
        self, chat_id: ChatId | None, priority: Priority, lane: Lane, limits: BudgetLimits
    ) -> Verdict:
        """Take a chat turn and a lane turn together if both are free; else say how long."""
        ...

    async def pause_chat(self, chat_id: ChatId, duration: float, limits: BudgetLimits) -> None:
        """No turns for this chat for `duration`; then one at a time (no burst)."""
        ...

    async def pause_lane(self, lane: Lane, duration: float, limits: BudgetLimits) -> None:
        """No turns in this lane for `duration`; then at the steady rate."""
        ...

    async def close(self) -> None: ...


class LocalStore:
    """The budget's state in this process; chats whose budget is full are forgotten."""

    def __init__(self, *, clock: Clock = time.monotonic, max_idle_chats: int = 1024) -> None:
        self._clock = clock
        self._lanes: dict[Lane, float] = {}  # theoretical arrival time of the next turn
        self._chats: dict[ChatId, float] = {}
        self._max_idle_chats = max_idle_chats
        self._sweep_at = max_idle_chats

    @property
    def tracked_chats(self) -> int:
        return len(self._chats)

    async def try_take(
        self, chat_id: ChatId | None, priority: Priority, lane: Lane, limits: BudgetLimits
    ) -> Verdict:
        return self.take_now(chat_id, priority, lane, limits)

    def take_now(
        self, chat_id: ChatId | None, priority: Priority, lane: Lane, limits: BudgetLimits
    ) -> Verdict:
        now = self._clock()
        if chat_id is not None:
            chat_tat = max(self._chats.get(chat_id, now), now)
            chat_wait = chat_tat - limits.chat_tolerance_for(priority) - now
            if chat_wait > 0:
                return Verdict(chat_wait, chat_busy=True)
        shape = limits.lane(lane)
        lane_tat = max(self._lanes.get(lane, now), now)
        lane_wait = lane_tat - shape.tolerance(priority) - now
        if lane_wait > 0:
            return Verdict(lane_wait)
        self._lanes[lane] = lane_tat + shape.interval
        if chat_id is not None:
            self._remember(chat_id, chat_tat + limits.chat_interval, now)
        return GRANTED

    async def pause_chat(self, chat_id: ChatId, duration: float, limits: BudgetLimits) -> None:
        now = self._clock()
        until = now + duration + limits.chat_tolerance
        self._remember(chat_id, max(self._chats.get(chat_id, now), until), now)

    async def pause_lane(self, lane: Lane, duration: float, limits: BudgetLimits) -> None:
        now = self._clock()
        until = now + duration + limits.lane(lane).tolerance(Priority.PERSON)
        self._lanes[lane] = max(self._lanes.get(lane, now), until)

    async def close(self) -> None:
        return None

    def forget_idle(self) -> int:
        """Drop chats whose budget has fully refilled (lossless: a new one starts full)."""
        now = self._clock()
        idle = [chat for chat, tat in self._chats.items() if tat <= now]
        for chat in idle:
            del self._chats[chat]
        return len(idle)

    def _remember(self, chat_id: ChatId, tat: float, now: float) -> None:
        if chat_id not in self._chats and len(self._chats) >= self._sweep_at:
            # Amortised O(1): sweep only after the table has doubled since the last sweep.
            self.forget_idle()
            self._sweep_at = max(self._max_idle_chats, 2 * len(self._chats))
        self._chats[chat_id] = tat


@dataclass
class BudgetStats:
    """Counters since start-up, for logs, the benchmark and the metrics registry."""

    granted: dict[str, int] = field(default_factory=dict)
    waited_seconds: dict[str, float] = field(default_factory=dict)
    floods: dict[str, int] = field(default_factory=dict)  # 429s from Telegram, by priority
    global_pauses: int = 0

    @property
    def flood_total(self) -> int:
        return sum(self.floods.values())


OnQueue = Callable[[], Awaitable[None]]
"""Called once when a send really has to wait for its turn (see `SendBudget.acquire`)."""

NOTICEABLE_WAIT_SECONDS = 0.2
"""A wait this long is one a person would notice: `on_queue` runs for it, not for shorter."""


class _Waiter:
    __slots__ = ("chat_id", "future", "key", "lane", "on_queue", "priority")

    def __init__(
        self,
        key: tuple[int, float, int],
        chat_id: ChatId | None,
        priority: Priority,
        lane: Lane,
        future: asyncio.Future[None],
        on_queue: OnQueue | None = None,
    ) -> None:
        self.key = key
        self.chat_id = chat_id
        self.priority = priority
        self.lane = lane
        self.future = future
        self.on_queue = on_queue

    def __lt__(self, other: _Waiter) -> bool:
        return self.key < other.key


class SendBudget:
    """Waits until a message may be sent; see the module docstring for the rules.

    `await budget.acquire(chat_id, Priority.PERSON)` right before each send; report a 429 with
    `await budget.flooded(chat_id, retry_after, priority)`. One budget per bot and process,
    created anywhere and used inside one event loop.
    """

    def __init__(
        self,
        limits: BudgetLimits | None = None,
        store: BudgetStore | None = None,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        self.limits = limits or BudgetLimits()
        self._clock = clock
        self.store: BudgetStore = store if store is not None else LocalStore(clock=clock)
        self._heap: list[_Waiter] = []
        self._parked = 0  # waiting for their chat's turn, outside the queue
        self._asking = False  # a send outside the queue is asking the store right now
        self._serving: _Waiter | None = None  # the head, out of the queue while the pump asks
        self._aside: list[_Waiter] = []  # this pass found their lane busy; queued again after it
        # Lanes the pump found busy in its last pass: for whom (and anyone less urgent), until when.
        self._blocked: dict[Lane, tuple[Priority, float]] = {}
        self._sequence = itertools.count()
        self._wake: asyncio.Event | None = None
        self._pump_task: asyncio.Task[None] | None = None
        self._floods: deque[tuple[float, ChatId | None]] = deque()
        self._callbacks: set[asyncio.Task[None]] = set()
        self.stats = BudgetStats()
        # One budget per bot and process: the newest one is what /metrics shows. A weak
        # reference, so the gauge never keeps a closed budget alive.
        me = weakref.ref(self)
        metrics.SEND_BUDGET_QUEUE_DEPTH.set_function(
            lambda: float(budget.queue_depth) if (budget := me()) is not None else 0.0
        )

    @property
    def paid_broadcast(self) -> bool:
        return self.limits.paid is not None

    @property
    def reminder_lane(self) -> Lane:
        """Where reminders draw from: the paid lane when paid broadcasts are on."""
        return Lane.PAID if self.paid_broadcast else Lane.FREE

    @property
    def queue_depth(self) -> int:
        """Sends waiting for a turn right now (queued or waiting for their chat)."""
        return len(self._heap) + len(self._aside) + self._parked + (self._serving is not None)

    async def acquire(
        self,
        chat_id: ChatId | None,
        priority: Priority = Priority.PERSON,
        *,
        order: float = 0.0,
        lane: Lane = Lane.FREE,
        on_queue: OnQueue | None = None,
    ) -> None:
        """Return when a message to `chat_id` may be sent now, and count it as sent.

        Among sends of one priority, lower `order` goes first (reminders pass their due time),
        then first come first served. `on_queue` runs (in a task of its own, at most once) when
        the store says this send must wait `NOTICEABLE_WAIT_SECONDS` or more: its chat or its
        lane has no free turn for that long. A send that only queues behind others and is
        granted at its first ask, or waits a moment, never calls it. The chat side answers a
        tap there, so the button stops spinning while its edit waits.
        """
        self.limits.lane(lane)  # fail early on a lane that is off
        started = self._clock()
        refused: Verdict | None = None  # the store's answer when it was asked here
        if not self._heap and not self._aside and self._serving is None and not self._asking:
            # Nobody queued: ask the store straight away (the common case for people). One
            # question at a time; whoever comes meanwhile queues up for the pump.
            self._asking = True
            try:
                verdict = await self.store.try_take(chat_id, priority, lane, self.limits)
            finally:
                self._asking = False
            if verdict.granted:
                self._count(priority, 0.0)
                return
            refused = verdict
        loop = asyncio.get_running_loop()
        waiter = _Waiter(
            (int(priority), order, next(self._sequence)),
            chat_id,
            priority,
            lane,
            loop.create_future(),
            on_queue,
        )
        if refused is not None:
            self._queued(waiter, refused)
        self._push(waiter)
        try:
            await waiter.future
        except asyncio.CancelledError:
            waiter.future.cancel()
            raise
        self._count(priority, self._clock() - started)

    async def try_acquire(
        self, chat_id: ChatId | None, priority: Priority = Priority.TICK, *, lane: Lane = Lane.FREE
    ) -> bool:
        """Take a turn only if one is free right now and nobody is waiting; never queue.
        For sends that are better skipped than late (a countdown's next redraw)."""
        self.limits.lane(lane)
        if self._heap or self._aside or self._parked or self._serving is not None or self._asking:
            return False
        self._asking = True
        try:
            verdict = await self.store.try_take(chat_id, priority, lane, self.limits)
        finally:
            self._asking = False
        if not verdict.granted:
            return False
        self._count(priority, 0.0)
        return True

    async def flooded(
        self,
        chat_id: ChatId | None,
        retry_after: float | timedelta,
        priority: Priority = Priority.PERSON,
        *,
        lane: Lane = Lane.FREE,
    ) -> None:
        """Telegram answered 429: pause this chat; pause the lane when many chats hit it."""
        wait = seconds(retry_after)
        self.count_flood(priority)
        if chat_id is not None:
            await self.store.pause_chat(chat_id, wait, self.limits)
        moment = self._clock()
        self._floods.append((moment, chat_id))
        while self._floods and self._floods[0][0] < moment - FLOOD_WINDOW_SECONDS:
            self._floods.popleft()
        if chat_id is None or len({chat for _, chat in self._floods}) >= FLOODS_FOR_GLOBAL_PAUSE:
            self.stats.global_pauses += 1
            await self.store.pause_lane(lane, wait, self.limits)
            self._floods.clear()
        self._poke()

    def count_flood(self, priority: Priority) -> None:
        """Count a 429 (also one for a call that pauses nothing, like answerCallbackQuery)."""
        name = priority.name.lower()
        self.stats.floods[name] = self.stats.floods.get(name, 0) + 1

    async def close(self) -> None:
        """Stop the queue (waiters are cancelled) and close the store's connections."""
        if self._pump_task is not None:
            self._pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump_task
            self._pump_task = None
        if self._serving is not None:
            self._serving.future.cancel()
            self._serving = None
        for waiter in [*self._heap, *self._aside]:
            waiter.future.cancel()
        self._heap.clear()
        self._aside.clear()
        for task in list(self._callbacks):
            task.cancel()
        await self.store.close()

    # --- the queue -----------------------------------------------------------------------------

    def _count(self, priority: Priority, waited: float) -> None:
        name = priority.name.lower()
        self.stats.granted[name] = self.stats.granted.get(name, 0) + 1
        self.stats.waited_seconds[name] = self.stats.waited_seconds.get(name, 0.0) + waited

    def _push(self, waiter: _Waiter) -> None:
        head = self._heap[0] if self._heap else None
        heapq.heappush(self._heap, waiter)
        stop = self._blocked.get(waiter.lane)
        if head is None or waiter < head or stop is None or waiter.priority < stop[0]:
            # It may go before the pump's next planned look: ask now (the pump's next pass
            # asks the store about it at once, and skips the lanes it knows are busy).
            self._poke()
        if self._pump_task is None or self._pump_task.done():
            self._pump_task = asyncio.get_running_loop().create_task(
                self._pump(), name="stretchbot-send-budget"
            )

    def _queued(self, waiter: _Waiter, verdict: Verdict) -> None:
        """The store said `waiter` must wait: for a noticeable wait run its `on_queue`, once,
        beside the waiting."""
        if waiter.on_queue is None or verdict.wait < NOTICEABLE_WAIT_SECONDS:
            return
        callback, waiter.on_queue = waiter.on_queue, None
        task = asyncio.get_running_loop().create_task(self._run_on_queue(callback))
        self._callbacks.add(task)
        task.add_done_callback(self._callbacks.discard)

    @staticmethod
    async def _run_on_queue(callback: OnQueue) -> None:
        try:
            await callback()
        except Exception:  # a failed side job must not fail the send that is waiting
            logger.warning("a send's on_queue callback failed", exc_info=True)

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _unpark(self, waiter: _Waiter) -> None:
        self._parked -= 1
        if not waiter.future.done():
            self._push(waiter)

    async def _pump(self) -> None:
        """Grant turns to whoever in the queue is ready, in queue order, as the store allows.

        Each pass goes through the queue once. A send whose chat is busy steps aside until its
        chat is free. A send whose lane is busy waits for the pass after, and so does everyone
        behind it in that lane who is not more urgent (they could not get a turn either), but
        sends in another lane are still asked: a person waiting out a paused free lane never
        holds up paid reminders. Only what is ready costs a store round trip.

        A send leaves the queue while the store is asked about it and goes back if it got no
        turn: a send that queues ahead of it during that round trip must not be mistaken for it
        (that once left a send waiting forever)."""
        loop = asyncio.get_running_loop()
        if self._wake is None:
            self._wake = asyncio.Event()
        lanes = 2 if self.paid_broadcast else 1
        while self._heap:
            self._wake.clear()  # a poke during the pass starts the next one at once
            blocked = self._blocked
            blocked.clear()
            aside = self._aside
            while self._heap:
                waiter = heapq.heappop(self._heap)
                if waiter.future.done():  # cancelled while waiting
                    continue
                stop = blocked.get(waiter.lane)
                if stop is not None and waiter.priority >= stop[0]:
                    aside.append(waiter)
                    continue
                self._serving = waiter
                try:
                    verdict = await self.store.try_take(
                        waiter.chat_id, waiter.priority, waiter.lane, self.limits
                    )
                except Exception as error:  # the store failed: this send fails, nobody hangs
                    self._serving = None
                    if not waiter.future.done():
                        waiter.future.set_exception(error)
                    continue
                self._serving = None
                if waiter.future.done():  # cancelled during the round trip
                    continue
                if verdict.granted:
                    waiter.future.set_result(None)
                    continue
                self._queued(waiter, verdict)
                if verdict.chat_busy:
                    # Step aside until the chat is free, so other chats are not held up.
                    self._parked += 1
                    loop.call_later(verdict.wait, self._unpark, waiter)
                    continue
                blocked[waiter.lane] = (waiter.priority, self._clock() + verdict.wait)
                aside.append(waiter)
                if len(blocked) == lanes:
                    # The queue is in priority order, so whoever is left comes after someone
                    # who could not go in their lane: leave them be (O(1) per pass, not O(n)).
                    break
            if not aside:
                return
            for waiter in aside:
                heapq.heappush(self._heap, waiter)
            aside.clear()
            if self._wake.is_set():
                continue
            wait = min(until for _, until in blocked.values()) - self._clock()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(wait, 1e-4))
