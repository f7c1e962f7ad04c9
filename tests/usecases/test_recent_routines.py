"""The reminder and /now agree on today's routine: one rule (`routines.recent_of`) over one kind of
record (the reminders), read the same way for a batch and for one person (SQLite and PostgreSQL).

Before, /now avoided the routines of the latest *sessions* while the reminder avoided those of the
latest *reminders*, so a person reminded of a routine they did not do saw /now offer that same
routine again before the reminder came with another one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import Content
from bot.db import deliveries
from bot.db.models import DeliveryKind, DeliveryStatus, ReminderDelivery
from bot.dispatch import decide, routine_chooser
from bot.domain import routines
from bot.domain.progression import Rules, rules_for
from bot.domain.schedule import local_date
from bot.domain.zones import local_zone
from bot.usecases import today
from tests.support import factories

# Tuesday 24 November 2026, 07:30 in Berlin: the person's reminder is due, not yet sent.
DUE = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


def _rules(content: Content) -> Rules:
    return rules_for(content, content.safety.checkin)


async def _reminded(db: AsyncSession, content: Content, subscriber_id: int) -> str | None:
    """What the dispatcher's claim picks for the person due at DUE."""
    rules = _rules(content)
    choose = routine_chooser(content, rules, "UTC")
    await deliveries.claim_due(
        db,
        DUE,
        10,
        lambda subject: decide(
            subject, DUE, grace=timedelta(hours=1), default_timezone="UTC", choose_routine=choose
        ),
        rules,
    )
    routine_id = await db.scalar(
        select(ReminderDelivery.routine_id).where(
            ReminderDelivery.subscriber_id == subscriber_id, ReminderDelivery.due_at == DUE
        )
    )
    return routine_id


async def test_the_reminder_and_now_pick_the_same_routine(
    db: AsyncSession, content: Content
) -> None:
    person = await factories.subscriber(db)
    person.preferences.next_reminder_at = DUE
    zone = local_zone(person.timezone, "UTC")
    prefs = await today.preferences_of(db, person)
    # Yesterday's reminder carried the routine the day's rotation would give without any
    # history (the person did not do it): both must now steer away from it.
    unhinted = routines.plan_day(content, prefs, local_date(DUE, zone)).routine_id
    db.add(
        ReminderDelivery(
            subscriber_id=person.id,
            due_at=DUE - timedelta(days=1),
            kind=DeliveryKind.DAILY,
            status=DeliveryStatus.SENT,
            routine_id=unhinted,
        )
    )
    await db.flush()

    shown = await today.routine_for_today(db, content, _rules(content), person, DUE, "UTC")
    assert shown is not None
    reminded = await _reminded(db, content, person.id)
    assert reminded is not None and reminded != unhinted
    assert shown.routine_id == reminded


async def test_one_person_reads_what_the_claim_reads(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    for days, routine_id in ((3, "a"), (2, "b"), (1, "a"), (8, "too_old")):
        db.add(
            ReminderDelivery(
                subscriber_id=person.id,
                due_at=DUE - timedelta(days=days),
                kind=DeliveryKind.DAILY,
                status=DeliveryStatus.SENT,
                routine_id=routine_id,
            )
        )
    await db.flush()
    batch, _ = await deliveries.recent_of(db, [person.id], DUE)
    assert await deliveries.recent_routines(db, person.id, DUE) == batch[person.id] == ("a", "b")
