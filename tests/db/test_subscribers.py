"""Subscriber queries on SQLite and PostgreSQL: scheduling after changes, pauses, export, delete."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import subscribers
from bot.db.models import (
    Base,
    DeliveryStatus,
    PainReport,
    PauseReason,
    PracticeSession,
    Preferences,
    ReminderDelivery,
    SessionEvent,
    Subscriber,
    SubscriberStatus,
)

# Monday 23 November 2026, 10:00 UTC (11:00 in Berlin).
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def _subscriber(
    db: AsyncSession,
    user_id: int = 1001,
    *,
    zone: str | None = "Europe/Berlin",
    at: time | None = time(7, 30),
    weekdays: int = 0b0011111,
    status: SubscriberStatus = SubscriberStatus.ACTIVE,
    step: str | None = None,
) -> Subscriber:
    subscriber, created = await subscribers.get_or_create(
        db, telegram_user_id=user_id, chat_id=user_id, first_name="Ann", language_code="en"
    )
    assert created
    subscriber.timezone = zone
    subscriber.status = status
    subscriber.onboarding_step = step
    subscriber.preferences.reminder_time = at
    subscriber.preferences.weekdays = weekdays
    await db.flush()
    return subscriber


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


async def test_reschedule_an_active_subscriber_gets_the_next_local_time(db: AsyncSession) -> None:
    subscriber = await _subscriber(db)
    upcoming = await subscribers.reschedule(db, subscriber, MONDAY)
    # 11:00 in Berlin on Monday is past 07:30, so Tuesday 07:30 CET = 06:30 UTC.
    assert upcoming == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
    await db.commit()
    stored = await db.scalar(select(Preferences.next_reminder_at))
    assert stored == upcoming


async def test_reschedule_understands_a_fixed_offset_zone(db: AsyncSession) -> None:
    subscriber = await _subscriber(db, zone="UTC+03:00", at=time(14, 0))
    assert await subscribers.reschedule(db, subscriber, MONDAY) == datetime(
        2026, 11, 23, 11, 0, tzinfo=UTC
    )


async def test_reschedule_gives_none_unless_active_and_fully_set_up(db: AsyncSession) -> None:
    cases = [
        {"status": SubscriberStatus.ONBOARDING, "step": "days"},
        {"status": SubscriberStatus.PAUSED},
        {"status": SubscriberStatus.STOPPED},
        {"status": SubscriberStatus.BLOCKED},
        {"zone": None},
        {"zone": "Mars/Olympus"},
        {"at": None},
        {"weekdays": 0},
    ]
    for number, case in enumerate(cases):
        subscriber = await _subscriber(db, 2000 + number, **case)  # type: ignore[arg-type]
        subscriber.preferences.next_reminder_at = MONDAY
        assert await subscribers.reschedule(db, subscriber, MONDAY) is None, case
        assert subscriber.preferences.next_reminder_at is None


async def test_reschedule_loads_preferences_that_were_not_loaded(db: AsyncSession) -> None:
    subscriber = await _subscriber(db)
    await db.commit()
    db.expunge_all()
    bare = await db.scalar(select(Subscriber).where(Subscriber.id == subscriber.id))
    assert bare is not None
    assert await subscribers.reschedule(db, bare, MONDAY) is not None


async def test_pause_and_resume(db: AsyncSession) -> None:
    subscriber = await _subscriber(db)
    await subscribers.reschedule(db, subscriber, MONDAY)
    await subscribers.pause(
        db, subscriber, MONDAY, reason=PauseReason.USER, until=date(2026, 12, 1)
    )
    assert subscriber.status == SubscriberStatus.PAUSED
    assert subscriber.paused_until == date(2026, 12, 1)
    assert subscriber.preferences.next_reminder_at is None
    upcoming = await subscribers.resume(db, subscriber, MONDAY)
    assert upcoming == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
    assert (subscriber.status, subscriber.pause_reason, subscriber.paused_until) == (
        SubscriberStatus.ACTIVE,
        None,
        None,
    )


async def test_a_red_flag_pause_has_no_end_date(db: AsyncSession) -> None:
    subscriber = await _subscriber(db)
    await subscribers.pause(
        db, subscriber, MONDAY, reason=PauseReason.RED_FLAG, until=date(2026, 11, 25)
    )
    assert subscriber.paused_until is None
    assert subscriber.pause_reason == PauseReason.RED_FLAG


async def test_dated_pauses_end_on_their_local_date_and_red_flags_never(db: AsyncSession) -> None:
    tokyo = await _subscriber(db, 1, zone="Asia/Tokyo", at=time(0, 5))
    berlin = await _subscriber(db, 2, zone="Europe/Berlin")
    flagged = await _subscriber(db, 3)
    for person in (tokyo, berlin):
        await subscribers.pause(
            db, person, MONDAY, reason=PauseReason.USER, until=date(2026, 11, 26)
        )
    await subscribers.pause(db, flagged, MONDAY, reason=PauseReason.RED_FLAG)
    await db.commit()

    # Wednesday 15:30 UTC: already Thursday 00:30 in Tokyo, still Wednesday in Berlin.
    late_wednesday = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    assert await subscribers.lift_finished_pauses(db, late_wednesday) == [tokyo.id]
    assert tokyo.status == SubscriberStatus.ACTIVE
    # The 00:05 reminder of the first day back is not lost because the check came at 00:30.
    assert tokyo.preferences.next_reminder_at == datetime(2026, 11, 25, 15, 5, tzinfo=UTC)
    assert berlin.status == SubscriberStatus.PAUSED

    thursday = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
    assert await subscribers.lift_finished_pauses(db, thursday) == [berlin.id]
    assert berlin.preferences.next_reminder_at == datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    assert flagged.status == SubscriberStatus.PAUSED
    assert await subscribers.lift_finished_pauses(db, datetime(2027, 1, 1, tzinfo=UTC)) == []


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
    subscriber = await _subscriber(db)
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
    gone = await _subscriber(db, 1)
    kept = await _subscriber(db, 2)
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
    }
    assert await subscribers.get_by_user_id(db, 1) is None
    assert await subscribers.get_by_user_id(db, 2) is not None


async def test_set_status_by_chat(db: AsyncSession) -> None:
    subscriber = await _subscriber(db, 5)
    assert await subscribers.set_status_by_chat(db, 5, SubscriberStatus.BLOCKED) == subscriber.id
    assert subscriber.status == SubscriberStatus.BLOCKED
    assert await subscribers.set_status_by_chat(db, 6, SubscriberStatus.BLOCKED) is None
