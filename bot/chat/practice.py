"""Run one flow event against a stored session, then make the chat show what happened.

Taps (session buttons), timers (hold alarms), pain reports and triage outcomes all come through
`advance`: lock the session, load its state, let `bot.domain.flow` decide, store the transition
with its history rows, commit, and only then act on Telegram (edit, send, arm or cancel timers,
give the safety response). Committing first means a decision is never taken twice; if a send
fails, the state is safe and /now shows the current step again.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.chat import session_view, timers
from bot.chat.keyboards import Buttons
from bot.chat.screens import Screen, edit_text
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.views import outcomes
from bot.chat.views.pain import triage_question_screen
from bot.db import pain, sessions, subscribers
from bot.db.models import PracticeSession, Subscriber
from bot.domain import countdown, flow, stats
from bot.domain.flow import (
    ArmTimer,
    CancelTimer,
    EditMessage,
    FlowState,
    Phase,
    RedFlag,
    SendMessage,
    Stale,
    Transition,
)
from bot.domain.schedule import local_date
from bot.domain.triage import rating_calls_for_triage
from bot.domain.zones import local_zone
from bot.i18n import using
from bot.net.budget import BudgetBusy, Priority
from bot.usecases import holds
from bot.usecases import lifecycle as life

logger = logging.getLogger(__name__)

_LOCKS_KEY = "stretchbot.session_locks"
_TICK_PRIORITY = {"priority": Priority.TICK}
STREAK_LOOKBACK = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class Person:
    chat_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class _Shown:
    """Everything needed after the commit to show one transition."""

    session_id: int
    person: Person
    message_id: int | None
    before: FlowState
    transition: Transition
    streak: int
    red_flag_report: int | None
    """The report a check-in red flag was recorded as (its lifting buttons name it)."""
    triage: Screen | None
    """The triage's urgent question, when a stopping check-in answer or a high pain rating
    opened one (its outcome comes after the answers)."""
    language: str | None
    """The person's stored language: a timer's 'Time!' has no update to take it from."""


def _lock_of(context: AnyContext, session_id: int) -> asyncio.Lock:
    locks: weakref.WeakValueDictionary[int, asyncio.Lock] = context.bot_data.setdefault(
        _LOCKS_KEY, weakref.WeakValueDictionary()
    )
    lock = locks.get(session_id)
    if lock is None:
        lock = asyncio.Lock()
        locks[session_id] = lock
    return lock


@asynccontextmanager
async def session_lock(context: AnyContext, session_id: int) -> AsyncIterator[None]:
    """One event at a time per session in this process (a timer and a tap may race)."""
    lock = _lock_of(context, session_id)
    async with lock:
        yield


def _speaking(language: str | None) -> AbstractContextManager[object]:
    """Render in the person's stored language; without one, in the update's (Telegram's)."""
    return using(language) if language else nullcontext()


async def advance(
    context: AnyContext,
    session_id: int,
    event: flow.Event,
    *,
    user_id: int | None = None,
    out_of_reach: int | None = None,
) -> flow.Result:
    """Apply `event` to the session; `user_id` (for taps) must own it, or it is Stale. When the
    session's message is `out_of_reach` (tapped where Telegram no longer shows it to the bot),
    its next screen comes as a new message, as on a message that is gone."""
    services = services_of(context)
    async with session_lock(context, session_id):
        async with services.db() as db:
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
            result = flow.apply(before, held, services.content.safety.checkin)
            if isinstance(result, Stale):
                return result
            with _speaking(person.language_code):
                shown = await _store(db, services, person, row, before, result)
            if out_of_reach is not None and shown.message_id == out_of_reach:
                shown = replace(shown, message_id=None)
        with _speaking(shown.language):  # a tap's update speaks it already; a timer's job does not
            await _show(context, services, shown)
    return result


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
    services: Services,
    person: Subscriber,
    row: PracticeSession,
    before: FlowState,
    result: Transition,
) -> _Shown:
    now = services.now()
    await sessions.save(db, row, result, now)
    flagged: int | None = None
    triage: Screen | None = None
    for effect in result.effects:
        if isinstance(effect, RedFlag):
            checkin = services.content.safety.checkin
            answer = checkin.answer(effect.answer_id)
            if answer is not None and answer.also_means is not None:
                given = (answer.also_means.question, answer.also_means.answer)
                report, _ = await holds.open_triage(
                    db, person, "checkin", now, session_id=row.id, given=[given]
                )
                triage = triage_question_screen(
                    services, person.telegram_user_id, report, checkin.stop_intro
                )
                continue
            tier = holds.tier_of(services.content.safety, effect.outcome)
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
        streak = await current_streak(db, services, person)
    if before.rating is None and result.state.rating is not None:
        triage = await _triage_for_rating(db, services, person, row, result.state.rating, now)
    return _Shown(
        session_id=row.id,
        person=Person(person.chat_id, person.telegram_user_id),
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
    services: Services,
    person: Subscriber,
    row: PracticeSession,
    rating: int,
    now: datetime,
) -> Screen | None:
    """A high pain rating, or a sharp rise, opens the triage (the urgent question first)."""
    rule = services.content.safety.rating
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
    return triage_question_screen(services, person.telegram_user_id, report, rule.intro)


async def current_streak(db: AsyncSession, services: Services, person: Subscriber) -> int:
    now = services.now()
    zone = local_zone(person.timezone, services.settings.default_timezone)
    records = await sessions.history(db, person.id, now - STREAK_LOOKBACK)
    return stats.streak(records, local_date(now, zone), zone)


def _seconds_left(state: FlowState, now: datetime) -> int | None:
    """A running hold's seconds to go, for its countdown line (None when no hold runs)."""
    if state.phase is not Phase.HOLDING or not (state.hold_started_at and state.hold_ends_at):
        return None
    return countdown.seconds_left(
        state.timer_seconds, state.hold_started_at, state.hold_ends_at, now
    )


async def _show(context: AnyContext, services: Services, shown: _Shown) -> None:
    buttons = Buttons(services.codec, shown.person.user_id)
    state = shown.transition.state
    content = services.content
    if shown.before.phase is Phase.HOLDING and (
        state.phase is not Phase.HOLDING or state.hold_no != shown.before.hold_no
    ):
        timers.cancel_ticks(context.job_queue, shown.session_id)  # that hold is over
    left = _seconds_left(state, services.now())
    for effect in shown.transition.effects:
        if isinstance(effect, CancelTimer):
            timers.cancel(context.job_queue, shown.session_id)
        elif isinstance(effect, ArmTimer):
            alarm = timers.HoldAlarm(shown.session_id, effect.hold_no)
            now = services.now()
            timers.arm(context.job_queue, alarm, effect.ends_at, now, hold_elapsed)
            if state.hold_started_at is not None:
                timers.arm_ticks(
                    context.job_queue,
                    alarm,
                    state.timer_seconds,
                    state.hold_started_at,
                    effect.ends_at,
                    now,
                    hold_tick,
                )
        elif isinstance(effect, EditMessage):
            view = session_view.screen(
                state, shown.session_id, content, buttons, shown.streak, left
            )
            await show_in_place(
                context, services, shown.session_id, shown.person, shown.message_id, view
            )
        elif isinstance(effect, SendMessage):
            if shown.message_id is not None:
                old = session_view.closed(shown.before, state, content)
                await _edit(context, shown.person.chat_id, shown.message_id, Screen(old))
            view = session_view.screen(
                state, shown.session_id, content, buttons, shown.streak, left
            )
            await send_new(context, services, shown.session_id, shown.person, view)
        elif isinstance(effect, RedFlag) and shown.triage is None:
            reply = outcomes.outcome_screen(
                content.safety, effect.outcome, buttons, shown.red_flag_report
            )
            await _send(context, shown.person.chat_id, reply)
    if shown.triage is not None:
        await _send(context, shown.person.chat_id, shown.triage)


async def hold_elapsed(context: AnyContext) -> None:
    """The local alarm at a hold's end (see `timers`): claim it, then ring it."""
    await timers.wake(context, ring_hold)


async def hold_clock(context: AnyContext) -> None:
    """The recurring job: ring every ended hold, whichever process started it."""
    await timers.tick(context, ring_hold)


async def hold_tick(context: AnyContext) -> None:
    """A running hold's countdown redraw (`timers.HoldTick`). Only a picture, so it gives way:
    skipped while a tap or the timer is being handled for this session (they redraw anyway),
    when the hold it was armed for is over, and when the send budget has no idle turn for the
    chat right now (`Priority.TICK` never waits, so a person's reply is never behind it)."""
    tick = timers.tick_of(context)
    if tick is None:
        return
    lock = _lock_of(context, tick.session_id)
    if lock.locked():
        return
    services = services_of(context)
    async with lock:
        async with services.db() as db:
            row = await sessions.get(db, tick.session_id)
            person = await subscribers.get_by_id(db, row.subscriber_id) if row else None
            if row is None or person is None or row.message_id is None:
                return
            state = sessions.state_of(row)
            if state.phase is not Phase.HOLDING or state.hold_no != tick.hold_no:
                return
            chat_id, message_id = person.chat_id, row.message_id
            buttons = Buttons(services.codec, person.telegram_user_id)
            language = person.language_code
        with _speaking(language):  # a job: no update says whose language this is
            view = session_view.screen(
                state, tick.session_id, services.content, buttons, left=tick.left
            )
        try:
            await edit_text(context.bot, chat_id, message_id, view, rate_limit_args=_TICK_PRIORITY)
        except BudgetBusy:
            logger.debug("countdown of session %s skipped: no idle turn", tick.session_id)
        except TelegramError as error:
            logger.info(
                "countdown of session %s not shown: %s", tick.session_id, type(error).__name__
            )


async def ring_hold(context: AnyContext, alarm: timers.HoldAlarm) -> bool:
    """End a claimed hold: the flow decides whether it is still the current one."""
    result = await advance(context, alarm.session_id, flow.HoldElapsed(alarm.hold_no))
    if isinstance(result, Stale):
        logger.debug("hold alarm for session %s ignored: %s", alarm.session_id, result.reason)
        return False
    return True


async def send_new(
    context: AnyContext, services: Services, session_id: int, person: Person, view: Screen
) -> None:
    """Send the session's message anew (so the phone buzzes) and remember it as current."""
    message_id = await _send(context, person.chat_id, view)
    if message_id is None:
        return
    async with services.db() as db:
        await sessions.set_message_id(db, session_id, message_id)


async def show_in_place(
    context: AnyContext,
    services: Services,
    session_id: int,
    person: Person,
    message_id: int | None,
    view: Screen,
) -> None:
    """Edit the session's message; if it is gone (or never arrived), send it anew."""
    if message_id is not None and await _edit(context, person.chat_id, message_id, view):
        return
    await send_new(context, services, session_id, person, view)


async def _send(context: AnyContext, chat_id: int, view: Screen) -> int | None:
    try:
        message = await context.bot.send_message(
            chat_id, view.text, parse_mode=ParseMode.HTML, reply_markup=view.markup
        )
    except TelegramError as error:
        logger.warning(
            "could not send a session message to chat %s: %s", chat_id, type(error).__name__
        )
        return None
    return message.message_id


async def _edit(context: AnyContext, chat_id: int, message_id: int, view: Screen) -> bool:
    """True when the message shows `view` now (edited, or it already did); False when it is
    gone or the edit failed (the caller sends the step anew)."""
    try:
        return await edit_text(context.bot, chat_id, message_id, view)
    except TelegramError as error:
        logger.warning("could not edit message %s: %s", message_id, type(error).__name__)
        return False
