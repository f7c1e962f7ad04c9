"""Rows for database tests, made the way the bot makes them.

`person` is someone who has just written /start; `subscriber` is someone who finished
sign-up (zone, reminder time, days); `practice_session` is a past session with its events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import subscribers
from bot.db.models import (
    PracticeSession,
    SessionEvent,
    SessionStatus,
    Subscriber,
    SubscriberStatus,
)

WEEKDAYS = 0b0011111  # Monday to Friday


async def person(
    db: AsyncSession,
    user_id: int = 1,
    *,
    first_name: str | None = None,
    language_code: str | None = None,
) -> Subscriber:
    """The row /start makes: a new person at the first sign-up step (chat id = user id)."""
    row, _ = await subscribers.get_or_create(
        db,
        telegram_user_id=user_id,
        chat_id=user_id,
        first_name=first_name,
        language_code=language_code,
    )
    return row


async def subscriber(
    db: AsyncSession,
    user_id: int = 1001,
    *,
    zone: str | None = "Europe/Berlin",
    at: time | None = time(7, 30),
    weekdays: int = WEEKDAYS,
    status: SubscriberStatus = SubscriberStatus.ACTIVE,
    step: str | None = None,
) -> Subscriber:
    """Someone new, as their rows would be after their own sign-up steps."""
    row, created = await subscribers.get_or_create(
        db, telegram_user_id=user_id, chat_id=user_id, first_name="Ann", language_code="en"
    )
    assert created, f"user {user_id} exists already"
    row.timezone = zone
    row.status = status
    row.onboarding_step = step
    row.preferences.reminder_time = at
    row.preferences.weekdays = weekdays
    await db.flush()
    return row


async def practice_session(
    db: AsyncSession,
    owner: int,
    started: datetime,
    events: Sequence[tuple[str, str, str | None]] = (),
    *,
    status: SessionStatus = SessionStatus.COMPLETED,
    routine_id: str = "seated_progression",
) -> int:
    """A session of `owner` begun at `started`, with one event a minute: (stretch, kind,
    check-in answer). Returns the session's id."""
    practice = PracticeSession(
        subscriber_id=owner, routine_id=routine_id, status=status, started_at=started
    )
    db.add(practice)
    await db.flush()
    for offset, (stretch, kind, answer) in enumerate(events):
        db.add(
            SessionEvent(
                session_id=practice.id,
                step_index=offset,
                stretch_id=stretch,
                kind=kind,
                checkin_answer=answer,
                at=started + timedelta(minutes=offset),
            )
        )
    await db.flush()
    return practice.id
