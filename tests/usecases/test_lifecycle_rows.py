"""The life-cycle use cases on real rows (SQLite and PostgreSQL): scheduling after changes,
pauses, stop, block, and holds that nothing but answering or lifting removes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import pain, subscribers
from bot.db.models import PauseReason, Preferences, Subscriber, SubscriberStatus
from bot.domain.lifecycle import CheckedBy, Hold, Refused, Tier, Transition, Verdict, Why
from bot.domain.triage import Outcome
from bot.usecases import holds
from bot.usecases import lifecycle as life
from tests.support import factories
from tests.support.content import shipped_content

SAFETY = shipped_content().safety
# Monday 23 November 2026, 10:00 UTC (11:00 in Berlin).
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TUESDAY_0630 = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


async def _reschedule(db: AsyncSession, subscriber: Subscriber, now: datetime) -> datetime | None:
    await life.preferences_changed(db, subscriber, now)
    return subscriber.preferences.next_reminder_at


async def test_reschedule_an_active_subscriber_gets_the_next_local_time(db: AsyncSession) -> None:
    subscriber = await factories.subscriber(db)
    upcoming = await _reschedule(db, subscriber, MONDAY)
    # 11:00 in Berlin on Monday is past 07:30, so Tuesday 07:30 CET = 06:30 UTC.
    assert upcoming == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
    await db.commit()
    stored = await db.scalar(select(Preferences.next_reminder_at))
    assert stored == upcoming


async def test_reschedule_understands_a_fixed_offset_zone(db: AsyncSession) -> None:
    subscriber = await factories.subscriber(db, zone="UTC+03:00", at=time(14, 0))
    assert await _reschedule(db, subscriber, MONDAY) == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


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
        subscriber = await factories.subscriber(db, 2000 + number, **case)  # type: ignore[arg-type]
        subscriber.preferences.next_reminder_at = MONDAY
        assert await _reschedule(db, subscriber, MONDAY) is None, case
        assert subscriber.preferences.next_reminder_at is None


async def test_reschedule_loads_preferences_that_were_not_loaded(db: AsyncSession) -> None:
    subscriber = await factories.subscriber(db)
    await db.commit()
    db.expunge_all()
    bare = await db.scalar(select(Subscriber).where(Subscriber.id == subscriber.id))
    assert bare is not None
    assert await _reschedule(db, bare, MONDAY) is not None


async def test_pause_and_resume(db: AsyncSession) -> None:
    subscriber = await factories.subscriber(db)
    await _reschedule(db, subscriber, MONDAY)
    await life.pause(db, subscriber, MONDAY, date(2026, 12, 1))
    assert subscriber.pause_reason == PauseReason.USER
    assert subscriber.status == SubscriberStatus.PAUSED
    assert subscriber.paused_until == date(2026, 12, 1)
    assert subscriber.preferences.next_reminder_at is None
    await life.resume(db, subscriber, MONDAY)
    assert subscriber.preferences.next_reminder_at == TUESDAY_0630
    assert (subscriber.status, subscriber.pause_reason, subscriber.paused_until) == (
        SubscriberStatus.ACTIVE,
        None,
        None,
    )


async def test_dated_pauses_end_on_their_local_date_and_a_hold_still_waits(
    db: AsyncSession,
) -> None:
    tokyo = await factories.subscriber(db, 1, zone="Asia/Tokyo", at=time(0, 5))
    berlin = await factories.subscriber(db, 2, zone="Europe/Berlin")
    flagged = await factories.subscriber(db, 3)
    for person in (tokyo, berlin, flagged):
        await life.pause(db, person, MONDAY, date(2026, 11, 26))
    await holds.record_red_flag(db, flagged, "o", Tier.URGENT, [("red_flags", "x")], MONDAY)
    await db.commit()

    # Wednesday 15:30 UTC: already Thursday 00:30 in Tokyo, still Wednesday in Berlin.
    late_wednesday = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    assert await life.lift_finished_pauses(db, late_wednesday) == [tokyo.id]
    assert tokyo.status == SubscriberStatus.ACTIVE
    # The 00:05 reminder of the first day back is not lost because the check came at 00:30.
    assert tokyo.preferences.next_reminder_at == datetime(2026, 11, 25, 15, 5, tzinfo=UTC)
    assert berlin.status == SubscriberStatus.PAUSED

    thursday = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
    assert sorted(await life.lift_finished_pauses(db, thursday)) == [berlin.id, flagged.id]
    assert berlin.preferences.next_reminder_at == datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    # The flagged person's own pause ended too, but the hold keeps every reminder away.
    assert flagged.status == SubscriberStatus.ACTIVE
    assert flagged.preferences.next_reminder_at is None
    assert await life.lift_finished_pauses(db, datetime(2027, 1, 1, tzinfo=UTC)) == []


async def test_a_flag_raised_before_sign_up_survives_finishing_it(db: AsyncSession) -> None:
    person = await factories.subscriber(db, status=SubscriberStatus.ONBOARDING, step="length")
    report = await holds.record_red_flag(
        db, person, "o", Tier.URGENT, [("red_flags", "leg_weakness")], MONDAY
    )
    result = await life.finish_sign_up(db, person, MONDAY)
    assert isinstance(result, Transition) and result.life.held
    assert person.status == SubscriberStatus.ACTIVE and person.onboarding_step is None
    assert person.preferences.next_reminder_at is None
    assert await life.holds_of(db, person.id) == (Hold(report.id, Tier.URGENT),)


async def test_stop_and_come_back_keep_the_hold(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    await _reschedule(db, person, MONDAY)
    await holds.record_red_flag(
        db, person, "checkin", Tier.PROFESSIONAL, [("checkin", "n")], MONDAY
    )
    assert person.preferences.next_reminder_at is None
    await life.stop(db, person, MONDAY)
    await life.come_back(db, person, MONDAY)
    assert person.status == SubscriberStatus.ACTIVE
    assert person.preferences.next_reminder_at is None
    await life.preferences_changed(db, person, MONDAY)
    assert person.preferences.next_reminder_at is None
    assert isinstance(await life.snooze(db, person, MONDAY, MONDAY), Refused)
    assert person.preferences.next_reminder_at is None


async def test_an_unanswered_triage_holds_until_it_eases_off(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    await _reschedule(db, person, MONDAY)
    report, new = await holds.open_triage(db, person, "o", MONDAY)
    again, new_again = await holds.open_triage(db, person, "r", MONDAY)
    assert new and not new_again and again.id == report.id, "one tap back into the same one"
    assert person.preferences.next_reminder_at is None
    gate = await life.start_session(db, person)
    assert isinstance(gate, Refused) and gate.hold == Hold(report.id, Tier.TRIAGE)
    tier = await holds.decide_triage(
        db, person, report, SAFETY, Outcome.EASE_OFF, [("soreness", "mild_soreness")], MONDAY
    )
    assert tier is None
    assert person.preferences.next_reminder_at == TUESDAY_0630
    assert isinstance(await life.start_session(db, person), Transition)


async def test_lifting_names_the_report_and_keeps_the_answer(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    older = await holds.record_red_flag(db, person, "o", Tier.PROFESSIONAL, [("a", "b")], MONDAY)
    newer = await holds.record_red_flag(db, person, "o", Tier.URGENT, [("a", "c")], MONDAY)
    stale = await holds.lift(db, person, older.id, CheckedBy.GP, Verdict.CLEARED, MONDAY)
    assert stale == Refused(Why.EXPIRED, Hold(newer.id, Tier.URGENT))
    assert older.resolved_at is None and older.clearance is None

    not_yet = await holds.lift(db, person, newer.id, CheckedBy.GP, Verdict.NOT_CLEARED, MONDAY)
    assert isinstance(not_yet, Transition) and not_yet.life.held
    assert (newer.checked_by, newer.clearance, newer.resolved_at) == ("gp", "not_cleared", None)

    lifted = await holds.lift(
        db, person, newer.id, CheckedBy.URGENT_CARE, Verdict.NO_NERVE_TENSION, MONDAY
    )
    assert isinstance(lifted, Transition) and not lifted.life.held
    await db.commit()
    for report in (older, newer):
        await db.refresh(report)
        assert report.resolved_at == MONDAY
        assert (report.checked_by, report.clearance) == ("urgent_care", "no_nerve_tension")
    assert person.preferences.next_reminder_at == TUESDAY_0630
    assert await holds.current_limits(db, person.id) == {"no_nerve_tension"}
    exported = await subscribers.export_everything(db, person.id)
    assert {r["clearance"] for r in exported["pain_reports"]} == {"no_nerve_tension"}
    assert {r["checked_by"] for r in exported["pain_reports"]} == {"urgent_care"}


async def test_the_latest_lift_sets_the_limits(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    first = await holds.record_red_flag(db, person, "o", Tier.PROFESSIONAL, [], MONDAY)
    await holds.lift(db, person, first.id, CheckedBy.PHYSIO, Verdict.GENTLE_ONLY, MONDAY)
    assert await holds.current_limits(db, person.id) == {"gentle_only"}
    later = datetime(2026, 12, 1, tzinfo=UTC)
    second = await holds.record_red_flag(db, person, "o", Tier.PROFESSIONAL, [], later)
    await holds.lift(db, person, second.id, CheckedBy.PHYSIO, Verdict.CLEARED, later)
    assert await holds.current_limits(db, person.id) == frozenset()


async def test_blocking_keeps_a_pause_and_unblocking_restores_it(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    await life.pause(db, person, MONDAY)
    await life.block(db, person, MONDAY)
    assert person.status == SubscriberStatus.BLOCKED
    await life.unblock(db, person, MONDAY)
    assert person.status == SubscriberStatus.PAUSED
    assert person.preferences.next_reminder_at is None
    assert await db.scalar(select(Preferences.next_reminder_at)) is None
    assert not await pain.open_holds(db, person.id)
