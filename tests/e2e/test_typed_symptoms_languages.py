"""Typed symptoms in German, Spanish and Russian are heard, through the local Telegram.

The same gate as `test_typed_symptoms.py`, for people who write in their own language: a German
speaker's "mein Bein ist taub" in the middle of a hold pauses the session and opens the triage
with the urgent question first; a Russian speaker's "онемела нога" on a sign-up step opens it
and keeps the step; a Spanish speaker's "no siento las piernas" opens it while idle. A negative
("не болит") is not a symptom. On old main each of these fell through to "didn't catch that".
"""

from __future__ import annotations

import asyncio

import pytest

from bot import i18n
from bot.chat.texts import help as help_texts
from bot.chat.texts import onboarding as onboarding_texts
from bot.chat.texts import session as session_texts
from bot.content.loader import Content
from bot.db import subscribers
from bot.db.models import PainReport
from bot.db.sessions import state_of
from bot.domain.flow import Phase
from bot.domain.onboarding import Step
from bot.i18n.content import content_text
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    pain_reports,
    practice_sessions,
    subscribe,
)
from tests.e2e.walkthrough import subscriber_of, text_of

pytestmark = pytest.mark.e2e

SCALE = 0.15  # a 20 s hold lasts 3 s: time enough to type during it


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


def shown(text: str, language: str) -> str:
    """A content text as the bot shows it to a person speaking `language`."""
    return content_text(text, language)


def session_offers(language: str) -> set[str]:
    """Every label that would offer a session, in English and in `language`."""
    speak = i18n.translator(language).gettext
    labels = {session_texts.start(), session_texts.start_today(), session_texts.continue_button()}
    offers = labels | {speak(label) for label in labels}
    for code in ("en", language):
        with i18n.using(code):
            offers |= {help_texts.session_now(), onboarding_texts.start_now()}
    return offers


async def urgent_question_after(
    person: SimUser, content: Content, language: str, text: str
) -> ChatMessage:
    """Type `text`; the one answer is the triage's urgent question, with its answers as
    buttons, and nothing offers a session. Returns the question."""
    first = content.safety.triage.questions[0]
    question_text = shown(first.text, language)
    labels = [shown(answer.label, language) for answer in first.answers]
    before = {m.message_id for m in person.bot_messages()}
    await person.send(text)
    question = await person.wait_for_message(
        lambda m: question_text.splitlines()[0] in text_of(m), timeout=TIMEOUT
    )
    assert question.button_labels == labels
    await asyncio.sleep(0.3)  # anything else the bot would have said arrives by now
    new = [m for m in person.bot_messages() if m.message_id not in before]
    assert [m.message_id for m in new] == [question.message_id], [m.text for m in new]
    offered = {label for message in person.bot_messages() for label in message.button_labels}
    assert not offered & session_offers(language), "a session is offered to a person in pain"
    return question


async def typed_report(bot: RunningBot, person: SimUser) -> PainReport:
    row = await subscriber_of(bot, person)
    assert row is not None
    (report,) = await pain_reports(bot, row.id)
    assert report.source == "t"
    return report


async def speaking(bot: RunningBot, subscriber_id: int, language: str) -> None:
    """The subscriber's stored language (what /language or /start would have set)."""
    async with bot.services.session_factory() as db:
        row = await subscribers.get_by_id(db, subscriber_id)
        assert row is not None
        row.language_code = language
        await db.commit()


async def newest_with_button(
    person: SimUser, starts: str, after: set[int], skip: str | None = None
) -> tuple[ChatMessage, str]:
    """The first new bot message with a button label starting with `starts` (other than
    `skip`), and that label."""

    def has_it(message: ChatMessage) -> bool:
        return message.message_id not in after and any(
            label.startswith(starts) and label != skip for label in message.button_labels
        )

    message = await person.wait_for_message(has_it, timeout=TIMEOUT)
    label = next(label for label in message.button_labels if label.startswith(starts))
    if label == skip:
        label = next(x for x in message.button_labels if x.startswith(starts) and x != skip)
    return message, label


async def test_german_mid_hold_pauses_the_session_and_asks_the_urgent_question(
    stretchbot: RunningBot, content: Content
) -> None:
    person = stretchbot.sandbox.user("Lena", language_code="de")
    me = await subscribe(stretchbot, person, "seated_progression")
    await speaking(stretchbot, me, "de")
    start = i18n.translator("de").gettext(session_texts.start())

    seen = {m.message_id for m in person.bot_messages()}
    await person.send("/now")
    card, _ = await newest_with_button(person, start, seen)
    seen = {m.message_id for m in person.bot_messages()}
    tapped = await person.tap(start, message=card)
    await tapped.answered(TIMEOUT)
    step, hold = await newest_with_button(person, "▶️", seen)
    tapped = await person.tap(hold, message=step)
    await tapped.answered(TIMEOUT)
    (row,) = await practice_sessions(stretchbot, me)
    before = state_of(row)
    assert before.phase is Phase.HOLDING

    await urgent_question_after(person, content, "de", "mein Bein ist taub")
    (row,) = await practice_sessions(stretchbot, me)
    state = state_of(row)
    assert (state.phase, state.step) == (Phase.PAUSED, before.step)
    await asyncio.sleep(20 * SCALE + 0.3)
    late = [m for m in person.unread() if m.from_bot and m.button_labels]
    assert not {label for m in late for label in m.button_labels} & session_offers("de")
    report = await typed_report(stretchbot, person)
    assert report.session_id == row.id


async def test_russian_on_a_sign_up_step_the_step_is_kept(
    stretchbot: RunningBot, content: Content
) -> None:
    person = stretchbot.sandbox.user("Olga", language_code="ru")
    await person.send("/start")
    await person.next_message(TIMEOUT)
    row = await subscriber_of(stretchbot, person)
    assert row is not None and row.onboarding_step == Step.SAFETY.value
    await urgent_question_after(person, content, "ru", "онемела нога")
    row = await subscriber_of(stretchbot, person)
    assert row is not None and row.onboarding_step == Step.SAFETY.value, "step kept"
    await typed_report(stretchbot, person)


async def test_spanish_while_idle(stretchbot: RunningBot, content: Content) -> None:
    person = stretchbot.sandbox.user("Lucía", language_code="es")
    me = await subscribe(stretchbot, person)
    await speaking(stretchbot, me, "es")
    await urgent_question_after(person, content, "es", "no siento las piernas")
    report = await typed_report(stretchbot, person)
    assert (report.outcome, report.answers) == (None, {})


async def test_a_russian_negative_is_not_a_symptom(stretchbot: RunningBot) -> None:
    person = stretchbot.sandbox.user("Ivan", language_code="ru")
    me = await subscribe(stretchbot, person)
    await speaking(stretchbot, me, "ru")
    person.mark_read()
    await person.send("не болит")
    reply = await person.next_message(TIMEOUT)
    assert reply.button_labels, "the usual reply with its menu, not a triage question"
    assert await pain_reports(stretchbot, me) == []
