"""Many writers at once through the bot's own engine: none fails with 'database is locked'.

With 256 updates handled concurrently and the dispatcher beside them, one process has many
transactions open at once. On SQLite only one may write at a time; the engine's settings (WAL,
a busy timeout) must make the others queue for the lock rather than fail. Each writer owns one
person, as the per-person update order gives each handler its person; all of them also write
to one shared table (recorded update ids) and read between writes. PostgreSQL runs the same
hammer, as every database test does.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import updates
from bot.db.models import ProcessedUpdate, Subscriber

WRITERS = 64
ROUNDS = 8
NOW = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)


async def test_many_concurrent_writers_all_commit_and_none_is_refused(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as db:
        rows = [
            Subscriber(telegram_user_id=900 + n, chat_id=900 + n, first_name="0")
            for n in range(WRITERS)
        ]
        db.add_all(rows)
        await db.commit()
        ids = [row.id for row in rows]

    async def writer(number: int) -> None:
        for round_number in range(ROUNDS):
            async with session_factory() as db:
                # The handlers' shape: read the person, let others run, then write and commit.
                person = (
                    await db.execute(select(Subscriber).where(Subscriber.id == ids[number]))
                ).scalar_one()
                await asyncio.sleep(0)
                person.first_name = str(int(person.first_name or "0") + 1)
                assert await updates.first_time(db, number * ROUNDS + round_number, NOW)
                await asyncio.sleep(0)
                await db.commit()
            async with session_factory() as db:  # a read between writes, as /help does
                await db.execute(select(func.count()).select_from(Subscriber))

    await asyncio.gather(*(writer(n) for n in range(WRITERS)))

    async with session_factory() as db:
        names = (await db.execute(select(Subscriber.first_name))).scalars().all()
        recorded = await db.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert sorted(names) == [str(ROUNDS)] * WRITERS
    assert recorded == WRITERS * ROUNDS
