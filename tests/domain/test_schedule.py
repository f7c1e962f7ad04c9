"""Reminder times: fixed DST cases by hand, then properties over many zones and 2026–2030.

The property test compares `next_occurrence` with a brute-force oracle that walks the clock
minute by minute: the reminder for a local day is the first instant whose wall clock reads the
chosen time or later. That single rule is the spec: it gives the exact time on normal days, the
first instant after a spring-forward gap, and the first pass through a repeated fall-back hour.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.schedule import (
    ALL_WEEKDAYS,
    WEEKDAYS_MON_FRI,
    local_date,
    local_now,
    next_occurrence,
    occurrence_on,
    occurrences,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
SANTIAGO = ZoneInfo("America/Santiago")
CHATHAM = ZoneInfo("Pacific/Chatham")

DST_ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/Santiago",
    "America/Havana",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Australia/Sydney",
    "Pacific/Chatham",
    "Pacific/Auckland",
    "Antarctica/Troll",
    "Asia/Tehran",
    "Asia/Jerusalem",
    "Africa/Casablanca",
)
ALL_ZONES = tuple(sorted(available_timezones()))
YEARS_START = datetime(2026, 1, 1, tzinfo=UTC)
YEARS_END = datetime(2030, 12, 31, tzinfo=UTC)
WINDOW = timedelta(days=21)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _take(iterator: Iterator[datetime], count: int) -> list[datetime]:
    return list(itertools.islice(iterator, count))


# --- hand-checked cases ---------------------------------------------------------------------


def test_plain_day_fires_at_the_local_time() -> None:
    got = next_occurrence(utc(2026, 6, 1, 0, 0), time(7, 30), ALL_WEEKDAYS, BERLIN)
    assert got == utc(2026, 6, 1, 5, 30)  # CEST is UTC+2


def test_result_is_strictly_after() -> None:
    exact = utc(2026, 6, 1, 5, 30)
    assert next_occurrence(exact, time(7, 30), ALL_WEEKDAYS, BERLIN) == utc(2026, 6, 2, 5, 30)
    just_before = exact - timedelta(microseconds=1)
    assert next_occurrence(just_before, time(7, 30), ALL_WEEKDAYS, BERLIN) == exact


def test_spring_forward_gap_fires_when_the_clock_resumes() -> None:
    # Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    got = next_occurrence(utc(2026, 3, 28, 12), time(2, 30), ALL_WEEKDAYS, BERLIN)
    assert got == utc(2026, 3, 29, 1, 0)
    assert wall(got, BERLIN) == datetime(2026, 3, 29, 3, 0)
    # and the day after is back to 02:30 local
    following = next_occurrence(got, time(2, 30), ALL_WEEKDAYS, BERLIN)
    assert following is not None
    assert wall(following, BERLIN) == datetime(2026, 3, 30, 2, 30)


def test_new_york_two_am_on_the_spring_forward_day_fires_at_three() -> None:
    got = next_occurrence(utc(2026, 3, 8), time(2, 0), ALL_WEEKDAYS, NEW_YORK)
    assert got is not None
    assert wall(got, NEW_YORK) == datetime(2026, 3, 8, 3, 0)


def test_fall_back_fires_once_at_the_first_pass() -> None:
    # Berlin 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens at 00:30 and 01:30 UTC.
    start = utc(2026, 10, 24, 12)
    got = _take(occurrences(start, time(2, 30), ALL_WEEKDAYS, BERLIN), 2)
    assert got == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]
    # starting between the two passes skips the second pass
    between = utc(2026, 10, 25, 1, 0)
    assert next_occurrence(between, time(2, 30), ALL_WEEKDAYS, BERLIN) == utc(2026, 10, 26, 1, 30)


def test_lord_howe_half_hour_gap() -> None:
    # Lord Howe 2026-10-04: 02:00 +10:30 jumps to 02:30 +11:00.
    got = next_occurrence(utc(2026, 10, 3), time(2, 10), ALL_WEEKDAYS, LORD_HOWE)
    assert got is not None
    assert wall(got, LORD_HOWE) == datetime(2026, 10, 4, 2, 30)


def test_santiago_midnight_gap() -> None:
    # Chile 2026-09-06: the clock jumps from 00:00 to 01:00, so midnight does not exist.
    got = next_occurrence(utc(2026, 9, 5, 12), time(0, 0), ALL_WEEKDAYS, SANTIAGO)
    assert got is not None
    assert wall(got, SANTIAGO) == datetime(2026, 9, 6, 1, 0)


def test_chatham_quarter_hour_zone() -> None:
    got = next_occurrence(utc(2026, 1, 10), time(7, 0), ALL_WEEKDAYS, CHATHAM)
    assert got is not None
    # 00:00 UTC is already 13:45 local, so the next 07:00 is tomorrow (+13:45 in summer).
    assert got == utc(2026, 1, 10, 17, 15)
    assert wall(got, CHATHAM) == datetime(2026, 1, 11, 7, 0)
    assert CHATHAM.utcoffset(wall(got, CHATHAM)) == timedelta(hours=13, minutes=45)


def test_weekdays_only_the_chosen_ones() -> None:
    start = utc(2026, 6, 1)  # a Monday
    mon_wed_fri = frozenset({0, 2, 4})
    got = _take(occurrences(start, time(18, 0), mon_wed_fri, BERLIN), 6)
    assert [local_date(g, BERLIN).weekday() for g in got] == [0, 2, 4, 0, 2, 4]
    workdays = _take(occurrences(start, time(18, 0), WEEKDAYS_MON_FRI, BERLIN), 6)
    assert [local_date(g, BERLIN).weekday() for g in workdays] == [0, 1, 2, 3, 4, 0]


def test_weekday_is_the_local_one_not_the_utc_one() -> None:
    # 07:00 on Monday in Auckland is still Sunday in UTC.
    auckland = ZoneInfo("Pacific/Auckland")
    got = next_occurrence(utc(2026, 6, 6), time(7, 0), frozenset({0}), auckland)
    assert got == utc(2026, 6, 7, 19, 0)
    assert got.weekday() == 6
    assert local_date(got, auckland).weekday() == 0


def test_no_weekdays_means_no_reminder() -> None:
    assert next_occurrence(utc(2026, 1, 1), time(7, 0), frozenset(), BERLIN) is None
    assert list(occurrences(utc(2026, 1, 1), time(7, 0), frozenset(), BERLIN)) == []


def test_fixed_offset_zone() -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    assert next_occurrence(utc(2026, 1, 1), time(7, 0), ALL_WEEKDAYS, india) == utc(
        2026, 1, 1, 1, 30
    )


def test_after_in_another_zone_is_fine() -> None:
    after = datetime(2026, 6, 1, 7, 0, tzinfo=NEW_YORK)  # 11:00 UTC
    assert next_occurrence(after, time(13, 0), ALL_WEEKDAYS, BERLIN) == utc(2026, 6, 2, 11, 0)
    assert next_occurrence(after, time(13, 1), ALL_WEEKDAYS, BERLIN) == utc(2026, 6, 1, 11, 1)


def test_rejects_naive_and_bad_input() -> None:
    with pytest.raises(ValueError, match="naive"):
        next_occurrence(datetime(2026, 1, 1), time(7, 0), ALL_WEEKDAYS, BERLIN)
    with pytest.raises(ValueError, match="naive wall-clock"):
        next_occurrence(utc(2026, 1, 1), time(7, 0, tzinfo=UTC), ALL_WEEKDAYS, BERLIN)
    with pytest.raises(ValueError, match=r"0\.\.6"):
        next_occurrence(utc(2026, 1, 1), time(7, 0), frozenset({7}), BERLIN)
    with pytest.raises(ValueError, match="naive"):
        local_now(datetime(2026, 1, 1), BERLIN)


def test_local_now_and_local_date() -> None:
    instant = utc(2026, 12, 31, 23, 30)
    assert local_now(instant, BERLIN) == datetime(2027, 1, 1, 0, 30, tzinfo=BERLIN)
    assert local_date(instant, BERLIN) == date(2027, 1, 1)
    assert local_date(instant, NEW_YORK) == date(2026, 12, 31)


def test_skipped_calendar_day_still_fires_once() -> None:
    # Samoa skipped 2011-12-30 entirely; the reminder for that day fires when the clock resumes.
    apia = ZoneInfo("Pacific/Apia")
    assert wall(occurrence_on(date(2011, 12, 30), time(7, 0), apia), apia) == datetime(
        2011, 12, 31, 0, 0
    )


# --- properties -----------------------------------------------------------------------------


@functools.cache
def _transitions(key: str) -> tuple[datetime, ...]:
    """UTC instants in 2026–2030 where the zone's offset changes (daily scan, then bisect)."""
    zone = ZoneInfo(key)
    found: list[datetime] = []
    day = YEARS_START
    while day < YEARS_END:
        nxt = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            low, high = day, nxt
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
        day = nxt
    return tuple(found)


def _oracle(day: date, local_time: time, zone: ZoneInfo) -> datetime:
    """First whole-minute UTC instant whose wall clock reads `local_time` on `day` or later."""
    target = datetime.combine(day, local_time)
    probe = target.replace(tzinfo=zone).astimezone(UTC) - timedelta(hours=4)
    probe = probe.replace(second=0, microsecond=0)
    assert wall(probe, zone) < target, "oracle must start before the target"
    for _ in range(8 * 60):
        if wall(probe, zone) >= target:
            return probe
        probe += timedelta(minutes=1)
    raise AssertionError("oracle found no instant within 8 hours")


@st.composite
def _cases(draw: st.DrawFn) -> tuple[ZoneInfo, datetime, time, frozenset[int]]:
    key = draw(st.one_of(st.sampled_from(DST_ZONES), st.sampled_from(ALL_ZONES)))
    zone = ZoneInfo(key)
    transitions = _transitions(key)
    near_a_transition = draw(st.booleans())
    if transitions and near_a_transition:
        # Start shortly before a transition, at a local time close to where the clock jumps.
        moment = draw(st.sampled_from(transitions))
        start = moment - timedelta(minutes=draw(st.integers(0, 4 * 24 * 60)))
        around = wall(moment, zone) + timedelta(minutes=draw(st.integers(-90, 90)))
        local_time = around.time().replace(second=0, microsecond=0)
    else:
        start = draw(st.datetimes(YEARS_START.replace(tzinfo=None), YEARS_END.replace(tzinfo=None)))
        start = start.replace(tzinfo=UTC)
        local_time = time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return zone, start, local_time, weekdays


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cases())
def test_reminders_match_the_wall_clock_rule(
    case: tuple[ZoneInfo, datetime, time, frozenset[int]],
) -> None:
    zone, start, local_time, weekdays = case
    end = start + WINDOW
    got: list[datetime] = []
    for instant in occurrences(start, local_time, weekdays, zone):
        if instant > end:
            break
        got.append(instant)

    # strictly increasing, all after the start, all UTC
    assert all(a < b for a, b in zip([start, *got], got, strict=False))
    assert all(g.utcoffset() == timedelta(0) for g in got)

    # one per chosen local day, none on other days
    days = [local_date(g, zone) for g in got]
    assert len(set(days)) == len(days), "two reminders on one local day"
    assert all(d.weekday() in weekdays for d in days)

    # exactly the days the oracle expects, at exactly the oracle's instants
    first_day = local_date(start, zone) - timedelta(days=1)
    candidates = (first_day + timedelta(days=i) for i in range(WINDOW.days + 3))
    expected = [
        fire
        for day in candidates
        if day.weekday() in weekdays
        for fire in [_oracle(day, local_time, zone)]
        if start < fire <= end
    ]
    assert got == expected

    # at the chosen wall time when it exists, else the first instant after the gap
    for instant in got:
        target = datetime.combine(local_date(instant, zone), local_time)
        shown = wall(instant, zone)
        if shown != target:
            assert shown > target
            assert wall(instant - timedelta(seconds=1), zone) < target
