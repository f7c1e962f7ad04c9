"""A hold you can watch, through the local Telegram with its flood limits on: the hold's message
counts down in place every 5 s and once in its last 5 s, never faster than a chat allows, never
"not modified"; it stops with the hold (its end, Done early, a pain report); and after a restart
the countdown goes on from the stored end.

Holds run at a quarter of real time (a 20 s hold lasts 5 s), so the redraws come every 1.25 s:
inside Telegram's one message a second per chat, which the bot's budget and the stand-in both
keep here.
"""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import session as texts
from bot.config import Settings
from bot.domain.countdown import BAR_CELLS, EMPTY, FILLED
from sandbox import RateLimits
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    has,
    hold_label,
    open_card,
    start_session,
    subscribe,
    tap,
)

pytestmark = pytest.mark.e2e

SCALE = 0.25  # a 20 s hold lasts 5 s; a redraw every 1.25 s
PROGRESSION = "seated_progression"  # its first step is a 20 s hold
LEFT = re.compile(rf"([▰▱]{{{BAR_CELLS}}}) (\d+) s to go")
READING_SECONDS = 2.0
"""Card and step come a moment apart; a redraw only takes a chat whose burst is full again."""


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


@pytest.fixture
def bot_settings(bot_settings: Settings) -> Settings:
    """Telegram's pacing: 30/s overall and one message a second per chat."""
    return bot_settings.model_copy(
        update={"rate_limit_global_per_second": 30.0, "rate_limit_per_chat_per_second": 1.0}
    )


def countdown_edits(bot: RunningBot, message: ChatMessage) -> list[tuple[str, int]]:
    """(bar, seconds left) of every edit of `message` that showed the countdown, in order."""
    shown: list[tuple[str, int]] = []
    for call in bot.sandbox.calls_of("editMessageText"):
        if call.ok and int(call.params.get("message_id", 0)) == message.message_id:
            found = LEFT.search(str(call.params.get("text", "")))
            if found:
                shown.append((found.group(1), int(found.group(2))))
    return shown


def now(person: SimUser, message: ChatMessage) -> ChatMessage:
    seen = person.message(message.message_id)
    assert seen is not None
    return seen


def bar(filled: int) -> str:
    return FILLED * filled + EMPTY * (BAR_CELLS - filled)


def nothing_refused(bot: RunningBot) -> None:
    """No call Telegram would refuse: no 400/403, no 429, and never "not modified"."""
    sandbox = bot.sandbox
    assert sandbox.referee.unexpected_refusals() == []
    assert sandbox.referee.not_modified == 0
    assert [c for c in sandbox.calls if c.status == 429] == []


async def start_hold(bot: RunningBot, person: SimUser) -> ChatMessage:
    bot.sandbox.set_rate_limits(RateLimits())
    await subscribe(bot, person, PROGRESSION)
    step = await start_session(person, await open_card(person))
    await asyncio.sleep(READING_SECONDS)  # the person reads the step, then starts the hold
    assert await tap(person, hold_label(step), step) is None
    return step


async def wait_for_left(bot: RunningBot, message: ChatMessage, left: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while all(seconds != left for _, seconds in countdown_edits(bot, message)):
        assert time.monotonic() < deadline, f"no redraw at {left} s left"
        await asyncio.sleep(0.02)


async def test_a_hold_counts_down_every_5_seconds_and_once_in_its_last_5(
    stretchbot: RunningBot, person: SimUser
) -> None:
    step = await start_hold(stretchbot, person)
    released = await person.wait_for_message(has("Time!"), timeout=TIMEOUT)
    assert "How did that one feel?" in (released.text or "")
    # The start's edit shows the whole hold, then one redraw at 15, 10 and 5 s left.
    assert countdown_edits(stretchbot, step) == [
        (bar(0), 20),
        (bar(2), 15),
        (bar(5), 10),
        (bar(7), 5),
    ]
    held = person.message(step.message_id)
    assert held is not None and "held." in (held.text or "") and not held.buttons
    nothing_refused(stretchbot)


async def test_done_early_stops_the_countdown_and_is_answered_at_once(
    stretchbot: RunningBot, person: SimUser
) -> None:
    step = await start_hold(stretchbot, person)
    await wait_for_left(stretchbot, step, 15)  # a redraw has just used the chat's turn
    asked = time.monotonic()
    assert await tap(person, texts.done_early(), await current(person, step)) is None
    await person.wait_until(lambda: "How did that one feel?" in (now(person, step).text or ""))
    assert time.monotonic() - asked < 0.5, "the tap waited behind the countdown"
    await asyncio.sleep(5 * SCALE * 3)  # past where the 10 s and 5 s redraws would have been
    assert [left for _, left in countdown_edits(stretchbot, step)] == [20, 15]
    seen = person.message(step.message_id)
    assert seen is not None and "How did that one feel?" in (seen.text or "")
    nothing_refused(stretchbot)


async def test_a_pain_report_during_a_hold_stops_the_countdown(
    stretchbot: RunningBot, person: SimUser
) -> None:
    step = await start_hold(stretchbot, person)
    await wait_for_left(stretchbot, step, 15)
    assert await tap(person, common_texts.in_pain(), await current(person, step)) is None
    assert "Session paused" in (now(person, step).text or "")
    await person.wait_for_message(has("Sorry it hurts"), timeout=TIMEOUT)
    await asyncio.sleep(5 * SCALE * 3)
    assert [left for _, left in countdown_edits(stretchbot, step)] == [20, 15]
    assert [m for m in person.unread() if "Time!" in (m.text or "")] == []
    nothing_refused(stretchbot)


async def test_after_a_restart_the_countdown_goes_on_from_the_stored_end(
    stretchbot: RunningBot, person: SimUser
) -> None:
    step = await start_hold(stretchbot, person)
    began = time.monotonic()
    await wait_for_left(stretchbot, step, 15)
    # The bot's clock keeps up with the real one, as it would outside tests; the restart then
    # re-arms only what is still to come.
    stretchbot.clock.advance(seconds=time.monotonic() - began)
    await stretchbot.restart()
    released = await person.wait_for_message(has("Time!"), timeout=TIMEOUT)
    # The end still comes from the stored end, not a new 20 s from the restart.
    assert time.monotonic() - began < 20 * SCALE + 1.0
    assert "How did that one feel?" in (released.text or "")
    lefts = [left for _, left in countdown_edits(stretchbot, step)]
    assert lefts[:2] == [20, 15]
    assert lefts == sorted(set(lefts), reverse=True), "a redraw came twice or out of order"
    assert set(lefts) <= {20, 15, 10, 5}
    await asyncio.sleep(0.3)
    assert [m.message_id for m in person.bot_messages() if "Time!" in (m.text or "")] == [
        released.message_id
    ], "the hold ended exactly once"
    nothing_refused(stretchbot)
