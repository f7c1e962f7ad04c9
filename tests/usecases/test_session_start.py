"""A session's start and the one running (`practice.begin`, `practice.running_session`), on real
rows (SQLite and PostgreSQL): what is stored with the start (the step-up offer, or the streak of
a session over at once), and the running session read back decoded. What the chat shows is the
e2e tests' business (tests/e2e/test_session.py, test_step_up.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import PracticeSession, SessionEvent, SessionStatus
from bot.domain import flow
from bot.domain.flow import EventKind, FlowState, Phase, PlannedStep
from bot.domain.progression import StepUp
from bot.usecases import practice
from tests.support import factories

# Monday 23 November 2026, 10:00 UTC.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ONCE = PlannedStep("seated_forward_fold", 30, 1, 1, gentle_hold_seconds=20)
LOCKED = PlannedStep("nerve_glide_advanced", 30, 1, 1, prerequisites=("nerve_glide",))
"""A step whose gate is not open: a session of it alone is over as it starts."""
OFFER = StepUp(0, "seated_forward_fold", "standing_forward_fold")


async def _stored(
    session_factory: async_sessionmaker[AsyncSession], session_id: int
) -> tuple[PracticeSession, list[tuple[str, str]]]:
    """The session as committed, and its events' (kind, stretch), read in a session of its own."""
    async with session_factory() as fresh:
        row = await fresh.get(PracticeSession, session_id)
        assert row is not None
        events = (
            await fresh.execute(
                select(SessionEvent.kind, SessionEvent.stretch_id)
                .where(SessionEvent.session_id == session_id)
                .order_by(SessionEvent.id)
            )
        ).all()
        return row, [(kind, stretch) for kind, stretch in events]


async def test_a_start_is_stored_with_the_step_up_offered_above_it(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    started = flow.start("r", (ONCE,), origin_message_id=5)

    begun = await practice.begin(db, person.id, started, OFFER, NOW, "UTC")
    await db.commit()

    assert (begun.step_up, begun.streak) == (OFFER, 0)
    row, events = await _stored(session_factory, begun.session_id)
    assert (row.subscriber_id, row.routine_id, row.status) == (person.id, "r", SessionStatus.ACTIVE)
    assert row.started_at == NOW
    assert FlowState.from_json(row.state) == started.state
    assert events == [(EventKind.STEP_OFFERED.value, "seated_forward_fold")]


async def test_a_start_without_an_offer_stores_none(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)

    begun = await practice.begin(db, person.id, flow.start("r", (ONCE,)), None, NOW, "UTC")
    await db.commit()

    assert begun.step_up is None
    _, events = await _stored(session_factory, begun.session_id)
    assert events == []


async def test_a_session_over_at_once_makes_no_offer_and_brings_the_streak(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Every step still locked: nothing is left to answer an offer in, and its screen says
    "done" with the days in a row so far (this one practised nothing, so yesterday's run)."""
    person = await factories.subscriber(db)
    for days_ago in (1, 2):
        started_at = NOW - timedelta(days=days_ago)
        await factories.practice_session(db, person.id, started_at, [("calf", "done", None)])
    started = flow.start("r", (LOCKED,))
    assert started.state.phase is Phase.DONE

    begun = await practice.begin(db, person.id, started, OFFER, NOW, "UTC")
    await db.commit()

    assert (begun.step_up, begun.streak) == (None, 2)
    row, events = await _stored(session_factory, begun.session_id)
    assert row.status is SessionStatus.COMPLETED
    assert events == [(EventKind.LOCKED.value, "nerve_glide_advanced")]  # no offer stored


async def test_the_running_session_is_read_back_decoded(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    other = await factories.subscriber(db, 2002)
    assert await practice.running_session(db, person.id) is None
    await factories.practice_session(db, person.id, NOW - timedelta(hours=1))  # completed
    await practice.begin(db, other.id, flow.start("theirs", (ONCE,)), None, NOW, "UTC")
    assert await practice.running_session(db, person.id) is None

    started = flow.start("r", (ONCE,), origin_message_id=42)
    begun = await practice.begin(db, person.id, started, None, NOW, "UTC")
    running = await practice.running_session(db, person.id)

    assert running == practice.RunningSession(begun.session_id, "r", started.state)
    assert running.state.origin_message_id == 42


async def test_the_newest_of_two_running_sessions_is_the_running_one(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    await practice.begin(db, person.id, flow.start("older", (ONCE,)), None, NOW, "UTC")
    newer = await practice.begin(db, person.id, flow.start("newer", (ONCE,)), None, NOW, "UTC")

    running = await practice.running_session(db, person.id)

    assert running is not None
    assert (running.session_id, running.routine_id) == (newer.session_id, "newer")
