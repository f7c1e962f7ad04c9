"""The safety questions asked again before a session: "anything changed?" and its answers.

`bot.chat.session` asks (on /now and on Start) when `bot.domain.rescreening` says they are due.
"Nothing has changed" records the date and starts the session at once; "Something has changed"
asks the sign-up's questions one by one, and their answers hold exactly as at sign-up: an
urgent or see-a-professional "yes" is a red flag (`bot.usecases.rescreening`) with its lifting
buttons, and no session starts. All "no" starts the session.
"""

from __future__ import annotations

import logging
from typing import TypeGuard

from telegram import Update

from bot.chat import session as practice_session
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import rescreening as keyboards
from bot.chat.screens import Screen, show
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import rescreening as texts
from bot.chat.texts.common import button_expired
from bot.chat.views import outcomes
from bot.chat.views import rescreening as views
from bot.db.models import Subscriber
from bot.domain.onboarding import Prompt, prompt_is_open
from bot.domain.triage import Ask, screen
from bot.i18n.content import content_text
from bot.usecases import people, rescreening

logger = logging.getLogger(__name__)

_ANSWERS = frozenset("yn")


def _asking(person: Subscriber | None) -> TypeGuard[Subscriber]:
    """Are the questions still this person's open prompt (else a button has expired)?"""
    return person is not None and prompt_is_open(Prompt.RESCREEN, person.awaiting_input)


async def on_choice(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """ "Nothing has changed" (start now) or "Something has changed" (the first question)."""
    services = services_of(context)
    user = update.effective_user
    choice, routine_id = cb.arg(0), cb.arg(1)
    if user is None:
        return None
    async with services.db() as db:
        person = await people.known(db, user.id)
        if not _asking(person) or choice not in (keyboards.SAME, keyboards.CHANGED):
            return button_expired()
        if choice == keyboards.CHANGED:
            view = views.question_screen(services, person, "", routine_id, texts.one_by_one())
        else:
            await rescreening.answered(
                db, person, services.content.safety, {}, None, services.now()
            )
            person.awaiting_input = None
            logger.info("re-screening of %s: nothing has changed", person.id)
    if choice == keyboards.CHANGED:
        await show(update, view)
        return None
    await show(update, Screen(texts.noted()))
    return await practice_session.begin(update, context, routine_id)


async def on_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """A yes or no: the next question, a hold for an answer that needs care, or the session."""
    services = services_of(context)
    user = update.effective_user
    so_far, said, routine_id = cb.arg(0), cb.arg(1), cb.arg(2)
    safety = services.content.safety
    questions = safety.screening.questions
    if user is None:
        return None
    if said not in _ANSWERS or not set(so_far) <= _ANSWERS or len(so_far) >= len(questions):
        return button_expired()
    buttons = Buttons(services.codec, user.id)
    view: Screen | None = None
    async with services.db() as db:
        person = await people.known(db, user.id)
        if not _asking(person):
            return button_expired()
        answers = {q.id: a == "y" for q, a in zip(questions, so_far, strict=False)}
        asked = screen(safety.screening, answers)
        if not isinstance(asked, Ask) or asked.question.id != questions[len(so_far)].id:
            return button_expired()  # older content, or answers that had already decided
        answers[asked.question.id] = said == "y"
        result = screen(safety.screening, answers)
        if isinstance(result, Ask):
            view = views.question_screen(services, person, so_far + said, routine_id)
        else:
            report = await rescreening.answered(
                db, person, safety, answers, result.outcome, services.now()
            )
            person.awaiting_input = None
            logger.info("re-screening of %s: %s", person.id, result.outcome)
            if report is not None and result.outcome is not None:
                view = outcomes.outcome_screen(safety, result.outcome, buttons, report.id)
    if view is not None:
        await show(update, view)
        return None
    await show(update, Screen(content_text(safety.screening.all_clear)))
    return await practice_session.begin(update, context, routine_id)


FEATURE = Feature(
    name="rescreening",
    callbacks={keyboards.CHOICE: on_choice, keyboards.ANSWER: on_answer},
)
