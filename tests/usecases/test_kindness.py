"""The quiet switch and quiet hours (`bot.usecases.kindness`), on real rows (SQLite and
PostgreSQL): what is stored, and that hours covering the daily reminder change nothing."""

from __future__ import annotations

from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Preferences
from bot.domain.kindness import QuietHours
from bot.usecases import kindness
from tests.support import factories


async def _stored(
    session_factory: async_sessionmaker[AsyncSession], subscriber_id: int
) -> tuple[bool, time | None, time | None]:
    async with session_factory() as fresh:
        row = await fresh.get(Preferences, subscriber_id)
        assert row is not None
        return row.quiet, row.quiet_from, row.quiet_until


async def test_the_quiet_switch_turns_on_and_off_again(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    assert not person.preferences.quiet

    assert await kindness.switch_quiet(db, person) is True
    await db.commit()
    assert (await _stored(session_factory, person.id))[0] is True

    assert await kindness.switch_quiet(db, person) is False
    await db.commit()
    assert (await _stored(session_factory, person.id))[0] is False


async def test_quiet_hours_are_stored_and_cleared(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db, at=time(7, 30))

    assert await kindness.set_quiet_hours(db, person, time(22, 0), time(7, 0)) is None
    await db.commit()
    assert await _stored(session_factory, person.id) == (False, time(22, 0), time(7, 0))

    assert await kindness.set_quiet_hours(db, person, None, None) is None
    await db.commit()
    assert await _stored(session_factory, person.id) == (False, None, None)


async def test_quiet_hours_over_the_daily_reminder_are_refused(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """22:00 to 08:00 covers a 07:30 reminder (across midnight): it would never come."""
    person = await factories.subscriber(db, at=time(7, 30))
    await kindness.set_quiet_hours(db, person, time(12, 0), time(13, 0))

    refused = await kindness.set_quiet_hours(db, person, time(22, 0), time(8, 0))
    await db.commit()

    assert refused == kindness.SwallowsReminder(QuietHours(time(22, 0), time(8, 0)), time(7, 30))
    assert await _stored(session_factory, person.id) == (False, time(12, 0), time(13, 0))
