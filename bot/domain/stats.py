"""Progress figures from session history: streak, this week against the goal, minutes, pain trend.

Pure functions over plain records, so the numbers /stats shows are tested without a database.
Days and weeks are the person's local ones (a session at 23:30 in Berlin belongs to that day).
Only sessions with at least one stretch really done count as practice; skipped and stopped
sessions stay out of the streak and the weekly count, though the time actually held counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from bot.domain.schedule import local_date

GOAL_MIN_PER_WEEK = 3
GOAL_MAX_PER_WEEK = 5
TREND_WINDOW = 6
"""At most this many of the latest pain ratings shape the trend."""
TREND_STEP = 1.0
"""The newer half of the ratings must differ by this much on average to count as a change."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    started_at: datetime
    completed: bool
    stretches_done: int
    held_seconds: int
    pain_rating: int | None = None

    @property
    def practised(self) -> bool:
        return self.completed and self.stretches_done > 0


class Trend(StrEnum):
    NOT_ENOUGH = "not_enough"
    EASING = "easing"
    STEADY = "steady"
    RISING = "rising"


class GoalStatus(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


@dataclass(frozen=True, slots=True)
class WeekBar:
    """One bar of the weekly chart: the Monday that starts the week and its sessions."""

    monday: date
    sessions: int
    minutes: float


@dataclass(frozen=True, slots=True)
class Stats:
    streak_days: int
    sessions_this_week: int
    goal_status: GoalStatus
    minutes_this_month: float
    ratings: tuple[int, ...]
    trend: Trend
    weeks: tuple[WeekBar, ...]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def streak(records: Iterable[SessionRecord], today: date, zone: tzinfo) -> int:
    """Local days in a row with practice, ending today, or yesterday if today is still open."""
    days = {local_date(r.started_at, zone) for r in records if r.practised}
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def sessions_in_week(records: Iterable[SessionRecord], today: date, zone: tzinfo) -> int:
    """Practice sessions in the local Monday-to-Sunday week that contains `today`."""
    monday = monday_of(today)
    return sum(
        1 for r in records if r.practised and monday_of(local_date(r.started_at, zone)) == monday
    )


def goal_status(sessions: int) -> GoalStatus:
    if sessions < GOAL_MIN_PER_WEEK:
        return GoalStatus.BELOW
    if sessions > GOAL_MAX_PER_WEEK:
        return GoalStatus.ABOVE
    return GoalStatus.WITHIN


def minutes_in_month(records: Iterable[SessionRecord], today: date, zone: tzinfo) -> float:
    """Minutes actually held in the local calendar month of `today`, stopped sessions included."""
    seconds = sum(
        r.held_seconds
        for r in records
        if (day := local_date(r.started_at, zone)).year == today.year and day.month == today.month
    )
    return seconds / 60


def pain_trend(ratings: Sequence[int]) -> Trend:
    """Compare the older and newer halves of the latest ratings (0 = no pain, 10 = worst)."""
    latest = list(ratings)[-TREND_WINDOW:]
    if len(latest) < 2:
        return Trend.NOT_ENOUGH
    half = len(latest) // 2
    older, newer = latest[:half], latest[-half:]
    change = sum(newer) / len(newer) - sum(older) / len(older)
    if change >= TREND_STEP:
        return Trend.RISING
    if change <= -TREND_STEP:
        return Trend.EASING
    return Trend.STEADY


def weekly_bars(
    records: Iterable[SessionRecord], today: date, zone: tzinfo, weeks: int = 8
) -> tuple[WeekBar, ...]:
    """The last `weeks` local weeks, oldest first, ending with the week of `today`."""
    this_monday = monday_of(today)
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    sessions = dict.fromkeys(mondays, 0)
    seconds = dict.fromkeys(mondays, 0)
    for r in records:
        monday = monday_of(local_date(r.started_at, zone))
        if monday not in sessions:
            continue
        seconds[monday] += r.held_seconds
        if r.practised:
            sessions[monday] += 1
    return tuple(WeekBar(m, sessions[m], seconds[m] / 60) for m in mondays)


def compute(records: Sequence[SessionRecord], now: datetime, zone: tzinfo) -> Stats:
    """Everything /stats shows, for a person in `zone` at the instant `now`."""
    today = local_date(now, zone)
    ordered = sorted(records, key=lambda r: r.started_at)
    ratings = tuple(r.pain_rating for r in ordered if r.pain_rating is not None)
    this_week = sessions_in_week(ordered, today, zone)
    return Stats(
        streak_days=streak(ordered, today, zone),
        sessions_this_week=this_week,
        goal_status=goal_status(this_week),
        minutes_this_month=minutes_in_month(ordered, today, zone),
        ratings=ratings,
        trend=pain_trend(ratings),
        weeks=weekly_bars(ordered, today, zone),
    )
