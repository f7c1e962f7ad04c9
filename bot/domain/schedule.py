"""When is the next reminder? Local wall-clock time + weekdays + zone -> one UTC instant.

Reminders are stored as a single UTC `next_reminder_at` per subscriber (see DESIGN.md), so the
only scheduling logic is this pure function, applied again after each send. Cron-style
schedulers get daylight-saving changes wrong (a time in the skipped hour never fires, a time in
the repeated hour fires twice); here the rules are explicit and property-tested:

* a local time that does not exist on a day (spring forward) fires at the first wall-clock
  instant after the gap (02:30 in a 02:00->03:00 gap fires at 03:00);
* a local time that happens twice (fall back) fires once, the first time (``fold=0``);
* at most one reminder per chosen local day, none on other days.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

#: Weekday numbers as in `date.weekday()`: Monday is 0, Sunday is 6.
ALL_WEEKDAYS: frozenset[int] = frozenset(range(7))
WEEKDAYS_MON_FRI: frozenset[int] = frozenset(range(5))

# One week plus slack: the next chosen weekday is always within 7 local days of `after`'s
# local date; the slack covers zones that once skipped a whole calendar day.
_SEARCH_DAYS = 9


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a naive datetime has no meaning here; pass an aware UTC datetime")


def local_now(now: datetime, zone: tzinfo) -> datetime:
    """The wall-clock time in `zone` at the aware instant `now` (for greetings, "today", ...)."""
    _require_aware(now)
    return now.astimezone(zone)


def local_date(instant: datetime, zone: tzinfo) -> date:
    """The calendar date in `zone` at an aware instant: which day's routine a reminder is for."""
    return local_now(instant, zone).date()


def _wall(instant: datetime, zone: tzinfo) -> datetime:
    """Naive wall-clock reading of an aware instant in `zone` (for comparing wall times)."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _end_of_gap(wall: datetime, zone: tzinfo) -> datetime:
    """The UTC instant at which the clock jumps over the non-existent wall time `wall`.

    Inside a gap, zoneinfo maps fold=1 to an instant before the jump and fold=0 to one after
    it; the jump itself is found by bisection on whole seconds (tz transitions are on whole
    seconds), so this works for any gap length, 30-minute DST and skipped days included.
    """
    before = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    after = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if after < before:  # defensive: a tzinfo that reports the offsets the other way round
        before, after = after, before
    low, high = 0, int((after - before).total_seconds()) + 1
    # Invariant: the wall clock at before+low is earlier than `wall`, at before+high it is later.
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(before + timedelta(seconds=middle), zone) > wall:
            high = middle
        else:
            low = middle
    return before + timedelta(seconds=high)


def occurrence_on(day: date, local_time: time, zone: tzinfo) -> datetime:
    """The UTC instant of `local_time` on the local date `day`, with the DST rules above."""
    wall = datetime.combine(day, local_time.replace(tzinfo=None, fold=0))
    candidate = wall.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the first of a repeated time
    if _wall(candidate, zone) == wall:
        return candidate
    return _end_of_gap(wall, zone)


def next_occurrence(
    after: datetime, local_time: time, weekdays: frozenset[int], zone: tzinfo
) -> datetime | None:
    """The first reminder instant strictly after `after` (UTC), or None when no day is chosen.

    `zone` is any tzinfo: an IANA `ZoneInfo` or a fixed offset. `local_time` must be naive; it
    is read on the wall clock of `zone`.
    """
    _require_aware(after)
    if local_time.tzinfo is not None:
        raise ValueError("local_time must be a naive wall-clock time; the zone is separate")
    if not weekdays:
        return None
    if not weekdays <= ALL_WEEKDAYS:
        raise ValueError(f"weekdays must be within 0..6, got {sorted(weekdays)}")
    start = local_date(after, zone)
    for offset in range(_SEARCH_DAYS):
        day = start + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        instant = occurrence_on(day, local_time, zone)
        if instant > after:
            return instant
    raise AssertionError("unreachable: a chosen weekday always falls within the search window")


def occurrences(
    after: datetime, local_time: time, weekdays: frozenset[int], zone: tzinfo
) -> Iterator[datetime]:
    """All reminder instants after `after`, in order (endless unless no weekday is chosen)."""
    current = next_occurrence(after, local_time, weekdays, zone)
    while current is not None:
        yield current
        current = next_occurrence(current, local_time, weekdays, zone)


def is_regular(
    due_at: datetime, reminder_time: time | None, weekdays: frozenset[int], zone: tzinfo
) -> bool:
    """True when `due_at` is an instant of the daily schedule, False for a snoozed one."""
    if reminder_time is None:
        return False
    day = local_date(due_at, zone)
    return day.weekday() in weekdays and occurrence_on(day, reminder_time, zone) == due_at
