"""Queries about subscribers and their preferences: the only place that builds them.

Status, pause and next-reminder fields are written only by `bot.usecases.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import Select, delete, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from bot import i18n
from bot.db.models import (
    PainReport,
    PracticeSession,
    Preferences,
    ReminderDelivery,
    SessionEvent,
    Subscriber,
    SubscriberStatus,
)
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


#: `session.info` key: the person the update's language read found (or None), for one look-up.
_LOOKED_UP = "stretchbot.looked_up"


async def get_by_user_id(session: AsyncSession, telegram_user_id: int) -> Subscriber | None:
    """The person with their preferences; the first call after `language_of` in the same
    session and transaction answers from what that read found, without a statement."""
    known, found = _take_looked_up(session, telegram_user_id)
    if not known:
        found = await _load_by_user_id(session, telegram_user_id)
    if found is not None:
        set_person(found.id)  # log lines of this update name the person by internal id
    return found


async def language_of(session: AsyncSession, telegram_user_id: int) -> str | None:
    """The language stored for a Telegram user, None when we have no row (or no language).

    Reads the whole person (one statement), since the update's handler asks for them next."""
    found = await _load_by_user_id(session, telegram_user_id)
    session.info[_LOOKED_UP] = (telegram_user_id, found, session.get_transaction())
    return found.language_code if found is not None else None


async def _load_by_user_id(session: AsyncSession, telegram_user_id: int) -> Subscriber | None:
    result = await session.execute(
        select(Subscriber)
        .where(Subscriber.telegram_user_id == telegram_user_id)
        .options(joinedload(Subscriber.preferences))
    )
    return result.scalar_one_or_none()


def _take_looked_up(session: AsyncSession, telegram_user_id: int) -> tuple[bool, Subscriber | None]:
    """(True, what `language_of` found) if that read was of this person in this very
    transaction (and the row is still there); else (False, None): read again."""
    looked_up = session.info.pop(_LOOKED_UP, None)
    if looked_up is None:
        return False, None
    user_id, found, transaction = looked_up
    if user_id != telegram_user_id or transaction is None:
        return False, None
    if transaction is not session.get_transaction():
        return False, None
    if found is not None and not inspect(found).persistent:
        return False, None
    return True, found


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
    """Find the person's row or start one in onboarding; True when it is new.

    A new row speaks Telegram's `language_code` (resolved); an existing one keeps its language,
    which the person may have chosen with /language."""
    existing = await get_by_user_id(session, telegram_user_id)
    if existing is not None:
        existing.chat_id = chat_id
        existing.first_name = first_name
        return existing, False  # the language stays what they have (or chose with /language)
    subscriber = Subscriber(
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        first_name=first_name,
        language_code=i18n.resolve(language_code),
        timezone=default_timezone,
        status=SubscriberStatus.ONBOARDING,
    )
    subscriber.preferences = Preferences()
    session.add(subscriber)
    await session.flush()
    set_person(subscriber.id)
    return subscriber, True


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
    """Everything stored about a person, column by column, as JSON-ready data (the raw rows;
    /export words them through `bot.chat.export_view`)."""
    rows = await person_rows(session, subscriber_id)
    return {
        table: (
            [_jsonable_row(row) for row in value]
            if isinstance(value, list)
            else _jsonable_row(value)
            if value is not None
            else None
        )
        for table, value in rows.items()
    }


async def person_rows(session: AsyncSession, subscriber_id: int) -> dict[str, Any]:
    """Every row about a person as {column: stored value}: "subscriber" and "preferences" one
    each, the other tables lists in id order; {} when there is no such person."""
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
    return {column.key: getattr(obj, column.key) for column in obj.__table__.columns}


def _jsonable_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _jsonable(value) for key, value in row.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value
