"""The pain rating after a session: a high one opens the pain questions, not a plain "noted"."""

from __future__ import annotations

from typing import Any

import pytest

from bot.chat.timers import HOLD_SCALE_KEY
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    has,
    hold,
    open_card,
    pain_reports,
    start_session,
    subscribe,
    subscriber,
    tap,
)

pytestmark = pytest.mark.e2e

PROGRESSION = "seated_progression"
GENTLE = "Gentle stretch 👍"


@pytest.fixture
def bot_extras() -> dict[str, Any]:
    return {HOLD_SCALE_KEY: 0.01}


async def finish_session(person: SimUser) -> ChatMessage:
    """Hold every stretch and answer "gentle" until the summary asks for a rating."""
    step = await start_session(person, await open_card(person))
    while "Session done!" not in (step.text or ""):
        check = await hold(person, step)
        if GENTLE not in check.button_labels:  # a two-sided or repeated hold: hold again
            step = check
            continue
        assert await tap(person, GENTLE, check) is None
        step = await current(person, check)
    return step


async def test_a_rating_of_eight_opens_the_triage_and_holds(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    summary = await finish_session(person)
    assert await tap(person, "8", summary) is None
    assert "Thanks, noted" not in ((await current(person, summary)).text or "")
    asked = await person.wait_for_message(has("groin, bottom or inner thighs"), timeout=TIMEOUT)
    assert "higher than in your last sessions" in (asked.text or "")
    assert "Numb groin / saddle area" in asked.button_labels
    (report,) = await pain_reports(stretchbot, me)
    assert report.source == "rating" and report.outcome is None
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is None, (
        "an unanswered triage holds reminders"
    )
    assert await tap(person, "None of these", asked) is None


async def test_a_low_first_rating_is_only_saved(stretchbot: RunningBot, person: SimUser) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    summary = await finish_session(person)
    assert await tap(person, "2", summary) is None
    assert "Pain now: 2/10, saved for /stats" in ((await current(person, summary)).text or "")
    assert await pain_reports(stretchbot, me) == []
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is not None
