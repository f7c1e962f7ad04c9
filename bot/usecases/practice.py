"""One flow event against a stored session: load it, let `bot.domain.flow` decide, store it.

`begin` stores a session's start (and the step-up offered above it); `running_session` reads
the one a person has going, decoded. `advance` does the database half of every tap, hold alarm,
pain report and triage outcome: the session row (locked), the person's holds (a session never
goes on past one), the flow's transition with its history rows, and what the transition opens:
a red flag or a triage from a check-in answer, a triage from a high pain rating, the streak
when the session is done. It returns what the chat must show as plain data (`Advanced`); the
caller commits, and only then touches Telegram, so a decision is never taken twice and a
failed send leaves the state safe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.safety import SafetyContent
from bot.db import pain, sessions, step_ups, subscribers
from bot.db.models import PainReport, PracticeSession, Subscriber
from bot.domain import flow, stats
from bot.domain.flow import FlowState, Phase, RedFlag, Stale, Transition
from bot.domain.progression import StepUp
from bot.domain.schedule import local_date
from bot.domain.triage import rating_calls_for_triage
from bot.domain.zones import local_zone
from bot.usecases import holds
from bot.usecases import lifecycle as life

__all__ = [
    "STREAK_LOOKBACK",
    "Advanced",
    "Begun",
    "RunningHold",
    "RunningSession",
    "TriageAsked",
    "advance",
    "begin",
    "current_streak",
    "remember_message",
    "running_hold",
    "running_session",
]

logger = logging.getLogger(__name__)

STREAK_LOOKBACK = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class RunningSession:
    """The person's running session, decoded: /now leads back into it, Start replaces it."""

    session_id: int
    routine_id: str
    state: FlowState


async def running_session(db: AsyncSession, subscriber_id: int) -> RunningSession | None:
    """The person's running session, if any (the newest, should there ever be two)."""
    row = await sessions.active_for(db, subscriber_id)
    if row is None:
        return None
    return RunningSession(row.id, row.routine_id, sessions.state_of(row))


@dataclass(frozen=True, slots=True)
class Begun:
    """A stored start, with what its first screen needs."""

    session_id: int
    step_up: StepUp | None
    """The offer recorded with the session; None when none was made or it was over at once."""
    streak: int
    """Days in a row, when the session was over at once (0 otherwise)."""


async def begin(
    db: AsyncSession,
    subscriber_id: int,
    started: Transition,
    step_up: StepUp | None,
    now: datetime,
    default_timezone: str,
) -> Begun:
    """Store the flow's first transition as a new session of this person, and the step-up
    offered with it. A session over at once (every step still locked) makes no offer: there
    is nothing left to answer it in; it counts towards the streak at once instead."""
    row = await sessions.create(db, subscriber_id, started, now)
    over = started.state.is_over
    offer = None if over else step_up
    if offer is not None:
        await step_ups.record_offer(db, row.id, offer, now)
    streak = 0
    if over:
        owner = await subscribers.get_by_id(db, subscriber_id)
        if owner is not None:
            streak = await current_streak(db, owner, now, default_timezone)
    return Begun(row.id, offer, streak)


@dataclass(frozen=True, slots=True)
class TriageAsked:
    """A triage the transition opened: its urgent question is asked next, under `intro`."""

    report: PainReport
    intro: str


@dataclass(frozen=True, slots=True)
class Advanced:
    """Everything needed after the commit to show one stored transition."""

    session_id: int
    chat_id: int
    user_id: int
    message_id: int | None
    """The session's current message (its buttons are the live ones), if it has one."""
    before: FlowState
    transition: Transition
    streak: int
    """Days in a row, when the session is done (0 otherwise)."""
    red_flag_report: int | None
    """The report a check-in red flag was recorded as (its lifting buttons name it)."""
    triage: TriageAsked | None
    """The triage a stopping check-in answer or a high pain rating opened (its outcome comes
    after the answers)."""
    language: str | None
    """The person's stored language: a timer's 'Time!' has no update to take it from."""


async def advance(
    db: AsyncSession,
    safety: SafetyContent,
    session_id: int,
    event: flow.Event,
    now: datetime,
    default_timezone: str,
    *,
    user_id: int | None = None,
) -> Advanced | Stale:
    """Apply `event` to the session and store what follows; `user_id` (for taps) must own it,
    or it is Stale. Stale changes nothing. The caller commits."""
    row = await sessions.get(db, session_id, lock=True)
    person = await subscribers.get_by_id(db, row.subscriber_id) if row else None
    if row is None or person is None:
        return Stale("no such session")
    if user_id is not None and person.telegram_user_id != user_id:
        return Stale("not this person's session")
    before = sessions.state_of(row)
    held = await _within_holds(db, person, event)
    if isinstance(held, Stale):
        return held
    result = flow.apply(before, held, safety.checkin)
    if isinstance(result, Stale):
        return result
    return await _store(db, safety, person, row, before, result, now, default_timezone)


_ALWAYS = (flow.Stop, flow.Abandon, flow.PainStarted, flow.Rate)
"""Events that never carry a session on: stopping, replacing, pausing for pain, rating."""


async def _within_holds(
    db: AsyncSession, person: Subscriber, event: flow.Event
) -> flow.Event | Stale:
    """A session never goes on past an open hold, whichever message's button was tapped (a
    flag can be raised while a session runs: a sign-up or re-screening answer, say): with an
    open red flag the next event stops it; while pain questions wait, it waits too."""
    if isinstance(event, _ALWAYS):
        return event
    standing = await life.life_of(db, person)
    if standing.red_flag is not None:
        return flow.Stop("hold")
    if standing.held:
        return Stale("the pain questions wait for an answer")
    return event


async def _store(
    db: AsyncSession,
    safety: SafetyContent,
    person: Subscriber,
    row: PracticeSession,
    before: FlowState,
    result: Transition,
    now: datetime,
    default_timezone: str,
) -> Advanced:
    await sessions.save(db, row, result, now)
    flagged: int | None = None
    triage: TriageAsked | None = None
    for effect in result.effects:
        if isinstance(effect, RedFlag):
            answer = safety.checkin.answer(effect.answer_id)
            if answer is not None and answer.also_means is not None:
                given = (answer.also_means.question, answer.also_means.answer)
                report, _ = await holds.open_triage(
                    db, person, "checkin", now, session_id=row.id, given=[given]
                )
                triage = TriageAsked(report, safety.checkin.stop_intro)
                continue
            tier = holds.tier_of(safety, effect.outcome)
            if tier is not None:
                report = await holds.record_red_flag(
                    db,
                    person,
                    "checkin",
                    tier,
                    [(pain.CHECKIN_QUESTION, effect.answer_id)],
                    now,
                    session_id=row.id,
                )
                flagged = report.id
    streak = 0
    if result.state.phase is Phase.DONE:
        streak = await current_streak(db, person, now, default_timezone)
    if before.rating is None and result.state.rating is not None:
        triage = await _triage_for_rating(db, safety, person, row, result.state.rating, now)
    return Advanced(
        session_id=row.id,
        chat_id=person.chat_id,
        user_id=person.telegram_user_id,
        message_id=row.message_id,
        before=before,
        transition=result,
        streak=streak,
        red_flag_report=flagged,
        triage=triage,
        language=person.language_code,
    )


async def _triage_for_rating(
    db: AsyncSession,
    safety: SafetyContent,
    person: Subscriber,
    row: PracticeSession,
    rating: int,
    now: datetime,
) -> TriageAsked | None:
    """A high pain rating, or a sharp rise, opens the triage (the urgent question first)."""
    rule = safety.rating
    history = await sessions.history(db, person.id, now - STREAK_LOOKBACK)
    earlier = [
        r.pain_rating
        for r in history
        if r.pain_rating is not None and r.started_at < row.started_at
    ]
    if not rating_calls_for_triage(rating, earlier, rule):
        return None
    report, _ = await holds.open_triage(db, person, "rating", now, session_id=row.id)
    logger.info("pain rating opened triage %s", report.id)
    return TriageAsked(report, rule.intro)


async def current_streak(
    db: AsyncSession, person: Subscriber, now: datetime, default_timezone: str
) -> int:
    """Days in a row with a session, counted in the person's own zone."""
    zone = local_zone(person.timezone, default_timezone)
    records = await sessions.history(db, person.id, now - STREAK_LOOKBACK)
    return stats.streak(records, local_date(now, zone), zone)


@dataclass(frozen=True, slots=True)
class RunningHold:
    """A hold still running, with where its countdown is drawn."""

    state: FlowState
    chat_id: int
    user_id: int
    message_id: int
    language: str | None


async def running_hold(db: AsyncSession, session_id: int, hold_no: int) -> RunningHold | None:
    """The session while hold `hold_no` is its running one and it has a message to redraw;
    None once that hold is over (a countdown armed for it has nothing left to show)."""
    row = await sessions.get(db, session_id)
    person = await subscribers.get_by_id(db, row.subscriber_id) if row else None
    if row is None or person is None or row.message_id is None:
        return None
    state = sessions.state_of(row)
    if state.phase is not Phase.HOLDING or state.hold_no != hold_no:
        return None
    return RunningHold(
        state, person.chat_id, person.telegram_user_id, row.message_id, person.language_code
    )


async def remember_message(db: AsyncSession, session_id: int, message_id: int) -> None:
    """The session's step was sent anew as `message_id`: its buttons are the live ones now,
    and the next step edits that message."""
    await sessions.set_message_id(db, session_id, message_id)
