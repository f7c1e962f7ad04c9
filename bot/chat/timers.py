"""Hold timers: one-off jobs on PTB's JobQueue, one per running hold, re-armed at start-up.

The job is only the alarm clock. The hold's end is also stored (`PracticeSession.hold_ends_at`)
and the job carries the hold's number, so the flow can tell a current timer from an old one:
a restart re-arms every running hold (or fires at once if its time passed while the bot was
down), and a timer that arrives after the hold was ended by a tap changes nothing.

`Services.extras[HOLD_SCALE_KEY]` scales real waiting time (1.0 in production); end-to-end
tests set it small so they run real timers in a fraction of a second.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram.ext import JobQueue

from bot.chat.services import AnyApplication, AnyContext, Services, services_of_app
from bot.db import sessions

logger = logging.getLogger(__name__)

HOLD_SCALE_KEY = "hold_time_scale"

HoldCallback = Callable[[AnyContext], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class HoldAlarm:
    """What a hold job carries: which session, and which of its holds."""

    session_id: int
    hold_no: int


def hold_scale(services: Services) -> float:
    """Real seconds per second of hold (see the module docstring)."""
    value = services.extras.get(HOLD_SCALE_KEY, 1.0)
    scale = float(value)
    if not scale > 0:
        raise ValueError(f"{HOLD_SCALE_KEY} must be positive, got {value!r}")
    return scale


def job_name(session_id: int) -> str:
    return f"hold:{session_id}"


def arm(
    job_queue: JobQueue[Any] | None,
    alarm: HoldAlarm,
    ends_at: datetime,
    now: datetime,
    callback: HoldCallback,
) -> None:
    """Ring `callback` at `ends_at` (at once if that has passed), replacing any older alarm."""
    if job_queue is None:
        raise RuntimeError(
            "the application has no JobQueue (install python-telegram-bot[job-queue])"
        )
    cancel(job_queue, alarm.session_id)
    delay = max(0.0, (ends_at - now).total_seconds())
    job_queue.run_once(
        callback,
        when=delay,
        data=alarm,
        name=job_name(alarm.session_id),
        # APScheduler skips a job that starts over 1 s late by default; a hold must always end.
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )


def cancel(job_queue: JobQueue[Any] | None, session_id: int) -> None:
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(job_name(session_id)):
        job.schedule_removal()


def alarm_of(context: AnyContext) -> HoldAlarm | None:
    job = context.job
    data = job.data if job is not None else None
    return data if isinstance(data, HoldAlarm) else None


async def rearm_all(application: AnyApplication, callback: HoldCallback) -> int:
    """At start-up: every hold that was running gets its alarm back; returns how many."""
    services = services_of_app(application)
    async with services.db() as db:
        holds = await sessions.running_holds(db)
    now = services.now()
    for session_id, hold_no, ends_at in holds:
        arm(application.job_queue, HoldAlarm(session_id, hold_no), ends_at, now, callback)
    if holds:
        logger.info("re-armed %d hold timer(s)", len(holds))
    return len(holds)
