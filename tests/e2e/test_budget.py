"""One send budget for the whole bot, with Telegram's flood limits on in the stand-in.

Reminders (the dispatcher) and replies (PTB's rate-limiter hook) draw from the same budget:
together they never ask for more than Telegram allows, and a person's reply goes before the
queued reminders instead of behind them.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.chat.texts import session as session_texts
from bot.config import Settings
from sandbox import RateLimits, SandboxServer, SimUser
from tests.dispatch.conftest import add_due, people
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import open_card, start_session, subscribe

DUE = 150


@pytest.fixture
def bot_settings(bot_settings: Settings) -> Settings:
    """Telegram's pacing: 30/s overall and one message a second per chat."""
    return bot_settings.model_copy(
        update={"rate_limit_global_per_second": 30.0, "rate_limit_per_chat_per_second": 1.0}
    )


async def _wait_for(check: object, timeout: float) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    assert callable(check)
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


def _reminders_sent(sandbox: SandboxServer, users: list[SimUser]) -> int:
    return sum(len(user.bot_messages()) for user in users)


async def test_replies_go_before_queued_reminders_and_nobody_gets_a_429(
    stretchbot: RunningBot, person: SimUser
) -> None:
    sandbox = stretchbot.sandbox
    sandbox.set_rate_limits(RateLimits())
    users = people(sandbox, DUE)
    await add_due(stretchbot.services.session_factory, users, stretchbot.clock())
    await _wait_for(lambda: _reminders_sent(sandbox, users) >= 1, timeout=10)
    started = time.monotonic()  # the first reminder is out: from here the budget is the limit
    await _wait_for(lambda: _reminders_sent(sandbox, users) >= 30, timeout=10)

    asked = time.monotonic()
    await person.send("/help")
    await _wait_for(lambda: person.bot_messages(), timeout=5)
    answered = time.monotonic() - asked
    queued_behind = DUE - _reminders_sent(sandbox, users)

    await _wait_for(lambda: _reminders_sent(sandbox, users) == DUE, timeout=20)
    drained = time.monotonic() - started

    refused = [call for call in sandbox.calls if call.status == 429]
    assert refused == []
    assert queued_behind > 30  # the reply did not wait for them: 1 s of budget each 30
    assert answered < 1.0
    assert drained < DUE / 30 * 1.05 + 1.0  # the reply took one turn; slack for a loaded CI
    assert [len(user.bot_messages()) for user in users] == [1] * DUE
    budget = stretchbot.services.budget
    assert budget.stats.flood_total == 0
    assert budget.stats.granted["reminder"] == DUE
    assert budget.stats.granted["person"] >= 1


async def test_a_tap_whose_edit_must_wait_for_its_chat_is_answered_before_the_edit(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """Telegram allows about one message a second per chat: a quick tapper's edit waits for
    its turn, and the button's spinner must not wait with it."""
    stretchbot.sandbox.set_rate_limits(RateLimits())
    await subscribe(stretchbot, person, "seated_progression")
    card = await open_card(person)
    step = await start_session(person, card)  # card edit + step message: the chat is spent
    version = step.version

    tap = await person.tap(session_texts.skip(), message=step)
    answer = await tap.answered(5)
    assert answer.text is None
    shown = person.message(step.message_id)
    assert shown is not None and shown.version == version, "answered only after the edit"
    moved = await person.wait_for_edit(step, timeout=5)
    assert moved.version > version
    assert [call for call in stretchbot.sandbox.calls if call.status == 429] == []
