"""Subscriber queries on SQLite and PostgreSQL: finding and creating a person, export, delete.

Scheduling and pauses are the life cycle's: `tests/usecases/test_lifecycle_rows.py`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import subscribers
from bot.db.models import (
    Base,
    DeliveryStatus,
    PainReport,
    PracticeSession,
    ReminderDelivery,
    SessionEvent,
    Subscriber,
    SubscriberStatus,
)
from tests.support import factories

# Monday 23 November 2026, 10:00 UTC (11:00 in Berlin).
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def test_get_or_create_starts_onboarding_once(db: AsyncSession) -> None:
    first, created = await subscribers.get_or_create(
        db, telegram_user_id=7, chat_id=70, first_name="A", language_code=None
    )
    again, created_again = await subscribers.get_or_create(
        db, telegram_user_id=7, chat_id=71, first_name="B", language_code="de"
    )
    assert created and not created_again
    assert again.id == first.id
    assert (again.chat_id, again.first_name, again.status) == (71, "B", SubscriberStatus.ONBOARDING)
    assert again.preferences.weekdays == 0b0011111


async def _history(db: AsyncSession, subscriber: Subscriber) -> None:
    practice = PracticeSession(subscriber_id=subscriber.id, routine_id="morning", state={"i": 1})
    db.add(practice)
    await db.flush()
    db.add(SessionEvent(session_id=practice.id, step_index=0, stretch_id="calf", kind="done"))
    db.add(
        PainReport(
            subscriber_id=subscriber.id,
            session_id=practice.id,
            source="s",
            answers={"red_flags": "none_of_these"},
            outcome="ease_off",
        )
    )
    db.add(ReminderDelivery(subscriber_id=subscriber.id, due_at=MONDAY, status=DeliveryStatus.SENT))
    await db.flush()


async def test_export_is_json_and_holds_every_kind_of_row(db: AsyncSession) -> None:
    subscriber = await factories.subscriber(db)
    subscriber.screening = {"answers": {"long_pain": "no"}, "outcome": None}
    await _history(db, subscriber)
    await db.commit()
    exported = await subscribers.export_everything(db, subscriber.id)
    again = json.loads(json.dumps(exported))
    assert again["subscriber"]["timezone"] == "Europe/Berlin"
    assert again["subscriber"]["screening"]["answers"] == {"long_pain": "no"}
    assert again["preferences"]["reminder_time"] == "07:30:00"
    assert [len(again[k]) for k in ("practice_sessions", "session_events")] == [1, 1]
    assert [len(again[k]) for k in ("pain_reports", "reminder_deliveries")] == [1, 1]
    assert await subscribers.export_everything(db, subscriber.id + 999) == {}


async def _count_rows(db: AsyncSession) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = int(await db.scalar(select(func.count()).select_from(table)) or 0)
    return counts


async def test_delete_everything_leaves_no_row_about_the_person(db: AsyncSession) -> None:
    gone = await factories.subscriber(db, 1)
    kept = await factories.subscriber(db, 2)
    await _history(db, gone)
    await _history(db, kept)
    await db.commit()
    await subscribers.delete_everything(db, gone.id)
    await db.commit()
    counts = await _count_rows(db)
    assert counts == {
        "subscribers": 1,
        "preferences": 1,
        "practice_sessions": 1,
        "session_events": 1,
        "pain_reports": 1,
        "reminder_deliveries": 1,
        "processed_updates": 0,  # bare update ids of webhook mode, about nobody
    }
    assert await subscribers.get_by_user_id(db, 1) is None
    assert await subscribers.get_by_user_id(db, 2) is not None
