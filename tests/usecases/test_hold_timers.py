"""The timer jobs' claims (`bot.usecases.hold_timers`), on real rows (SQLite and PostgreSQL):
an ended hold is claimed once, an alarm for an older hold claims nothing and leaves the newer
one free for its own alarm, a hold given back is claimed again at once, and every running hold
is found for re-arming after a restart. The claim's SQL itself is tests/db/test_holds.py's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import sessions
from bot.db.models import PracticeSession
from bot.domain.flow import PlannedStep, StartHold, Transition, apply, start
from bot.usecases import hold_timers
from bot.usecases.hold_timers import DueHold
from tests.support import factories
from tests.support.content import shipped_content

Factory = async_sessionmaker[AsyncSession]
CHECKIN = shipped_content().safety.checkin
T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
ENDED = T0 + timedelta(seconds=30)
STEP = PlannedStep("seated_forward_fold", 30, 1, 1)


async def _holding(factory: Factory, user_id: int, started: datetime = T0) -> int:
    """A session of a new person whose first (30 s) hold started at `started`."""
    async with factory() as db, db.begin():
        person = await factories.person(db, user_id)
        row = await sessions.create(db, person.id, start("r1", (STEP,)), started)
        state = sessions.state_of(row)
        result = apply(state, StartHold(state.seq, started), CHECKIN)
        assert isinstance(result, Transition)
        await sessions.save(db, row, result, started)
        return row.id


async def _lease(factory: Factory, session_id: int) -> datetime | None:
    async with factory() as db:
        row = await db.get(PracticeSession, session_id)
        assert row is not None
        return row.hold_claimed_at


async def test_claim_ended_takes_each_ended_hold_once(session_factory: Factory) -> None:
    first = await _holding(session_factory, 1)
    later = await _holding(session_factory, 2, T0 + timedelta(minutes=5))
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_ended(db, T0 + timedelta(seconds=29), 10) == []
        assert await hold_timers.claim_ended(db, ENDED, 10) == [DueHold(first, 1)]
    assert await _lease(session_factory, first) == ENDED
    assert await _lease(session_factory, later) is None, "not ended: not claimed"
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_ended(db, ENDED, 10) == [], "leased already"


async def test_claim_ended_stops_at_the_limit(session_factory: Factory) -> None:
    for user_id in (1, 2, 3):
        await _holding(session_factory, user_id)
    async with session_factory() as db, db.begin():
        assert len(await hold_timers.claim_ended(db, ENDED, 2)) == 2
        assert len(await hold_timers.claim_ended(db, ENDED, 2)) == 1


async def test_the_alarm_of_the_running_hold_claims_it(session_factory: Factory) -> None:
    session_id = await _holding(session_factory, 1)
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_alarm(db, session_id, 1, ENDED) == DueHold(session_id, 1)
    assert await _lease(session_factory, session_id) == ENDED
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_alarm(db, session_id, 1, ENDED) is None, "taken"


async def test_an_alarm_for_another_hold_claims_nothing(session_factory: Factory) -> None:
    session_id = await _holding(session_factory, 1)
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_alarm(db, session_id, 7, ENDED) is None
    assert await _lease(session_factory, session_id) is None, "given back for its own alarm"
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_ended(db, ENDED, 10) == [DueHold(session_id, 1)]


async def test_a_hold_given_back_is_claimed_again_at_once(session_factory: Factory) -> None:
    session_id = await _holding(session_factory, 1)
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_ended(db, ENDED, 10) == [DueHold(session_id, 1)]
    async with session_factory() as db, db.begin():
        await hold_timers.give_back(db, session_id)
    assert await _lease(session_factory, session_id) is None
    async with session_factory() as db, db.begin():
        assert await hold_timers.claim_ended(db, ENDED, 10) == [DueHold(session_id, 1)]


async def test_running_finds_every_running_hold(session_factory: Factory) -> None:
    later = await _holding(session_factory, 1, T0 + timedelta(minutes=5))
    sooner = await _holding(session_factory, 2)
    async with session_factory() as db, db.begin():
        idle = await sessions.create(
            db, (await factories.person(db, 3)).id, start("r1", (STEP,)), T0
        )
    async with session_factory() as db:
        bare = await hold_timers.running(db, countdowns=False)
        full = await hold_timers.running(db, countdowns=True)
    assert bare.alarms == [
        (sooner, 1, ENDED),
        (later, 1, ENDED + timedelta(minutes=5)),
    ], "soonest end first; a session not holding has no alarm"
    assert bare.countdowns == []
    assert full.alarms == bare.alarms
    assert sorted(session_id for session_id, _ in full.countdowns) == sorted([sooner, later])
    assert idle.id not in {session_id for session_id, _ in full.countdowns}
    for _, state in full.countdowns:
        assert state.hold_no == 1 and state.hold_ends_at is not None
