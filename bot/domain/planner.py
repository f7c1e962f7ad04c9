"""Planning many people's routines at once: what people share is worked out once.

`routines.plan_day` for one person walks every routine, adapting some, which is far too slow to
repeat for each of thousands of reminders due in the same minute. Yet people with the same
choices and the same standing (every newcomer with the same focus, level and minutes, say) get
the same candidates and the same adapted routines. A `Planner` belongs to one content version
and remembers those per (preferences, standing), so each further person costs a few lookups
and the date's rotation over their own recent routines. Its answers are exactly `plan_day`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

from bot.content.models import Routine
from bot.domain.progression import Plan, Rules, Standing, adapt
from bot.domain.routines import Library, Preferences, candidates, rotate

MEMORY = 4096
"""Remembered groups per table; beyond it a table starts afresh (memory stays bounded)."""

_STANDING_FIELDS = tuple(f.name for f in fields(Standing))

StandingKey = tuple[Any, ...]
K = TypeVar("K")
V = TypeVar("V")


def standing_key(standing: Standing) -> StandingKey:
    """A hashable key equal for equal standings (every field, mappings as item sets), so a
    field added to `Standing` is part of the key without anyone remembering to add it."""
    parts: list[Any] = []
    for name in _STANDING_FIELDS:
        value = getattr(standing, name)
        parts.append(frozenset(value.items()) if isinstance(value, Mapping) else value)
    return tuple(parts)


class Planner:
    """`plan_day` for one content version and its compiled rules, shared where people agree."""

    def __init__(self, library: Library, rules: Rules, *, memory: int = MEMORY) -> None:
        self._library = library
        self._rules = rules
        self._memory = memory
        self._preferences: dict[tuple[tuple[str, ...], str, int], Preferences] = {}
        self._pools: dict[tuple[Preferences, StandingKey], list[Routine]] = {}
        self._plans: dict[tuple[str, StandingKey, Preferences], Plan] = {}

    def preferences(self, focus_areas: Iterable[str], level: str, minutes: int) -> Preferences:
        """`Preferences.from_stored`, remembered (stored choices repeat across people)."""
        key = (tuple(focus_areas), level, minutes)
        found = self._preferences.get(key)
        if found is None:
            found = self._remember(self._preferences, key, Preferences.from_stored(*key))
        return found

    def plan(
        self, prefs: Preferences, day: date, recent: Sequence[str], standing: Standing
    ) -> Plan:
        """Exactly `routines.plan_day(library, prefs, day, recent, standing, rules)`."""
        group = standing_key(standing)
        pool = self._pools.get((prefs, group))
        if pool is None:
            pool = candidates(self._library, prefs, standing, self._rules)
            self._remember(self._pools, (prefs, group), pool)
        chosen = rotate(pool, day, recent, prefs)
        plan = self._plans.get((chosen.id, group, prefs))
        if plan is None:
            plan = adapt(chosen, self._rules, standing, prefs.level)
            self._remember(self._plans, (chosen.id, group, prefs), plan)
        return plan

    def _remember(self, table: dict[K, V], key: K, value: V) -> V:
        if len(table) >= self._memory:
            table.clear()
        table[key] = value
        return value
