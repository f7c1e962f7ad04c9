"""Pain reports from anywhere: /pain, [I'm in pain] on every session and reminder message, and
any typed message that mentions a symptom (`bot.chat.gate`).

The conversation: a running session pauses at once; the triage questions from
`content/safety.yaml` are asked one at a time; `bot.domain.triage` decides. Until the last
answer, the unfinished triage holds the person (no session, no reminder; /pain or a session
button bring back the waiting question instead of a new report). Urgent or "see a
professional" ends any running session and holds the person until they say who checked them
and what they said (the lifting buttons below, each naming the report). "Ease off" lets a
paused session carry on gently. Only answer ids, the outcome and the clearance are stored.
The database half of each step is `bot.usecases.triage` (and `holds` for lifting).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from bot.chat import onboarding, practice, timers
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import pain as keyboards
from bot.chat.keyboards import session as session_keyboards
from bot.chat.people import person_of
from bot.chat.screens import Screen, out_of_reach, show
from bot.chat.services import AnyContext, Services, services_of
from bot.chat.texts import pain as texts
from bot.chat.texts.common import button_expired
from bot.chat.views import outcomes
from bot.chat.views.onboarding import next_reminder_label
from bot.chat.views.pain import triage_question_screen
from bot.db.models import SubscriberStatus
from bot.domain import flow
from bot.domain import onboarding as signup
from bot.domain.flow import Phase
from bot.domain.lifecycle import Refused
from bot.domain.triage import Outcome
from bot.i18n import N_
from bot.i18n.content import localized
from bot.usecases import holds, people, triage
from bot.usecases import lifecycle as life

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
    """Pause any running session, open a report (or take up the unanswered one), ask.

    `intro` replaces the triage's own opening words (the typed-text gate says what it heard).
    A typed symptom asks an unanswered triage again from its urgent question; /pain and the
    pain buttons take up the question it waits on.
    """
    services = services_of(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    async with services.db() as db:
        person = await person_of(db, services, update)
        active = await triage.running_session(db, person.id)
        person_id, session_id = person.id, active.session_id if active else None
    if session_id is not None:
        now, scale = services.now(), timers.hold_scale(services)
        started = flow.PainStarted(now, scale)
        await practice.advance(
            context, session_id, started, user_id=user.id, out_of_reach=out_of_reach(update)
        )
    async with services.db() as db:
        opened = await triage.begin(
            db,
            person_id,
            source,
            services.now(),
            session_id=session_id,
            from_the_top=source == FROM_TYPED,
        )
        if opened is None:
            return
        report, new = opened
        view = triage_question_screen(services, user.id, report, intro)
        report_id = report.id
    await context.bot.send_message(
        chat.id, view.text, parse_mode=ParseMode.HTML, reply_markup=view.markup
    )
    logger.info("pain report %s %s (source %s)", report_id, "opened" if new else "taken up", source)


async def on_back_to_triage(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """One tap back into a triage left unanswered: its current question, in a new message."""
    services = services_of(context)
    user, chat = update.effective_user, update.effective_chat
    report_id = cb.int_arg(0)
    if user is None or chat is None or report_id is None:
        return button_expired()
    async with services.db() as db:
        report = await triage.waiting_report(db, user.id, report_id)
        if report is None:
            return button_expired()
        view = triage_question_screen(services, user.id, report)
    await context.bot.send_message(
        chat.id, view.text, parse_mode=ParseMode.HTML, reply_markup=view.markup
    )
    return None


async def on_answer(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """One triage answer: the next question, or the outcome and what follows from it."""
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    report_id, asked, chosen = cb.int_arg(0), cb.int_arg(1), cb.int_arg(2)
    if query is None or user is None or report_id is None or asked is None or chosen is None:
        return button_expired()
    content = localized(services.content.safety.triage)  # ids and rules as in English
    buttons = Buttons(services.codec, user.id)
    async with services.db() as db:
        step = await triage.answer(
            db, content, services.content.safety, user.id, report_id, asked, chosen, services.now()
        )
        if step is None:
            return button_expired()
        if isinstance(step, triage.Asked):
            view = Screen(
                texts.question(None, step.question.text),
                keyboards.question(buttons, report_id, step.index, step.question),
            )
            await show(update, view)
            return None
    logger.info("pain report %s decided: %s", report_id, step.outcome.value)
    view = await _after_outcome(context, services, step.person_id, user.id, step.outcome, report_id)
    await show(update, Screen(view.text, view.markup))
    return None


async def _after_outcome(
    context: AnyContext,
    services: Services,
    person_id: int,
    user_id: int,
    outcome: Outcome,
    report_id: int,
) -> Screen:
    """A red flag stops any running session; ease-off offers to carry on a paused one gently."""
    safety = services.content.safety
    buttons = Buttons(services.codec, user_id)
    async with services.db() as db:
        active = await triage.running_session(db, person_id)
        session_id = active.session_id if active else None
        state = active.state if active else None
    if holds.is_red_flag(safety, outcome):
        if session_id is not None:
            await practice.advance(context, session_id, flow.Stop(f"triage:{outcome.value}"))
        return outcomes.outcome_screen(safety, outcome, buttons, report_id)
    view = outcomes.outcome_screen(safety, outcome, buttons, None)
    if session_id is not None and state is not None and state.phase is Phase.PAUSED:
        return Screen(
            view.text + texts.session_left(True),
            keyboards.paused_session(buttons, session_id, state.seq),
        )
    return view


# --- Lifting a red-flag hold -----------------------------------------------------------------
#
# Three taps, each naming the report: "Yes, I've been checked" -> who checked you -> what did
# they say. Each is checked against the person's newest open red flag, so an older message's
# buttons only ever answer that they have expired. Nothing here skips the check. A flagged
# sign-up screening answer is lifted here too (its held step's button is `CHECKED`).


async def _newest_flag(services: Services, user_id: int, report_id: int | None) -> bool:
    """Is `report_id` the person's newest open red flag (the only one a button may lift)?"""
    if report_id is None:
        return False
    async with services.db() as db:
        person = await people.known(db, user_id)
        if person is None:
            return False
        newest = (await life.life_of(db, person)).red_flag
    return newest is not None and newest.report_id == report_id


async def _expired_or_nothing(services: Services, user_id: int) -> str:
    async with services.db() as db:
        person = await people.known(db, user_id)
        held = person is not None and (await life.life_of(db, person)).red_flag is not None
    return texts.hold_expired() if held else texts.nothing_to_confirm()


async def on_checked(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """ "Yes, I've been checked": ask who checked them."""
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    report_id = cb.int_arg(0)
    if query is None or user is None:
        return None
    if report_id is None or not await _newest_flag(services, user.id, report_id):
        return await _expired_or_nothing(services, user.id)
    markup = keyboards.who_checked(Buttons(services.codec, user.id), report_id)
    await show(update, Screen(texts.who_question(), markup))
    return None


async def on_who(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Who checked them: ask what they said."""
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    report_id, who = cb.int_arg(0), keyboards.WHO_CODES.get(cb.arg(1))
    if query is None or user is None:
        return None
    if who is None or report_id is None or not await _newest_flag(services, user.id, report_id):
        return await _expired_or_nothing(services, user.id)
    markup = keyboards.verdicts(Buttons(services.codec, user.id), report_id, who)
    await show(update, Screen(texts.verdict_question(), markup))
    return None


async def on_verdict(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """What they said: cleared (with or without limits) lifts the hold; "not yet" keeps it."""
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    report_id = cb.int_arg(0)
    who, verdict = keyboards.WHO_CODES.get(cb.arg(1)), keyboards.VERDICT_CODES.get(cb.arg(2))
    if query is None or user is None:
        return None
    if report_id is None or who is None or verdict is None:
        return await _expired_or_nothing(services, user.id)
    buttons = Buttons(services.codec, user.id)
    async with services.db() as db:
        person = await people.known(db, user.id)
        if person is None:
            return texts.nothing_to_confirm()
        result = await holds.lift(db, person, report_id, who, verdict, services.now())
        if isinstance(result, Refused):
            refused = True
        else:
            refused = False
            still = result.life.red_flag
            step = signup.parse_step(person.onboarding_step)
            if still is not None:
                view = outcomes.not_cleared_screen(
                    services.content.safety, buttons, still.report_id
                )
            elif step in signup.HELD_STEPS and person.status == SubscriberStatus.ONBOARDING:
                # A screening answer held the sign-up: it goes on from where it waited.
                note = texts.lifted(verdict, None)
                view = await onboarding.cleared(db, services, person, step, note)
            else:
                when = (
                    next_reminder_label(services, person) if result.life.may_be_reminded else None
                )
                view = Screen(texts.lifted(verdict, when))
    if refused:
        return await _expired_or_nothing(services, user.id)
    logger.info("red flag %s answered for user %s: %s", report_id, user.id, verdict.value)
    await show(update, Screen(view.text, view.markup))
    return None


async def on_not_yet(update: Update, context: AnyContext, cb: Callback) -> str | None:
    services = services_of(context)
    query, user = update.callback_query, update.effective_user
    report_id = cb.int_arg(0)
    if query is None or user is None:
        return None
    if report_id is None or not await _newest_flag(services, user.id, report_id):
        return await _expired_or_nothing(services, user.id)
    view = outcomes.still_held_screen(
        services.content.safety, Buttons(services.codec, user.id), report_id
    )
    await show(update, view)
    return None


FEATURE = Feature(
    name="pain",
    handlers=[CommandHandler("pain", pain_command)],
    callbacks={
        session_keyboards.PAIN: on_pain,
        keyboards.ANSWER: on_answer,
        keyboards.BACK: on_back_to_triage,
        keyboards.CHECKED: on_checked,
        keyboards.WHO: on_who,
        keyboards.VERDICT: on_verdict,
        keyboards.NOT_YET: on_not_yet,
    },
    commands=[("pain", N_("Something hurts: get advice"))],
)
