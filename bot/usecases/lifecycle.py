"""A person's life cycle on their rows: every status, pause and next-reminder change is here.

`apply` reads the person into a `lifecycle.Life` (their row plus their open pain reports), lets
`bot.domain.lifecycle.apply` decide, then writes the subscription fields and carries out the
effects. The small functions below it are the operations handlers call; each returns the
domain's `Transition` or `Refused`, so the chat can say why nothing changed. No handler in
`bot/chat/` writes those fields itself (a structural test checks).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db import pain
from bot.db.models import PauseReason, Preferences, Subscriber, SubscriberStatus
from bot.domain import lifecycle
from bot.domain.lifecycle import (
    Event,
    Hold,
    Life,
    Refused,
    RemindAt,
    Reschedule,
    Result,
    Status,
    Transition,
    Unschedule,
)
from bot.domain.onboarding import days_of, pause_is_over, resume_search_from
from bot.domain.schedule import next_occurrence
from bot.domain.zones import zone_of

__all__ = [
    "apply",
    "block",
    "come_back",
    "finish_sign_up",
    "holds_of",
    "life_of",
    "lift_finished_pauses",
    "pause",
    "preferences_changed",
    "resume",
    "skip_today",
    "snooze",
    "start_session",
    "stop",
    "unblock",
]


async def holds_of(db: AsyncSession, subscriber_id: int) -> tuple[Hold, ...]:
    """The person's open holds, oldest first (interface A in HELPERS.md)."""
    return tuple(
        Hold(report.id, lifecycle.Tier(report.outcome or lifecycle.Tier.TRIAGE.value))
        for report in await pain.open_holds(db, subscriber_id)
    )


async def life_of(db: AsyncSession, subscriber: Subscriber) -> Life:
    status = Status(subscriber.status)
    return Life(
        status=status,
        signed_up=subscriber.onboarding_step is None and status is not Status.ONBOARDING,
        paused=subscriber.pause_reason is not None,
        paused_until=subscriber.paused_until,
        holds=await holds_of(db, subscriber.id),
    )


async def may_start_session(db: AsyncSession, subscriber: Subscriber) -> bool:
    """Whether a screen may offer this person a session (`Life.may_start_session`)."""
    return (await life_of(db, subscriber)).may_start_session


async def apply(db: AsyncSession, subscriber: Subscriber, event: Event, now: datetime) -> Result:
    """Decide `event` for this person and write what follows; the caller commits."""
    result = lifecycle.apply(await life_of(db, subscriber), event)
    if isinstance(result, Transition):
        await _write(db, subscriber, result, now)
    return result


async def _write(
    db: AsyncSession, subscriber: Subscriber, transition: Transition, now: datetime
) -> None:
    life = transition.life
    subscriber.status = SubscriberStatus(life.status.value)
    subscriber.pause_reason = PauseReason.USER if life.paused else None
    subscriber.paused_until = life.paused_until if life.paused else None
    for effect in transition.effects:
        if isinstance(effect, Reschedule):
            await _reschedule(db, subscriber, effect.after or now)
        elif isinstance(effect, Unschedule):
            (await _preferences(db, subscriber)).next_reminder_at = None
        elif isinstance(effect, RemindAt):
            (await _preferences(db, subscriber)).next_reminder_at = effect.at
        elif isinstance(effect, lifecycle.Resolve):
            await pain.resolve(db, effect.report_ids, effect.checked_by, effect.verdict, now)
        elif isinstance(effect, lifecycle.RecordClearance):
            await pain.record_clearance(db, effect.report_id, effect.checked_by, effect.verdict)
    await db.flush()


async def _preferences(db: AsyncSession, subscriber: Subscriber) -> Preferences:
    if "preferences" in inspect(subscriber).unloaded:
        await db.refresh(subscriber, ["preferences"])
    if subscriber.preferences is None:
        subscriber.preferences = Preferences()
        await db.flush()
    return subscriber.preferences


async def _reschedule(db: AsyncSession, subscriber: Subscriber, after: datetime) -> None:
    """The next regular reminder after `after`, if the schedule is complete (else none)."""
    preferences = await _preferences(db, subscriber)
    zone = zone_of(subscriber.timezone)
    upcoming = None
    if zone is not None and preferences.reminder_time is not None:
        upcoming = next_occurrence(
            after, preferences.reminder_time, days_of(preferences.weekdays), zone
        )
    preferences.next_reminder_at = upcoming


# --- The operations -------------------------------------------------------------------------


async def finish_sign_up(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Result:
    """The last sign-up answer is in: subscribed, and reminded unless a hold is open."""
    subscriber.onboarding_step = None
    subscriber.awaiting_input = None
    return await apply(db, subscriber, lifecycle.FinishSignUp(), now)


async def come_back(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Result:
    """/start from someone we know (a stopped or blocked person is subscribed again)."""
    return await apply(db, subscriber, lifecycle.ComeBack(), now)


async def pause(
    db: AsyncSession, subscriber: Subscriber, now: datetime, until: date | None = None
) -> Result:
    return await apply(db, subscriber, lifecycle.Pause(until), now)


async def resume(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Result:
    """Reminders on again; while a hold is open they still wait for it (see `Life.held`)."""
    return await apply(db, subscriber, lifecycle.Resume(), now)


async def stop(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Result:
    return await apply(db, subscriber, lifecycle.Stop(), now)


async def block(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Result:
    return await apply(db, subscriber, lifecycle.Block(), now)


async def unblock(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Result:
    return await apply(db, subscriber, lifecycle.Unblock(), now)


async def preferences_changed(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Result:
    """After a change of time, days or zone (and by test factories): the next reminder again."""
    return await apply(db, subscriber, lifecycle.PreferencesChanged(), now)


async def snooze(db: AsyncSession, subscriber: Subscriber, at: datetime, now: datetime) -> Result:
    return await apply(db, subscriber, lifecycle.Snooze(at), now)


async def skip_today(
    db: AsyncSession, subscriber: Subscriber, tomorrow: datetime, now: datetime
) -> Result:
    """ "Not today": a reminder still owed before `tomorrow` (the local day's start) moves to
    the first regular one from then; one already later stays as it is."""
    preferences = await _preferences(db, subscriber)
    pending = preferences.next_reminder_at
    if pending is None or pending >= tomorrow:
        return Transition(await life_of(db, subscriber))
    after = tomorrow - timedelta(microseconds=1)
    return await apply(db, subscriber, lifecycle.SkipToday(after), now)


async def start_session(db: AsyncSession, subscriber: Subscriber) -> Result:
    """May this person begin a session now? `Refused(HELD, hold)` says which hold waits."""
    return lifecycle.apply(await life_of(db, subscriber), lifecycle.StartSession())


async def lift_finished_pauses(db: AsyncSession, now: datetime) -> list[int]:
    """Resume every dated pause whose date has come in the person's zone; returns their ids."""
    # Every zone is within a day of UTC, so this bound finds all candidates, then the exact
    # local date decides.
    horizon = now.date() + timedelta(days=1)
    result = await db.execute(
        select(Subscriber)
        .where(
            Subscriber.status == SubscriberStatus.PAUSED,
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
        event = lifecycle.PauseEnded(
            now.astimezone(zone).date(), resume_search_from(until, now, zone)
        )
        if not isinstance(await apply(db, subscriber, event, now), Refused):
            lifted.append(subscriber.id)
    return lifted
