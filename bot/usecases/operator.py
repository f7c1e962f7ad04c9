"""What an operator sees of the whole bot: counts only, never a person.

/admin and the metrics gauge ask the same questions, so they read them here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import overview
from bot.db.overview import DayOfReminders

__all__ = ["DayOfReminders", "Overview", "open_holds", "overview_at"]


@dataclass(frozen=True, slots=True)
class Overview:
    """People by status, today's reminders (UTC day) and how many people a red flag holds."""

    by_status: dict[str, int]
    today: DayOfReminders
    open_holds: int


async def overview_at(db: AsyncSession, now: datetime) -> Overview:
    """The overview as of `now`; "today" is the UTC day that holds it."""
    day_start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    return Overview(
        by_status=await overview.subscribers_by_status(db),
        today=await overview.reminders_on(db, day_start),
        open_holds=await overview.open_holds(db),
    )


async def open_holds(db: AsyncSession) -> int:
    """People a red flag holds right now (the metrics gauge)."""
    return await overview.open_holds(db)
