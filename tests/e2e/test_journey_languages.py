"""Issue 16's journey, once in German and once in Russian: a whole onboarding as Telegram's
`language_code` says, the first session straight from its summary (every hold, its 'Time!' sent
by the timer's job, every check-in), then a pain report (the urgent question first, a
professional's route, the hold lifted), on SQLite and PostgreSQL.

Onboarding words are spelled out (they are textsa's catalogs, checked word for word in
test_onboarding_languages); the session and pain words are rendered with `using(language)` and
must differ from the English, plus a few spelled out."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.chat.texts import pain as pain_texts
from bot.chat.texts import session as texts
from bot.db.models import SessionStatus, SubscriberStatus
from bot.domain.lifecycle import CheckedBy, Verdict
from bot.i18n import _, using
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.language_helpers import hold_button, label, label_or_none, plain, said
from tests.e2e.practice_helpers import TIMEOUT, current, pain_reports, practice_sessions, tap
from tests.e2e.walkthrough import Walkthrough, subscriber_of, text_of

pytestmark = pytest.mark.e2e

SCALE = 0.01  # a 30 s hold lasts 0.3 s
GENTLE = "Gentle stretch 👍"
NONE = "None of these"
SHARP = "Sharp or shooting pain"


@dataclass(frozen=True)
class Signup:
    name: str
    got_it: str
    no: str
    zone: str
    clock: str
    done: str
    focus: str
    level: str
    length: str
    all_set: str
    start_now: str
    said_done: str
    said_lifted: str


SIGNUPS = {
    "de": Signup(
        name="Lena",
        got_it="✅ Verstanden",
        no="Nein",
        zone="Berlin",
        clock="7:30",
        done="Fertig ✓",
        focus="▫️ Waden",
        level="🌱 Einsteiger: ganz neu dabei",
        length="10 Min.",
        all_set="🎉 Alles bereit!",
        start_now="▶️ Jetzt eine Einheit starten",
        said_done="🎉 Einheit geschafft!",
        said_lifted="✅ Danke, dass du Bescheid gibst. Die Pause ist aufgehoben",
    ),
    "ru": Signup(
        name="Ольга",
        got_it="✅ Понятно",
        no="Нет",
        zone="Москва",
        clock="19:00",
        done="Готово ✓",
        focus="▫️ Икры",
        level="🌱 Новичок: только начинаю",
        length="10 мин",
        all_set="🎉 Всё готово!",
        start_now="▶️ Начать занятие сейчас",
        said_done="🎉 Занятие завершено!",
        said_lifted="✅ Спасибо, что сообщили. Пауза снята",
    ),
}


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


async def sign_up(walk: Walkthrough, words: Signup) -> None:
    await walk.send("/start")
    await walk.tap(words.got_it)
    for _question in range(4):
        await walk.tap(words.no)
    if words.zone in walk.screen.button_labels:
        await walk.tap(words.zone)
    else:
        await walk.send(words.zone, replies=2)
    await walk.send(words.clock)
    await walk.tap(words.done)  # Monday to Friday
    await walk.tap(words.focus)
    await walk.tap(words.done)
    await walk.tap(words.level)
    await walk.tap(words.length)
    assert words.all_set in text_of(walk.screen)


async def practise(person: SimUser, message: ChatMessage, language: str) -> ChatMessage:
    """Every hold (waiting for the timer's 'Time!'), every check-in, until the summary."""
    for _turn in range(40):
        button = hold_button(message, language)
        if button is not None:
            assert await tap(person, button, message) is None
            holding = await person.wait_for_edit(message, timeout=TIMEOUT)
            assert holding.button_labels[0] == said(language, texts.done_early)
            released = await person.wait_for_message(
                lambda m, seen=message.message_id: m.message_id != seen, timeout=TIMEOUT
            )
            assert said(language, texts.release) in (released.text or "")
            message = released
        elif said(language, texts.warning_ok) in message.button_labels:
            assert await tap(person, said(language, texts.warning_ok), message) is None
            message = await current(person, message)
        elif label_or_none(message, GENTLE, language) is not None:
            assert await tap(person, label(message, GENTLE, language), message) is None
            message = await current(person, message)
        else:
            return message
    raise AssertionError("the session did not end")


@pytest.mark.parametrize("language", ["de", "ru"])
async def test_onboarding_session_and_pain_report_in_one_language(
    stretchbot: RunningBot, language: str
) -> None:
    words = SIGNUPS[language]
    person = stretchbot.sandbox.user(words.name, language_code=language)
    walk = Walkthrough(person)
    await sign_up(walk, words)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status is SubscriberStatus.ACTIVE
    assert subscriber.language_code == language

    # The first session, straight from the summary's button.
    await walk.tap(words.start_now)
    card = walk.screen
    assert said(language, texts.warm_up_hint) in (card.text or "")
    assert await tap(person, said(language, texts.start), card) is None
    first = await person.wait_for_message(
        lambda m: m.message_id != card.message_id and "1/" in (m.text or ""), timeout=TIMEOUT
    )
    summary = await practise(person, first, language)
    assert words.said_done in (summary.text or ""), summary.text
    assert await tap(person, "1", summary) is None
    with using(language):
        rated = _("Pain now: {rating}/10, saved for /stats.").format(rating=1)
    assert rated in ((await current(person, summary)).text or "")
    (row,) = await practice_sessions(stretchbot, subscriber.id)
    assert row.status is SessionStatus.COMPLETED

    # A pain report: the urgent question first, then a professional's route and the lifting.
    await person.send("/pain")
    question = await person.wait_for_message(
        lambda m: label_or_none(m, "Bladder or bowel changes", language) is not None,
        timeout=TIMEOUT,
    )
    assert await tap(person, label(question, NONE, language), question) is None
    question = await current(person, question)
    assert await tap(person, label(question, SHARP, language), question) is None
    result = await current(person, question)
    assert said(language, pain_texts.hold_line) in (result.text or "")
    assert await tap(person, label(result, "Yes, I've been checked", language), result) is None
    asked = await current(person, result)
    assert said(language, pain_texts.who_question) in (asked.text or "")
    assert await tap(person, said(language, pain_texts.who, CheckedBy.PHYSIO), asked) is None
    verdicts = await current(person, asked)
    assert await tap(person, said(language, pain_texts.verdict, Verdict.CLEARED), verdicts) is None
    lifted = (await current(person, verdicts)).text or ""
    assert lifted.startswith(words.said_lifted), lifted
    with using(language):
        next_line = plain(_("Next reminder: <b>{when}</b>.")).split("{when}")[0]
    assert next_line in lifted
    (report,) = await pain_reports(stretchbot, subscriber.id)
    assert (report.outcome, report.checked_by, report.clearance) == (
        "professional",
        "physio",
        "cleared",
    )
