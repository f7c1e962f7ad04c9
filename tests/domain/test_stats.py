"""Streak, the weekly goal, minutes this month and the pain trend, in the person's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.stats import (
    GoalStatus,
    SessionRecord,
    Trend,
    compute,
    goal_status,
    minutes_in_month,
    pain_trend,
    sessions_in_week,
    streak,
    weekly_bars,
)

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2025, 3, 12)  # a Wednesday


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN).astimezone(UTC)


def done(day: date, held: int = 120, rating: int | None = None, hour: int = 9) -> SessionRecord:
    return SessionRecord(at(day, hour), True, 3, held, rating)


def stopped(day: date, held: int = 60) -> SessionRecord:
    return SessionRecord(at(day), False, 1, held)


def test_streak_counts_days_in_a_row_ending_today_or_yesterday() -> None:
    days = [TODAY - timedelta(days=n) for n in (0, 1, 2, 4)]
    assert streak([done(d) for d in days], TODAY, BERLIN) == 3
    yesterday_run = [done(TODAY - timedelta(days=n)) for n in (1, 2)]
    assert streak(yesterday_run, TODAY, BERLIN) == 2
    assert streak([done(TODAY - timedelta(days=2))], TODAY, BERLIN) == 0


def test_streak_ignores_stopped_and_empty_sessions() -> None:
    skipped_all = SessionRecord(at(TODAY), True, 0, 0)
    assert streak([stopped(TODAY), skipped_all], TODAY, BERLIN) == 0


def test_local_day_decides_late_evening_sessions() -> None:
    # 23:00 in Berlin on the 11th and 00:00 on the 12th are two local days, one UTC day.
    late = done(TODAY - timedelta(days=1), hour=23)
    just_after_midnight = done(TODAY, hour=0)
    assert streak([late, just_after_midnight], TODAY, BERLIN) == 2
    assert streak([late, just_after_midnight], TODAY, ZoneInfo("UTC")) == 1


def test_week_is_monday_to_sunday_and_counts_practice_only() -> None:
    monday = date(2025, 3, 10)
    records = [
        done(monday),
        done(TODAY),
        stopped(TODAY),
        done(monday - timedelta(days=1)),  # last Sunday
    ]
    assert sessions_in_week(records, TODAY, BERLIN) == 2


@pytest.mark.parametrize(
    ("count", "status"),
    [
        (0, GoalStatus.BELOW),
        (2, GoalStatus.BELOW),
        (3, GoalStatus.WITHIN),
        (5, GoalStatus.WITHIN),
        (6, GoalStatus.ABOVE),
    ],
)
def test_goal_is_three_to_five_a_week(count: int, status: GoalStatus) -> None:
    assert goal_status(count) is status


def test_minutes_this_month_count_held_time_even_of_stopped_sessions() -> None:
    records = [done(TODAY, held=300), stopped(TODAY, held=90), done(date(2025, 2, 28), held=600)]
    assert minutes_in_month(records, TODAY, BERLIN) == pytest.approx(6.5)


@pytest.mark.parametrize(
    ("ratings", "trend"),
    [
        ([], Trend.NOT_ENOUGH),
        ([4], Trend.NOT_ENOUGH),
        ([6, 5, 4, 3], Trend.EASING),
        ([2, 2, 3, 2], Trend.STEADY),
        ([1, 2, 4, 5], Trend.RISING),
        ([9, 9, 9, 2, 2, 3, 3, 2, 2], Trend.STEADY),  # only the latest six count
    ],
)
def test_pain_trend(ratings: list[int], trend: Trend) -> None:
    assert pain_trend(ratings) is trend


def test_weekly_bars_end_with_this_week_oldest_first() -> None:
    records = [done(TODAY), done(TODAY - timedelta(weeks=2)), stopped(TODAY - timedelta(weeks=2))]
    bars = weekly_bars(records, TODAY, BERLIN, weeks=4)
    mondays = [date(2025, 2, 17), date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10)]
    assert [b.monday for b in bars] == mondays
    assert [b.sessions for b in bars] == [0, 1, 0, 1]
    assert bars[1].minutes == pytest.approx(3.0)


def test_compute_puts_it_together_in_time_order() -> None:
    records = [done(TODAY, rating=2), done(TODAY - timedelta(days=1), rating=5)]
    stats = compute(records, at(TODAY, 20), BERLIN)
    assert stats.streak_days == 2
    assert stats.sessions_this_week == 2 and stats.goal_status is GoalStatus.BELOW
    assert stats.ratings == (5, 2) and stats.trend is Trend.EASING
    assert len(stats.weeks) == 8


def test_naive_times_are_refused() -> None:
    naive = SessionRecord(datetime(2025, 3, 12, 9), True, 1, 30)
    with pytest.raises(ValueError, match="naive"):
        streak([naive], TODAY, BERLIN)


@given(st.lists(st.integers(0, 60), max_size=40))
def test_streak_never_exceeds_distinct_practice_days(offsets: list[int]) -> None:
    records = [done(TODAY - timedelta(days=n)) for n in offsets]
    assert 0 <= streak(records, TODAY, BERLIN) <= len(set(offsets))
    assert sessions_in_week(records, TODAY, BERLIN) <= len(records)
