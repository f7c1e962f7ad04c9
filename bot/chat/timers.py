"""Hold timers: due rows claimed from the database, so whichever process is alive rings them.

The stored end (`PracticeSession.hold_ends_at`) is the truth; a process only ever rings a hold
after claiming it (`bot.usecases.hold_timers`, over `bot.db.holds`: one `UPDATE ... RETURNING`,
a lease in `hold_claimed_at`). Two things wake a process up to claim:

- a recurring job in every process (`hold_check_seconds`, 1 s by default) claims every hold
  that has ended, so a hold started on a worker that died meanwhile still ends, at most about a
  second late, rung by another worker or the dispatcher;
- a one-off JobQueue job at the hold's end in the process that started it (and, after a
  restart, for every running hold), so the usual case rings on time. It is only an alarm
  clock: it claims this one hold and stands aside if another process got there first.

The alarm carries the hold's number, so the flow can tell a current timer from an old one, and
a timer that arrives after the hold was ended by a tap changes nothing.

While a hold runs, its message counts down: one-off `HoldTick` jobs at the redraws of
`bot.domain.countdown.schedule`, computed from the stored start and end (so a restart re-arms
the same ones). They are only a picture: cancelled with the alarm, late ones dropped, and the
hold still ends from its stored end whether or not any of them ran.

`Services.hold_scale` scales real waiting time (1.0 in production); end-to-end
tests set it small so they run real timers in a fraction of a second.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram.ext import JobQueue

from bot.chat.services import AnyApplication, AnyContext, Services, services_of, services_of_app
from bot.domain import countdown
from bot.usecases import hold_timers

logger = logging.getLogger(__name__)

CLOCK_JOB_NAME = "hold-clock"
CLOCK_BATCH = 200
TICK_GRACE_SECONDS = 1
"""A countdown redraw that starts later than this is dropped: it would show the wrong time."""

JobCallback = Callable[[AnyContext], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class HoldAlarm:
    """Which session, and which of its holds."""

    session_id: int
    hold_no: int


@dataclass(frozen=True, slots=True)
class HoldTick:
    """Redraw this hold's message showing `left` seconds to go."""

    session_id: int
    hold_no: int
    left: int


#: Ends the claimed hold; False when the flow found it was no longer current.
Ring = Callable[[AnyContext, HoldAlarm], Coroutine[Any, Any, bool]]


def hold_scale(services: Services) -> float:
    """Real seconds per second of hold (see the module docstring)."""
    scale = services.hold_scale
    if not scale > 0:
        raise ValueError(f"Services.hold_scale must be positive, got {scale!r}")
    return scale


def job_name(session_id: int) -> str:
    return f"hold:{session_id}"


def tick_name(session_id: int) -> str:
    return f"hold-tick:{session_id}"


def _require(job_queue: JobQueue[Any] | None) -> JobQueue[Any]:
    if job_queue is None:
        raise RuntimeError(
            "the application has no JobQueue (install python-telegram-bot[job-queue])"
        )
    return job_queue


def arm(
    job_queue: JobQueue[Any] | None,
    alarm: HoldAlarm,
    ends_at: datetime,
    now: datetime,
    callback: JobCallback,
) -> None:
    """Wake this process at `ends_at` (at once if that has passed), replacing an older alarm."""
    queue = _require(job_queue)
    cancel(queue, alarm.session_id)
    delay = max(0.0, (ends_at - now).total_seconds())
    queue.run_once(
        callback,
        when=delay,
        data=alarm,
        name=job_name(alarm.session_id),
        # APScheduler skips a job that starts over 1 s late by default; a hold must always end.
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )


def cancel(job_queue: JobQueue[Any] | None, session_id: int) -> None:
    """No alarm and no countdown for this session's hold any more."""
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(job_name(session_id)):
        job.schedule_removal()
    cancel_ticks(job_queue, session_id)


def cancel_ticks(job_queue: JobQueue[Any] | None, session_id: int) -> None:
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(tick_name(session_id)):
        job.schedule_removal()


def arm_ticks(
    job_queue: JobQueue[Any] | None,
    alarm: HoldAlarm,
    total: int,
    started: datetime,
    ends: datetime,
    now: datetime,
    callback: JobCallback,
) -> int:
    """Schedule the countdown redraws still to come for this hold (replacing older ones);
    returns how many."""
    queue = _require(job_queue)
    cancel_ticks(queue, alarm.session_id)
    ticks = countdown.schedule(total, started, ends, now)
    for tick in ticks:
        queue.run_once(
            callback,
            when=tick.delay,
            data=HoldTick(alarm.session_id, alarm.hold_no, tick.left),
            name=tick_name(alarm.session_id),
            job_kwargs={"misfire_grace_time": TICK_GRACE_SECONDS, "coalesce": True},
        )
    return len(ticks)


def tick_of(context: AnyContext) -> HoldTick | None:
    job = context.job
    data = job.data if job is not None else None
    return data if isinstance(data, HoldTick) else None


def alarm_of(context: AnyContext) -> HoldAlarm | None:
    job = context.job
    data = job.data if job is not None else None
    return data if isinstance(data, HoldAlarm) else None


async def wake(context: AnyContext, ring: Ring) -> bool:
    """The local alarm rang: claim this hold and end it, unless it is gone or taken."""
    alarm = alarm_of(context)
    if alarm is None:
        return False
    services = services_of(context)
    async with services.db() as db:
        due = await hold_timers.claim_alarm(db, alarm.session_id, alarm.hold_no, services.now())
    if due is None:
        return False
    await _ring_all(context, services, [due], ring)
    return True


async def tick(context: AnyContext, ring: Ring) -> int:
    """The recurring job: claim every hold that has ended and end it; returns how many."""
    services = services_of(context)
    async with services.db() as db:
        due = await hold_timers.claim_ended(db, services.now(), CLOCK_BATCH)
    await _ring_all(context, services, due, ring)
    return len(due)


async def _ring_all(
    context: AnyContext, services: Services, due: list[hold_timers.DueHold], ring: Ring
) -> None:
    """Ring each claimed hold; one that fails is given back for the next tick to retry."""
    failure: Exception | None = None
    for hold in due:
        try:
            rung = await ring(context, HoldAlarm(hold.session_id, hold.hold_no))
        except Exception as error:  # the others still ring; re-raised below
            failure = failure or error
            rung = False
        if not rung:
            try:
                async with services.db() as db:
                    await hold_timers.give_back(db, hold.session_id)
            except Exception as error:  # the lease lapses on its own
                failure = failure or error
    if failure is not None:
        raise failure


def start_clock(application: AnyApplication, callback: JobCallback) -> None:
    """Every process claims ended holds every `hold_check_seconds`, starting now."""
    queue = _require(application.job_queue)
    interval = services_of_app(application).settings.hold_check_seconds
    queue.run_repeating(
        callback,
        interval=interval,
        first=0,
        name=CLOCK_JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def rearm_all(
    application: AnyApplication, callback: JobCallback, tick_callback: JobCallback | None = None
) -> int:
    """At start-up: a local alarm for every running hold (whoever started it), and its
    countdown's remaining redraws; returns how many holds. The claim decides who rings, so
    alarms in several processes do no harm."""
    services = services_of_app(application)
    async with services.db() as db:
        running = await hold_timers.running(db, countdowns=tick_callback is not None)
    now = services.now()
    for session_id, hold_no, ends_at in running.alarms:
        arm(application.job_queue, HoldAlarm(session_id, hold_no), ends_at, now, callback)
    for session_id, state in running.countdowns:
        if tick_callback is not None and state.hold_started_at and state.hold_ends_at:
            arm_ticks(
                application.job_queue,
                HoldAlarm(session_id, state.hold_no),
                state.timer_seconds,
                state.hold_started_at,
                state.hold_ends_at,
                now,
                tick_callback,
            )
    if running.alarms:
        logger.info("re-armed %d hold timer(s)", len(running.alarms))
    return len(running.alarms)
