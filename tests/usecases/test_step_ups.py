"""The answer to a step-up offer (`bot.usecases.step_ups.answer`), on real rows (SQLite and
PostgreSQL): stored once, by the session's owner, and never while a hold is open."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import SessionEvent, Subscriber
from bot.domain import flow
from bot.domain.flow import EventKind, PlannedStep
from bot.domain.lifecycle import Hold, Tier
from bot.domain.progression import StepUp
from bot.usecases import holds, practice, step_ups
from tests.support import factories

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ONCE = PlannedStep("seated_forward_fold", 30, 1, 1, gentle_hold_seconds=20)
OFFER = StepUp(0, "seated_forward_fold", "standing_forward_fold")


async def _offered(db: AsyncSession, person: Subscriber, offer: StepUp | None = OFFER) -> int:
    begun = await practice.begin(db, person.id, flow.start("r", (ONCE,)), offer, NOW, "UTC")
    return begun.session_id


async def _answers(session_factory: async_sessionmaker[AsyncSession], session_id: int) -> list[str]:
    async with session_factory() as fresh:
        kinds = await fresh.scalars(
            select(SessionEvent.kind)
            .where(
                SessionEvent.session_id == session_id,
                SessionEvent.kind.in_((EventKind.STEP_TAKEN.value, EventKind.STEP_KEPT.value)),
            )
            .order_by(SessionEvent.id)
        )
        return list(kinds)


async def test_try_is_stored_once_and_names_the_stretch_offered(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _offered(db, person)

    first = await step_ups.answer(db, person, session_id, True, NOW)
    second = await step_ups.answer(db, person, session_id, False, NOW)  # a second tap
    await db.commit()

    assert first == step_ups.Answered("seated_forward_fold")
    assert second is step_ups.NotNow.NO_OFFER
    assert await _answers(session_factory, session_id) == [EventKind.STEP_TAKEN.value]


async def test_keep_is_stored_as_kept(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _offered(db, person)

    assert await step_ups.answer(db, person, session_id, False, NOW) == step_ups.Answered(
        "seated_forward_fold"
    )
    await db.commit()
    assert await _answers(session_factory, session_id) == [EventKind.STEP_KEPT.value]


async def test_a_session_without_an_offer_has_nothing_to_answer(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _offered(db, person, offer=None)

    assert await step_ups.answer(db, person, session_id, True, NOW) is step_ups.NotNow.NO_OFFER
    await db.commit()
    assert await _answers(session_factory, session_id) == []


async def test_someone_elses_session_is_not_theirs_to_answer(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    owner = await factories.subscriber(db)
    stranger = await factories.subscriber(db, 2002)
    session_id = await _offered(db, owner)

    result = await step_ups.answer(db, stranger, session_id, True, NOW)
    missing = await step_ups.answer(db, owner, session_id + 100, True, NOW)
    await db.commit()

    assert result is step_ups.NotNow.NOT_THEIRS
    assert missing is step_ups.NotNow.NOT_THEIRS
    assert await _answers(session_factory, session_id) == []


async def test_while_a_red_flag_holds_the_person_the_answer_does_not_count(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _offered(db, person)
    flag = await holds.record_red_flag(db, person, "screening", Tier.URGENT, [("q", "a")], NOW)

    result = await step_ups.answer(db, person, session_id, True, NOW)
    await db.commit()

    assert result == step_ups.Held(Hold(flag.id, Tier.URGENT))
    assert await _answers(session_factory, session_id) == []


async def test_while_the_pain_questions_wait_the_answer_does_not_count(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _offered(db, person)
    report, _ = await holds.open_triage(db, person, "command", NOW)

    result = await step_ups.answer(db, person, session_id, False, NOW)
    await db.commit()

    assert result == step_ups.Held(Hold(report.id, Tier.TRIAGE))
    assert await _answers(session_factory, session_id) == []
