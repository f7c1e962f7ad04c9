"""Due hold timers, claimed from the database like reminders, so any live process rings them.

A running hold is a session row with `hold_ends_at` set. Whichever process claims it first (one
`UPDATE ... RETURNING`, `FOR UPDATE SKIP LOCKED` on PostgreSQL) takes a lease
(`hold_claimed_at`) and applies the flow's `HoldElapsed`; that transition clears both columns.
If the claiming process dies before it commits, the lease lapses and another one takes over.
Claiming twice is harmless anyway: the flow ignores an alarm for a hold that is not current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PracticeSession, SessionStatus
from bot.domain.flow import FlowState

#: Long enough for claim -> flow -> commit; after it, another process may take the hold over.
LEASE = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class DueHold:
    session_id: int
    hold_no: int


def _claimable(now: datetime) -> Select[Any]:
    return select(PracticeSession.id).where(
        PracticeSession.status == SessionStatus.ACTIVE,
        PracticeSession.hold_ends_at.is_not(None),
        PracticeSession.hold_claimed_at.is_(None) | (PracticeSession.hold_claimed_at < now - LEASE),
    )


async def _claim(session: AsyncSession, ids: Select[Any], now: datetime) -> list[DueHold]:
    rows = (
        await session.execute(
            update(PracticeSession)
            .where(PracticeSession.id.in_(ids.scalar_subquery()))
            .values(hold_claimed_at=now)
            .returning(PracticeSession.id, PracticeSession.state)
            .execution_options(synchronize_session=False)
        )
    ).all()
    return [DueHold(row.id, FlowState.from_json(row.state).hold_no) for row in rows]


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> list[DueHold]:
    """Take up to `limit` holds that ended by `now` and nobody holds a live lease on."""
    due = (
        _claimable(now)
        .where(PracticeSession.hold_ends_at <= now)
        .order_by(PracticeSession.hold_ends_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return await _claim(session, due, now)


async def claim_one(session: AsyncSession, session_id: int, now: datetime) -> DueHold | None:
    """Take this session's running hold (its local alarm rang), unless someone has it."""
    mine = _claimable(now).where(PracticeSession.id == session_id).with_for_update(skip_locked=True)
    claimed = await _claim(session, mine, now)
    return claimed[0] if claimed else None


async def release(session: AsyncSession, session_id: int) -> None:
    """Give a claimed hold back (the alarm was for an older hold, or ringing it failed)."""
    await session.execute(
        update(PracticeSession)
        .where(PracticeSession.id == session_id)
        .values(hold_claimed_at=None)
        .execution_options(synchronize_session=False)
    )
