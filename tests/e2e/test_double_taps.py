"""Two identical taps before the first edit lands: one answer each, no error, no apology.

Telegram delivers both callback queries; the second asks for the screen the first already
made ("message is not modified", which is success) and each query is answered exactly once.
The strict sandbox fails these tests at teardown on any refused call or logged traceback.
"""

from __future__ import annotations

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import session as texts
from sandbox.people import ChatMessage, SimUser, Tap
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, has, open_card, subscribe, tap

pytestmark = pytest.mark.e2e

PROFESSIONAL_PATH = ["None of these", "Sharp or shooting pain"]


async def both_answered(person: SimUser, taps: list[Tap]) -> None:
    for pressed in taps:
        await pressed.answered(TIMEOUT)
    assert len(person.callback_answers) >= len(taps)
    assert not any(
        common_texts.something_went_wrong() in (m.text or "") for m in person.bot_messages()
    ), person.transcript()


@pytest.mark.parametrize("label", [texts.not_today(), texts.preview_button()])
async def test_a_double_tap_on_the_card(
    stretchbot: RunningBot, person: SimUser, label: str
) -> None:
    await subscribe(stretchbot, person, "seated_progression")
    card = await open_card(person)
    await both_answered(person, await person.double_tap(label, message=card))
    await person.wait_for_edit(card, timeout=TIMEOUT)


async def test_a_double_tap_on_start_starts_one_session(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await subscribe(stretchbot, person, "seated_progression")
    card = await open_card(person)
    taps = await person.double_tap(texts.start(), message=card)
    await both_answered(person, taps)
    await person.wait_for_message(has("1/"), timeout=TIMEOUT)
    # The second tap, made on the card as it looked before the first one's edit, is absorbed
    # by the router: answered without a notice, and no second session.
    assert [a.text for a in person.callback_answers[-2:]] == [None, None]
    assert await stretchbot.sandbox.settle(TIMEOUT)
    assert len([m for m in person.bot_messages() if has("1/")(m)]) == 1


async def ask_and_decide(person: SimUser, labels: list[str]) -> ChatMessage:
    await person.send("/pain")
    question = await person.wait_for_message(has("Sorry it hurts"), timeout=TIMEOUT)
    for label in labels:
        assert await tap(person, label, question) is None
        seen = person.message(question.message_id)
        assert seen is not None
        question = seen
    return question


async def test_a_double_tap_on_not_yet(stretchbot: RunningBot, person: SimUser) -> None:
    await subscribe(stretchbot, person)
    outcome = await ask_and_decide(person, PROFESSIONAL_PATH)
    await both_answered(person, await person.double_tap("Not yet", message=outcome))
    waiting = await person.wait_for_edit(outcome, timeout=TIMEOUT)
    assert "Sessions and reminders both wait" in (waiting.text or "")
