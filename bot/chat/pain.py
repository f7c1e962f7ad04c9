"""Pain reports from anywhere: /pain, [I'm in pain] on every session and reminder message, and
any typed message that mentions a symptom (`bot.chat.gate`).

The conversation: a running session pauses at once; the triage questions from
`content/safety.yaml` are asked one at a time; `bot.domain.triage` decides. Urgent or "see a
professional" ends any running session and pauses reminders until the person says they were
checked (or chooses to resume after reading the advice again). "Ease off" lets a paused session
carry on gently. Only answer ids and the outcome are stored.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from bot.chat import outcomes, practice, timers
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import pain as keyboards
from bot.chat.keyboards import session as session_keyboards
from bot.chat.outcomes import Screen
from bot.chat.people import person_of
from bot.chat.screens import show
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.texts import pain as texts
from bot.chat.texts.common import BUTTON_EXPIRED
from bot.db import pain, sessions, subscribers
from bot.db.models import PainReport, Subscriber
from bot.domain import flow
from bot.domain.flow import Phase
from bot.domain.triage import (
    Ask,
    Decided,
    Outcome,
    UnknownAnswerError,
    next_question,
    triage,
)

logger = logging.getLogger(__name__)

SOURCES = frozenset({"r", "s", "c", "o"})
"""Where a report started from a button: reminder, session, card, other (/pain)."""
FROM_TYPED = "t"
"""A report opened by the typed-text gate (`bot.chat.gate`): the text itself is not kept."""


async def pain_command(update: Update, context: AnyContext) -> None:
    await begin(update, context, session_keyboards.FROM_OTHER)


async def on_pain(update: Update, context: AnyContext, cb: Callback) -> str | None:
    source = cb.arg(0) if cb.arg(0) in SOURCES else session_keyboards.FROM_OTHER
    await begin(update, context, source)
    return None


async def begin(
    update: Update, context: AnyContext, source: str, *, intro: str | None = None
) -> None:
    """Pause any running session, open a report, ask the first question.

    `intro` replaces the triage's own opening words (the typed-text gate says what it heard).
    """
    services = services_of(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    async with services.db() as db:
        person = await person_of(db, services, update)
        active = await sessions.active_for(db, person.id)
        person_id, session_id = person.id, active.id if active else None
    if session_id is not None:
        now, scale = services.now(), timers.hold_scale(services)
        await practice.advance(context, session_id, flow.PainStarted(now, scale), user_id=user.id)
    async with services.db() as db:
        report = await pain.open_report(
            db, person_id, source, services.now(), session_id=session_id
        )
        report_id = report.id
    content = services.content.safety.triage
    first = content.first
    await context.bot.send_message(
        chat.id,
        texts.question(intro or content.intro, first.text),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.question(Buttons(services.codec, user.id), report_id, 0, first),
    )
    logger.info("pain report %s opened (source %s)", report_id, source)


async def on_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """One triage answer: the next question, or the outcome and what follows from it."""
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    report_id, asked, chosen = cb.int_arg(0), cb.int_arg(1), cb.int_arg(2)
    if query is None or user is None or report_id is None or asked is None or chosen is None:
        return BUTTON_EXPIRED
    content = services.content.safety.triage
    buttons = Buttons(services.codec, user.id)
    async with services.db() as db:
        person = await subscribers.get_by_user_id(db, user.id)
        report = await pain.get_owned(db, report_id, person.id, lock=True) if person else None
        if person is None or report is None or report.outcome is not None:
            return BUTTON_EXPIRED
        try:
            question = next_question(content, report.answers)
        except UnknownAnswerError:  # the safety content changed since this report began
            return BUTTON_EXPIRED
        if question is None or content.questions.index(question) != asked:
            return BUTTON_EXPIRED
        if not 0 <= chosen < len(question.answers):
            return BUTTON_EXPIRED
        await pain.add_answer(db, report, question.id, question.answers[chosen].id)
        result = triage(content, report.answers)
        if isinstance(result, Ask):
            index = content.questions.index(result.question)
            view = Screen(
                texts.question(None, result.question.text),
                keyboards.question(buttons, report_id, index, result.question),
            )
            await show(update, view)
            return None
        paused = await _decide(services, db, person, report, result)
        person_id = person.id
    logger.info("pain report %s decided: %s", report_id, result.outcome.value)
    view = await _after_outcome(context, services, person_id, user.id, result.outcome, paused)
    await show(update, view)
    return None


async def _decide(
    services: Services, db: AsyncSession, person: Subscriber, report: PainReport, result: Decided
) -> bool:
    """Store the outcome (only the deciding answers) and pause reminders for a red flag."""
    await pain.decide(db, report, result.outcome, result.answered)
    if outcomes.is_red_flag(services.content.safety, result.outcome):
        return await outcomes.pause_for_red_flag(db, person, services.now())
    return False


async def _after_outcome(
    context: AnyContext,
    services: Services,
    person_id: int,
    user_id: int,
    outcome: Outcome,
    paused: bool,
) -> Screen:
    """A red flag stops any running session; ease-off offers to carry on a paused one gently."""
    safety = services.content.safety
    buttons = Buttons(services.codec, user_id)
    async with services.db() as db:
        active = await sessions.active_for(db, person_id)
        session_id = active.id if active else None
        state = sessions.state_of(active) if active else None
    if outcomes.is_red_flag(safety, outcome):
        if session_id is not None:
            await practice.advance(context, session_id, flow.Stop(f"triage:{outcome.value}"))
        return outcomes.outcome_screen(safety, outcome, buttons, paused=paused)
    view = outcomes.outcome_screen(safety, outcome, buttons, paused=False)
    if session_id is not None and state is not None and state.phase is Phase.PAUSED:
        return Screen(
            view.text + texts.session_left(True),
            keyboards.paused_session(buttons, session_id, state.seq),
        )
    return view


# --- Lifting a red-flag pause ---------------------------------------------------------------


async def on_checked(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """ "Yes, I've been checked" (or "I've read this, resume"): reminders back on."""
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return None
    async with services.db() as db:
        person = await subscribers.get_by_user_id(db, user.id)
        lifted = person is not None and await outcomes.lift(db, person, services.now())
    if not lifted:
        return texts.NOTHING_TO_CONFIRM
    logger.info("red flag lifted for user %s", user.id)
    view = outcomes.resumed_screen(services.content.safety)
    await show(update, Screen(view.text))
    return None


async def on_not_yet(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return None
    async with services.db() as db:
        person = await subscribers.get_by_user_id(db, user.id)
        held = person is not None and await outcomes.on_hold(db, person)
    if not held:
        return texts.NOTHING_TO_CONFIRM
    view = outcomes.still_paused_screen(services.content.safety, Buttons(services.codec, user.id))
    await show(update, view)
    return None


async def on_resume_anyway(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Resuming without a check: show the advice again and ask once more."""
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return None
    async with services.db() as db:
        person = await subscribers.get_by_user_id(db, user.id)
        held = person is not None and await outcomes.on_hold(db, person)
        outcome = await outcomes.latest_red_outcome(db, person) if person and held else None
    if outcome is None:
        return texts.NOTHING_TO_CONFIRM
    view = outcomes.resume_anyway_screen(
        services.content.safety, outcome, Buttons(services.codec, user.id)
    )
    await show(update, view)
    return None


FEATURE = Feature(
    name="pain",
    handlers=[CommandHandler("pain", pain_command)],
    callbacks={
        session_keyboards.PAIN: on_pain,
        keyboards.ANSWER: on_answer,
        keyboards.CHECKED: on_checked,
        keyboards.NOT_YET: on_not_yet,
        keyboards.ANYWAY: on_resume_anyway,
    },
    commands=[("pain", "Something hurts: get advice")],
)
