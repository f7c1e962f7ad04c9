"""Every button of every sign-up screen (bot/chat/onboarding.mmd: safety, the four screening
questions, the urgent and see-a-professional holds and their lifting, zone, time, days,
focus, level, length), reached by tapping as a new person would, then tapped once, twice at
once, on a deleted message and on one older than 48 h (`tests.e2e.crawl`)."""

from __future__ import annotations

import pytest

from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.crawl import Reach, Screen, crawl
from tests.e2e.practice_helpers import TIMEOUT

pytestmark = pytest.mark.e2e

UNDERSTOOD = ["✅ I understand"]
ALL_CLEAR = [*UNDERSTOOD, "No", "No", "No", "No"]
URGENT = [*UNDERSTOOD, "Yes"]  # bladder, saddle or legs
PROFESSIONAL = [*UNDERSTOOD, "No", "No", "No", "Yes"]  # fever, weight loss, cancer, night pain
TIME = [*ALL_CLEAR, "Berlin"]
DAYS = [*TIME, "07:30"]
FOCUS = [*DAYS, "Done ✓"]
LEVEL = [*FOCUS, "▫️ Hamstrings", "Done ✓"]
LENGTH = [*LEVEL, "🌱 Beginner: new to it"]


def by_taps(*labels: str) -> Reach:
    """/start, then `labels` tapped in turn on the newest message having each."""

    async def reach(bot: RunningBot, person: SimUser) -> ChatMessage:
        await person.send("/start")
        await person.wait_for_message(lambda m: bool(m.buttons), timeout=TIMEOUT)
        for label in labels:
            tap = await person.tap(label)
            await tap.answered(TIMEOUT)
            assert await bot.sandbox.settle(TIMEOUT)
        newest = person.last_bot_message()
        assert newest is not None and newest.buttons, person.transcript()
        return newest

    return reach


SCREENS = [
    Screen("safety note", by_taps()),
    *(Screen(f"screening question {n + 1}", by_taps(*UNDERSTOOD, *["No"] * n)) for n in range(4)),
    Screen("urgent hold", by_taps(*URGENT)),
    Screen("urgent: who checked", by_taps(*URGENT, "Yes, I've been checked")),
    Screen(
        "urgent: what they said",
        by_taps(*URGENT, "Yes, I've been checked", "A GP or family doctor"),
    ),
    Screen("professional hold", by_taps(*PROFESSIONAL)),
    Screen("professional: who checked", by_taps(*PROFESSIONAL, "A professional cleared me")),
    Screen("zone", by_taps(*ALL_CLEAR)),
    Screen("time", by_taps(*TIME)),
    Screen("days", by_taps(*DAYS)),
    Screen("focus", by_taps(*FOCUS)),
    Screen("level", by_taps(*LEVEL)),
    Screen("length", by_taps(*LENGTH)),
]


@pytest.mark.parametrize("screen", SCREENS, ids=str)
async def test_every_button(stretchbot: RunningBot, screen: Screen) -> None:
    assert await crawl(stretchbot, screen)
