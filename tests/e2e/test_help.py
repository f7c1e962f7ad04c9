"""/help and the answer to anything else: never silence, one reply per message."""

from __future__ import annotations

import asyncio

from bot.chat.app import default_features, menu_commands
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, onboard, text_of


async def test_help_lists_the_registered_commands(stretchbot: RunningBot, person: SimUser) -> None:
    (reply,) = await Walkthrough(person).send("/help")
    for command in ("/start", "/settings", "/pause", "/resume", "/stop", "/export", "/delete"):
        assert command in text_of(reply)
    assert "not medical advice" in text_of(reply)
    assert reply.button_labels == ["▶️ Session now", "⚙️ Settings"]


async def test_before_subscribing_everything_points_to_start(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    (reply,) = await walk.send("good morning")
    assert (
        text_of(reply) == "Sorry, I didn't catch that. Send /start to set up your daily stretches."
    )
    (reply,) = await walk.send("/dance")
    assert text_of(reply).startswith("I don't know that command.")


async def test_once_subscribed_unclear_text_gets_the_menu(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    (reply,) = await walk.send("what now?")
    assert "didn't catch that" in text_of(reply)
    assert reply.button_labels == ["▶️ Session now", "⚙️ Settings"]
    await walk.tap("⚙️ Settings", message=reply)
    assert "Your settings" in text_of(walk.screen)
    assert walk.screen.message_id == reply.message_id  # the menu opens in place


async def test_a_command_gets_exactly_one_reply(stretchbot: RunningBot, person: SimUser) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    count = len(person.bot_messages())
    await walk.send("/settings")
    await asyncio.sleep(0.3)  # a second (fallback) reply would arrive by now
    assert len(person.bot_messages()) == count + 1


def test_the_menu_offers_every_command_that_works() -> None:
    """What setMyCommands receives at start-up (the e2e check is in test_onboarding)."""
    names = [command.command for command in menu_commands(default_features())]
    mine = ["start", "settings", "stop", "pause", "resume", "privacy", "export", "delete"]
    assert [name for name in names if name in mine] == mine
    assert names[-1] == "help"
    assert len(names) == len(set(names))
