"""Run one flow event against a stored session, then make the chat show what happened.

Taps (session buttons), timers (hold alarms), pain reports and triage outcomes all come through
`advance`: take the session's lock (one event at a time per session in this process), let the
use case (`bot.usecases.practice.advance`) load, decide and store the transition, commit, and
only then act on Telegram (edit, send, arm or cancel timers, give the safety response).
Committing first means a decision is never taken twice; if a send fails, the state is safe and
/now shows the current step again.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.chat import session_view, timers
from bot.chat.keyboards import Buttons
from bot.chat.screens import Screen, edit_text
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.views import outcomes
from bot.chat.views.pain import triage_question_screen
from bot.domain import countdown, flow
from bot.domain.flow import (
    ArmTimer,
    CancelTimer,
    EditMessage,
    FlowState,
    Phase,
    RedFlag,
    SendMessage,
    Stale,
)
from bot.i18n import using
from bot.net.budget import BudgetBusy, Priority
from bot.usecases import practice as practising

logger = logging.getLogger(__name__)

_LOCKS_KEY = "stretchbot.session_locks"
_TICK_PRIORITY = {"priority": Priority.TICK}


@dataclass(frozen=True, slots=True)
class Person:
    chat_id: int
    user_id: int


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
        async with services.db() as db:  # committed at the block's end, before any send
            shown = await practising.advance(
                db,
                services.content.safety,
                session_id,
                event,
                services.now(),
                services.settings.default_timezone,
                user_id=user_id,
            )
        if isinstance(shown, Stale):
            return shown
        if out_of_reach is not None and shown.message_id == out_of_reach:
            shown = replace(shown, message_id=None)
        with _speaking(shown.language):  # a tap's update speaks it already; a timer's job does not
            await _show(context, services, shown)
    return shown.transition


def _seconds_left(state: FlowState, now: datetime) -> int | None:
    """A running hold's seconds to go, for its countdown line (None when no hold runs)."""
    if state.phase is not Phase.HOLDING or not (state.hold_started_at and state.hold_ends_at):
        return None
    return countdown.seconds_left(
        state.timer_seconds, state.hold_started_at, state.hold_ends_at, now
    )


async def _show(context: AnyContext, services: Services, shown: practising.Advanced) -> None:
    person = Person(shown.chat_id, shown.user_id)
    buttons = Buttons(services.codec, person.user_id)
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
            await show_in_place(context, services, shown.session_id, person, shown.message_id, view)
        elif isinstance(effect, SendMessage):
            if shown.message_id is not None:
                old = session_view.closed(shown.before, state, content)
                await _edit(context, person.chat_id, shown.message_id, Screen(old))
            view = session_view.screen(
                state, shown.session_id, content, buttons, shown.streak, left
            )
            await send_new(context, services, shown.session_id, person, view)
        elif isinstance(effect, RedFlag) and shown.triage is None:
            reply = outcomes.outcome_screen(
                content.safety, effect.outcome, buttons, shown.red_flag_report
            )
            await _send(context, person.chat_id, reply)
    if shown.triage is not None:
        asked = shown.triage
        question = triage_question_screen(services, person.user_id, asked.report, asked.intro)
        await _send(context, person.chat_id, question)


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
            hold = await practising.running_hold(db, tick.session_id, tick.hold_no)
        if hold is None:
            return
        buttons = Buttons(services.codec, hold.user_id)
        with _speaking(hold.language):  # a job: no update says whose language this is
            view = session_view.screen(
                hold.state, tick.session_id, services.content, buttons, left=tick.left
            )
        try:
            await edit_text(
                context.bot, hold.chat_id, hold.message_id, view, rate_limit_args=_TICK_PRIORITY
            )
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
        await practising.remember_message(db, session_id, message_id)


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
