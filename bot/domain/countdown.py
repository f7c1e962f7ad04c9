"""A hold you can watch: when its message is redrawn, and what the countdown line shows.

Pure arithmetic over the hold's stored start and end, so the schedule is the same in the process
that started the hold and in one that re-arms it after a restart. The rules:

* Redraws fall on whole multiples of `TICK_SECONDS` left (25, 20, ... 5 s of a 30 s hold): one
  edit every 5 s, and the last 5 s are shown once, never second by second.
* None falls within `MIN_GAP_SECONDS` of the start (the message was edited then) or at 0 s left
  (the hold's own end sends the next message instead).
* Every redraw shows fewer seconds than the one before, so the text always changes and Telegram
  never answers "message is not modified".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

TICK_SECONDS = 5
MIN_GAP_SECONDS = 2
"""No redraw this soon after the hold's start: the start's own edit has just landed."""
BAR_CELLS = 10
FILLED, EMPTY = "▰", "▱"


def marks(total: int) -> tuple[int, ...]:
    """Seconds left at each redraw of a hold of `total` nominal seconds, largest first."""
    top = total - MIN_GAP_SECONDS
    return tuple(left for left in range(TICK_SECONDS * (top // TICK_SECONDS), 0, -TICK_SECONDS))


def seconds_left(total: int, started: datetime, ends: datetime, now: datetime) -> int:
    """Whole nominal seconds left at `now`, rounded up (it never shows 0 while running)."""
    real = (ends - started).total_seconds()
    if total <= 0 or real <= 0:
        return 0
    left = (ends - now).total_seconds() * total / real
    return max(0, min(total, math.ceil(left - 1e-9)))


@dataclass(frozen=True, slots=True)
class Tick:
    """One redraw: show `left` seconds, `delay` real seconds from now."""

    left: int
    delay: float


def schedule(total: int, started: datetime, ends: datetime, now: datetime) -> tuple[Tick, ...]:
    """The redraws still to come at `now`, from the stored start and end (real time per nominal
    second is their ratio, so a scaled test hold ticks in proportion)."""
    real = (ends - started).total_seconds()
    if total <= 0 or real <= 0:
        return ()
    per_second = real / total
    ticks: list[Tick] = []
    for left in marks(total):
        delay = (ends - now).total_seconds() - left * per_second
        if delay > 0:
            ticks.append(Tick(left, delay))
    return tuple(ticks)


def bar(left: int, total: int) -> str:
    """A progress bar of `BAR_CELLS` cells, filled as the hold goes on."""
    if total <= 0:
        return FILLED * BAR_CELLS
    done = min(total, max(0, total - left))
    filled = done * BAR_CELLS // total
    return FILLED * filled + EMPTY * (BAR_CELLS - filled)
