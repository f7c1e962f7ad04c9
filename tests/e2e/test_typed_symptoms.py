"""Typed symptoms are heard in every state, through the local Telegram (issue 12 §1).

Whatever the person was doing (never subscribed, on an onboarding step, in a settings picker,
idle, in the middle of a hold, paused, stopped), a typed "I wet myself" or "my leg is numb"
opens the pain triage at once with the urgent question first, no parser reads it as a city or a
time, nothing offers a session, and the step they were on is kept. The typed text is neither
stored nor logged.

Set STRETCHBOT_TRANSCRIPT_DIR=<dir> to save the mid-session conversation as a transcript.
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Chat, Message, MessageEntity, Update, User

from bot.chat import gate
from bot.chat.texts import help as help_texts
from bot.chat.texts import onboarding as onboarding_texts
from bot.chat.texts import pain as pain_texts
from bot.chat.texts import session as session_texts
from bot.db import subscribers
from bot.db.models import (
    PainReport,
    SessionStatus,
    SubscriberStatus,
)
from bot.db.sessions import state_of
from bot.domain.flow import Phase
from bot.domain.onboarding import Step
from bot.domain.triage import Outcome
from bot.usecases import lifecycle as life
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    has,
    hold_label,
    open_card,
    pain_reports,
    practice_sessions,
    start_session,
    subscribe,
    subscriber,
    tap,
)
from tests.e2e.walkthrough import Walkthrough, subscriber_of, text_of, through_screening

pytestmark = pytest.mark.e2e

SCALE = 0.05  # a 20 s hold lasts 1 s: time enough to type during it
URGENT_QUESTION = "bladder or bowels"
SESSION_OFFERS = {
    help_texts.session_now(),
    onboarding_texts.start_now(),
    session_texts.start(),
    session_texts.start_today(),
    session_texts.continue_button(),
}
TRIAGE_FIRST = [
    "Bladder or bowel changes",
    "Numb groin / saddle area",
    "Weak legs or trouble walking",
    "None of these",
]
EASE_OFF_PATH = ["None of these", "None of these", "Yes, an ache or mild soreness"]


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


async def typed_symptom(person: SimUser, text: str) -> ChatMessage:
    """Type `text`; the answer must be the triage's urgent question and nothing else: no
    session offered, no "didn't catch that", no parser's reply. Returns the question."""
    before = {m.message_id for m in person.bot_messages()}
    await person.send(text)
    question = await person.wait_for_message(has(URGENT_QUESTION), timeout=TIMEOUT)
    assert question.button_labels == TRIAGE_FIRST
    await asyncio.sleep(0.3)  # anything else the bot would have said arrives by now
    new = [m for m in person.bot_messages() if m.message_id not in before]
    assert [m.message_id for m in new] == [question.message_id], [m.text for m in new]
    offered = {label for message in person.bot_messages() for label in message.button_labels}
    assert not offered & SESSION_OFFERS, "a session is offered to a person in pain"
    assert help_texts.not_understood() not in text_of(question)
    return question


async def answer_all(person: SimUser, question: ChatMessage, labels: list[str]) -> ChatMessage:
    for label in labels:
        assert await tap(person, label, question) is None
        question = await current(person, question)
    return question


async def typed_report(bot: RunningBot, person: SimUser) -> PainReport:
    row = await subscriber_of(bot, person)
    assert row is not None
    (report,) = await pain_reports(bot, row.id)
    assert report.source == "t"
    return report


# --- Sign-up ----------------------------------------------------------------------------------


async def test_on_the_time_zone_step_a_symptom_is_not_looked_up_as_a_city(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await through_screening(walk)
    assert "Time zone" in text_of(walk.screen)
    row = await subscriber_of(stretchbot, person)
    assert row is not None
    zone_before = row.timezone
    question = await typed_symptom(person, "I wet myself")
    assert "need a doctor today" in text_of(question)
    assert "know a place" not in text_of(question)
    row = await subscriber_of(stretchbot, person)
    assert row is not None
    assert (row.onboarding_step, row.timezone) == (Step.ZONE.value, zone_before), "step kept"
    report = await typed_report(stretchbot, person)
    assert (report.outcome, report.answers) == (None, {})

    # the person can go on from the step they were on
    await walk.send("Berlin", replies=2)
    row = await subscriber_of(stretchbot, person)
    assert row is not None
    assert (row.timezone, row.onboarding_step) == ("Europe/Berlin", Step.TIME.value)


async def test_on_the_time_step_a_symptom_is_not_read_as_a_time(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await through_screening(walk)
    await walk.tap("Berlin")
    question = await typed_symptom(person, "my leg is numb")
    assert not [m for m in person.bot_messages() if "as a time" in text_of(m)]
    row = await subscriber_of(stretchbot, person)
    assert row is not None and row.onboarding_step == Step.TIME.value
    assert row.preferences.reminder_time != time(0, 0)
    await typed_report(stretchbot, person)

    # after the triage, a time typed on the same step is still understood
    await answer_all(person, question, EASE_OFF_PATH)
    person.mark_read()
    await person.send("7pm")
    await person.wait_for_message(has("19:00"), timeout=TIMEOUT)
    row = await subscriber_of(stretchbot, person)
    assert row is not None and row.preferences.reminder_time == time(19, 0)
    assert row.onboarding_step == Step.DAYS.value


@pytest.mark.parametrize(
    ("taps", "step"),
    [
        ([], Step.SAFETY),
        (["✅ I understand"], Step.SCREENING),
        (["✅ I understand", "No", "No", "No", "No", "Berlin", "07:30"], Step.DAYS),
    ],
    ids=["safety note", "screening question", "days picker"],
)
async def test_on_other_sign_up_steps_the_step_is_kept(
    stretchbot: RunningBot, person: SimUser, taps: list[str], step: Step
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    for label in taps:
        await walk.tap(label)
    await typed_symptom(person, "numb down there")
    row = await subscriber_of(stretchbot, person)
    assert row is not None and row.onboarding_step == step.value
    await typed_report(stretchbot, person)


async def test_before_subscribing(stretchbot: RunningBot, person: SimUser) -> None:
    await typed_symptom(person, "I can't feel my legs")
    await typed_report(stretchbot, person)


# --- Subscribed -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ouch", "help", "numb down there", "cant feel my legz"])
async def test_idle(stretchbot: RunningBot, person: SimUser, text: str) -> None:
    await subscribe(stretchbot, person)
    await typed_symptom(person, text)
    await typed_report(stretchbot, person)


async def test_in_a_settings_picker_the_picker_stays_open(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    walk = Walkthrough(person)
    await walk.send("/settings")
    await walk.tap("⏰ Time")
    await typed_symptom(person, "shrap pain in my bak")
    row = await subscriber(stretchbot, me)
    assert row.awaiting_input == Step.TIME.value
    assert row.preferences.reminder_time == time(7, 0)
    # a time typed now is still the picker's answer
    person.mark_read()
    await person.send("6:45")
    menu = await person.wait_for_message(has("Reminder time: 06:45"), timeout=TIMEOUT)
    assert "Your settings" in text_of(menu)


async def test_while_reminders_are_paused(stretchbot: RunningBot, person: SimUser) -> None:
    me = await subscribe(stretchbot, person)
    async with stretchbot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        await life.pause(db, row, stretchbot.clock())
    await typed_symptom(person, "my legs gave way")
    await typed_report(stretchbot, person)


async def test_after_stopping(stretchbot: RunningBot, person: SimUser) -> None:
    me = await subscribe(stretchbot, person)
    async with stretchbot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        row.status = SubscriberStatus.STOPPED
    await typed_symptom(person, "pins and needles in my foot")
    await typed_report(stretchbot, person)


@pytest.mark.parametrize("answered", [1, 2], ids=["on_the_second_question", "on_the_third"])
async def test_a_symptom_typed_during_the_triage_asks_the_urgent_question_again(
    stretchbot: RunningBot, person: SimUser, answered: int
) -> None:
    """'None of these' to the urgent signs, then 'I wet myself': the bladder question must come
    back; taking up the waiting question would leave the new symptom unasked."""
    me = await subscribe(stretchbot, person)
    person.mark_read()
    await person.send("/pain")
    first = await person.wait_for_message(has(URGENT_QUESTION), timeout=TIMEOUT)
    waiting = await answer_all(person, first, EASE_OFF_PATH[:answered])
    assert URGENT_QUESTION not in text_of(waiting)
    question = await typed_symptom(person, "I wet myself")
    assert await tap(person, "Bladder or bowel changes", question) is None
    (report,) = await pain_reports(stretchbot, me)
    assert report.outcome == Outcome.URGENT.value
    assert report.resolved_at is None
    row = await subscriber(stretchbot, me)
    async with stretchbot.services.db() as db:
        assert (await life.life_of(db, row)).red_flag is not None, "no hold after 'bladder'"


# --- In a session -----------------------------------------------------------------------------


async def test_mid_session_the_session_pauses_at_that_step_until_the_triage_allows(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression")
    walk = Walkthrough(person)
    card = await open_card(person)
    step = await start_session(person, card)
    walk.lines.append("(Alex has opened today's card with /now and tapped [▶️ Start])")
    walk._record()
    await walk.tap(hold_label(step), step)
    (row,) = await practice_sessions(stretchbot, me)
    before = state_of(row)
    assert before.phase is Phase.HOLDING

    walk.lines.append("Alex: sharp pain in my back")
    question = await typed_symptom(person, "sharp pain in my back")
    walk._record()
    paused = await current(person, step)
    assert "Session paused" in text_of(paused)
    assert not set(paused.button_labels) & SESSION_OFFERS
    (row,) = await practice_sessions(stretchbot, me)
    state = state_of(row)
    assert (state.phase, state.step) == (Phase.PAUSED, before.step)
    await asyncio.sleep(20 * SCALE + 0.3)
    assert [m for m in person.unread() if m.from_bot] == [], "the hold timer was cancelled"
    report = await typed_report(stretchbot, person)
    assert report.session_id == row.id

    # the triage allows carrying on gently: from the same step
    for label in EASE_OFF_PATH:
        await walk.tap(label, question)
    result = await current(person, question)
    assert result.button_labels == [pain_texts.carry_on_gently(), pain_texts.end_session()]
    walk.lines.append(f"Alex taps [{pain_texts.carry_on_gently()}]")
    assert await tap(person, pain_texts.carry_on_gently(), result) is None
    again = await person.wait_for_message(has("Gently this time"), timeout=TIMEOUT)
    walk._record()
    (row,) = await practice_sessions(stretchbot, me)
    assert (state_of(row).phase, state_of(row).step) == (Phase.READY, before.step)
    assert hold_label(again).startswith("▶️ Start")
    _save(walk, "typed_symptom_mid_session.txt", "A typed symptom in the middle of a hold")


async def test_mid_session_an_urgent_answer_stops_the_session(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression")
    step = await start_session(person, await open_card(person))
    question = await typed_symptom(person, "I wet myself")
    paused = await current(person, step)
    assert "Session paused" in text_of(paused)
    await answer_all(person, question, ["Bladder or bowel changes"])
    (row,) = await practice_sessions(stretchbot, me)
    assert row.status is SessionStatus.STOPPED
    assert (await current(person, paused)).text == session_texts.stopped_for_safety()
    person.mark_read()
    await person.send("/now")
    reply = await person.next_message(TIMEOUT)
    assert not set(reply.button_labels) & SESSION_OFFERS


# --- Captions and edits -----------------------------------------------------------------------


async def test_a_photo_caption_is_read_like_a_text(stretchbot: RunningBot, person: SimUser) -> None:
    await subscribe(stretchbot, person)
    before = {m.message_id for m in person.bot_messages()}
    await person.send_photo(caption="my knee is swollen")
    question = await person.wait_for_message(has(URGENT_QUESTION), timeout=TIMEOUT)
    await asyncio.sleep(0.3)
    new = [m for m in person.bot_messages() if m.message_id not in before]
    assert [m.message_id for m in new] == [question.message_id]
    await typed_report(stretchbot, person)


async def test_a_message_edited_into_a_symptom_is_heard(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await subscribe(stretchbot, person)
    sent = await person.send("thanks")
    await person.next_message(TIMEOUT)  # "didn't catch that"
    before = {m.message_id for m in person.bot_messages()}
    await person.edit(sent, "thanks, but I can't feel my legs")
    question = await person.wait_for_message(has(URGENT_QUESTION), timeout=TIMEOUT)
    await asyncio.sleep(0.3)
    new = [m for m in person.bot_messages() if m.message_id not in before]
    assert [m.message_id for m in new] == [question.message_id]
    await typed_report(stretchbot, person)


# --- What is not a symptom still reaches the rest of the bot ----------------------------------


async def test_everyday_text_and_negatives_pass_through(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await subscribe(stretchbot, person)
    for text in ("no pain at all", "thanks!", "not numb anymore"):
        person.mark_read()
        await person.send(text)
        reply = await person.next_message(TIMEOUT)
        assert help_texts.not_understood() in text_of(reply), text
    row = await subscriber_of(stretchbot, person)
    assert row is not None
    assert await pain_reports(stretchbot, row.id) == []


async def test_a_symptom_is_neither_stored_nor_logged(
    stretchbot: RunningBot, person: SimUser, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "I wet myself in Zanzibarque"
    with caplog.at_level(logging.DEBUG):
        await typed_symptom(person, secret)
    ours = [record for record in caplog.records if record.name.startswith("bot")]
    logged = "\n".join(record.getMessage() for record in ours)
    assert "wet" not in logged.lower() and "zanzibarque" not in logged.lower()
    assert "(tier urgent)" in logged
    async with stretchbot.services.db() as db:
        reports = list((await db.execute(select(PainReport))).scalars())
    stored = repr([(r.source, r.answers, r.outcome) for r in reports])
    assert "wet" not in stored.lower()


def test_captions_go_through_the_gate_and_commands_do_not() -> None:
    """The gate's filter, on Telegram's own objects: a photo caption is read like a text; a
    command is left to its handler; a group message never reaches it (the guard stops it)."""
    user = User(1, "Alex", is_bot=False)
    private = Chat(1, Chat.PRIVATE)
    group = Chat(-5, Chat.GROUP)

    def update(chat: Chat, **kwargs: Any) -> Update:
        sent = datetime(2026, 11, 24, tzinfo=UTC)
        message = Message(1, date=sent, chat=chat, from_user=user, **kwargs)
        return Update(1, message=message)

    assert gate.GATE.check_update(update(private, caption="my knee is swollen"))
    assert gate.GATE.check_update(update(private, text="ouch"))
    assert not gate.GATE.check_update(update(group, text="ouch"))
    command = update(
        private, text="/pain", entities=(MessageEntity(MessageEntity.BOT_COMMAND, 0, 5),)
    )
    assert not gate.GATE.check_update(command)


def _save(walk: Walkthrough, name: str, title: str) -> None:
    folder = os.environ.get("STRETCHBOT_TRANSCRIPT_DIR")
    if folder:
        walk.save(Path(folder) / name, title)
