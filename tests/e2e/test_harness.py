"""The e2e harness itself: the real bot answers over HTTP, on both databases, and restarts."""

from __future__ import annotations

from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of


async def test_menu_commands_are_registered(stretchbot: RunningBot) -> None:
    assert stretchbot.app is not None
    menu = await stretchbot.app.bot.get_my_commands()
    assert {"start", "help"} <= {command.command for command in menu}


async def test_a_subscription_survives_a_restart(stretchbot: RunningBot, person: SimUser) -> None:
    """Nothing a person set lives only in memory: after a restart the bot still knows them."""
    walk = Walkthrough(person)
    await onboard(walk)
    before = await subscriber_of(stretchbot, person)
    assert before is not None

    await stretchbot.restart()

    after = await subscriber_of(stretchbot, person)
    assert after is not None
    assert (after.id, after.status, after.timezone) == (before.id, before.status, before.timezone)
    await walk.send("/settings")
    assert "Next reminder: today (Tuesday) 07:30 (Europe/Berlin)" in text_of(walk.screen)
