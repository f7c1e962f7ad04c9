"""Counts for operators: subscribers by state, today's reminders, open red-flag holds.

Aggregates only: nothing here returns a person, a pain answer or any other row about someone.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DeliveryStatus, PainReport, ReminderDelivery, Subscriber

# Interface A (HELPERS.md): a hold is an open pain report with one of these outcomes.
HOLD_OUTCOMES = ("urgent", "professional")


async def open_holds(session: AsyncSession) -> int:
    """People-level holds open now: pain reports urgent/professional not yet resolved."""
    count = await session.scalar(
        select(func.count(func.distinct(PainReport.subscriber_id))).where(
            PainReport.outcome.in_(HOLD_OUTCOMES), PainReport.resolved_at.is_(None)
        )
    )
    return int(count or 0)


async def subscribers_by_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(Subscriber.status, func.count()).group_by(Subscriber.status)
    )
    return {str(getattr(status, "value", status)): int(count) for status, count in rows.all()}


@dataclass(frozen=True, slots=True)
class DayOfReminders:
    sent: int
    failed: int
    median_lateness_seconds: float | None


async def reminders_on(session: AsyncSession, day_start: datetime) -> DayOfReminders:
    """Reminders due in the 24 hours from `day_start` (UTC): sent, failed, median lateness."""
    day_end = day_start + timedelta(days=1)
    in_day = (ReminderDelivery.due_at >= day_start, ReminderDelivery.due_at < day_end)
    counts = dict(
        (
            await session.execute(
                select(ReminderDelivery.status, func.count())
                .where(*in_day)
                .group_by(ReminderDelivery.status)
            )
        ).all()
    )
    sent_rows = await session.execute(
        select(ReminderDelivery.due_at, ReminderDelivery.sent_at).where(
            *in_day,
            ReminderDelivery.status == DeliveryStatus.SENT,
            ReminderDelivery.sent_at.is_not(None),
        )
    )
    lateness = [
        max(0.0, (sent_at - due_at).total_seconds())
        for due_at, sent_at in sent_rows.all()
        if sent_at is not None
    ]
    return DayOfReminders(
        sent=int(counts.get(DeliveryStatus.SENT, 0)),
        failed=int(counts.get(DeliveryStatus.FAILED, 0)),
        median_lateness_seconds=statistics.median(lateness) if lateness else None,
    )
