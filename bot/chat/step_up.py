"""One step harder, offered and answered (`progression.step_up_offer` decides when).

A session that starts after a run of comfortable sessions of its routine may come with one
offer above it: [💪 Try the harder one] / [Keep <stretch>]. The offer and the answer are
events of that session (`bot.usecases.step_ups`); the rules read them back, so "Try" changes the
next routines and "Keep" (or no answer) keeps that stretch from being offered for a while.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import step_up as keyboards
from bot.chat.people import person_of
from bot.chat.screens import Screen, show
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.texts import step_up as texts
from bot.chat.texts.common import button_expired
from bot.chat.views import outcomes
from bot.domain.progression import COMFORT_RUN, OFFER_QUIET_DAYS, StepUp
from bot.i18n.content import localized_content
from bot.usecases import step_ups

logger = logging.getLogger(__name__)


def _name(services: Services, stretch_id: str) -> str:
    stretch = localized_content(services.content).stretches.get(stretch_id)
    return stretch.name if stretch is not None else stretch_id


def offer_screen(services: Services, buttons: Buttons, session_id: int, offer: StepUp) -> Screen:
    original = _name(services, offer.original)
    return Screen(
        texts.offer(original, _name(services, offer.harder), COMFORT_RUN),
        keyboards.offer(buttons, session_id, original),
    )


async def on_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Try or Keep, once: a second tap (or an offer of someone else's session) changes nothing,
    and while a red flag or a triage holds the person, neither counts: the hold is shown."""
    services = services_of(context)
    session_id, choice = cb.int_arg(0), cb.arg(1)
    if (
        update.effective_user is None
        or session_id is None
        or choice
        not in (
            keyboards.TAKE,
            keyboards.KEEP,
        )
    ):
        return button_expired()
    taken = choice == keyboards.TAKE
    async with services.db() as db:
        person = await person_of(db, services, update)
        answered = await step_ups.answer(db, person, session_id, taken, services.now())
    if isinstance(answered, step_ups.Held):
        # Pain was reported since the offer: no step harder, the hold speaks instead.
        buttons = Buttons(services.codec, update.effective_user.id)
        await show(update, outcomes.hold_screen(services.content.safety, buttons, answered.hold))
        return None
    if not isinstance(answered, step_ups.Answered):
        return button_expired()
    original = answered.stretch_id
    logger.info("step-up %s in session %s", "taken" if taken else "kept", session_id)
    harder = (
        services.rules.stretches[original].harder if original in services.rules.stretches else None
    )
    if taken and harder is not None:
        await show(update, Screen(texts.taken(_name(services, original), _name(services, harder))))
    else:
        await show(update, Screen(texts.kept(_name(services, original), OFFER_QUIET_DAYS)))
    return None


FEATURE = Feature(name="step_up", callbacks={keyboards.ANSWER: on_answer})
