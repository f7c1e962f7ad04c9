"""Bad days on purpose: rate limits, server errors, dropped and slow answers.

Everything is off by default. A test switches on what it needs: Telegram's flood limits
(answered with 429 and `retry_after`), a seeded probability of 500/502 answers, of connections
closed before or after the call took effect, and of slow answers; or scripts exact faults for
the next calls of a method. The same seed gives the same faults in the same order.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from sandbox.errors import too_many_requests

# Methods that post a message and count against Telegram's flood limits.
SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendLocation"})


class FaultKind(Enum):
    SERVER_ERROR = "500"  # JSON answer 500 Internal Server Error, nothing applied
    BAD_GATEWAY = "502"  # HTML answer 502 Bad Gateway from the front proxy, nothing applied
    DROP = "drop"  # connection closed before the call is applied
    LOST_REPLY = "lost_reply"  # the call is applied, then the connection is closed
    SLOW = "slow"  # the call is applied, the answer comes `slow_seconds` late


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    seconds: float = 0.0


@dataclass(frozen=True)
class FaultPlan:
    """Random faults: each rate is a probability per call (checked in the order listed)."""

    server_error_rate: float = 0.0  # split evenly between 500 and 502
    drop_rate: float = 0.0
    lost_reply_rate: float = 0.0
    slow_rate: float = 0.0
    slow_seconds: float = 1.0
    methods: frozenset[str] | None = None  # None: every method except getUpdates
    seed: int = 0


@dataclass(frozen=True)
class RateLimits:
    """Telegram's published flood limits; bursts allow a few quick messages to one chat."""

    global_per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    group_per_minute: float = 20.0
    # Messages sent with allow_paid_broadcast count here instead of `global_per_second`
    # (Telegram: up to 1,000/s, paid in Stars). 0 turns paid broadcasts off: they count as
    # ordinary messages.
    paid_per_second: float = 1000.0


class TokenBucket:
    """`capacity` tokens, refilled at `rate` per second; a take fails with the wait needed."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_needed(self, now: float) -> float:
        """Seconds until a token is free (0 when one is free now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1


class FaultInjector:
    """Decides, per call, whether to misbehave; holds the rate-limit buckets."""

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._plan = FaultPlan()
        self._rng = random.Random(0)
        self._scripted: dict[str, deque[Fault]] = {}
        self.rate_limits: RateLimits | None = None
        self._global_bucket: TokenBucket | None = None
        self._paid_bucket: TokenBucket | None = None
        self._chat_buckets: dict[int, TokenBucket] = {}
        self.paid_broadcasts = 0  # messages accepted with allow_paid_broadcast (billed)

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    def set_plan(self, plan: FaultPlan) -> None:
        """Replace the random faults; the RNG restarts from the plan's seed."""
        self._plan = plan
        self._rng = random.Random(plan.seed)

    def script(self, method: str, *faults: Fault) -> None:
        """Make the next calls of `method` fail in exactly this order (before random faults)."""
        self._scripted.setdefault(method, deque()).extend(faults)

    def set_rate_limits(self, limits: RateLimits | None) -> None:
        self.rate_limits = limits
        self._global_bucket = None
        self._paid_bucket = None
        self._chat_buckets.clear()

    def clear(self) -> None:
        """Back to a well-behaved Telegram."""
        self.set_plan(FaultPlan())
        self._scripted.clear()
        self.set_rate_limits(None)

    def next_fault(self, method: str) -> Fault | None:
        scripted = self._scripted.get(method)
        if scripted:
            return scripted.popleft()
        plan = self._plan
        applies = method in plan.methods if plan.methods is not None else method != "getUpdates"
        if not applies:
            return None
        draw = self._rng.random()
        threshold = plan.server_error_rate
        if draw < threshold:
            kind = FaultKind.SERVER_ERROR if self._rng.random() < 0.5 else FaultKind.BAD_GATEWAY
            return Fault(kind)
        for rate, kind in (
            (plan.drop_rate, FaultKind.DROP),
            (plan.lost_reply_rate, FaultKind.LOST_REPLY),
            (plan.slow_rate, FaultKind.SLOW),
        ):
            threshold += rate
            if draw < threshold:
                return Fault(kind, plan.slow_seconds if kind is FaultKind.SLOW else 0.0)
        return None

    def check_rate(self, method: str, chat_id: int | None, *, paid: bool = False) -> None:
        """Raise Telegram's 429 when a sending call would exceed the flood limits.

        `paid` (allow_paid_broadcast) moves the message from the overall 30/s to the paid
        lane's 1,000/s; the per-chat limit applies either way.
        """
        limits = self.rate_limits
        if limits is None or method not in SENDING_METHODS or chat_id is None:
            return
        now = self._monotonic()
        paid = paid and limits.paid_per_second > 0
        if paid and self._paid_bucket is None:
            self._paid_bucket = TokenBucket(limits.paid_per_second, limits.paid_per_second, now)
        if self._global_bucket is None:
            self._global_bucket = TokenBucket(
                limits.global_per_second, limits.global_per_second, now
            )
        chat_bucket = self._chat_buckets.get(chat_id)
        if chat_bucket is None:
            if chat_id < 0:
                chat_bucket = TokenBucket(
                    limits.group_per_minute, limits.group_per_minute / 60.0, now
                )
            else:
                chat_bucket = TokenBucket(limits.per_chat_burst, limits.per_chat_per_second, now)
            self._chat_buckets[chat_id] = chat_bucket
        overall = self._paid_bucket if paid and self._paid_bucket else self._global_bucket
        wait = max(overall.wait_needed(now), chat_bucket.wait_needed(now))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        overall.take(now)
        chat_bucket.take(now)
        if paid:
            self.paid_broadcasts += 1
