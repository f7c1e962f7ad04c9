"""Queries about subscribers and their preferences: the only place that builds them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, delete, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import (
    PainReport,
    PauseReason,
    PracticeSession,
    Preferences,
    ReminderDelivery,
    SessionEvent,
    Subscriber,
    SubscriberStatus,
)
from bot.domain.onboarding import days_of, pause_is_over, resume_search_from, zone_of
from bot.domain.schedule import next_occurrence
from bot.logcontext import set_person

T = TypeVar("T")


async def preferences_of(session: AsyncSession, subscriber: Subscriber) -> Preferences:
    """The subscriber's preferences, loading them if needed and creating the row if missing."""
    if "preferences" in inspect(subscriber).unloaded:
        await session.refresh(subscriber, ["preferences"])
    if subscriber.preferences is None:
        subscriber.preferences = Preferences()
        await session.flush()
    return subscriber.preferences


async def reschedule(
    session: AsyncSession, subscriber: Subscriber, now: datetime
) -> datetime | None:
    """Recompute `next_reminder_at` after any change of status or preferences.

    Only an active subscriber who finished onboarding with a complete schedule gets a reminder;
    everyone else (onboarding, paused, stopped, blocked) gets None, so the dispatcher, which
    claims rows by `next_reminder_at`, never needs to know why.
    """
    preferences = await preferences_of(session, subscriber)
    upcoming: datetime | None = None
    zone = zone_of(subscriber.timezone)
    ready = subscriber.status == SubscriberStatus.ACTIVE and subscriber.onboarding_step is None
    if ready and zone is not None and preferences.reminder_time is not None:
        upcoming = next_occurrence(
            now, preferences.reminder_time, days_of(preferences.weekdays), zone
        )
    preferences.next_reminder_at = upcoming
    await session.flush()
    return upcoming


async def pause(
    session: AsyncSession,
    subscriber: Subscriber,
    now: datetime,
    *,
    reason: PauseReason,
    until: date | None = None,
) -> None:
    """Stop reminders for now; a dated pause is lifted by `lift_finished_pauses` on its date."""
    subscriber.status = SubscriberStatus.PAUSED
    subscriber.pause_reason = reason
    subscriber.paused_until = until if reason == PauseReason.USER else None
    await reschedule(session, subscriber, now)


async def resume(
    session: AsyncSession, subscriber: Subscriber, now: datetime, *, after: datetime | None = None
) -> datetime | None:
    """Reminders on again; returns the next one. Red-flag checks are the caller's job."""
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.pause_reason = None
    subscriber.paused_until = None
    return await reschedule(session, subscriber, after if after is not None else now)


async def lift_finished_pauses(session: AsyncSession, now: datetime) -> list[int]:
    """Resume every dated pause whose date has come in the person's zone; returns their ids.

    Only pauses the person chose: a red-flag pause never ends by itself.
    """
    # Every zone is within a day of UTC, so this bound finds all candidates, then the exact
    # local date decides.
    horizon = now.date() + timedelta(days=1)
    result = await session.execute(
        select(Subscriber)
        .where(
            Subscriber.status == SubscriberStatus.PAUSED,
            Subscriber.pause_reason == PauseReason.USER,
            Subscriber.paused_until.is_not(None),
            Subscriber.paused_until <= horizon,
        )
        .options(selectinload(Subscriber.preferences))
    )
    lifted: list[int] = []
    for subscriber in result.scalars():
        zone = zone_of(subscriber.timezone)
        until = subscriber.paused_until
        if zone is None or until is None or not pause_is_over(until, now, zone):
            continue
        await resume(session, subscriber, now, after=resume_search_from(until, now, zone))
        lifted.append(subscriber.id)
    return lifted


async def get_by_user_id(session: AsyncSession, telegram_user_id: int) -> Subscriber | None:
    result = await session.execute(
        select(Subscriber)
        .where(Subscriber.telegram_user_id == telegram_user_id)
        .options(selectinload(Subscriber.preferences))
    )
    found = result.scalar_one_or_none()
    if found is not None:
        set_person(found.id)  # log lines of this update name the person by internal id
    return found


async def get_by_id(session: AsyncSession, subscriber_id: int) -> Subscriber | None:
    result = await session.execute(
        select(Subscriber)
        .where(Subscriber.id == subscriber_id)
        .options(selectinload(Subscriber.preferences))
    )
    return result.scalar_one_or_none()


async def get_or_create(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    chat_id: int,
    first_name: str | None,
    language_code: str | None,
    default_timezone: str | None = None,
) -> tuple[Subscriber, bool]:
    """Find the person's row or start one in onboarding; True when it is new."""
    existing = await get_by_user_id(session, telegram_user_id)
    if existing is not None:
        existing.chat_id = chat_id
        existing.first_name = first_name
        existing.language_code = language_code
        return existing, False
    subscriber = Subscriber(
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        first_name=first_name,
        language_code=language_code,
        timezone=default_timezone,
        status=SubscriberStatus.ONBOARDING,
    )
    subscriber.preferences = Preferences()
    session.add(subscriber)
    await session.flush()
    set_person(subscriber.id)
    return subscriber, True


async def set_status_by_chat(
    session: AsyncSession, chat_id: int, status: SubscriberStatus
) -> int | None:
    """Mark the subscriber of a private chat (e.g. blocked); returns its id if there is one."""
    result = await session.execute(select(Subscriber).where(Subscriber.chat_id == chat_id))
    subscriber = result.scalar_one_or_none()
    if subscriber is None:
        return None
    subscriber.status = status
    return subscriber.id


async def delete_everything(session: AsyncSession, subscriber_id: int) -> None:
    """Remove every row about a person. Explicit deletes, so it holds even without FK cascades."""
    session_ids = select(PracticeSession.id).where(PracticeSession.subscriber_id == subscriber_id)
    await session.execute(delete(SessionEvent).where(SessionEvent.session_id.in_(session_ids)))
    await session.execute(delete(PainReport).where(PainReport.subscriber_id == subscriber_id))
    await session.execute(
        delete(ReminderDelivery).where(ReminderDelivery.subscriber_id == subscriber_id)
    )
    await session.execute(
        delete(PracticeSession).where(PracticeSession.subscriber_id == subscriber_id)
    )
    await session.execute(delete(Preferences).where(Preferences.subscriber_id == subscriber_id))
    await session.execute(delete(Subscriber).where(Subscriber.id == subscriber_id))
    session.expunge_all()


async def export_everything(session: AsyncSession, subscriber_id: int) -> dict[str, Any]:
    """Everything stored about a person, as plain JSON-ready data (for /export)."""
    subscriber = await get_by_id(session, subscriber_id)
    if subscriber is None:
        return {}
    practice = await _all(
        session,
        select(PracticeSession)
        .where(PracticeSession.subscriber_id == subscriber_id)
        .order_by(PracticeSession.id),
    )
    events = await _all(
        session,
        select(SessionEvent)
        .where(SessionEvent.session_id.in_([p.id for p in practice]))
        .order_by(SessionEvent.id),
    )
    pain = await _all(
        session,
        select(PainReport).where(PainReport.subscriber_id == subscriber_id).order_by(PainReport.id),
    )
    deliveries = await _all(
        session,
        select(ReminderDelivery)
        .where(ReminderDelivery.subscriber_id == subscriber_id)
        .order_by(ReminderDelivery.id),
    )
    return {
        "subscriber": _row(subscriber),
        "preferences": _row(subscriber.preferences) if subscriber.preferences else None,
        "practice_sessions": [_row(p) for p in practice],
        "session_events": [_row(e) for e in events],
        "pain_reports": [_row(p) for p in pain],
        "reminder_deliveries": [_row(d) for d in deliveries],
    }


async def _all(session: AsyncSession, statement: Select[T]) -> Sequence[T]:
    return (await session.execute(statement)).scalars().all()


def _row(obj: Any) -> dict[str, Any]:
    return {column.key: _jsonable(getattr(obj, column.key)) for column in obj.__table__.columns}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value
