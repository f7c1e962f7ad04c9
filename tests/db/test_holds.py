"""Hold timers claimed from the database: once per hold, lease taken over after a crash."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import holds, sessions, updates
from bot.db.holds import DueHold
from bot.domain.flow import HoldElapsed, PlannedStep, StartHold, Transition, apply, start
from tests.support import factories
from tests.support.content import shipped_content

Factory = async_sessionmaker[AsyncSession]
CHECKIN = shipped_content().safety.checkin
T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
STEP = PlannedStep("seated_forward_fold", 30, 1, 1)


async def _holding(factory: Factory, user_id: int, started: datetime) -> int:
    """A session of a new person whose 30 s hold started at `started`."""
    async with factory() as db, db.begin():
        person = await factories.person(db, user_id)
        row = await sessions.create(db, person.id, start("r1", (STEP,)), started)
        result = apply(
            sessions.state_of(row), StartHold(sessions.state_of(row).seq, started), CHECKIN
        )
        assert isinstance(result, Transition)
        await sessions.save(db, row, result, started)
        return row.id


async def _claim(factory: Factory, now: datetime, limit: int = 100) -> list[DueHold]:
    async with factory() as db, db.begin():
        return await holds.claim_due(db, now, limit)


async def test_a_hold_is_claimed_once_it_ended_and_only_once(session_factory: Factory) -> None:
    session_id = await _holding(session_factory, 1, T0)
    assert await _claim(session_factory, T0 + timedelta(seconds=29)) == [], "not ended yet"
    ended = T0 + timedelta(seconds=30)
    assert await _claim(session_factory, ended) == [DueHold(session_id, 1)]
    assert await _claim(session_factory, ended + timedelta(seconds=1)) == [], "leased"
    async with session_factory() as db, db.begin():
        assert await holds.claim_one(db, session_id, ended) is None, "the alarm stands aside"


async def test_a_lapsed_lease_is_taken_over(session_factory: Factory) -> None:
    """The claimer died before ending the hold: another process rings it after the lease."""
    session_id = await _holding(session_factory, 1, T0)
    ended = T0 + timedelta(seconds=30)
    assert len(await _claim(session_factory, ended)) == 1
    assert await _claim(session_factory, ended + holds.LEASE) == []
    later = ended + holds.LEASE + timedelta(seconds=1)
    assert await _claim(session_factory, later) == [DueHold(session_id, 1)]


async def test_ending_the_hold_clears_it_and_its_lease(session_factory: Factory) -> None:
    session_id = await _holding(session_factory, 1, T0)
    ended = T0 + timedelta(seconds=30)
    (due,) = await _claim(session_factory, ended)
    async with session_factory() as db, db.begin():
        row = await sessions.get(db, session_id, lock=True)
        assert row is not None and row.hold_claimed_at == ended
        result = apply(sessions.state_of(row), HoldElapsed(due.hold_no), CHECKIN)
        assert isinstance(result, Transition)
        await sessions.save(db, row, result, ended)
    async with session_factory() as db:
        row = await sessions.get(db, session_id)
        assert row is not None and (row.hold_ends_at, row.hold_claimed_at) == (None, None)
    assert await _claim(session_factory, ended + timedelta(hours=1)) == []


async def test_released_holds_can_be_claimed_again_at_once(session_factory: Factory) -> None:
    session_id = await _holding(session_factory, 1, T0)
    ended = T0 + timedelta(seconds=30)
    assert len(await _claim(session_factory, ended)) == 1
    async with session_factory() as db, db.begin():
        await holds.release(db, session_id)
    async with session_factory() as db, db.begin():
        assert await holds.claim_one(db, session_id, ended) == DueHold(session_id, 1)


async def test_claims_take_the_oldest_first_up_to_the_limit(session_factory: Factory) -> None:
    ids = [await _holding(session_factory, n, T0 + timedelta(seconds=n)) for n in (3, 1, 2)]
    now = T0 + timedelta(minutes=1)
    first = await _claim(session_factory, now, limit=2)
    assert [hold.session_id for hold in first] == [ids[1], ids[2]]
    assert [hold.session_id for hold in await _claim(session_factory, now)] == [ids[0]]


async def test_concurrent_hold_claims_on_postgresql_never_overlap(
    backend: str, session_factory: Factory
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite serialises writers; SKIP LOCKED is a PostgreSQL feature")
    for n in range(10):
        await _holding(session_factory, n + 1, T0)
    now = T0 + timedelta(minutes=1)
    async with session_factory() as holder, holder.begin():
        held = await holds.claim_due(holder, now, 4)
        # While the first claim is not committed, a second one takes the other rows at once.
        other = await asyncio.wait_for(_claim(session_factory, now), timeout=5)
    assert len(held) == 4 and len(other) == 6
    assert {h.session_id for h in held}.isdisjoint(h.session_id for h in other)


async def test_an_update_id_is_taken_once(session_factory: Factory) -> None:
    async with session_factory() as db, db.begin():
        assert await updates.first_time(db, 41, T0)
        assert not await updates.first_time(db, 41, T0 + timedelta(seconds=1))
        assert await updates.first_time(db, 42, T0)
    async with session_factory() as db, db.begin():
        assert await updates.prune(db, T0 + updates.KEEP + timedelta(seconds=1)) == 2
        assert await updates.first_time(db, 41, T0 + updates.KEEP)
