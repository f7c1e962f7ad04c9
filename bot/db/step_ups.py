"""Step-up offers and their answers, stored as session events (`flow.EventKind.STEP_*`).

The offer is a row of the session it was made in, naming the stretch the routine had; the
answer is a second row for the same stretch. `bot.db.progress` reads both back into the
history, so the progression rules (`progression.step_up_offer`) see every offer made.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SessionEvent
from bot.domain.flow import EventKind
from bot.domain.progression import StepUp

_ANSWERS = (EventKind.STEP_TAKEN.value, EventKind.STEP_KEPT.value)


async def record_offer(
    session: AsyncSession, session_id: int, offer: StepUp, now: datetime
) -> None:
    session.add(
        SessionEvent(
            session_id=session_id,
            step_index=offer.index,
            stretch_id=offer.original,
            kind=EventKind.STEP_OFFERED.value,
            at=now,
        )
    )
    await session.flush()


async def answer(session: AsyncSession, session_id: int, taken: bool, now: datetime) -> str | None:
    """Store the answer to the session's offer; the stretch it was for, or None when there is
    no offer in that session or it was answered already (a second tap changes nothing)."""
    rows = (
        await session.execute(
            select(SessionEvent.kind, SessionEvent.stretch_id, SessionEvent.step_index).where(
                SessionEvent.session_id == session_id,
                SessionEvent.kind.in_((EventKind.STEP_OFFERED.value, *_ANSWERS)),
            )
        )
    ).all()
    offered = [row for row in rows if row.kind == EventKind.STEP_OFFERED]
    if not offered or any(row.kind in _ANSWERS for row in rows):
        return None
    kind = EventKind.STEP_TAKEN if taken else EventKind.STEP_KEPT
    session.add(
        SessionEvent(
            session_id=session_id,
            step_index=offered[0].step_index,
            stretch_id=offered[0].stretch_id,
            kind=kind.value,
            at=now,
        )
    )
    await session.flush()
    stretch_id: str = offered[0].stretch_id
    return stretch_id
