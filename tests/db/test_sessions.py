"""Session rows: transitions stored honestly, holds found for re-arming, history for /stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import sessions
from bot.db.models import SessionStatus
from bot.domain.flow import (
    CheckIn,
    End,
    EventKind,
    FlowState,
    HoldElapsed,
    Phase,
    PlannedStep,
    Rate,
    Skip,
    StartHold,
    Transition,
    apply,
    start,
)
from tests.support import factories
from tests.support.content import shipped_content

CHECKIN = shipped_content().safety.checkin
T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
ONCE = PlannedStep("seated_forward_fold", 30, 1, 1)
TWO_SIDES = PlannedStep("supine_hamstring_strap", 30, 1, 2)


def _go(state: FlowState, event: object) -> Transition:
    result = apply(state, event, CHECKIN)  # type: ignore[arg-type]
    assert isinstance(result, Transition)
    return result


async def _advance(db: AsyncSession, row_id: int, event: object, now: datetime) -> FlowState:
    row = await sessions.get(db, row_id, lock=True)
    assert row is not None
    result = _go(sessions.state_of(row), event)
    await sessions.save(db, row, result, now)
    return result.state


async def test_a_completed_session_keeps_every_step_as_it_happened(db: AsyncSession) -> None:
    owner = (await factories.person(db)).id
    row = await sessions.create(db, owner, start("r1", (TWO_SIDES, ONCE)), T0)
    state = sessions.state_of(row)
    state = await _advance(db, row.id, StartHold(state.seq, T0), T0)
    assert row.hold_ends_at == T0 + timedelta(seconds=30)
    state = await _advance(db, row.id, HoldElapsed(state.hold_no), T0)
    state = await _advance(db, row.id, StartHold(state.seq, T0), T0)
    state = await _advance(db, row.id, HoldElapsed(state.hold_no), T0)
    assert row.hold_ends_at is None
    state = await _advance(db, row.id, CheckIn(state.seq, "gentle"), T0)
    state = await _advance(db, row.id, Skip(state.seq), T0 + timedelta(minutes=2))
    assert state.phase is Phase.DONE
    state = await _advance(db, row.id, Rate(state.seq, 2), T0 + timedelta(minutes=3))
    await db.commit()

    assert (row.status, row.pain_rating) == (SessionStatus.COMPLETED, 2)
    assert row.finished_at == T0 + timedelta(minutes=2)
    events = await sessions.events_of(db, row.id)
    assert [(e.kind, e.side, e.held_seconds, e.planned_seconds) for e in events] == [
        ("hold", "left", 30, 30),
        ("hold", "right", 30, 30),
        ("checkin", None, None, None),
        ("done", None, None, None),
        ("skipped", None, None, None),
    ]
    (record,) = await sessions.history(db, owner, T0 - timedelta(days=1))
    assert (record.completed, record.stretches_done, record.held_seconds, record.pain_rating) == (
        True,
        1,
        60,
        2,
    )


async def test_an_ended_session_is_stopped_not_completed(db: AsyncSession) -> None:
    owner = (await factories.person(db)).id
    row = await sessions.create(db, owner, start("r1", (ONCE,)), T0)
    state = await _advance(db, row.id, End(sessions.state_of(row).seq), T0)
    assert state.phase is Phase.STOPPED
    assert row.status is SessionStatus.STOPPED
    assert [e.kind for e in await sessions.events_of(db, row.id)] == [EventKind.ENDED.value]
    (record,) = await sessions.history(db, owner, T0 - timedelta(days=1))
    assert not record.completed and record.stretches_done == 0


async def test_active_session_and_ownership(db: AsyncSession) -> None:
    owner, stranger = (await factories.person(db, 1)).id, (await factories.person(db, 2)).id
    row = await sessions.create(db, owner, start("r1", (ONCE,)), T0)
    assert (await sessions.active_for(db, owner, lock=True)) is row
    assert await sessions.active_for(db, stranger) is None
    assert await sessions.get_owned(db, row.id, stranger) is None
    assert await sessions.get_owned(db, row.id, owner) is row
    await _advance(db, row.id, End(sessions.state_of(row).seq), T0)
    assert await sessions.active_for(db, owner) is None


async def test_running_holds_survive_a_new_connection(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as db:
        owner = (await factories.person(db)).id
        holding = await sessions.create(db, owner, start("r1", (ONCE,)), T0)
        await _advance(db, holding.id, StartHold(0, T0, 0.5), T0)
        await sessions.create(db, owner, start("r2", (ONCE,)), T0)
        await sessions.set_message_id(db, holding.id, 777)
        await db.commit()
        holding_id = holding.id
    async with session_factory() as db:
        assert await sessions.running_holds(db) == [(holding_id, 1, T0 + timedelta(seconds=15))]
        row = await sessions.get(db, holding_id)
        assert row is not None and row.message_id == 777
        assert sessions.state_of(row).phase is Phase.HOLDING


async def test_history_starts_at_since(db: AsyncSession) -> None:
    owner = (await factories.person(db)).id
    await sessions.create(db, owner, start("old", (ONCE,)), T0 - timedelta(days=40))
    await sessions.create(db, owner, start("new", (ONCE,)), T0)
    records = await sessions.history(db, owner, T0 - timedelta(days=30))
    assert [r.started_at for r in records] == [T0]
    assert records[0].held_seconds == 0 and not records[0].completed
