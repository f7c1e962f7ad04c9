"""Every button of the pain and hold screens (/pain's questions, each outcome, "Not yet", the
lifting questions, the hold shown by /now and /settings, a paused session, the legs advice):
tapped once, twice at once, on a deleted message and on one older than 48 h, each must end
where a single tap does (`tests.e2e.crawl`)."""

from __future__ import annotations

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import session as texts
from bot.chat.texts import settings as settings_texts
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.crawl import Reach, Screen, by_command, crawl, send_for, then_tap
from tests.e2e.practice_helpers import TIMEOUT, current, raise_flag, subscribe
from tests.e2e.test_every_button_practice import STEP, legs_question

pytestmark = pytest.mark.e2e

NONE = "None of these"
CHECKED = "Yes, I've been checked"
GP = "A GP or family doctor"
PAIN = by_command("/pain", NONE)
PROFESSIONAL = then_tap(PAIN, NONE, "Sharp or shooting pain")
URGENT = then_tap(PAIN, "Weak legs or trouble walking")


def held(command: str, button: str) -> Reach:
    """A subscriber with an open red flag sends `command`."""

    async def reach(bot: RunningBot, person: SimUser) -> ChatMessage:
        me = await subscribe(bot, person, "seated_progression")
        await raise_flag(bot, me)
        return await send_for(person, command, button)

    return reach


async def legs_checked(bot: RunningBot, person: SimUser) -> ChatMessage:
    """ "Yes, they always feel tight", then "checked" on the advice it leaves in place."""
    question = await legs_question(bot, person)
    for label in ("Yes, they always feel tight", "A professional checked my legs"):
        tap = await person.tap(label, message=question)
        await tap.answered(TIMEOUT)
        assert await bot.sandbox.settle(TIMEOUT)
    return await current(person, question)


HELD_NOW = held("/now", CHECKED)
SCREENS = [
    Screen("pain: first question", PAIN),
    Screen("pain: second question", then_tap(PAIN, NONE)),
    Screen("pain: third question", then_tap(PAIN, NONE, NONE)),
    Screen("pain: see a professional", PROFESSIONAL),
    Screen("pain: urgent", URGENT),
    Screen("pain: not yet", then_tap(PROFESSIONAL, "Not yet")),
    Screen("lifting: who checked", then_tap(PROFESSIONAL, CHECKED)),
    Screen("lifting: what they said", then_tap(PROFESSIONAL, CHECKED, GP)),
    Screen("lifting: not cleared", then_tap(PROFESSIONAL, CHECKED, GP, "Not cleared yet")),
    Screen(
        "pain from the card", then_tap(by_command("/now", texts.start()), common_texts.in_pain())
    ),
    Screen("pain during a session", then_tap(STEP, common_texts.in_pain())),
    Screen(
        "pain during a session: ease off",
        then_tap(STEP, common_texts.in_pain(), NONE, NONE, "Yes, an ache or mild soreness"),
    ),
    Screen("hold, from /now", HELD_NOW),
    Screen("hold, from /settings", held("/settings", settings_texts.edit_time())),
    Screen("legs: who checked", legs_checked),
]


@pytest.mark.parametrize("screen", SCREENS, ids=str)
async def test_every_button(stretchbot: RunningBot, screen: Screen) -> None:
    assert await crawl(stretchbot, screen)
