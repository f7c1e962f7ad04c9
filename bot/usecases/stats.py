"""/stats for one person: read their recent sessions, let `bot.domain.stats` do the figures.

Read only: nothing is written; the caller draws the chart and sends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import sessions
from bot.db.models import Subscriber
from bot.domain import stats
from bot.domain.zones import local_zone

__all__ = ["LOOKBACK", "figures"]

LOOKBACK = timedelta(days=8 * 7 + 31)
"""Enough history for the eight weeks of the chart and the whole current month."""


async def figures(
    db: AsyncSession, person: Subscriber | None, now: datetime, default_timezone: str
) -> stats.Stats | None:
    """The figures as they stand at `now`, in the person's zone; None when there is nothing to
    count: a stranger, or no session started within `LOOKBACK`."""
    if person is None:
        return None
    records = await sessions.history(db, person.id, now - LOOKBACK)
    if not records:
        return None
    return stats.compute(records, now, local_zone(person.timezone, default_timezone))
