"""The demo's clock: real time, moved forward when someone asks for their reminder now.

"Send the next reminder now" (which may be tomorrow's) makes the bot live through the moment the
person's reminder falls due, rather than faking one: the reminder then is the real daily one (its
heading, its routine, the next one scheduled after it), exactly as the dispatcher would send it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _real_now() -> datetime:
    return datetime.now(UTC)


class DemoClock:
    """Wall-clock time plus an offset that only ever grows (time never runs backwards)."""

    def __init__(self, source: Callable[[], datetime] = _real_now) -> None:
        self._source = source
        self.ahead = timedelta(0)

    def __call__(self) -> datetime:
        return self._source() + self.ahead

    def advance_to(self, instant: datetime) -> timedelta:
        """Jump forward to `instant` if it is later than now; return how far we jumped."""
        if instant.tzinfo is None:
            raise ValueError("the demo clock takes aware datetimes")
        jump = instant - self()
        if jump <= timedelta(0):
            return timedelta(0)
        self.ahead += jump
        return jump
