"""/export and /delete's database work (`bot.usecases.privacy`), on SQLite and PostgreSQL.

The delete must need its question: a [Yes] that was never asked (an old message, a forged
callback, a second tap after the first deleted) erases nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PracticeSession, Subscriber
from bot.domain.onboarding import Prompt
from bot.usecases.privacy import Deletion, answer_delete, ask_to_delete, stored_rows
from tests.support.factories import practice_session, subscriber

STARTED = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


async def _count(db: AsyncSession, table: type[Subscriber] | type[PracticeSession]) -> int:
    return int(await db.scalar(select(func.count()).select_from(table)) or 0)


async def test_a_stranger_has_nothing_to_export_or_delete(db: AsyncSession) -> None:
    assert await stored_rows(db, 404) == {}
    assert await ask_to_delete(db, 404) is False
    assert await answer_delete(db, 404, confirmed=True) == (Deletion.EXPIRED, None)


async def test_the_export_holds_the_person_and_their_sessions(db: AsyncSession) -> None:
    ann = await subscriber(db, 7)
    await subscriber(db, 8)  # someone else's rows stay out of Ann's file
    await practice_session(db, ann.id, STARTED)
    rows = await stored_rows(db, 7)
    assert rows["subscriber"]["telegram_user_id"] == 7
    assert [s["subscriber_id"] for s in rows["practice_sessions"]] == [ann.id]


async def test_a_yes_without_the_question_erases_nothing(db: AsyncSession) -> None:
    await subscriber(db, 7)
    assert await answer_delete(db, 7, confirmed=True) == (Deletion.EXPIRED, None)
    assert await _count(db, Subscriber) == 1


async def test_no_keeps_everything_and_closes_the_question(db: AsyncSession) -> None:
    ann = await subscriber(db, 7)
    assert await ask_to_delete(db, 7) is True
    assert ann.awaiting_input == Prompt.DELETE.value
    assert await answer_delete(db, 7, confirmed=False) == (Deletion.KEPT, ann.id)
    assert ann.awaiting_input is None
    assert await answer_delete(db, 7, confirmed=True) == (Deletion.EXPIRED, None)  # asked once
    assert await _count(db, Subscriber) == 1


async def test_yes_erases_the_person_and_only_them(db: AsyncSession) -> None:
    ann = await subscriber(db, 7)
    bob = await subscriber(db, 8)
    await practice_session(db, ann.id, STARTED)
    await practice_session(db, bob.id, STARTED)
    ann_id = ann.id
    await ask_to_delete(db, 7)
    assert await answer_delete(db, 7, confirmed=True) == (Deletion.DELETED, ann_id)
    db.expunge_all()
    assert await stored_rows(db, 7) == {}
    assert await _count(db, Subscriber) == 1 and await _count(db, PracticeSession) == 1
    assert await answer_delete(db, 7, confirmed=True) == (Deletion.EXPIRED, None)  # a second tap
