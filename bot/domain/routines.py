"""Routine of the day: which routine a subscriber gets on a given date, and in what form.

Pure and deterministic (same inputs, same routine) so it can be tested exhaustively and
recomputed at any time. The rules, in the order they apply:

1. Never above the subscriber's level (beginner only under the `gentle_only` limit), never a
   routine kept out of rotation, never one that the progression rules leave empty. These are
   not relaxed.
2. Focus: routines serving at least one chosen area; if none exists, any focus.
3. Length: within ±20 % of the chosen minutes; if none fits, the closest length.
4. Level mix: routines at the subscriber's level or one below, when at least two exist,
   so an advanced subscriber is not served mostly beginner routines.
5. Variety: routines not in `recent` first; if all were recent, the one done longest ago.
   Among the remaining ones, the date picks by rotation, so two consecutive dates give
   different routines even without any history.

The chosen routine is then adapted to the person's `progression.Standing` (a closed gate serves
the stage before, a symptom steps back, "Uncomfortable" eases, a comfortable run steps up, limits
leave stretches out): an advanced routine whose gate is closed is served with its earlier
stages, which is how an advanced newcomer builds the history that opens the gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from bot.content.duration import routine_duration_seconds
from bot.content.models import FocusArea, Level, Routine, Stretch
from bot.domain.progression import GENTLE_ONLY, Plan, Rules, Standing, adapt, compile_rules

TOLERANCE = 0.2
"""A routine fits when its length is within this fraction of the chosen minutes."""
RECENT_DAYS = 7
"""Rule 5 looks this far back: a routine sent within the week counts as recent."""
RECENT_ROUTINES = 5
"""Rule 5 keeps at most this many recent routines (newest first)."""


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a subscriber chose: focus areas (empty means any), level and session minutes."""

    focus: frozenset[FocusArea]
    level: Level
    minutes: int

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise ValueError(f"minutes must be positive, got {self.minutes}")

    @classmethod
    def from_stored(cls, focus_areas: Iterable[str], level: str, minutes: int) -> Preferences:
        """Read stored choices leniently: unknown focus areas drop out, an unknown level is
        beginner, minutes are at least one, so a content change never breaks a reminder."""
        known_focus = {area.value for area in FocusArea}
        known_levels = {lv.value for lv in Level}
        return cls(
            focus=frozenset(FocusArea(f) for f in focus_areas if f in known_focus),
            level=Level(level) if level in known_levels else Level.BEGINNER,
            minutes=max(1, minutes),
        )


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


def rules_of(library: Library) -> Rules:
    """Rules without check-in answer classes: enough for picking (the answers only matter
    when a history is read)."""
    return compile_rules(library, (), ())


def level_cap(prefs: Preferences, standing: Standing) -> int:
    return 0 if GENTLE_ONLY in standing.limits else prefs.level.rank


def candidates(
    library: Library,
    prefs: Preferences,
    standing: Standing | None = None,
    rules: Rules | None = None,
) -> list[Routine]:
    """The routines the rotation chooses from (rules 1–4), sorted by id."""
    stretches = library.stretches
    standing = standing if standing is not None else Standing()
    rules = rules if rules is not None else rules_of(library)
    cap = level_cap(prefs, standing)
    affected = rules.affected(standing)
    allowed = [
        routine
        for routine in library.routines.values()
        if routine.rotation
        and routine.level.rank <= cap
        and (
            not rules.touched(routine.id, standing, affected)
            or adapt(routine, rules, standing, prefs.level).routine.steps
        )
    ]
    focused = [r for r in allowed if not prefs.focus or prefs.focus.intersection(r.focus)]
    pool = focused or allowed
    known = rules.routine_seconds
    seconds = {
        r.id: known[r.id] if r.id in known else routine_duration_seconds(r, stretches) for r in pool
    }
    fitting = [r for r in pool if fits_minutes(seconds[r.id], prefs.minutes)]
    if not fitting and pool:
        gap = {r.id: abs(seconds[r.id] - prefs.minutes * 60) for r in pool}
        closest = min(gap.values())
        fitting = [r for r in pool if gap[r.id] == closest]
    near_level = [r for r in fitting if r.level.rank >= cap - 1]
    chosen = near_level if len(near_level) >= 2 else fitting
    return sorted(chosen, key=lambda r: r.id)


def recent_since(now: datetime) -> datetime:
    """From when a reminder's routine counts as sent lately (rule 5)."""
    return now - timedelta(days=RECENT_DAYS)


def recent_of(sent: Iterable[str]) -> tuple[str, ...]:
    """Rule 5's `recent`: the routines of the person's reminders since `recent_since(now)`,
    given newest first, each once, at most `RECENT_ROUTINES`. One rule over one kind of record
    (the reminders), so the reminder, /now and a snooze never disagree on what was recent;
    the first one is the routine the newest reminder carried (what a snooze brings back)."""
    chosen: list[str] = []
    for routine_id in sent:
        if routine_id not in chosen:
            chosen.append(routine_id)
            if len(chosen) == RECENT_ROUTINES:
                break
    return tuple(chosen)


def plan_day(
    library: Library,
    prefs: Preferences,
    day: date,
    recent: Sequence[str] = (),
    standing: Standing | None = None,
    rules: Rules | None = None,
) -> Plan:
    """Today's routine, adapted to the person. `recent`: routine ids sent lately, newest first.
    `standing`: `progression.assess` of their history (None: a newcomer with no limits)."""
    standing = standing if standing is not None else Standing()
    rules = rules if rules is not None else rules_of(library)
    pool = candidates(library, prefs, standing, rules)
    return adapt(rotate(pool, day, recent, prefs), rules, standing, prefs.level)


def rotate(
    pool: Sequence[Routine], day: date, recent: Sequence[str], prefs: Preferences
) -> Routine:
    """Rule 5: a routine not sent lately, by the date's rotation; else the one sent longest ago."""
    if not pool:
        raise NoRoutineError(f"no routine open to level {prefs.level}")
    fresh = [routine for routine in pool if routine.id not in recent]
    if fresh:
        return fresh[day.toordinal() % len(fresh)]
    return max(pool, key=lambda routine: recent.index(routine.id))


def pick_routine(
    library: Library,
    prefs: Preferences,
    day: date,
    recent: Sequence[str] = (),
    standing: Standing | None = None,
    rules: Rules | None = None,
    *,
    limits: frozenset[str] = frozenset(),
) -> Routine:
    """The routine for `day` as written (its id is what reminders store); `plan_day` gives the
    adapted steps. `limits` ("no_nerve_tension", "gentle_only") narrow a `standing` that
    carries none, so a caller with only the person's limits can pass them directly."""
    if limits and standing is None:
        standing = Standing(limits=limits)
    elif limits and standing is not None:
        standing = replace(standing, limits=standing.limits | limits)
    plan = plan_day(library, prefs, day, recent, standing, rules)
    return library.routines[plan.routine_id]
