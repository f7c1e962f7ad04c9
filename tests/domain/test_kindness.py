"""Kinder reminders' rules: the local week and the 'Not today' cap, by example and property."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.kindness import NOT_TODAY_PER_WEEK, asks_to_rethink, week_of, week_start
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
