"""/start: welcome, the safety note, the one-time screening, then the choices, then a summary.

Every answer is saved before the next question is shown, so a person can leave at any moment
and /start picks up at the same step, even after a restart. The steps and what follows each
are decided in `bot.domain.onboarding` (diagram: `onboarding.mmd` next to this file); the
preference pickers themselves are in `preferences.py`, shared with /settings.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import onboarding as keyboards
from bot.chat.people import caller_of, meet_sender
from bot.chat.screens import Screen, show
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.texts import common as common_texts
from bot.chat.texts import onboarding as texts
from bot.chat.views import onboarding as views
from bot.chat.views.settings import menu_screen
from bot.db.models import Subscriber, SubscriberStatus
from bot.domain import onboarding as signup
from bot.domain.lifecycle import Transition
from bot.domain.onboarding import Step
from bot.domain.triage import Ask, screen
from bot.i18n.content import content_text
from bot.usecases import lifecycle as life
from bot.usecases import people, screening

logger = logging.getLogger(__name__)


async def start(update: Update, context: AnyContext) -> None:
    """New: welcome and safety. Half-way: the same step again. Subscribed: how things stand."""
    caller = caller_of(update)
    if caller is None:
        return
    services = services_of(context)
    async with services.db() as db:
        subscriber, created = await meet_sender(db, services, caller)
        reply = await _where_to_start(db, services, subscriber, created)
    logger.info("start: subscriber %s (new: %s)", subscriber.id, created)
    await show(update, reply)


async def _where_to_start(
    db: AsyncSession, services: Services, subscriber: Subscriber, created: bool
) -> Screen:
    step = signup.parse_step(subscriber.onboarding_step)
    if created or (step is None and subscriber.status == SubscriberStatus.ONBOARDING):
        subscriber.onboarding_step = signup.FIRST_STEP
        return views.step_screen(services, subscriber, signup.FIRST_STEP)
    if step is not None:  # half-way through (even if they had stopped or blocked meanwhile)
        await life.come_back(db, subscriber, services.now())
        return (await step_view(db, services, subscriber, step)).with_note(texts.welcome_back())
    subscriber.awaiting_input = None
    returning = subscriber.status in (SubscriberStatus.STOPPED, SubscriberStatus.BLOCKED)
    result = await life.come_back(db, subscriber, services.now())
    held = isinstance(result, Transition) and result.life.held
    if held:  # a hold survives /start: only answering or lifting it ends it
        return menu_screen(services, subscriber, held=True).with_note(texts.welcome_back_paused())
    if returning:
        return views.summary_screen(services, subscriber).with_note(texts.welcome_back_subscribed())
    return menu_screen(services, subscriber).with_note(texts.already_subscribed())


async def step_view(
    db: AsyncSession, services: Services, subscriber: Subscriber, step: Step
) -> Screen:
    """`step`'s screen; a held step names the person's newest open red flag in its button, and
    one whose flag was lifted meanwhile (from /now, say) goes on with sign-up."""
    if step not in signup.HELD_STEPS:
        return views.step_screen(services, subscriber, step)
    flag = (await life.life_of(db, subscriber)).red_flag
    if flag is None:
        return await cleared(db, services, subscriber, step)
    return views.step_screen(services, subscriber, step, flag=flag.report_id)


async def _onboarding_at(db: AsyncSession, update: Update, step: Step) -> Subscriber | None:
    """The tapping person's row if they are onboarding at `step`; None means expired."""
    user = update.effective_user
    subscriber = await people.known(db, user.id) if user else None
    current = subscriber is not None and signup.is_current(
        signup.Mode.ONBOARDING,
        step,
        status=subscriber.status,
        onboarding_step=subscriber.onboarding_step,
        awaiting_input=None,
    )
    return subscriber if current else None


async def on_safety_understood(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        subscriber = await _onboarding_at(db, update, Step.SAFETY)
        if subscriber is None:
            return common_texts.button_expired()
        subscriber.safety_acknowledged_at = services.now()
        subscriber.screening = signup.screening_record({}, None, finished=False)
        subscriber.onboarding_step = Step.SCREENING
        reply = views.step_screen(services, subscriber, Step.SCREENING)
    await show(update, reply)
    return None


async def on_screening_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """A yes or no; the next question, or where the answers lead once all are in."""
    question_id, said_yes = cb.arg(0), cb.arg(1) == "y"
    services = services_of(context)
    content = services.content.safety
    async with services.db() as db:
        subscriber = await _onboarding_at(db, update, Step.SCREENING)
        if subscriber is None or cb.arg(1) not in ("y", "n"):
            return common_texts.button_expired()
        answers = signup.screening_answers(subscriber.screening)
        asked = screen(content.screening, answers)
        if not isinstance(asked, Ask) or asked.question.id != question_id:
            return common_texts.button_expired()  # an answer to a question already answered
        answers[question_id] = said_yes
        result = screen(content.screening, answers)
        if isinstance(result, Ask):
            subscriber.screening = signup.screening_record(answers, None, finished=False)
            reply = views.screening_screen(services, subscriber)
        else:
            await screening.answered(db, subscriber, answers, result.outcome, services.now())
            step = signup.step_after_screening(result.outcome)
            subscriber.onboarding_step = step
            reply = await step_view(db, services, subscriber, step)
            if step is Step.ZONE:
                reply = reply.with_note(content_text(content.screening.all_clear))
            logger.info("screening of %s: %s", subscriber.id, result.outcome)
    await show(update, reply)
    return None


async def on_urgent_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """ "Not yet" after an urgent answer. Being checked is told through the lifting buttons
    (`bot.chat.pain`); an older "y" button from before that has expired."""
    return await _not_yet(update, context, cb, Step.URGENT, texts.urgent_not_yet())


async def on_professional_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """ "I'll check first" after a see-a-professional answer (cleared: as `on_urgent_answer`)."""
    return await _not_yet(update, context, cb, Step.PROFESSIONAL, texts.professional_waiting())


async def _not_yet(
    update: Update, context: AnyContext, cb: Callback, step: Step, reply: str
) -> str | None:
    services = services_of(context)
    async with services.db() as db:
        subscriber = await _onboarding_at(db, update, step)
        if subscriber is None or cb.arg(0) != "n":
            return common_texts.button_expired()
    await show(update, Screen(reply))
    return None


async def cleared(
    db: AsyncSession, services: Services, subscriber: Subscriber, step: Step, note: str = ""
) -> Screen:
    """The screening's hold was lifted (`bot.chat.pain.on_verdict`): sign-up goes on."""
    record = dict(subscriber.screening or {})
    record["confirmed"] = True
    subscriber.screening = record  # a new dict, so SQLAlchemy sees the JSON change
    return await advance(db, services, subscriber, step, note)


async def advance(
    db: AsyncSession, services: Services, subscriber: Subscriber, done: Step, note: str = ""
) -> Screen:
    """`done` is answered: show the next step, or finish with the summary."""
    following = signup.next_step(done)
    if following is None:
        return await finish(db, services, subscriber, note)
    subscriber.onboarding_step = following
    return views.step_screen(services, subscriber, following).with_note(note)


async def finish(
    db: AsyncSession, services: Services, subscriber: Subscriber, note: str = ""
) -> Screen:
    """Onboarding is over: reminders on, the first one scheduled (unless a hold is open: then
    they wait for it), and a summary to show it."""
    result = await life.finish_sign_up(db, subscriber, services.now())
    logger.info("subscriber %s finished onboarding", subscriber.id)
    summary = views.summary_screen(services, subscriber).with_note(note)
    if isinstance(result, Transition) and result.life.held:
        return summary.with_note(texts.signed_up_held())
    return summary


FEATURE = Feature(
    name="onboarding",
    handlers=[CommandHandler("start", start)],
    callbacks={
        keyboards.SAFETY_OK: on_safety_understood,
        keyboards.SCREEN: on_screening_answer,
        keyboards.URGENT: on_urgent_answer,
        keyboards.PROFESSIONAL: on_professional_answer,
    },
    commands=list(texts.COMMANDS.items()),
)
