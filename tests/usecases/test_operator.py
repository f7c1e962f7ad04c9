"""What /admin and the metrics gauge read (`bot.usecases.operator`): counts, never a person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DeliveryKind, DeliveryStatus, ReminderDelivery, SubscriberStatus
from bot.usecases.operator import open_holds, overview_at
from tests.support.factories import person, subscriber

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


async def test_an_empty_bot_counts_nothing(db: AsyncSession) -> None:
    seen = await overview_at(db, NOW)
    assert seen.by_status == {}
    assert seen.today.sent == 0 and seen.today.failed == 0
    assert seen.open_holds == 0 == await open_holds(db)


async def test_people_are_counted_by_status(db: AsyncSession) -> None:
    await subscriber(db, 1)
    await subscriber(db, 2)
    await subscriber(db, 3, status=SubscriberStatus.PAUSED)
    await person(db, 4)  # still signing up
    seen = await overview_at(db, NOW)
    assert seen.by_status == {"active": 2, "paused": 1, "onboarding": 1}


async def test_today_is_the_utc_day_holding_now(db: AsyncSession) -> None:
    """The day starts at midnight of `now`'s date, whatever the hour: a late-evening /admin
    counts the whole day, and yesterday's and tomorrow's reminders stay out."""
    ann = await subscriber(db, 1)
    for due, status in [
        (NOW.replace(hour=0, minute=0), DeliveryStatus.SENT),
        (NOW.replace(hour=7), DeliveryStatus.SENT),
        (NOW.replace(hour=23, minute=59), DeliveryStatus.FAILED),
        (NOW - timedelta(days=1), DeliveryStatus.SENT),
        (NOW + timedelta(days=1), DeliveryStatus.SENT),
    ]:
        db.add(
            ReminderDelivery(
                subscriber_id=ann.id,
                due_at=due,
                kind=DeliveryKind.DAILY,
                status=status,
                sent_at=due + timedelta(seconds=4) if status is DeliveryStatus.SENT else None,
            )
        )
    await db.flush()
    for now in (NOW.replace(hour=0, minute=0), NOW, NOW.replace(hour=23, minute=59)):
        today = (await overview_at(db, now)).today
        assert (today.sent, today.failed, today.median_lateness_seconds) == (2, 1, 4.0)
