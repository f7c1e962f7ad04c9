"""A tap on a message that is gone by the time the bot edits it ("message to edit not found"):
the current screen comes as a new message, the tap is answered once, nothing is refused.

The person taps and deletes the message for both sides before the bot acts, on every kind of
screen that is edited in place: onboarding, settings, privacy, a session step and triage.
"""

from __future__ import annotations

import pytest

from bot.chat.texts import privacy as privacy_texts
from bot.chat.texts import settings as settings_texts
from sandbox import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    has,
    hold_label,
    open_card,
    start_session,
    subscribe,
)
from tests.e2e.walkthrough import Walkthrough, onboard

pytestmark = pytest.mark.e2e


@pytest.fixture
def bot_hold_scale() -> float:
    return 0.05


async def tap_gone(bot: RunningBot, person: SimUser, label: str, fragment: str) -> None:
    # Telegram refuses the one edit the bot tries: it cannot know the message is gone.
    bot.sandbox.expect_refusal("editMessageText", description="message to edit not found")
    message = person.last_bot_message()
    assert message is not None
    tap = await person.tap_then_delete(label, message=message)
    await tap.answered(TIMEOUT)
    anew = await person.wait_for_message(has(fragment), timeout=TIMEOUT)
    assert anew.message_id > message.message_id
    assert person.message(message.message_id) is None


async def test_onboarding(stretchbot: RunningBot, person: SimUser) -> None:
    await person.send("/start")
    await person.next_message(TIMEOUT)
    await tap_gone(stretchbot, person, "✅ I understand", "Question 1 of 4")


async def test_settings(stretchbot: RunningBot, person: SimUser) -> None:
    await onboard(Walkthrough(person))
    await person.send("/settings")
    await person.wait_for_message(lambda m: settings_texts.edit_time() in m.button_labels)
    await tap_gone(stretchbot, person, settings_texts.edit_time(), "time")


async def test_privacy(stretchbot: RunningBot, person: SimUser) -> None:
    await onboard(Walkthrough(person))
    await person.send("/delete")
    await person.wait_for_message(has("can't be undone"), timeout=TIMEOUT)
    await tap_gone(stretchbot, person, privacy_texts.delete_no(), "Nothing was deleted")


async def test_session_step(stretchbot: RunningBot, person: SimUser) -> None:
    await subscribe(stretchbot, person, "seated_progression")
    step = await start_session(person, await open_card(person))
    await tap_gone(stretchbot, person, hold_label(step), "Hold —")


async def test_pain_question(stretchbot: RunningBot, person: SimUser) -> None:
    await subscribe(stretchbot, person)
    await person.send("/pain")
    await person.wait_for_message(has("Sorry it hurts"), timeout=TIMEOUT)
    await tap_gone(stretchbot, person, "None of these", "?")
