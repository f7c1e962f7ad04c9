"""Update ids seen in webhook mode: the first worker to record one handles it, replays drop."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ProcessedUpdate

#: Telegram keeps an undelivered update for at most a day; older ids can never come back.
KEEP = timedelta(days=1)


async def first_time(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """Record `update_id`; True if no one had recorded it before (one atomic insert)."""
    values = {"update_id": update_id, "received_at": now}
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ProcessedUpdate).values(values).on_conflict_do_nothing()
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def prune(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.received_at < now - KEEP)
    )
    return int(getattr(result, "rowcount", 0) or 0)
