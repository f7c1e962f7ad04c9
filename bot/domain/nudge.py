"""The gentle weekly nudge (issue 16, item 4): one kind line when someone is behind their goal.

A pure rule, so examples and properties pin it without a database. The week is the person's
local week (Monday to Sunday in their zone, `kindness.week_of`). From Thursday on, someone
with fewer than `GOAL_MIN_PER_WEEK` sessions done this week is reminded of the goal once,
on that day's reminder, and only while the goal is still within reach on the days they chose:
a nudge toward a goal that can no longer be met would only make them feel worse.

Never while they may not be reminded (paused, stopped, blocked, or held by a red flag or an
open triage), and never in a week with a red flag in it nor within `RED_FLAG_QUIET_DAYS`
after one, even once lifted: after pain, the bot does not push (a flag raised on a Sunday
would otherwise allow a nudge four days later). At most once a local week.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.domain.kindness import week_of, week_start
from bot.domain.lifecycle import Status
from bot.domain.schedule import local_date, occurrence_on
from bot.domain.stats import GOAL_MIN_PER_WEEK

FROM_WEEKDAY = 3
"""Thursday (Monday is 0): earlier in the week being behind is not being behind yet."""

RED_FLAG_QUIET_DAYS = 14
"""Two weeks without a nudge after any red flag, lifted or not (and never in its week)."""


@dataclass(frozen=True, slots=True)
class Nudge:
    """What the nudge line says: sessions done this week, and how many more reach the goal."""

    done: int
    goal: int = GOAL_MIN_PER_WEEK

    @property
    def missing(self) -> int:
        return self.goal - self.done


@dataclass(frozen=True, slots=True)
class Week:
    """What the rule reads about one person at one instant (all instants aware, any zone)."""

    now: datetime
    zone: tzinfo
    weekdays: frozenset[int]
    """Chosen reminder days, Monday = 0."""
    sessions_done: tuple[datetime, ...] = ()
    """When their done sessions started (any span: only this local week's count)."""
    last_nudged: datetime | None = None
    """When the latest nudge went out (its reminder's due instant)."""
    red_flags: tuple[datetime, ...] = ()
    """When red flags were raised (any span: only this local week's matter)."""
    status: Status = Status.ACTIVE
    held: bool = False
    """An open hold (a red flag or an unanswered triage)."""


def this_week(instants: Iterable[datetime], now: datetime, zone: tzinfo) -> list[date]:
    """The local dates of those `instants` in the local week of `now` (compared as instants
    first: a claimed batch reads weeks of history, and most of it is older)."""
    begins = week_start(now, zone)
    ends = occurrence_on(week_of(now, zone) + timedelta(days=7), time(0, 0), zone)
    return [local_date(instant, zone) for instant in instants if begins <= instant < ends]


def days_left(today: date, weekdays: Collection[int], done_today: bool) -> int:
    """Chosen days from `today` to Sunday on which a session may still come (today only when
    none was done today: one session a day is what a reminder asks for)."""
    start = today.weekday() + (1 if done_today else 0)
    return sum(1 for day in range(start, 7) if day in weekdays)


def nudge_for(week: Week) -> Nudge | None:
    """The nudge to add to the reminder at `week.now`, or None."""
    if week.status is not Status.ACTIVE or week.held:
        return None
    today = local_date(week.now, week.zone)
    if today.weekday() < FROM_WEEKDAY:
        return None
    if _after_red_flag(week):
        return None
    if week.last_nudged is not None and week_of(week.last_nudged, week.zone) == week_of(
        week.now, week.zone
    ):
        return None
    done = this_week(week.sessions_done, week.now, week.zone)
    if len(done) >= GOAL_MIN_PER_WEEK:
        return None
    left = days_left(today, week.weekdays, done_today=today in done)
    if len(done) + left < GOAL_MIN_PER_WEEK:
        return None
    return Nudge(done=len(done))


def _after_red_flag(week: Week) -> bool:
    """A red flag this local week, or within `RED_FLAG_QUIET_DAYS` before now."""
    quiet = timedelta(days=RED_FLAG_QUIET_DAYS)
    recent = any(timedelta(0) <= week.now - flag < quiet for flag in week.red_flags)
    return recent or bool(this_week(week.red_flags, week.now, week.zone))
