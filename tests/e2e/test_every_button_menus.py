"""Every button of the menus a subscriber opens by command (/help, /settings and each of its
pickers, /pause, /stop, /delete, /language): tapped once, twice at once, on a deleted message
and on one older than 48 h, each must end where a single tap does (`tests.e2e.crawl`)."""

from __future__ import annotations

import pytest

from bot.chat.texts import kindness as kindness_texts
from bot.chat.texts import settings as settings_texts
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.crawl import Screen, by_command, crawl, send_for, then_tap

pytestmark = pytest.mark.e2e


async def paused_settings(bot: RunningBot, person: SimUser) -> ChatMessage:
    """Paused for a week from /pause, then /settings (its menu offers Resume)."""
    await then_tap(by_command("/pause"), "1 week")(bot, person)
    return await send_for(person, "/settings", settings_texts.resume())


SETTINGS = by_command("/settings", settings_texts.edit_time())
SCREENS = [
    Screen("help", by_command("/help")),
    Screen("settings menu", SETTINGS),
    Screen("settings: zone", then_tap(SETTINGS, settings_texts.edit_zone())),
    Screen("settings: time", then_tap(SETTINGS, settings_texts.edit_time())),
    Screen("settings: days", then_tap(SETTINGS, settings_texts.edit_days())),
    Screen("settings: focus", then_tap(SETTINGS, settings_texts.edit_focus())),
    Screen("settings: level", then_tap(SETTINGS, settings_texts.edit_level())),
    Screen("settings: length", then_tap(SETTINGS, settings_texts.edit_length())),
    Screen("settings: pause", then_tap(SETTINGS, settings_texts.pause())),
    Screen("settings: quiet hours", then_tap(SETTINGS, kindness_texts.quiet_hours_button())),
    Screen("pause", by_command("/pause")),
    Screen("settings menu, paused", paused_settings),
    Screen("stop", by_command("/stop")),
    Screen("delete", by_command("/delete")),
    Screen("language", by_command("/language")),
]


@pytest.mark.parametrize("screen", SCREENS, ids=str)
async def test_every_button(stretchbot: RunningBot, screen: Screen) -> None:
    assert await crawl(stretchbot, screen)
