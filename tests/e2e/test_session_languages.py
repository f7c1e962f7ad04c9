"""A whole session, then pain in the middle of the next one, in German and in Russian.

The hold's countdown, its 'Time!' message (sent by the timer's job, outside any update) and
every button are in the person's stored language. Expected texts are rendered with
`using(language)` and must differ from the English, so a text that forgot `_()` fails."""

from __future__ import annotations

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import pain as pain_texts
from bot.chat.texts import session as texts
from bot.db.models import SessionStatus
from bot.i18n import _, ngettext, using
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.language_helpers import hold_button, label, label_or_none, said
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    pain_reports,
    practice_sessions,
    subscribe,
    tap,
)

pytestmark = pytest.mark.e2e

SCALE = 0.01  # a 30 s hold lasts 0.3 s
PROGRESSION = "seated_progression"  # stage 1 once; stage 2 both legs; stage 3 both legs twice
GENTLE = "Gentle stretch 👍"
EASE_OFF = ["None of these", "None of these", "Yes, an ache or mild soreness"]


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


async def open_card(person: SimUser, language: str) -> ChatMessage:
    await person.send("/now")
    card = await person.next_message(TIMEOUT)
    assert said(language, texts.warm_up_hint) in (card.text or "")
    with using(language):
        assert card.button_labels == [
            texts.start(),
            texts.preview_button(),
            texts.not_today(),
            common_texts.in_pain(),
        ]
    return card


async def start(person: SimUser, card: ChatMessage, language: str) -> ChatMessage:
    assert await tap(person, said(language, texts.start), card) is None
    return await person.next_message(TIMEOUT)


async def hold(person: SimUser, step: ChatMessage, language: str) -> ChatMessage:
    """Start the hold; the message counts down in `language`; the timer's job sends 'Time!'."""
    button = hold_button(step, language)
    assert button is not None, step.button_labels
    assert await tap(person, button, step) is None
    holding = await person.wait_for_edit(step, timeout=TIMEOUT)
    assert said(language, texts.done_early) == holding.button_labels[0]
    to_go = said(language, lambda: _("{seconds} s to go")).split("{seconds}")
    assert all(part.strip() in (holding.text or "") for part in to_go), holding.text
    released = await person.wait_for_message(timeout=TIMEOUT)
    assert released.message_id != step.message_id
    assert said(language, texts.release) in (released.text or ""), "the timer's 'Time!'"
    return released


@pytest.mark.parametrize("language", ["de", "ru"])
async def test_a_session_then_pain_in_the_next_one_speak_the_persons_language(
    stretchbot: RunningBot, language: str
) -> None:
    person = stretchbot.sandbox.user("Anja", language_code=language)
    me = await subscribe(stretchbot, person, PROGRESSION, language=language)
    message = await start(person, await open_card(person, language), language)
    assert "1/3 · " in (message.text or "")
    for _turn in range(20):  # every hold, every check-in, until the summary
        if hold_button(message, language) is not None:
            message = await hold(person, message, language)
        elif label_or_none(message, GENTLE, language) is not None:
            assert await tap(person, label(message, GENTLE, language), message) is None
            message = await current(person, message)
        else:
            break
    summary = message.text or ""
    assert said(language, lambda: _("🎉 <b>Session done!</b>")) in summary
    with using(language):
        streak = ngettext("🔥 Streak: {count} day", "🔥 Streak: {count} days", 1).format(count=1)
    assert streak in summary and "Streak" not in summary
    assert await tap(person, "2", message) is None
    rated = (await current(person, message)).text or ""
    with using(language):
        assert _("Pain now: {rating}/10, saved for /stats.").format(rating=2) in rated

    # The next session, pain at its first step: paused, the urgent question first, then
    # the ease-off route lets it carry on gently.
    # (On the step itself, not during a hold: a loaded machine may end a 0.2 s hold first.)
    step = await start(person, await open_card(person, language), language)
    assert await tap(person, said(language, common_texts.in_pain), step) is None
    paused = await current(person, step)
    assert (paused.text or "").startswith(said(language, texts.paused).split("\n")[0])
    question = await person.wait_for_message(lambda m: bool(m.buttons), timeout=TIMEOUT)
    for english in EASE_OFF:
        assert await tap(person, label(question, english, language), question) is None
        question = await current(person, question)
    with using(language):
        assert question.button_labels == [pain_texts.carry_on_gently(), pain_texts.end_session()]
    assert said(language, pain_texts.session_left, True).strip() in (question.text or "")
    assert await tap(person, said(language, pain_texts.carry_on_gently), question) is None
    gently = await person.wait_for_message(timeout=TIMEOUT)
    gentle = said(
        language,
        lambda: _("🙂 <b>Gently this time:</b> a shorter hold, stop at the first light pull."),
    )
    assert gentle in (gently.text or "")
    reports = await pain_reports(stretchbot, me)
    assert [r.outcome for r in reports] == ["ease_off"]
    rows = await practice_sessions(stretchbot, me)
    assert [r.status for r in rows] == [SessionStatus.COMPLETED, SessionStatus.ACTIVE]


async def test_german_words_on_a_german_session(stretchbot: RunningBot) -> None:
    """A few texts spelled out, so the test does not only compare the code with itself."""
    person = stretchbot.sandbox.user("Lena", language_code="de")
    await subscribe(stretchbot, person, PROGRESSION, language="de")
    card = await open_card(person, "de")
    assert "🧘 Heute: " in (card.text or "") and "Erst aufwärmen:" in (card.text or "")
    assert card.button_labels[:3] == ["▶️ Los geht's", "👀 Vorschau", "Heute nicht"]
    step = await start(person, card, "de")
    assert step.button_labels[0] == "▶️ 20 s halten"
    released = await hold(person, step, "de")
    assert "⏱ Zeit! Langsam lösen und ausatmen." in (released.text or "")
