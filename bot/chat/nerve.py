"""The question before the first nerve-tension routine, and clearing a "yes" (`domain.nerve_check`).

/now and Start ask it (`session.asks_about_legs`) instead of showing the card or starting; the
answer is stored on the person and today's card follows, adapted to it. A "yes" leaves the
nerve-tension stretches out (everything else goes on) until the person says who checked them
and what they said, with the same choices as lifting a red-flag hold.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat import session
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import nerve as keyboards
from bot.chat.keyboards.pain import VERDICT_CODES, WHO_CODES
from bot.chat.people import person_of
from bot.chat.screens import Screen, show
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import nerve as texts
from bot.chat.texts.common import button_expired
from bot.domain import nerve_check
from bot.domain.lifecycle import Verdict
from bot.domain.nerve_check import NerveCheck

logger = logging.getLogger(__name__)


async def on_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Yes or no, once: a second answer (an older question's button) changes nothing."""
    services = services_of(context)
    user = update.effective_user
    if user is None or cb.arg(0) not in (keyboards.YES, keyboards.NO):
        return button_expired()
    tight = cb.arg(0) == keyboards.YES
    async with services.db() as db:
        person = await person_of(db, services, update)
        if nerve_check.read(person.nerve_check) is not None:
            return button_expired()
        person.nerve_check = NerveCheck(tight).stored()
        await db.commit()
    logger.info("legs question answered by user %s: %s", user.id, "yes" if tight else "no")
    buttons = Buttons(services.codec, user.id)
    if tight:
        await show(update, Screen(texts.after_yes(), keyboards.cleared(buttons)))
    else:
        await show(update, Screen(texts.after_no()))
    await session.send_card(update, context)
    return None


async def _waiting(update: Update, context: AnyContext) -> NerveCheck | None:
    """The person's "yes" that still waits for a professional, else None."""
    services = services_of(context)
    async with services.db() as db:
        person = await person_of(db, services, update)
        check = nerve_check.read(person.nerve_check)
    return check if check is not None and check.waiting_for_clearance else None


async def on_checked(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    user = update.effective_user
    if user is None:
        return None
    if await _waiting(update, context) is None:
        return texts.nothing_to_clear()
    buttons = Buttons(services.codec, user.id)
    await show(update, Screen(texts.who_question(), keyboards.who_checked(buttons)))
    return None


async def on_who(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    user, who = update.effective_user, WHO_CODES.get(cb.arg(0))
    if user is None or who is None:
        return button_expired()
    if await _waiting(update, context) is None:
        return texts.nothing_to_clear()
    buttons = Buttons(services.codec, user.id)
    await show(update, Screen(texts.verdict_question(), keyboards.verdicts(buttons, who)))
    return None


async def on_verdict(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """What they said is stored with who said it; the limits follow from it
    (`NerveCheck.limits`), for /now and for the dispatcher's next claim alike."""
    services = services_of(context)
    user = update.effective_user
    who, verdict = WHO_CODES.get(cb.arg(0)), VERDICT_CODES.get(cb.arg(1))
    if user is None or who is None or verdict is None:
        return button_expired()
    async with services.db() as db:
        person = await person_of(db, services, update)
        check = nerve_check.read(person.nerve_check)
        if check is None or not check.waiting_for_clearance:
            return texts.nothing_to_clear()
        person.nerve_check = check.cleared(who, verdict).stored()
        await db.commit()
    logger.info("legs check answered by user %s: %s", user.id, verdict.value)
    if verdict is Verdict.NOT_CLEARED or verdict is Verdict.NO_NERVE_TENSION:
        buttons = Buttons(services.codec, user.id)
        await show(update, Screen(texts.still_out(), keyboards.cleared(buttons)))
    elif verdict is Verdict.GENTLE_ONLY:
        await show(update, Screen(texts.gentle_only()))
    else:
        await show(update, Screen(texts.back_in()))
    return None


FEATURE = Feature(
    name="nerve",
    callbacks={
        keyboards.ANSWER: on_answer,
        keyboards.CHECKED: on_checked,
        keyboards.WHO: on_who,
        keyboards.VERDICT: on_verdict,
    },
)
