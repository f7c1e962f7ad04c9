"""The reminder's own buttons on the rows: "In 30 min" (`snooze`) and "Not today" (`skip`).

Both act only on the person's newest reminder, and only on the day it was due (`_current`):
an older card's buttons, or yesterday's, are expired. Each returns what happened as plain data
for the chat to put into words; local times come in the person's zone. Callers commit.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import deliveries, subscribers
from bot.db.models import DeliveryKind, DeliveryStatus, ReminderDelivery, Subscriber
from bot.db.models import SubscriberStatus as Status
from bot.domain import kindness
from bot.domain.lifecycle import Refused
from bot.domain.onboarding import days_of
from bot.domain.schedule import is_regular, local_date, occurrence_on
from bot.domain.zones import Zone, local_zone
from bot.usecases import lifecycle as life

__all__ = [
    "AlreadySnoozed",
    "NoMoreSnoozes",
    "NotNow",
    "QuietUntilTomorrow",
    "SkipResult",
    "Skipped",
    "SnoozeResult",
    "Snoozed",
    "skip",
    "snooze",
]

logger = logging.getLogger(__name__)


class NotNow(enum.Enum):
    """Why a reminder's button does nothing."""

    EXPIRED = "expired"
    """Not the person's newest reminder, not sent, or not from today."""
    NOT_ACTIVE = "not_active"
    """The person is paused, stopped or held: no reminder is owed."""


@dataclass(frozen=True, slots=True)
class AlreadySnoozed:
    at: datetime
    """When the one-off reminder already waiting comes (local)."""


@dataclass(frozen=True, slots=True)
class NoMoreSnoozes:
    limit: int
    """Snoozes a day, all used today."""


@dataclass(frozen=True, slots=True)
class QuietUntilTomorrow:
    """The quiet hours last from before the snooze into the next day: no snooze, the next daily
    reminder serves."""

    quiet_from: time
    quiet_until: time


@dataclass(frozen=True, slots=True)
class Snoozed:
    routine_id: str | None
    kind: DeliveryKind
    """The snoozed reminder's, so its card can be drawn again."""
    at: datetime
    """When the next reminder comes (local): the snooze, or the daily one if that is sooner."""
    placement: kindness.Placement
    """How quiet hours moved the snooze; AS_ASKED also when the daily reminder comes first."""
    quiet_from: datetime | None
    """When the quiet hours that moved the snooze begin (local); None when none did."""


SnoozeResult = NotNow | AlreadySnoozed | NoMoreSnoozes | QuietUntilTomorrow | Snoozed


@dataclass(frozen=True, slots=True)
class Skipped:
    routine_id: str | None
    kind: DeliveryKind
    """The skipped reminder's, so its card can be drawn again."""
    today: date
    """The person's local day that was skipped."""
    next_at: datetime | None
    """When the next reminder comes (local), if one is scheduled."""
    skipped_before: int
    """Reminders skipped earlier in the person's week (`kindness.asks_to_rethink` reads it)."""


SkipResult = NotNow | Skipped


def _day_start(now: datetime, zone: Zone, days_ahead: int = 0) -> datetime:
    """The UTC instant the local day (today, or `days_ahead` later) begins."""
    day = local_date(now, zone) + timedelta(days=days_ahead)
    return occurrence_on(day, time(0, 0), zone)


async def _current(
    db: AsyncSession, user_id: int, delivery_id: int | None, now: datetime, default_timezone: str
) -> tuple[Subscriber, ReminderDelivery, Zone] | None:
    """The person's newest reminder, if the tapped one is it, was sent, and is from today."""
    subscriber = await subscribers.get_by_user_id(db, user_id)
    if subscriber is None or delivery_id is None:
        return None
    delivery = await deliveries.get(db, delivery_id)
    # PENDING too: the tap can come before the send's outcome is written (see record_outcomes).
    if (
        delivery is None
        or delivery.subscriber_id != subscriber.id
        or delivery.status not in (DeliveryStatus.SENT, DeliveryStatus.PENDING)
    ):
        return None
    latest = await deliveries.latest_sent(db, subscriber.id)
    zone = local_zone(subscriber.timezone, default_timezone)
    if latest is None or latest.id != delivery.id:
        return None
    if local_date(delivery.due_at, zone) != local_date(now, zone):
        return None
    return subscriber, delivery, zone


async def snooze(
    db: AsyncSession,
    user_id: int,
    delivery_id: int | None,
    now: datetime,
    *,
    minutes: int,
    daily_limit: int,
    default_timezone: str,
) -> SnoozeResult:
    """One more reminder `minutes` later (never inside quiet hours), unless `daily_limit`
    snoozes were used today or a one-off reminder waits already."""
    found = await _current(db, user_id, delivery_id, now, default_timezone)
    if found is None:
        return NotNow.EXPIRED
    subscriber, delivery, zone = found
    if subscriber.status is not Status.ACTIVE:
        return NotNow.NOT_ACTIVE
    prefs = subscriber.preferences
    pending = prefs.next_reminder_at
    weekdays = days_of(prefs.weekdays)
    if (
        pending is not None
        and pending > now
        and not is_regular(pending, prefs.reminder_time, weekdays, zone)
    ):
        return AlreadySnoozed(pending.astimezone(zone))
    used = await deliveries.count_kind_since(
        db, subscriber.id, DeliveryKind.SNOOZE, _day_start(now, zone)
    )
    if used >= daily_limit:
        return NoMoreSnoozes(daily_limit)
    hours = kindness.QuietHours.of(prefs.quiet_from, prefs.quiet_until)
    place = kindness.place_snooze(now, timedelta(minutes=minutes), zone, hours)
    if place.when is None:
        # Quiet hours from before then until tomorrow: the next daily reminder serves.
        assert hours is not None
        return QuietUntilTomorrow(hours.start, hours.end)
    later = place.when
    # The regular schedule stays as it is: after this one-off, the next claim goes on from the
    # daily time again. If the daily reminder comes first, that one serves.
    when = later if pending is None else min(pending, later)
    if isinstance(await life.snooze(db, subscriber, when, now), Refused):
        return NotNow.NOT_ACTIVE
    logger.info("subscriber %s snoozed reminder %s", subscriber.id, delivery.id)
    moved = when == later
    return Snoozed(
        delivery.routine_id,
        delivery.kind,
        when.astimezone(zone),
        place.placement if moved else kindness.Placement.AS_ASKED,
        place.quiet_from.astimezone(zone) if moved and place.quiet_from is not None else None,
    )


async def skip(
    db: AsyncSession, user_id: int, delivery_id: int | None, now: datetime, default_timezone: str
) -> SkipResult:
    """Record the skip, drop any snooze, and stay quiet until tomorrow."""
    found = await _current(db, user_id, delivery_id, now, default_timezone)
    if found is None:
        return NotNow.EXPIRED
    subscriber, delivery, zone = found
    if subscriber.status is not Status.ACTIVE:
        return NotNow.NOT_ACTIVE
    # Before this one is marked: how many were skipped already in the person's week.
    skipped_before = await deliveries.count_skipped_since(
        db, subscriber.id, kindness.week_start(now, zone)
    )
    await deliveries.mark_skipped(db, delivery)
    await life.skip_today(db, subscriber, _day_start(now, zone, days_ahead=1), now)
    next_at = subscriber.preferences.next_reminder_at
    logger.info("subscriber %s skipped reminder %s", subscriber.id, delivery.id)
    return Skipped(
        delivery.routine_id,
        delivery.kind,
        local_date(now, zone),
        next_at.astimezone(zone) if next_at is not None else None,
        skipped_before,
    )
