"""Reminders are sent by the dispatcher's job, outside any update: each card must still be in
its subscriber's stored language, also when people speaking four languages are due in the same
batch (and would otherwise share one cached card), and the answers to its buttons too."""

from __future__ import annotations

import pytest

from bot.chat import reminders
from bot.chat.texts import common as common_texts
from bot.chat.texts import reminders as texts
from bot.chat.texts import session as session_texts
from bot.i18n import LANGUAGES, using
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.language_helpers import hold_button, plain, said
from tests.e2e.practice_helpers import TIMEOUT, current, subscribe, tap

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


@pytest.fixture
def bot_hold_scale() -> float:
    return 0.05  # a 20 s hold lasts 1 s: time for the others to tap


def is_reminder(message: ChatMessage) -> bool:
    return len(message.button_labels) == 4  # [Start] [In 30 min] [Not today] [I'm in pain]


async def test_one_batch_four_languages_each_its_own_card(stretchbot: RunningBot) -> None:
    people: dict[str, SimUser] = {}
    for number, language in enumerate(LANGUAGES):
        person = stretchbot.sandbox.user(f"Kim{number}", language_code=language)
        await subscribe(stretchbot, person, language=language)
        await person.send("/stats")  # the person has talked to the bot, so it may write to them
        await person.next_message(TIMEOUT)
        people[language] = person
    dispatcher = reminders.dispatcher_of(stretchbot.services)
    assert dispatcher is not None
    stretchbot.clock.advance(hours=1, minutes=1)  # everyone's 07:00 reminder at once
    await dispatcher.run_once()

    cards = {}
    for language, person in people.items():
        card = await person.wait_for_message(is_reminder, timeout=TIMEOUT)
        with using(language):
            assert card.button_labels[0] == texts.start()
            assert card.button_labels[2:] == [texts.not_today(), common_texts.in_pain()]
            heading = plain(texts.daily_heading())
        assert (card.text or "").startswith(heading), (language, card.text)
        cards[language] = card
    assert (cards["de"].text or "").startswith("🌿 Zeit zum Dehnen")
    assert (cards["ru"].text or "").startswith("🌿 Время для растяжки")
    assert (cards["en"].text or "").startswith("🌿 Time to stretch")
    assert len({card.text for card in cards.values()}) == len(LANGUAGES)

    # The answers to the card's buttons speak the person's language too.
    german = people["de"]
    answer = await tap(german, said("de", texts.not_today), cards["de"])
    assert answer is not None and answer.startswith("Kein Problem, ruh dich heute aus.")
    assert "Für heute ausgelassen." in ((await current(german, cards["de"])).text or "")

    russian = people["ru"]
    snooze = next(b for b in cards["ru"].button_labels if b.startswith("⏰"))
    assert snooze == "⏰ Через 30 мин"
    answer = await tap(russian, snooze, cards["ru"])
    assert answer is not None and answer.startswith("Хорошо! Напомню в ")
    stretchbot.clock.advance(minutes=31)
    await dispatcher.run_once()
    later = await russian.wait_for_message(
        lambda m: m.message_id != cards["ru"].message_id and bool(m.buttons), timeout=TIMEOUT
    )
    assert (later.text or "").startswith(plain(said("ru", texts.snoozed_heading)))


async def test_a_hold_ends_in_its_owners_language_whoever_armed_a_timer_last(
    stretchbot: RunningBot,
) -> None:
    """The job queue runs a job in the context of whoever last woke the scheduler: here the
    English person's hold is armed after the German one, and the German 'Time!' (and the
    Russian one, armed last) must still be in each owner's language."""
    walkers = {}
    for language in ("de", "en", "ru"):
        person = stretchbot.sandbox.user(f"Noa-{language}", language_code=language)
        await subscribe(stretchbot, person, "seated_progression", language=language)
        await person.send("/now")
        card = await person.next_message(TIMEOUT)
        with using(language):
            start = session_texts.start()
        assert await tap(person, start, card) is None
        walkers[language] = (person, await person.next_message(TIMEOUT))
    for language, (person, step) in walkers.items():  # three holds, armed one after another
        assert await tap(person, hold_button(step, language) or "", step) is None
    for language, (person, step) in walkers.items():
        released = await person.wait_for_message(
            lambda m, seen=step.message_id: m.message_id != seen, timeout=TIMEOUT
        )
        with using(language):
            expected = session_texts.release()
        assert expected in (released.text or ""), (language, released.text)
