"""Routine of the day: which routine a subscriber gets on a given date.

Pure and deterministic (same inputs, same routine) so it can be tested exhaustively and
recomputed at any time. The rules, in the order they apply:

1. Never above the subscriber's level, never a routine with a stretch whose prerequisites they
   have not yet done without symptoms, never one kept out of rotation. These are not relaxed.
2. Focus: routines serving at least one chosen area; if none exists, any focus.
3. Length: within ±20 % of the chosen minutes; if none fits, the closest length.
4. Level mix: routines at the subscriber's level or one below, when at least two exist,
   so an advanced subscriber is not served mostly beginner routines.
5. Variety: routines not in `recent` first; if all were recent, the one done longest ago.
   Among the remaining ones, the date picks by rotation, so two consecutive dates give
   different routines even without any history.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.content.duration import routine_duration_seconds
from bot.content.models import FocusArea, Level, Routine, Stretch

TOLERANCE = 0.2
"""A routine fits when its length is within this fraction of the chosen minutes."""


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a subscriber chose: focus areas (empty means any), level and session minutes."""

    focus: frozenset[FocusArea]
    level: Level
    minutes: int

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise ValueError(f"minutes must be positive, got {self.minutes}")


class Library(Protocol):
    """What the picker needs from the loaded content (`bot.content.loader.Content` fits)."""

    @property
    def stretches(self) -> Mapping[str, Stretch]: ...

    @property
    def routines(self) -> Mapping[str, Routine]: ...


class NoRoutineError(LookupError):
    """No routine at all is open to this subscriber (only possible with a broken library)."""


def fits_minutes(seconds: int, minutes: int) -> bool:
    """True when `seconds` is within ±TOLERANCE of `minutes`."""
    target = minutes * 60
    return abs(seconds - target) <= TOLERANCE * target


def is_unlocked(routine: Routine, stretches: Mapping[str, Stretch], done: Collection[str]) -> bool:
    """True when every stretch's prerequisites are among the stretches done without symptoms."""
    return all(
        prerequisite in done
        for step in routine.steps
        for prerequisite in stretches[step.stretch].prerequisites
    )


def candidates(
    library: Library, prefs: Preferences, completed_stretches: Collection[str]
) -> list[Routine]:
    """The routines the rotation chooses from (rules 1–4), sorted by id."""
    stretches = library.stretches
    allowed = [
        routine
        for routine in library.routines.values()
        if routine.rotation
        and routine.level.rank <= prefs.level.rank
        and is_unlocked(routine, stretches, completed_stretches)
    ]
    focused = [r for r in allowed if not prefs.focus or prefs.focus.intersection(r.focus)]
    pool = focused or allowed
    seconds = {r.id: routine_duration_seconds(r, stretches) for r in pool}
    fitting = [r for r in pool if fits_minutes(seconds[r.id], prefs.minutes)]
    if not fitting and pool:
        gap = {r.id: abs(seconds[r.id] - prefs.minutes * 60) for r in pool}
        closest = min(gap.values())
        fitting = [r for r in pool if gap[r.id] == closest]
    near_level = [r for r in fitting if r.level.rank >= prefs.level.rank - 1]
    chosen = near_level if len(near_level) >= 2 else fitting
    return sorted(chosen, key=lambda r: r.id)


def pick_routine(
    library: Library,
    prefs: Preferences,
    day: date,
    recent: Sequence[str] = (),
    completed_stretches: Collection[str] = frozenset(),
) -> Routine:
    """The routine for `day`. `recent`: routine ids sent lately, newest first.

    `completed_stretches`: stretch ids the subscriber has done without symptoms; they unlock
    stretches that list them as prerequisites (the advanced chair stages).
    """
    pool = candidates(library, prefs, completed_stretches)
    if not pool:
        raise NoRoutineError(f"no routine open to level {prefs.level}")
    fresh = [routine for routine in pool if routine.id not in recent]
    if fresh:
        return fresh[day.toordinal() % len(fresh)]
    return max(pool, key=lambda routine: recent.index(routine.id))
