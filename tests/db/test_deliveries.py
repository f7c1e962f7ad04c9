"""Claiming due subscribers, leasing pending deliveries, recording outcomes (both backends)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import deliveries
from bot.db.deliveries import Decision, DueSubscriber, Outcome
from bot.db.models import (
    DeliveryKind,
    DeliveryStatus,
    PracticeSession,
    Preferences,
    ReminderDelivery,
    SessionEvent,
    SessionStatus,
    Subscriber,
    SubscriberStatus,
)
from bot.domain import lifecycle
from bot.domain.progression import History, Mark, rules_for
from tests.support.content import shipped_content

NOW = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]
_CONTENT = shipped_content()
RULES = rules_for(_CONTENT, _CONTENT.safety.checkin)


async def add_subscribers(
    factory: Factory,
    due: Sequence[datetime | None],
    *,
    status: SubscriberStatus = SubscriberStatus.ACTIVE,
    first_user_id: int = 1000,
) -> list[int]:
    async with factory.begin() as session:
        people = []
        for offset, due_at in enumerate(due):
            person = Subscriber(
                telegram_user_id=first_user_id + offset,
                chat_id=first_user_id + offset,
                timezone="Europe/Berlin",
                status=status,
            )
            person.preferences = Preferences(
                reminder_time=time(9, 0), weekdays=0b1111111, next_reminder_at=due_at
            )
            session.add(person)
            people.append(person)
        await session.flush()
        return [person.id for person in people]


def advance_one_day(subject: DueSubscriber) -> Decision:
    return Decision(
        subject.due_at + timedelta(days=1),
        DeliveryKind.DAILY,
        DeliveryStatus.PENDING,
        routine_id="gentle_start",
    )


async def claim(
    factory: Factory, limit: int = 100, decide: deliveries.Decide = advance_one_day
) -> deliveries.Claim:
    async with factory.begin() as session:
        return await deliveries.claim_due(session, NOW, limit, decide)


async def next_at(factory: Factory, subscriber_id: int) -> datetime | None:
    async with factory() as session:
        prefs = await session.get(Preferences, subscriber_id)
        assert prefs is not None
        return prefs.next_reminder_at


async def all_deliveries(factory: Factory) -> list[ReminderDelivery]:
    async with factory() as session:
        result = await session.execute(select(ReminderDelivery).order_by(ReminderDelivery.id))
        return list(result.scalars())


async def test_claim_takes_due_active_rows_oldest_first_and_advances_them(
    session_factory: Factory,
) -> None:
    early, late = NOW - timedelta(minutes=5), NOW - timedelta(seconds=5)
    late_id, early_id, future_id = await add_subscribers(
        session_factory, [late, early, NOW + timedelta(seconds=1)]
    )
    (paused_id,) = await add_subscribers(
        session_factory, [early], status=SubscriberStatus.PAUSED, first_user_id=2000
    )

    first = await claim(session_factory, limit=1)
    assert [r.subscriber_id for r in first.reminders] == [early_id]
    second = await claim(session_factory)
    assert [r.subscriber_id for r in second.reminders] == [late_id]
    assert (await claim(session_factory)).claimed == 0

    reminder = second.reminders[0]
    assert reminder.due_at == late
    assert (reminder.chat_id, reminder.telegram_user_id) == (1000, 1000)
    assert reminder.timezone == "Europe/Berlin"
    assert reminder.routine_id == "gentle_start"
    assert await next_at(session_factory, late_id) == late + timedelta(days=1)
    assert await next_at(session_factory, future_id) == NOW + timedelta(seconds=1)
    assert await next_at(session_factory, paused_id) == early
    records = await all_deliveries(session_factory)
    assert [(d.subscriber_id, d.status, d.claimed_at) for d in records] == [
        (early_id, DeliveryStatus.PENDING, NOW),
        (late_id, DeliveryStatus.PENDING, NOW),
    ]


async def test_missed_and_failed_decisions_are_recorded_but_not_returned(
    session_factory: Factory,
) -> None:
    ids = await add_subscribers(session_factory, [NOW - timedelta(hours=5)] * 2)

    def settle(subject: DueSubscriber) -> Decision:
        if subject.subscriber_id == ids[0]:
            return Decision(NOW + timedelta(hours=20), DeliveryKind.DAILY, DeliveryStatus.MISSED)
        return Decision(None, DeliveryKind.DAILY, DeliveryStatus.FAILED, last_error="schedule")

    result = await claim(session_factory, decide=settle)
    assert (result.claimed, result.reminders, result.missed, result.failed) == (2, [], 1, 1)
    records = await all_deliveries(session_factory)
    assert [(d.status, d.claimed_at, d.last_error) for d in records] == [
        (DeliveryStatus.MISSED, None, None),
        (DeliveryStatus.FAILED, None, "schedule"),
    ]
    assert await next_at(session_factory, ids[0]) == NOW + timedelta(hours=20)
    assert await next_at(session_factory, ids[1]) is None


async def test_an_existing_delivery_for_the_same_instant_is_not_sent_again(
    session_factory: Factory,
) -> None:
    due = NOW - timedelta(minutes=1)
    (person,) = await add_subscribers(session_factory, [due])
    async with session_factory.begin() as session:
        session.add(ReminderDelivery(subscriber_id=person, due_at=due, status=DeliveryStatus.SENT))

    result = await claim(session_factory)
    assert (result.claimed, result.reminders) == (1, [])
    assert await next_at(session_factory, person) == due + timedelta(days=1)
    assert len(await all_deliveries(session_factory)) == 1


async def test_recent_routines_reach_the_decision_newest_first(session_factory: Factory) -> None:
    (person,) = await add_subscribers(session_factory, [NOW])
    async with session_factory.begin() as session:
        for days, routine in ((3, "a"), (2, "b"), (1, "a"), (30, "old")):
            session.add(
                ReminderDelivery(
                    subscriber_id=person,
                    due_at=NOW - timedelta(days=days),
                    status=DeliveryStatus.SENT,
                    routine_id=routine,
                )
            )
    seen: list[tuple[str, ...]] = []

    def remember(subject: DueSubscriber) -> Decision:
        seen.append(subject.recent_routines)
        return advance_one_day(subject)

    await claim(session_factory, decide=remember)
    assert seen == [("a", "b")]


async def test_the_history_of_each_claimed_person_reaches_the_decision(
    session_factory: Factory,
) -> None:
    first, second = await add_subscribers(session_factory, [NOW, NOW])
    async with session_factory.begin() as session:
        practice = PracticeSession(
            subscriber_id=first,
            routine_id="seated_progression",
            status=SessionStatus.COMPLETED,
            started_at=NOW - timedelta(days=1),
        )
        session.add(practice)
        await session.flush()
        rows = (
            ("chair_hamstring_stage_3", "done", None),
            ("calf_wall", "done", None),  # no gate depends on it: not loaded
            ("chair_hamstring_stage_2", "checkin", "uncomfortable"),
            ("chair_hamstring_stage_2", "checkin", "gentle"),  # comfortable: not loaded
        )
        for stretch, kind, answer in rows:
            session.add(
                SessionEvent(
                    session_id=practice.id,
                    step_index=0,
                    stretch_id=stretch,
                    kind=kind,
                    checkin_answer=answer,
                    at=NOW - timedelta(days=1),
                )
            )
    seen: dict[int, History] = {}

    def remember(subject: DueSubscriber) -> Decision:
        seen[subject.subscriber_id] = subject.history
        return advance_one_day(subject)

    async with session_factory.begin() as session:
        await deliveries.claim_due(session, NOW, 100, remember, RULES)
    assert seen[second] == History()
    (session_mark,) = seen[first].sessions
    assert (session_mark.routine_id, session_mark.completed) == ("seated_progression", True)
    assert [(m.stretch_id, m.mark) for m in seen[first].marks] == [
        ("chair_hamstring_stage_3", Mark.CLEAN),
        ("chair_hamstring_stage_2", Mark.UNEASY),
    ]


async def test_stale_pending_deliveries_are_taken_over_and_renewed_ones_are_not(
    session_factory: Factory,
) -> None:
    ids = await add_subscribers(session_factory, [NOW, NOW])
    await claim(session_factory)
    records = await all_deliveries(session_factory)
    later = NOW + timedelta(minutes=2)
    async with session_factory.begin() as session:
        await deliveries.renew_leases(session, {records[0].id}, later)

    async with session_factory.begin() as session:
        taken = await deliveries.claim_stale(session, later, later - timedelta(seconds=30), 10)
    assert [item.reminder.delivery_id for item in taken] == [records[1].id]
    assert taken[0].subscriber_status is SubscriberStatus.ACTIVE
    assert taken[0].reminder.subscriber_id == ids[1]
    async with session_factory.begin() as session:
        again = await deliveries.claim_stale(session, later, later - timedelta(seconds=30), 10)
    assert again == []


async def test_a_pending_delivery_not_yet_due_is_never_taken_over(session_factory: Factory) -> None:
    (person,) = await add_subscribers(session_factory, [None])
    async with session_factory.begin() as session:
        session.add(ReminderDelivery(subscriber_id=person, due_at=NOW + timedelta(minutes=5)))
    async with session_factory.begin() as session:
        assert await deliveries.claim_stale(session, NOW, NOW, 10) == []
    later = NOW + timedelta(minutes=5)
    async with session_factory.begin() as session:
        (taken,) = await deliveries.claim_stale(session, later, later, 10)
    assert taken.reminder.subscriber_id == person


async def test_outcomes_settle_pending_deliveries_and_mark_blocked_people(
    session_factory: Factory,
) -> None:
    ok_id, blocked_id, skipped_id = await add_subscribers(session_factory, [NOW] * 3)
    result = await claim(session_factory)
    by_person = {r.subscriber_id: r.delivery_id for r in result.reminders}
    async with session_factory.begin() as session:
        skipped = await deliveries.get(session, by_person[skipped_id])
        assert skipped is not None
        skipped.status = DeliveryStatus.SKIPPED

    sent_at = NOW + timedelta(seconds=3)
    async with session_factory.begin() as session:
        await deliveries.record_outcomes(
            session,
            [
                Outcome(by_person[ok_id], ok_id, DeliveryStatus.SENT, 2, 77, sent_at),
                Outcome(
                    by_person[blocked_id],
                    blocked_id,
                    DeliveryStatus.FAILED,
                    1,
                    last_error="Forbidden: bot was blocked by the user",
                    blocked=True,
                ),
                Outcome(by_person[skipped_id], skipped_id, DeliveryStatus.SENT, 1, 78, sent_at),
            ],
        )
    records = {d.subscriber_id: d for d in await all_deliveries(session_factory)}
    ok = records[ok_id]
    assert (ok.status, ok.attempts, ok.message_id, ok.sent_at) == (
        DeliveryStatus.SENT,
        2,
        77,
        sent_at,
    )
    assert records[blocked_id].status is DeliveryStatus.FAILED
    # The person's "Not today" (tapped before the outcome was written) stands; the send's
    # facts are still recorded.
    assert records[skipped_id].status is DeliveryStatus.SKIPPED
    assert records[skipped_id].message_id == 78
    async with session_factory() as session:
        person = await session.get(Subscriber, blocked_id)
        assert person is not None and person.status is SubscriberStatus.BLOCKED
    assert await next_at(session_factory, blocked_id) is None


async def test_release_inactive_clears_only_due_rows_of_inactive_people(
    session_factory: Factory,
) -> None:
    (active,) = await add_subscribers(session_factory, [NOW - timedelta(hours=1)])
    paused, future = await add_subscribers(
        session_factory,
        [NOW - timedelta(hours=1), NOW + timedelta(hours=1)],
        status=SubscriberStatus.PAUSED,
        first_user_id=3000,
    )
    async with session_factory.begin() as session:
        assert await deliveries.release_inactive(session, NOW, 100) == 1
    assert await next_at(session_factory, active) == NOW - timedelta(hours=1)
    assert await next_at(session_factory, paused) is None
    assert await next_at(session_factory, future) == NOW + timedelta(hours=1)


async def test_latest_sent_and_snooze_count(session_factory: Factory) -> None:
    (person,) = await add_subscribers(session_factory, [None])
    async with session_factory.begin() as session:
        for minutes, kind, status in (
            (0, DeliveryKind.DAILY, DeliveryStatus.SENT),
            (30, DeliveryKind.SNOOZE, DeliveryStatus.SENT),
            (60, DeliveryKind.SNOOZE, DeliveryStatus.PENDING),
        ):
            session.add(
                ReminderDelivery(
                    subscriber_id=person,
                    due_at=NOW + timedelta(minutes=minutes),
                    kind=kind,
                    status=status,
                )
            )
    async with session_factory() as session:
        latest = await deliveries.latest_sent(session, person)
        assert latest is not None and latest.due_at == NOW + timedelta(minutes=60)
        count = deliveries.count_kind_since
        assert await count(session, person, DeliveryKind.SNOOZE, NOW) == 2
        assert await count(session, person, DeliveryKind.SNOOZE, NOW + timedelta(minutes=45)) == 1


async def test_concurrent_claims_on_postgresql_skip_each_others_rows(
    backend: str, session_factory: Factory
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite serialises writers; SKIP LOCKED is a PostgreSQL feature")
    await add_subscribers(session_factory, [NOW - timedelta(seconds=s) for s in range(10)])
    async with session_factory() as holder:
        async with holder.begin():
            held = await deliveries.claim_due(holder, NOW, 4, advance_one_day)
            # While the first claim is not committed, a second one takes other rows at once.
            other = await asyncio.wait_for(claim(session_factory, limit=100), timeout=5)
        assert len(held.reminders) == 4 and len(other.reminders) == 6
        mine = {r.subscriber_id for r in held.reminders}
        assert mine.isdisjoint(r.subscriber_id for r in other.reminders)


@pytest.mark.parametrize("status", list(SubscriberStatus))
async def test_a_blocked_send_changes_the_status_as_the_life_cycle_would(
    session_factory: Factory, status: SubscriberStatus
) -> None:
    """The bulk write after a 403 is the machine's Block: a stop made mid-send is kept."""
    (person_id,) = await add_subscribers(session_factory, [NOW])
    (reminder,) = (await claim(session_factory)).reminders
    async with session_factory.begin() as session:
        person = await session.get(Subscriber, person_id)
        assert person is not None
        person.status = status  # what the person did between the claim and the send
        await deliveries.record_outcomes(
            session,
            [
                Outcome(
                    reminder.delivery_id,
                    person_id,
                    DeliveryStatus.FAILED,
                    1,
                    last_error="Forbidden: bot was blocked by the user",
                    blocked=True,
                )
            ],
        )
    result = lifecycle.apply(lifecycle.Life(status=lifecycle.Status(status)), lifecycle.Block())
    expected = result.life.status if isinstance(result, lifecycle.Transition) else status
    async with session_factory() as session:
        person = await session.get(Subscriber, person_id)
        assert person is not None and person.status.value == expected.value
