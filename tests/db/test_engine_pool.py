"""The PostgreSQL pool is not a queue for concurrent updates.

SQLAlchemy's default pool (5 + 10 overflow) made the 16th concurrent transaction wait for
another to end: in the crowd fuzz on PostgreSQL all 15 connections were checked out and updates
waited for a connection. Thirty transactions open at once must each get a connection without
waiting. Fails on the old engine: the 16th checkout blocks until the timeout.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot.db.engine import create_engine

AT_ONCE = 30


async def test_thirty_transactions_open_at_once_on_postgresql(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    all_in = asyncio.Barrier(AT_ONCE)

    async def transaction() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            await all_in.wait()  # every one holds its connection until all thirty have one

    try:
        async with asyncio.timeout(10):
            await asyncio.gather(*(transaction() for _ in range(AT_ONCE)))
    finally:
        await engine.dispose()
