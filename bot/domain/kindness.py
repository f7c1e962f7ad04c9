"""Kinder reminders: the rules that keep reminders from nagging (issue 16, item 4).

Pure functions over instants and local wall-clock times, so they are tested with examples and
properties, and the chat side and the dispatcher only ask them:

* a person's week is their local week, Monday 00:00 to the next Monday 00:00 in their zone;
* after `NOT_TODAY_PER_WEEK` "Not today"s in one week, the next one still skips today but
  also asks whether the days or a pause would suit better (skipping is never refused);
* quiet hours are a local wall-clock span [start, end) that may cross midnight (22:00-07:00);
  nothing is sent inside them. A reminder time inside them is refused when set, quiet hours
  that would swallow the reminder time are refused too, a snooze that would land inside them
  comes before they start or after they end (`place_snooze`), and the dispatcher checks each
  send (`is_quiet`), which also covers what only a clock change or a late send could bring.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.domain.schedule import local_date, occurrence_on

NOT_TODAY_PER_WEEK = 3
"""'Not today's a week that are just skips; the one after asks about days or a pause."""


def week_of(instant: datetime, zone: tzinfo) -> date:
    """The Monday (local date) of the local week `instant` falls in."""
    day = local_date(instant, zone)
    return day - timedelta(days=day.weekday())


def week_start(instant: datetime, zone: tzinfo) -> datetime:
    """The UTC instant the local week of `instant` began (its Monday, 00:00 on the wall clock;
    the first instant after a gap, should a zone skip midnight)."""
    return occurrence_on(week_of(instant, zone), time(0, 0), zone)


def asks_to_rethink(skipped_before: int, cap: int = NOT_TODAY_PER_WEEK) -> bool:
    """True when a 'Not today' should also ask about changing days or pausing: `skipped_before`
    reminders were already skipped this local week, the cap's worth or more."""
    return skipped_before >= cap


# --- Quiet hours ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A local wall-clock span [start, end) with nothing sent; crosses midnight if start > end."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("quiet hours need a start and an end that differ")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours are wall-clock times; the zone is separate")

    @classmethod
    def of(cls, start: time | None, end: time | None) -> QuietHours | None:
        """The stored pair as quiet hours, None when off (either missing, or both the same)."""
        if start is None or end is None or start == end:
            return None
        return cls(start, end)

    def covers(self, wall: time) -> bool:
        """True when the wall-clock time `wall` is inside the quiet hours."""
        wall = wall.replace(tzinfo=None, fold=0)
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end


def is_quiet(instant: datetime, zone: tzinfo, hours: QuietHours | None) -> bool:
    """True when `instant` falls inside the person's quiet hours, read on their wall clock."""
    if hours is None:
        return False
    return hours.covers(instant.astimezone(zone).time())


def _next_wall(after: datetime, wall: time, zone: tzinfo) -> datetime:
    """The first instant strictly after `after` at which the local clock reaches `wall` (a time
    in a spring-forward gap is reached at the end of the gap)."""
    day = local_date(after, zone)
    for offset in range(3):
        instant = occurrence_on(day + timedelta(days=offset), wall, zone)
        if instant > after:
            return instant
    raise AssertionError("unreachable: a wall-clock time comes round within two days")


def quiet_ends(instant: datetime, zone: tzinfo, hours: QuietHours) -> datetime:
    """When the quiet hours that `instant` is in end (the next end after it)."""
    return _next_wall(instant, hours.end, zone)


def quiet_begins(after: datetime, zone: tzinfo, hours: QuietHours) -> datetime:
    """The next instant after `after` at which the quiet hours start."""
    return _next_wall(after, hours.start, zone)


class Placement(enum.Enum):
    """Where a snooze goes with quiet hours about."""

    AS_ASKED = "as_asked"
    BEFORE_QUIET = "before_quiet"
    """Shortened: it comes a little before the quiet hours start."""
    AFTER_QUIET = "after_quiet"
    """Moved: it comes when the quiet hours end, the same local day."""
    NEXT_REMINDER = "next_reminder"
    """No snooze: the quiet hours last into the next day; the next daily reminder serves."""


@dataclass(frozen=True, slots=True)
class SnoozePlace:
    placement: Placement
    when: datetime | None
    """The snoozed reminder's instant; None for NEXT_REMINDER."""
    quiet_from: datetime | None = None
    """When the quiet hours concerned start (None when they did not matter)."""
    quiet_until: datetime | None = None
    """When they end (None when they did not matter)."""


BEFORE_QUIET_MARGIN = timedelta(minutes=5)
"""A shortened snooze comes this long before the quiet hours start."""
SHORTEST_SNOOZE = timedelta(minutes=10)
"""A snooze shorter than this is not worth it: it moves past the quiet hours instead."""


def place_snooze(
    now: datetime, snooze: timedelta, zone: tzinfo, hours: QuietHours | None
) -> SnoozePlace:
    """Where a snooze asked for at `now` goes so it never lands inside quiet hours.

    As asked when it lands outside them. Otherwise a little before they start, if that still
    leaves a snooze worth having; else when they end, provided that is the same local day; else
    no snooze (the quiet hours last into the next day, whose daily reminder serves).
    """
    later = now + snooze
    if not is_quiet(later, zone, hours) or hours is None:
        return SnoozePlace(Placement.AS_ASKED, later)
    ends = quiet_ends(later, zone, hours)
    if is_quiet(now, zone, hours):  # asked inside them (on a reminder sent before they began)
        return _after(now, zone, None, ends)
    begins = quiet_begins(now, zone, hours)
    before = begins - BEFORE_QUIET_MARGIN
    if before - now >= SHORTEST_SNOOZE:
        return SnoozePlace(Placement.BEFORE_QUIET, before, begins, ends)
    return _after(now, zone, begins, ends)


def _after(now: datetime, zone: tzinfo, begins: datetime | None, ends: datetime) -> SnoozePlace:
    if local_date(ends, zone) == local_date(now, zone):
        return SnoozePlace(Placement.AFTER_QUIET, ends, begins, ends)
    return SnoozePlace(Placement.NEXT_REMINDER, None, begins, ends)
