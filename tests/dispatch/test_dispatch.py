"""The dispatcher against the sandbox Telegram, on SQLite and PostgreSQL: send, retry, record."""

from __future__ import annotations

import asyncio
import time as wall
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.deliveries import Decision, DueSubscriber
from bot.db.models import (
    DeliveryKind,
    DeliveryStatus,
    Preferences,
    ReminderDelivery,
    Subscriber,
    SubscriberStatus,
)
from bot.dispatch import QUIET_HOURS, decide
from bot.domain.kindness import QuietHours
from bot.domain.onboarding import days_of
from bot.domain.schedule import is_regular
from bot.net.budget import BudgetLimits, SendBudget
from sandbox import Fault, FaultKind, RateLimits, SandboxServer, SimUser
from tests.dispatch.conftest import (
    START,
    Factory,
    add_due,
    bot_messages_per_chat,
    crash_after_claiming,
    deliveries_by_status,
    eventually,
    everyone_has_one,
    make_dispatcher,
    pending_at_least,
    people,
    render_plain,
    same_routine,
    someone_has_one,
)
from tests.support.clock import TestClock
from tests.support.content import shipped_content

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

BERLIN = ZoneInfo("Europe/Berlin")


def subject(due: datetime, *, zone: str = "Europe/Berlin", at: time = time(9, 0)) -> DueSubscriber:
    return DueSubscriber(
        subscriber_id=1,
        due_at=due,
        chat_id=10,
        telegram_user_id=10,
        timezone=zone,
        reminder_time=at,
        weekdays=0b0011111,  # Monday to Friday
        focus_areas=(),
        level="beginner",
        session_minutes=10,
    )


def plan(due: datetime, now: datetime, zone: str = "Europe/Berlin") -> Decision:
    return plan_for(subject(due, zone=zone), now)


def plan_for(due: DueSubscriber, now: datetime) -> Decision:
    return decide(
        due,
        now,
        grace=timedelta(hours=2),
        default_timezone="UTC",
        choose_routine=same_routine,
    )


# --- deciding (pure) -------------------------------------------------------------------------


def test_weekday_bits_become_weekday_numbers() -> None:
    assert days_of(0b1000001) == frozenset({0, 6})
    assert days_of(0) == frozenset()


def test_a_daily_reminder_is_sent_and_the_next_is_the_following_weekday() -> None:
    friday_9 = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)  # 09:00 in Berlin (CET)
    decision = plan(friday_9, friday_9 + timedelta(seconds=3))
    assert decision.status is DeliveryStatus.PENDING
    assert decision.kind is DeliveryKind.DAILY
    assert decision.routine_id == "gentle_start"
    # Monday 09:00 Berlin: the weekend is not chosen.
    assert decision.next_reminder_at == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def test_a_reminder_due_inside_quiet_hours_is_settled_in_the_claim_in_the_persons_zone() -> None:
    monday_9 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin, 08:00 UTC
    morning = QuietHours(time(8, 30), time(9, 30))  # Berlin wall clock
    quiet = plan_for(replace(subject(monday_9), quiet_hours=morning), monday_9)
    assert (quiet.status, quiet.last_error) == (DeliveryStatus.MISSED, QUIET_HOURS)
    assert quiet.next_reminder_at == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    # Read on the person's clock, not UTC's: 08:00 UTC is outside 08:30-09:30 in London.
    london = replace(subject(monday_9, zone="Europe/London", at=time(8)), quiet_hours=morning)
    assert plan_for(london, monday_9).status is DeliveryStatus.PENDING


def test_an_off_schedule_instant_is_a_snooze() -> None:
    snoozed = datetime(2026, 3, 6, 8, 35, tzinfo=UTC)
    decision = plan(snoozed, snoozed)
    assert decision.kind is DeliveryKind.SNOOZE
    assert decision.next_reminder_at == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def test_a_snooze_comes_back_with_the_routine_it_had() -> None:
    snoozed = datetime(2026, 3, 6, 8, 35, tzinfo=UTC)
    due = replace(subject(snoozed), recent_routines=("calm_back", "other"))
    decision = decide(
        due, snoozed, grace=timedelta(hours=2), default_timezone="UTC", choose_routine=same_routine
    )
    assert (decision.kind, decision.routine_id) == (DeliveryKind.SNOOZE, "calm_back")
    daily = replace(due, due_at=datetime(2026, 3, 6, 8, 0, tzinfo=UTC))
    chosen = decide(
        daily,
        snoozed,
        grace=timedelta(hours=2),
        default_timezone="UTC",
        choose_routine=same_routine,
    )
    assert (chosen.kind, chosen.routine_id) == (DeliveryKind.DAILY, "gentle_start")


def test_late_within_grace_is_sent_beyond_it_is_missed_once() -> None:
    due = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert plan(due, due + timedelta(hours=2)).status is DeliveryStatus.PENDING
    three_days_later = due + timedelta(days=3, minutes=5)
    missed = plan(due, three_days_later)
    assert missed.status is DeliveryStatus.MISSED
    assert missed.routine_id is None
    # The next reminder is counted from now: one missed record, not one per day of downtime.
    assert missed.next_reminder_at == datetime(2026, 3, 6, 8, 0, tzinfo=UTC)


def test_dst_change_keeps_the_local_time() -> None:
    # Berlin springs forward on 29 March 2026: 09:00 is 08:00 UTC before, 07:00 UTC after.
    friday = datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    assert plan(friday, friday).next_reminder_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert is_regular(datetime(2026, 3, 30, 7, 0, tzinfo=UTC), time(9, 0), frozenset({0}), BERLIN)


def test_an_unreadable_zone_fails_that_row_only() -> None:
    decision = plan(START, START, zone="Mars/Olympus")
    assert decision.status is DeliveryStatus.FAILED
    assert decision.next_reminder_at is None


# --- sending ---------------------------------------------------------------------------------


async def test_due_reminders_are_sent_once_recorded_and_advanced(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START + timedelta(seconds=2))
    due_people = people(sandbox, 3)
    later, paused = people(sandbox, 1), people(sandbox, 1)
    ids = await add_due(session_factory, due_people, START)
    await add_due(session_factory, later, START + timedelta(minutes=1))
    await add_due(session_factory, paused, START, status=SubscriberStatus.PAUSED)
    dispatcher = make_dispatcher(sandbox, session_factory, clock)
    await dispatcher.start()
    try:
        await dispatcher.run_once()
        await dispatcher.run_once()
    finally:
        await dispatcher.stop()

    counts = bot_messages_per_chat(sandbox, due_people + later + paused)
    assert list(counts.values()) == [1, 1, 1, 0, 0]
    async with session_factory() as session:
        records = (await session.execute(select(ReminderDelivery))).scalars().all()
        assert {r.subscriber_id for r in records} == set(ids.values())
        for record in records:
            assert record.status is DeliveryStatus.SENT
            assert (record.attempts, record.routine_id) == (1, "gentle_start")
            assert record.sent_at == clock.current
            user = next(u for u in due_people if ids[u.id] == record.subscriber_id)
            assert record.message_id == user.bot_messages()[0].message_id
            assert user.bot_messages()[0].text == f"reminder {record.id}"
            prefs = await session.get(Preferences, record.subscriber_id)
            assert prefs is not None
            assert prefs.next_reminder_at == START + timedelta(days=1)


async def test_downtime_beyond_grace_records_missed_and_sends_nothing(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START + timedelta(hours=3))
    stale, recent = people(sandbox, 2), people(sandbox, 1)
    await add_due(session_factory, stale, START)
    await add_due(session_factory, recent, START + timedelta(hours=1, minutes=30))
    dispatcher = make_dispatcher(sandbox, session_factory, clock)
    await dispatcher.start()
    try:
        stats = await dispatcher.run_once()
    finally:
        await dispatcher.stop()
    assert list(bot_messages_per_chat(sandbox, stale + recent).values()) == [0, 0, 1]
    assert await deliveries_by_status(session_factory) == {
        DeliveryStatus.MISSED: 2,
        DeliveryStatus.SENT: 1,
    }
    assert (stats.missed, stats.sent) == (2, 1)


async def test_blocked_people_are_marked_blocked_without_retries(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    blocked, fine = people(sandbox, 1), people(sandbox, 1)
    await blocked[0].block()
    never_started = [sandbox.user("Quiet")]  # has not pressed Start: Telegram answers 403 too
    ids = await add_due(session_factory, blocked + fine + never_started, START)
    dispatcher = make_dispatcher(sandbox, session_factory, clock, max_attempts=5)
    await dispatcher.start()
    try:
        await dispatcher.run_once()
    finally:
        await dispatcher.stop()

    sends = sandbox.calls_of("sendMessage")
    assert sorted(call.status for call in sends) == [200, 403, 403]
    async with session_factory() as session:
        for user, expected in ((blocked[0], True), (fine[0], False), (never_started[0], True)):
            person = await session.get(Subscriber, ids[user.id])
            prefs = await session.get(Preferences, ids[user.id])
            assert person is not None and prefs is not None
            assert (person.status is SubscriberStatus.BLOCKED) is expected
            assert (prefs.next_reminder_at is None) is expected
    assert await deliveries_by_status(session_factory) == {
        DeliveryStatus.SENT: 1,
        DeliveryStatus.FAILED: 2,
    }


async def test_server_errors_and_timeouts_are_retried_then_given_up(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 1)
    await add_due(session_factory, users, START)
    sandbox.script_faults(
        "sendMessage",
        Fault(FaultKind.SERVER_ERROR),
        Fault(FaultKind.BAD_GATEWAY),
        Fault(FaultKind.SLOW, 1.0),  # applied, but the answer comes after our timeout
    )
    dispatcher = make_dispatcher(
        sandbox, session_factory, clock, send_timeout_seconds=0.3, max_attempts=5
    )
    await dispatcher.start()
    try:
        await dispatcher.run_once()
        async with session_factory() as session:
            record = (await session.execute(select(ReminderDelivery))).scalar_one()
            assert (record.status, record.attempts) == (DeliveryStatus.SENT, 4)
        # At-least-once: the timed-out send had reached the chat, so the person has two.
        assert len(users[0].bot_messages()) == 2

        more = people(sandbox, 1)
        await add_due(session_factory, more, START)
        sandbox.script_faults("sendMessage", *[Fault(FaultKind.SERVER_ERROR)] * 5)
        dispatcher.options = replace(dispatcher.options, max_attempts=3)
        await dispatcher.run_once()
    finally:
        await dispatcher.stop()
    async with session_factory() as session:
        record = (
            (await session.execute(select(ReminderDelivery).order_by(ReminderDelivery.id.desc())))
            .scalars()
            .first()
        )
        assert record is not None
        assert (record.status, record.attempts) == (DeliveryStatus.FAILED, 3)
        assert record.last_error is not None and "Internal Server Error" in record.last_error
    assert more[0].bot_messages() == []


async def test_one_slow_chat_does_not_hold_up_the_others(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 20)
    await add_due(session_factory, users, START)
    sandbox.script_faults("sendMessage", Fault(FaultKind.SLOW, 1.2))
    dispatcher = make_dispatcher(sandbox, session_factory, clock, send_timeout_seconds=10)
    await dispatcher.start()
    try:
        started = wall.monotonic()
        run = asyncio.create_task(dispatcher.run_once())
        await eventually(lambda: everyone_has_one(users), timeout=5)
        others_done = wall.monotonic() - started
        await run
        everything_done = wall.monotonic() - started
    finally:
        await dispatcher.stop()
    # All 20 messages (the slow one is applied at once) reached their chats long before the
    # slow answer came back, and the whole run waited for that answer.
    assert others_done < 0.9 and everything_done >= 1.2
    assert await deliveries_by_status(session_factory) == {DeliveryStatus.SENT: 20}


async def test_flood_control_answers_are_waited_out(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 8)
    await add_due(session_factory, users, START)
    sandbox.set_rate_limits(RateLimits(global_per_second=4))
    dispatcher = make_dispatcher(
        sandbox, session_factory, clock, budget=SendBudget(BudgetLimits.telegram(global_rate=1000))
    )
    await dispatcher.start()
    try:
        stats = await dispatcher.run_once()
    finally:
        await dispatcher.stop()
    statuses = [call.status for call in sandbox.calls_of("sendMessage")]
    assert 429 in statuses
    assert stats.flood_waits == statuses.count(429)
    assert list(bot_messages_per_chat(sandbox, users).values()) == [1] * 8
    async with session_factory() as session:
        records = (await session.execute(select(ReminderDelivery))).scalars().all()
        # A 429 is Telegram pacing us: it is retried without using up an attempt.
        assert {(r.status, r.attempts >= 1) for r in records} == {(DeliveryStatus.SENT, True)}


async def test_a_reminder_inside_quiet_hours_costs_no_turn_in_the_send_budget(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    quiet, loud = people(sandbox, 2)
    ids = await add_due(session_factory, [quiet, loud], START)
    async with session_factory.begin() as session:
        preferences = await session.get(Preferences, ids[quiet.id])
        assert preferences is not None
        preferences.quiet_from, preferences.quiet_until = time(7, 30), time(9)  # UTC wall clock
    budget = SendBudget(BudgetLimits.telegram(global_rate=1000))
    dispatcher = make_dispatcher(sandbox, session_factory, clock, budget=budget)
    await dispatcher.start()
    try:
        await dispatcher.run_once()
    finally:
        await dispatcher.stop()
    assert bot_messages_per_chat(sandbox, [quiet, loud]) == {quiet.id: 0, loud.id: 1}
    assert budget.stats.granted == {"reminder": 1}, "only the reminder that went out took a turn"
    async with session_factory() as session:
        record = (
            await session.execute(
                select(ReminderDelivery).where(ReminderDelivery.subscriber_id == ids[quiet.id])
            )
        ).scalar_one()
    assert (record.status, record.last_error, record.attempts) == (
        DeliveryStatus.MISSED,
        QUIET_HOURS,
        0,
    )


async def test_our_limiter_keeps_under_telegrams_limits(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 45)
    await add_due(session_factory, users, START)
    sandbox.set_rate_limits(RateLimits(global_per_second=30, per_chat_per_second=1))
    budget = SendBudget(BudgetLimits.telegram(global_rate=30, chat_rate=1))
    dispatcher = make_dispatcher(sandbox, session_factory, clock, budget=budget)
    await dispatcher.start()
    try:
        started = wall.monotonic()
        await dispatcher.run_once()
        elapsed = wall.monotonic() - started
    finally:
        await dispatcher.stop()
    statuses = [call.status for call in sandbox.calls_of("sendMessage")]
    assert statuses == [200] * 45
    assert 44 / 30 * 0.95 <= elapsed < 44 / 30 + 1.5


async def test_a_crash_between_claim_and_send_is_healed_once_the_lease_runs_out(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 40)
    await add_due(session_factory, users, START)
    crashed = make_dispatcher(sandbox, session_factory, clock, batch_size=10, workers=1)
    # Never started, so nothing is sent: it claims three batches (two fill its queue of 20,
    # the third waits for room), its claims committed, and then the "process" dies.
    await crash_after_claiming(session_factory, crashed, 30)

    successor = make_dispatcher(sandbox, session_factory, clock)
    await successor.start()
    try:
        await successor.run_once()  # the lease is fresh: only the unclaimed rows go
        assert sum(bot_messages_per_chat(sandbox, users).values()) == 10
        clock.advance(seconds=successor.options.lease.total_seconds() + 1)
        stats = await successor.run_once()
    finally:
        await successor.stop()
    assert stats.taken_over == 30
    assert list(bot_messages_per_chat(sandbox, users).values()) == [1] * 40
    assert await deliveries_by_status(session_factory) == {DeliveryStatus.SENT: 40}


async def test_a_stopping_dispatcher_hands_its_queue_over_at_once(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 10)
    await add_due(session_factory, users, START)
    slow = make_dispatcher(
        sandbox,
        session_factory,
        clock,
        workers=1,
        budget=SendBudget(BudgetLimits.telegram(global_rate=4)),
    )
    await slow.start()
    run = asyncio.create_task(slow.run_once())
    await eventually(lambda: someone_has_one(users))
    await slow.stop(grace_seconds=0)
    run.cancel()
    await asyncio.gather(run, return_exceptions=True)
    assert 1 <= slow.stats.sent < 10

    successor = make_dispatcher(sandbox, session_factory, clock)  # same instant: no lease ran out
    await successor.start()
    try:
        stats = await successor.run_once()
    finally:
        await successor.stop()
    assert stats.taken_over == 10 - slow.stats.sent
    assert list(bot_messages_per_chat(sandbox, users).values()) == [1] * 10
    assert await deliveries_by_status(session_factory) == {DeliveryStatus.SENT: 10}


async def test_renewed_leases_are_not_taken_over(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    users = people(sandbox, 5)
    await add_due(session_factory, users, START)
    holder = make_dispatcher(sandbox, session_factory, clock, workers=1)
    run = asyncio.create_task(holder.run_once())  # claims, then waits: no workers started
    await eventually(lambda: pending_at_least(session_factory, 5))
    other = make_dispatcher(sandbox, session_factory, clock)
    await other.start()
    try:
        for _ in range(3):
            clock.advance(seconds=20)
            await holder.renew_leases()
            assert (await other.run_once()).taken_over == 0
        run.cancel()
        await asyncio.gather(run, return_exceptions=True)
        clock.advance(seconds=31)
        assert (await other.run_once()).taken_over == 5
    finally:
        await other.stop()
    assert list(bot_messages_per_chat(sandbox, users).values()) == [1] * 5


async def test_inactive_people_due_now_are_released_not_sent(
    sandbox: SandboxServer, session_factory: Factory
) -> None:
    clock = TestClock(START)
    stopped = people(sandbox, 2)
    ids = await add_due(session_factory, stopped, START, status=SubscriberStatus.STOPPED)
    dispatcher = make_dispatcher(sandbox, session_factory, clock)
    await dispatcher.start()
    try:
        await dispatcher.run_once()
    finally:
        await dispatcher.stop()
    assert sandbox.calls_of("sendMessage") == []
    async with session_factory() as session:
        for subscriber_id in ids.values():
            prefs = await session.get(Preferences, subscriber_id)
            assert prefs is not None and prefs.next_reminder_at is None


async def test_no_more_sends_go_out_than_the_unrecorded_window(
    sandbox: SandboxServer, session_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a crash can repeat is bounded: with outcomes not committing (a slow or absent
    database), only `unrecorded_limit` sends start; the rest wait, and go once it commits."""
    from bot.db import deliveries

    committing = asyncio.Event()
    record = deliveries.record_outcomes

    async def slow_record(session: object, outcomes: object) -> None:
        await committing.wait()
        await record(session, outcomes)  # type: ignore[arg-type]

    monkeypatch.setattr(deliveries, "record_outcomes", slow_record)
    clock = TestClock(START)
    users = people(sandbox, 20)
    await add_due(session_factory, users, START)
    dispatcher = make_dispatcher(sandbox, session_factory, clock, unrecorded_limit=3)
    await dispatcher.start()
    try:
        run = asyncio.create_task(dispatcher.run_once())
        await eventually(lambda: _sent_at_least(users, 3))
        await asyncio.sleep(0.3)  # time enough for 16 workers to send far more
        assert sum(len(u.bot_messages()) for u in users) == 3
        committing.set()
        await run
    finally:
        committing.set()
        await dispatcher.stop()
    assert list(bot_messages_per_chat(sandbox, users).values()) == [1] * 20
    assert await deliveries_by_status(session_factory) == {DeliveryStatus.SENT: 20}


async def _sent_at_least(users: list[SimUser], count: int) -> bool:
    return sum(len(u.bot_messages()) for u in users) >= count


def test_the_default_window_keeps_up_with_the_send_rate() -> None:
    """K sends in flight carry K / (round trip + commit) per second (Little's law)."""
    from bot.dispatch import unrecorded_window

    assert unrecorded_window(30.0) == 8  # Telegram's free rate, 250 ms allowance
    assert unrecorded_window(1000.0) == 250  # paid broadcasts
    assert unrecorded_window(1.0) == 1


def test_paid_broadcasts_get_as_many_workers_as_their_window() -> None:
    """Each worker holds one send: 64 of them at a 0.2 s round trip carried at most 320/s,
    whatever the paid lane allowed. Free-lane bots keep the default pool."""
    from bot.config import Settings
    from bot.dispatch import DEFAULT_WORKERS, DispatchOptions

    settings = {"telegram_bot_token": "1:x", "database_url": "sqlite+aiosqlite://"}
    paid = DispatchOptions.from_settings(Settings(**settings, allow_paid_broadcast=True))
    free = DispatchOptions.from_settings(Settings(**settings))
    assert paid.workers == paid.unrecorded_limit == 250
    assert free.workers == DEFAULT_WORKERS


def test_new_content_keeps_the_default_zone_and_reads_histories_with_its_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`/admin content reload` once rebuilt the routine chooser with UTC as everyone's default
    zone and left the history reader on the old content's rules."""
    from bot import dispatch
    from bot.dispatch import Dispatcher, DispatchOptions
    from bot.domain.progression import rules_for

    chosen: list[tuple[object, str]] = []
    real = dispatch.routine_chooser

    def spy(content: object, rules: object = None, default_timezone: str = "UTC") -> object:
        chosen.append((rules, default_timezone))
        return real(content, rules, default_timezone)  # type: ignore[arg-type]

    content = shipped_content()
    dispatcher = Dispatcher(
        session_factory=None,  # type: ignore[arg-type]  # never used: nothing is claimed
        bot=None,  # type: ignore[arg-type]
        render=render_plain,
        choose_routine=same_routine,
        clock=TestClock(START),
        options=DispatchOptions(default_timezone="Pacific/Auckland"),
        progress_rules=rules_for(content, content.safety.checkin),
    )
    monkeypatch.setattr(dispatch, "routine_chooser", spy)
    dispatcher.use_content(content)
    ((rules, zone),) = chosen
    assert zone == "Pacific/Auckland"
    assert rules is dispatcher._rules
