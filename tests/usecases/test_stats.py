"""/stats' figures for one person (`bot.usecases.stats.figures`), on real rows (SQLite and
PostgreSQL): only their own sessions, only within the look-back, counted in their own zone.
The caption and the chart are the e2e tests' business (tests/e2e/test_stats.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.usecases import stats
from tests.support import factories

# Monday 23 November 2026, 10:00 UTC.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DONE = [("calf", "done", None)]


async def test_a_stranger_and_someone_without_sessions_have_no_figures(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    other = await factories.subscriber(db, 2002)
    await factories.practice_session(db, other.id, NOW - timedelta(days=1), DONE)

    assert await stats.figures(db, None, NOW, "UTC") is None
    assert await stats.figures(db, person, NOW, "UTC") is None  # the other's session is theirs


async def test_a_session_older_than_the_look_back_is_not_counted(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    await factories.practice_session(db, person.id, NOW - stats.LOOKBACK - timedelta(hours=1), DONE)
    assert await stats.figures(db, person, NOW, "UTC") is None

    await factories.practice_session(db, person.id, NOW - timedelta(days=1), DONE)
    figures = await stats.figures(db, person, NOW, "UTC")
    assert figures is not None
    assert (figures.streak_days, sum(week.sessions for week in figures.weeks)) == (1, 1)


async def test_the_days_are_the_persons_own(db: AsyncSession) -> None:
    """Sunday 23:30 UTC is Monday 08:30 in Tokyo, Sunday 10:00 UTC is still Sunday there: in
    Tokyo one session this (Monday to Sunday) week and two days in a row; in UTC, none this week
    and one day. Someone without a zone of their own counts in the default one."""
    tokyo = await factories.subscriber(db, zone="Asia/Tokyo")
    utc = await factories.subscriber(db, 2002, zone="UTC")
    zoneless = await factories.subscriber(db, 2003, zone=None)
    for person in (tokyo, utc, zoneless):
        await factories.practice_session(db, person.id, NOW - timedelta(hours=10, minutes=30), DONE)
        await factories.practice_session(db, person.id, NOW - timedelta(days=1), DONE)

    for person, default, expected in (
        (tokyo, "UTC", (1, 2)),
        (utc, "Asia/Tokyo", (0, 1)),
        (zoneless, "Asia/Tokyo", (1, 2)),
        (zoneless, "UTC", (0, 1)),
    ):
        figures = await stats.figures(db, person, NOW, default)
        assert figures is not None
        assert (figures.sessions_this_week, figures.streak_days) == expected, person.timezone
