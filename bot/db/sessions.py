"""Queries about guided sessions and their history: the only place that builds them.

A session row keeps the flow's state as JSON and mirrors the two things queries need:
`hold_ends_at` (re-arming timers after a restart) and `status` (history, stats). `save`
applies one flow transition: new state, history rows, the ending. Loading with `lock=True`
takes a row lock on PostgreSQL, so a timer and a tap on the same session queue up instead
of both acting on the same old state (SQLite already serialises writers).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PracticeSession, SessionEvent, SessionStatus
from bot.domain.flow import Ending, EventKind, Finish, FlowState, Phase, Record, Transition
from bot.domain.stats import SessionRecord

_STATUS_OF_ENDING = {
    Ending.COMPLETED: SessionStatus.COMPLETED,
    Ending.STOPPED: SessionStatus.STOPPED,
    Ending.ABANDONED: SessionStatus.ABANDONED,
}
DONE_KINDS = (EventKind.DONE.value, EventKind.DONE_EASED.value)
HOLD_KINDS = (EventKind.HOLD.value, EventKind.HOLD_EARLY.value)


def state_of(row: PracticeSession) -> FlowState:
    return FlowState.from_json(row.state)


async def create(
    session: AsyncSession, subscriber_id: int, transition: Transition, now: datetime
) -> PracticeSession:
    """A new session row from the flow's first transition (its records are stored too)."""
    row = PracticeSession(
        subscriber_id=subscriber_id,
        routine_id=transition.state.routine_id,
        status=SessionStatus.ACTIVE,
        started_at=now,
        state={},
    )
    session.add(row)
    await session.flush()
    await save(session, row, transition, now)
    return row


async def save(
    session: AsyncSession, row: PracticeSession, transition: Transition, now: datetime
) -> None:
    """Store one transition: the state, its history rows, and the ending if it ended."""
    state = transition.state
    row.state = state.to_json()
    row.hold_ends_at = state.hold_ends_at if state.phase is Phase.HOLDING else None
    row.hold_claimed_at = None  # every transition settles the hold's lease (bot.db.holds)
    row.pain_rating = state.rating
    for effect in transition.effects:
        if isinstance(effect, Record):
            session.add(
                SessionEvent(
                    session_id=row.id,
                    step_index=effect.step_index,
                    stretch_id=effect.stretch_id,
                    side=effect.side,
                    kind=effect.kind.value,
                    checkin_answer=effect.answer_id,
                    held_seconds=effect.held_seconds,
                    planned_seconds=effect.planned_seconds,
                    at=now,
                )
            )
        elif isinstance(effect, Finish):
            row.status = _STATUS_OF_ENDING[effect.ending]
            row.finished_at = now
    await session.flush()


async def get_owned(
    session: AsyncSession, session_id: int, subscriber_id: int, *, lock: bool = False
) -> PracticeSession | None:
    """The session if it belongs to this subscriber (ids in buttons are checked, not trusted)."""
    statement = select(PracticeSession).where(
        PracticeSession.id == session_id, PracticeSession.subscriber_id == subscriber_id
    )
    if lock:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def get(
    session: AsyncSession, session_id: int, *, lock: bool = False
) -> PracticeSession | None:
    statement = select(PracticeSession).where(PracticeSession.id == session_id)
    if lock:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def active_for(
    session: AsyncSession, subscriber_id: int, *, lock: bool = False
) -> PracticeSession | None:
    """The person's running session, if any (the newest, should there ever be two)."""
    statement = (
        select(PracticeSession)
        .where(
            PracticeSession.subscriber_id == subscriber_id,
            PracticeSession.status == SessionStatus.ACTIVE,
        )
        .order_by(PracticeSession.id.desc())
        .limit(1)
    )
    if lock:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def set_message_id(session: AsyncSession, session_id: int, message_id: int) -> None:
    row = await session.get(PracticeSession, session_id)
    if row is not None:
        row.message_id = message_id
        await session.flush()


async def running_holds(session: AsyncSession) -> list[tuple[int, int, datetime]]:
    """(session id, hold number, hold end) of every running hold: re-armed at start-up."""
    result = await session.execute(
        select(PracticeSession)
        .where(
            PracticeSession.status == SessionStatus.ACTIVE,
            PracticeSession.hold_ends_at.is_not(None),
        )
        .order_by(PracticeSession.hold_ends_at)
    )
    holds: list[tuple[int, int, datetime]] = []
    for row in result.scalars():
        if row.hold_ends_at is not None:
            holds.append((row.id, state_of(row).hold_no, row.hold_ends_at))
    return holds


async def running_hold_states(session: AsyncSession) -> list[tuple[int, FlowState]]:
    """(session id, state) of every running hold: its countdown is re-armed at start-up."""
    result = await session.execute(
        select(PracticeSession).where(
            PracticeSession.status == SessionStatus.ACTIVE,
            PracticeSession.hold_ends_at.is_not(None),
        )
    )
    return [(row.id, state_of(row)) for row in result.scalars()]


async def events_of(session: AsyncSession, session_id: int) -> Sequence[SessionEvent]:
    result = await session.execute(
        select(SessionEvent).where(SessionEvent.session_id == session_id).order_by(SessionEvent.id)
    )
    return result.scalars().all()


async def latest_start(session: AsyncSession, subscriber_id: int) -> datetime | None:
    """When the person's latest session began (any ending), or None if they never had one."""
    result = await session.execute(
        select(PracticeSession.started_at)
        .where(PracticeSession.subscriber_id == subscriber_id)
        .order_by(PracticeSession.started_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def history(
    session: AsyncSession, subscriber_id: int, since: datetime
) -> list[SessionRecord]:
    """Every session started since `since`, with what was really done (for /stats)."""
    done = (
        select(
            SessionEvent.session_id.label("session_id"),
            func.count().filter(SessionEvent.kind.in_(DONE_KINDS)).label("done"),
            func.coalesce(
                func.sum(SessionEvent.held_seconds).filter(SessionEvent.kind.in_(HOLD_KINDS)), 0
            ).label("held"),
        )
        .group_by(SessionEvent.session_id)
        .subquery()
    )
    result = await session.execute(
        select(
            PracticeSession.started_at,
            PracticeSession.status,
            PracticeSession.pain_rating,
            func.coalesce(done.c.done, 0).label("done"),
            func.coalesce(done.c.held, 0).label("held"),
        )
        .outerjoin(done, done.c.session_id == PracticeSession.id)
        .where(
            PracticeSession.subscriber_id == subscriber_id,
            PracticeSession.started_at >= since,
        )
        .order_by(PracticeSession.started_at)
    )
    return [
        SessionRecord(
            started_at=row.started_at,
            completed=row.status == SessionStatus.COMPLETED,
            stretches_done=int(row.done),
            held_seconds=int(row.held),
            pain_rating=row.pain_rating,
        )
        for row in result
    ]


async def stretch_events(
    session: AsyncSession, subscriber_id: int, since: datetime
) -> list[tuple[str, str, datetime]]:
    """(stretch id, event kind, instant) of every history row of sessions started since
    `since`, oldest first (for /report's stretches done, eased and stopped)."""
    result = await session.execute(
        select(SessionEvent.stretch_id, SessionEvent.kind, SessionEvent.at)
        .join(PracticeSession, PracticeSession.id == SessionEvent.session_id)
        .where(
            PracticeSession.subscriber_id == subscriber_id,
            PracticeSession.started_at >= since,
        )
        .order_by(SessionEvent.at, SessionEvent.id)
    )
    return [(row.stretch_id, row.kind, row.at) for row in result]
