"""The one test clock: a fixed instant that moves only when the test says so.

The bot, the dispatcher and the stand-in Telegram all take a clock; tests hand them this one
(`clock` for aware datetimes, `clock.monotonic` or `clock.timestamp` where a float is wanted),
so time in a test is never the machine's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # a Tuesday, 06:00 UTC


class TestClock:
    """Starts at `start` (an aware datetime) and moves by `set` and `advance` only."""

    __test__ = False  # a helper, not a test class

    def __init__(self, start: datetime = START) -> None:
        self._origin = _aware(start)
        self.current = self._origin

    def __call__(self) -> datetime:
        return self.current

    def set(self, instant: datetime) -> None:
        self.current = _aware(instant)

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def monotonic(self) -> float:
        """Seconds since the clock was made: a monotonic clock that starts small, so sums of
        tenths stay exact enough for token buckets."""
        return (self.current - self._origin).total_seconds()

    def timestamp(self) -> float:
        """The current instant as Unix seconds, for wall clocks that count seconds."""
        return self.current.timestamp()


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("the clock takes aware datetimes")
    return instant.astimezone(UTC)
