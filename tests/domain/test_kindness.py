"""Kinder reminders' rules: the local week and the 'Not today' cap, by example and property."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.kindness import (
    NOT_TODAY_PER_WEEK,
    Placement,
    QuietHours,
    SnoozePlace,
    asks_to_rethink,
    is_quiet,
    place_snooze,
    quiet_begins,
    quiet_ends,
    week_of,
    week_start,
)
from bot.domain.schedule import local_date

BERLIN = ZoneInfo("Europe/Berlin")
AUCKLAND = ZoneInfo("Pacific/Auckland")
ZONES = st.sampled_from(
    [BERLIN, AUCKLAND, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"), UTC]
)
INSTANTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


# --- The local week -------------------------------------------------------------------------


def test_the_week_starts_on_monday_at_local_midnight() -> None:
    tuesday = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 07:00 in Berlin
    assert week_of(tuesday, BERLIN).isoformat() == "2026-11-23"
    assert week_start(tuesday, BERLIN) == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)


def test_sunday_night_in_utc_is_already_monday_in_auckland() -> None:
    sunday_night = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Monday 09:00 in Auckland
    assert week_of(sunday_night, UTC).isoformat() == "2026-11-23"
    assert week_of(sunday_night, AUCKLAND).isoformat() == "2026-11-30"


def test_a_week_with_a_clock_change_still_starts_at_its_monday_midnight() -> None:
    # Berlin left summer time on Sunday 25 October 2026: the week before began at UTC+2.
    saturday = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert week_start(saturday, BERLIN) == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)
    monday = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    assert week_start(monday, BERLIN) == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)


@given(INSTANTS, ZONES)
def test_an_instant_falls_in_the_week_begun_before_it(instant: datetime, zone: tzinfo) -> None:
    start = week_start(instant, zone)
    assert start <= instant
    assert local_date(start, zone).weekday() == 0
    assert instant - start < timedelta(days=7, hours=2)
    assert week_of(start, zone) == week_of(instant, zone)


@given(INSTANTS, ZONES)
def test_the_week_before_its_start_is_the_previous_one(instant: datetime, zone: tzinfo) -> None:
    start = week_start(instant, zone)
    before = start - timedelta(seconds=1)
    assert week_of(before, zone) == week_of(instant, zone) - timedelta(days=7)


# --- The 'Not today' cap ----------------------------------------------------------------------


def test_three_skips_a_week_are_just_skips_and_the_fourth_asks() -> None:
    assert [asks_to_rethink(before) for before in range(5)] == [False, False, False, True, True]


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=10))
def test_the_cap_asks_exactly_from_the_skip_after_it(before: int, cap: int) -> None:
    assert asks_to_rethink(before, cap) == (before + 1 > cap)


def test_the_default_cap_is_three() -> None:
    assert NOT_TODAY_PER_WEEK == 3


# --- Quiet hours ------------------------------------------------------------------------------

NIGHT = QuietHours(time(22, 0), time(7, 0))
LUNCH = QuietHours(time(13, 0), time(14, 0))
SNOOZE = timedelta(minutes=30)


def _quiet_hours() -> st.SearchStrategy[QuietHours]:
    return (
        st.tuples(st.times(), st.times())
        .filter(lambda pair: pair[0] != pair[1])
        .map(lambda pair: QuietHours(*pair))
    )


def _berlin(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def test_quiet_hours_may_cross_midnight() -> None:
    assert NIGHT.covers(time(22, 0)) and NIGHT.covers(time(23, 59)) and NIGHT.covers(time(0, 0))
    assert NIGHT.covers(time(6, 59)) and not NIGHT.covers(time(7, 0))
    assert not NIGHT.covers(time(21, 59)) and not NIGHT.covers(time(12, 0))
    assert LUNCH.covers(time(13, 30)) and not LUNCH.covers(time(14, 0))
    assert not LUNCH.covers(time(12, 59))


def test_quiet_hours_are_off_unless_both_ends_are_set_and_differ() -> None:
    assert QuietHours.of(None, time(7, 0)) is None
    assert QuietHours.of(time(7, 0), time(7, 0)) is None
    assert QuietHours.of(time(22, 0), time(7, 0)) == NIGHT
    with pytest.raises(ValueError):
        QuietHours(time(7, 0), time(7, 0))


def test_is_quiet_reads_the_persons_wall_clock() -> None:
    late = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)  # 22:30 in Berlin
    assert is_quiet(late, BERLIN, NIGHT) and not is_quiet(late, UTC, NIGHT)
    assert not is_quiet(late, BERLIN, None)


def test_quiet_hours_end_by_the_wall_clock_across_a_clock_change() -> None:
    # Berlin springs forward in the night to Sunday 29 March 2026: the night is an hour shorter.
    spring = quiet_ends(_berlin(28, 3, 23), BERLIN, NIGHT)
    assert spring == _berlin(29, 3, 7) and spring - _berlin(28, 3, 23) == timedelta(hours=7)
    # ... and falls back to Sunday 25 October: an hour longer, still 07:00 on the clock.
    autumn = quiet_ends(_berlin(24, 10, 23), BERLIN, NIGHT)
    assert autumn.astimezone(BERLIN).time() == time(7, 0)
    assert autumn - _berlin(24, 10, 23).astimezone(UTC) == timedelta(hours=9)


def test_quiet_hours_starting_in_a_skipped_hour_start_when_the_clock_jumps() -> None:
    small_hours = QuietHours(time(2, 30), time(6, 0))
    begins = quiet_begins(_berlin(29, 3, 1), BERLIN, small_hours)
    assert begins == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 summer time
    assert is_quiet(begins, BERLIN, small_hours)
    assert not is_quiet(begins - timedelta(seconds=1), BERLIN, small_hours)


def test_a_snooze_outside_quiet_hours_is_as_asked() -> None:
    now = _berlin(24, 11, 20, 0)
    assert place_snooze(now, SNOOZE, BERLIN, NIGHT) == SnoozePlace(Placement.AS_ASKED, now + SNOOZE)
    assert place_snooze(now, SNOOZE, BERLIN, None).when == now + SNOOZE


def test_a_snooze_into_quiet_hours_comes_a_little_before_they_start() -> None:
    place = place_snooze(_berlin(24, 11, 21, 45), SNOOZE, BERLIN, NIGHT)
    assert place.placement is Placement.BEFORE_QUIET
    assert place.when == _berlin(24, 11, 21, 55) and place.quiet_from == _berlin(24, 11, 22)
    assert place.quiet_until == _berlin(25, 11, 7)


def test_a_snooze_too_close_to_quiet_hours_moves_past_them_the_same_day() -> None:
    place = place_snooze(_berlin(24, 11, 12, 52), SNOOZE, BERLIN, LUNCH)
    assert (place.placement, place.when) == (Placement.AFTER_QUIET, _berlin(24, 11, 14))


def test_a_snooze_into_a_night_of_quiet_leaves_it_to_the_next_reminder() -> None:
    place = place_snooze(_berlin(24, 11, 21, 52), SNOOZE, BERLIN, NIGHT)
    assert (place.placement, place.when) == (Placement.NEXT_REMINDER, None)
    assert place.quiet_from == _berlin(24, 11, 22) and place.quiet_until == _berlin(25, 11, 7)


def test_a_snooze_asked_inside_quiet_hours_comes_when_they_end() -> None:
    place = place_snooze(_berlin(24, 11, 5, 0), SNOOZE, BERLIN, NIGHT)
    assert (place.placement, place.when) == (Placement.AFTER_QUIET, _berlin(24, 11, 7))


@given(INSTANTS, ZONES, _quiet_hours(), st.integers(min_value=1, max_value=240))
def test_a_placed_snooze_never_lands_in_quiet_hours(
    now: datetime, zone: tzinfo, hours: QuietHours, minutes: int
) -> None:
    place = place_snooze(now, timedelta(minutes=minutes), zone, hours)
    if place.when is None:
        assert place.placement is Placement.NEXT_REMINDER
        return
    assert place.when > now
    assert not is_quiet(place.when, zone, hours)
    if place.placement is Placement.AFTER_QUIET:
        assert local_date(place.when, zone) == local_date(now, zone)
    else:
        assert place.when <= now + timedelta(minutes=minutes)


@given(INSTANTS, ZONES, _quiet_hours())
def test_quiet_hours_end_after_the_instant_and_outside_them(
    instant: datetime, zone: tzinfo, hours: QuietHours
) -> None:
    ends = quiet_ends(instant, zone, hours)
    assert instant < ends <= instant + timedelta(days=1, hours=2)
    assert not is_quiet(ends, zone, hours) or ends.astimezone(zone).fold == 1


MINUTE_TIMES = st.builds(
    time, st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59)
)


@given(MINUTE_TIMES, MINUTE_TIMES, MINUTE_TIMES)
def test_covers_is_the_span_from_start_to_end(wall: time, start: time, end: time) -> None:
    def minutes(value: time) -> int:
        return value.hour * 60 + value.minute

    if start == end:
        return
    span = (minutes(end) - minutes(start)) % (24 * 60)
    into = (minutes(wall) - minutes(start)) % (24 * 60)
    assert QuietHours(start, end).covers(wall) == (into < span)
