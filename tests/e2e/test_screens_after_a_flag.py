"""What a person under a red-flag hold is shown when they write: no screen may offer a session.

`test_buttons_after_a_flag` taps the buttons a person had before the flag; this sends what a
person may send after it, every command and a few ordinary messages, and reads every message
the bot answers with. A button that would start stretching ("Session now", "Today's session",
"Start") is an offer even when tapping it would only show the hold again: the person was told
to stop. Through the local Telegram, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from bot.chat.texts import help as help_texts
from bot.chat.texts import session as session_texts
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, raise_flag, subscribe

pytestmark = pytest.mark.e2e

MESSAGES = [
    "/help",
    "/now",
    "/stats",
    "/settings",
    "/start",
    "/privacy",
    "/report",
    "/language",
    "/wat",
    "hello",
    "what now?",
    "08:00",
]


def session_offers(message: ChatMessage) -> list[str]:
    offers = (
        help_texts.session_now(),
        session_texts.start(),
        session_texts.continue_button(),
        "▶️ Today's session",
    )
    return [label for label in message.button_labels if label in offers or "▶️ Start" in label]


async def _held(bot: RunningBot, person: SimUser, tier: str) -> None:
    me = await subscribe(bot, person, "seated_progression")
    await raise_flag(bot, me, tier)
    assert await bot.sandbox.settle(TIMEOUT), bot.sandbox.problems()


@pytest.mark.parametrize("tier", ["urgent", "professional"])
@pytest.mark.parametrize("text", MESSAGES)
async def test_nothing_sent_after_a_flag_is_answered_with_a_session(
    stretchbot: RunningBot, text: str, tier: str
) -> None:
    person = stretchbot.sandbox.user("Alex", language_code="en")
    await _held(stretchbot, person, tier)
    seen = {m.message_id: m.version for m in person.bot_messages()}
    await person.send(text)
    assert await stretchbot.sandbox.settle(TIMEOUT), stretchbot.sandbox.problems()
    answers = [m for m in person.bot_messages() if seen.get(m.message_id) != m.version]
    assert answers, f"{text!r} got no answer\n{person.transcript()}"
    offered = {m.message_id: session_offers(m) for m in answers if session_offers(m)}
    assert not offered, f"{text!r} under a {tier} hold offered {offered}\n{person.transcript()}"
