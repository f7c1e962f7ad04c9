"""Kinder reminders: the rules that keep reminders from nagging (issue 16, item 4).

Pure functions over instants and local wall-clock times, so they are tested with examples and
properties, and the chat side and the dispatcher only ask them:

* a person's week is their local week, Monday 00:00 to the next Monday 00:00 in their zone;
* after `NOT_TODAY_PER_WEEK` "Not today"s in one week, the next one still skips today but
  also asks whether the days or a pause would suit better (skipping is never refused).
"""

from __future__ import annotations

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
