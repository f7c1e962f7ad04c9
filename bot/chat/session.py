"""The guided session in the chat: /now and today's card, Start, and every tap on a step.

Each tap handler is one line of the conversation: turn the button into a flow event and hand it
to `practice.advance`, which decides (in `bot.domain.flow`), stores and shows. A button whose
moment has passed gets "this button has expired" and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from bot.chat import practice, session_view, timers
from bot.chat import step_up as step_up_feature
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import nerve as nerve_keyboards
from bot.chat.keyboards import session as keyboards
from bot.chat.people import person_of
from bot.chat.screens import Screen, clear_buttons, out_of_reach, show
from bot.chat.services import AnyApplication, AnyContext, Services, services_of
from bot.chat.texts import nerve as nerve_texts
from bot.chat.texts import session as texts
from bot.chat.texts.common import button_expired
from bot.chat.views import outcomes
from bot.chat.views import rescreening as rescreen_views
from bot.content.duration import plan_routine, routine_duration_seconds
from bot.db.models import Subscriber
from bot.domain import flow, nerve_check, progression
from bot.domain.flow import Stale
from bot.domain.lifecycle import Refused
from bot.domain.progression import Plan
from bot.i18n import N_
from bot.i18n.content import content_text, localized, localized_content
from bot.usecases import lifecycle as life
from bot.usecases import practice as practising
from bot.usecases import rescreening, today
from bot.usecases.people import known

# --- Today's card ---------------------------------------------------------------------------


async def now_command(update: Update, context: AnyContext) -> None:
    await send_card(update, context)


async def on_now(update: Update, context: AnyContext, cb: Callback) -> str | None:
    await send_card(update, context)
    return None


async def send_card(update: Update, context: AnyContext) -> None:
    """Today's routine with [Start] [Preview] [Not today] [I'm in pain]; or, if a session
    runs, the way back into it; or, while a hold is open, why not and the way out of it. When
    the safety questions are due again, they come before the card."""
    services = services_of(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    buttons = Buttons(services.codec, user.id)
    async with services.db() as db:
        person = await person_of(db, services, update)
        active = await practising.running_session(db, person.id)
        gate = await life.start_session(db, person)
        if isinstance(gate, Refused) and gate.hold is not None:
            view = outcomes.hold_screen(services.content.safety, buttons, gate.hold)
        elif active is not None:
            routine = services.content.routines.get(active.routine_id)
            title = content_text(routine.title) if routine else active.routine_id
            view = Screen(
                texts.running(title), keyboards.running(buttons, active.session_id, active.state)
            )
        else:
            plan = await today.routine_for_today(
                db,
                services.content,
                services.rules,
                person,
                services.now(),
                services.settings.default_timezone,
            )
            why = await rescreening.due(db, person, services.now()) if plan else None
            if plan is None:
                view = Screen(texts.no_routine())
            elif why is not None:
                view = rescreen_views.ask(services, person, why, plan.routine.id)
            elif asks_about_legs(services, person, plan):
                view = nerve_question(buttons)
            else:
                note = (
                    None if person.safety_acknowledged_at else services.content.safety.safety_note
                )
                view = card_screen(services, plan, buttons, note)
    await context.bot.send_message(
        chat.id, view.text, parse_mode=ParseMode.HTML, reply_markup=view.markup
    )


def card_screen(
    services: Services, plan: Plan, buttons: Buttons, safety_note: str | None
) -> Screen:
    stretches = localized_content(services.content).stretches
    routine = localized(plan.routine)
    plans = plan_routine(routine, stretches)
    seconds = routine_duration_seconds(routine, stretches)
    note = content_text(safety_note) if safety_note else None
    text = texts.card(routine, seconds, plans, note, texts.swap_lines(plan.swaps, stretches))
    return Screen(text, keyboards.card(buttons, routine.id))


def asks_about_legs(services: Services, person: Subscriber, plan: Plan) -> bool:
    """Before the first routine with a nerve-tension stretch: the question, not the card."""
    return nerve_check.needs_asking(
        person.nerve_check,
        (step.stretch for step in plan.routine.steps),
        services.rules.nerve_tension,
    )


def nerve_question(buttons: Buttons) -> Screen:
    return Screen(nerve_texts.question(), nerve_keyboards.question(buttons))


async def on_preview(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    shown = localized_content(services.content)
    routine = shown.routines.get(cb.arg(0))
    if query is None or user is None or routine is None:
        return texts.routine_gone()
    buttons = Buttons(services.codec, user.id)
    async with services.db() as db:
        person = await known(db, user.id)
        gate = await life.start_session(db, person) if person is not None else None
    if isinstance(gate, Refused) and gate.hold is not None:
        # An old card's Preview after a red flag: its [Start] would offer a session.
        await show(update, outcomes.hold_screen(services.content.safety, buttons, gate.hold))
        return None
    stretches = shown.stretches
    text = texts.preview(
        routine, routine_duration_seconds(routine, stretches), plan_routine(routine, stretches)
    )
    await show(update, Screen(text, keyboards.card(buttons, routine.id, with_preview=False)))
    return None


async def on_not_today(update: Update, context: AnyContext, cb: Callback) -> str | None:
    await show(update, Screen(texts.not_today_reply()))
    return None


# --- Starting -------------------------------------------------------------------------------


async def on_start(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """[Start] on a card or a reminder. A second tap on the same message changes nothing; a
    session still running from earlier is closed as abandoned, never counted as done. When the
    safety questions are due again (`bot.domain.rescreening`), they come first."""
    services = services_of(context)
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    routine = services.content.routines.get(cb.arg(0))
    if query is None or user is None or chat is None:
        return None
    if routine is None:
        return texts.routine_gone()
    origin = query.message.message_id if query.message is not None else None
    async with services.db() as db:
        person = await person_of(db, services, update)
        gate = await life.start_session(db, person)
        active = await practising.running_session(db, person.id)
        origin_of_active = active.state.origin_message_id if active else None
        if origin is not None and origin_of_active == origin:
            return texts.already_started()  # a second tap on the same card or reminder
        held = isinstance(gate, Refused) and gate.hold is not None
        why = None if held else await rescreening.due(db, person, services.now())
        asked = rescreen_views.ask(services, person, why, routine.id) if why else None
    if asked is not None:
        await context.bot.send_message(
            chat.id, asked.text, parse_mode=ParseMode.HTML, reply_markup=asked.markup
        )
        return None
    return await begin(update, context, routine.id)


async def begin(update: Update, context: AnyContext, routine_id: str) -> str | None:
    """Start `routine_id` now for the tapping person, from the message tapped (a card, a
    reminder, the safety questions asked again); an open hold shows why not instead."""
    services = services_of(context)
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    routine = services.content.routines.get(routine_id)
    if query is None or user is None or chat is None:
        return None
    if routine is None:
        return texts.routine_gone()
    origin = query.message.message_id if query.message is not None else None
    buttons = Buttons(services.codec, user.id)
    async with services.db() as db:
        person = await person_of(db, services, update)
        person_id = person.id
        gate = await life.start_session(db, person)
        active = await practising.running_session(db, person.id)
        standing = await today.standing_of(
            db, services.rules, person, services.now(), services.settings.default_timezone
        )
        level = (await today.preferences_of(db, person)).level
        plan = progression.adapt(routine, services.rules, standing, level)
        ask = asks_about_legs(services, person, plan)
        step_up = progression.step_up_offer(plan, services.rules, standing, level)
    if isinstance(gate, Refused) and gate.hold is not None:
        view = outcomes.hold_screen(services.content.safety, buttons, gate.hold)
        await context.bot.send_message(
            chat.id, view.text, parse_mode=ParseMode.HTML, reply_markup=view.markup
        )
        return None
    if not plan.routine.steps:
        return texts.not_open_today()
    if ask:
        # A reminder (or an older card) for the first nerve-tension routine: the question
        # first; its answer brings today's card back, adapted to it.
        view = nerve_question(buttons)
        await context.bot.send_message(
            chat.id, view.text, parse_mode=ParseMode.HTML, reply_markup=view.markup
        )
        return None
    if active is not None:
        await practice.advance(context, active.session_id, flow.Abandon())
    if query.message is not None:
        # Start lives on our own card and on reminders: either way that message has done its
        # job, and its Snooze / Not today / Start would only confuse now (gone or bare: fine).
        await clear_buttons(update)
    steps = flow.plan_steps(plan_routine(plan.routine, services.content.stretches), plan.step_swaps)
    started = flow.start(routine.id, steps, standing.open_gates, origin, standing.uneasy_lately)
    async with services.db() as db:
        begun = await practising.begin(
            db, person_id, started, step_up, services.now(), services.settings.default_timezone
        )
    session_id = begun.session_id
    if begun.step_up is not None:
        # Above the session's own message, which stays the latest one (its buttons move on).
        offer = step_up_feature.offer_screen(services, buttons, session_id, begun.step_up)
        await context.bot.send_message(
            chat.id, offer.text, parse_mode=ParseMode.HTML, reply_markup=offer.markup
        )
    view = session_view.screen(started.state, session_id, services.content, buttons, begun.streak)
    await practice.send_new(context, services, session_id, practice.Person(chat.id, user.id), view)
    return None


# --- Steps ----------------------------------------------------------------------------------

EventOf = Callable[[int, Callback], flow.Event]


async def _step(update: Update, context: AnyContext, cb: Callback, event_of: EventOf) -> str | None:
    """Every step button: session id and seq from the button, the rest from the flow."""
    session_id, seq, user = cb.int_arg(0), cb.int_arg(1), update.effective_user
    if session_id is None or seq is None or user is None:
        return button_expired()
    result = await practice.advance(
        context, session_id, event_of(seq, cb), user_id=user.id, out_of_reach=out_of_reach(update)
    )
    return button_expired() if isinstance(result, Stale) else None


async def on_start_hold(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    scale = timers.hold_scale(services)
    return await _step(
        update, context, cb, lambda seq, _: flow.StartHold(seq, services.now(), scale)
    )


async def on_done_early(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    scale = timers.hold_scale(services)
    return await _step(
        update, context, cb, lambda seq, _: flow.DoneEarly(seq, services.now(), scale)
    )


async def on_skip(update: Update, context: AnyContext, cb: Callback) -> str | None:
    return await _step(update, context, cb, lambda seq, _: flow.Skip(seq))


async def on_warning_ok(update: Update, context: AnyContext, cb: Callback) -> str | None:
    return await _step(update, context, cb, lambda seq, _: flow.AcceptWarning(seq))


async def on_checkin(update: Update, context: AnyContext, cb: Callback) -> str | None:
    return await _step(update, context, cb, lambda seq, c: flow.CheckIn(seq, c.arg(2)))


async def on_repeat_gently(update: Update, context: AnyContext, cb: Callback) -> str | None:
    return await _step(update, context, cb, lambda seq, _: flow.RepeatGently(seq))


async def on_resume(update: Update, context: AnyContext, cb: Callback) -> str | None:
    return await _step(update, context, cb, lambda seq, _: flow.Resume(seq))


async def on_end(update: Update, context: AnyContext, cb: Callback) -> str | None:
    return await _step(update, context, cb, lambda seq, _: flow.End(seq))


async def on_rate(update: Update, context: AnyContext, cb: Callback) -> str | None:
    value = cb.int_arg(2)
    if value is None:
        return button_expired()
    return await _step(update, context, cb, lambda seq, _: flow.Rate(seq, value))


async def on_continue(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """[Continue] under /now: the current step again, as a new message."""
    session_id, user = cb.int_arg(0), update.effective_user
    if session_id is None or user is None:
        return button_expired()
    result = await practice.advance(context, session_id, flow.Reshow(), user_id=user.id)
    return button_expired() if isinstance(result, Stale) else None


async def _rearm_timers(application: AnyApplication) -> None:
    await timers.rearm_all(application, practice.hold_elapsed, practice.hold_tick)
    timers.start_clock(application, practice.hold_clock)


FEATURE = Feature(
    name="session",
    handlers=[CommandHandler("now", now_command)],
    callbacks={
        keyboards.NOW: on_now,
        keyboards.START: on_start,
        keyboards.PREVIEW: on_preview,
        keyboards.NOT_TODAY: on_not_today,
        keyboards.HOLD: on_start_hold,
        keyboards.EARLY: on_done_early,
        keyboards.SKIP: on_skip,
        keyboards.WARNING_OK: on_warning_ok,
        keyboards.CHECKIN: on_checkin,
        keyboards.AGAIN: on_repeat_gently,
        keyboards.RESUME: on_resume,
        keyboards.END: on_end,
        keyboards.RATE: on_rate,
        keyboards.CONTINUE: on_continue,
    },
    commands=[("now", N_("Today's stretching session"))],
    on_startup=_rearm_timers,
)
