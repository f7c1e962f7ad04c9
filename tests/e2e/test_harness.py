"""The e2e harness itself: the real bot answers over HTTP, on both databases, and restarts."""

from __future__ import annotations

from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot


async def test_menu_commands_are_registered(stretchbot: RunningBot) -> None:
    assert stretchbot.app is not None
    menu = await stretchbot.app.bot.get_my_commands()
    assert {"start", "help"} <= {command.command for command in menu}


async def test_the_bot_survives_a_restart(stretchbot: RunningBot, person: SimUser) -> None:
    await stretchbot.restart()
    assert stretchbot.app is not None and stretchbot.app.running
