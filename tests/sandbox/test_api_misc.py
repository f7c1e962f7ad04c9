"""The bot's own settings: command menus per scope and language, files, close and logOut."""

from __future__ import annotations

import pytest
import telegram
from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest

from sandbox import SimUser
from tests.sandbox.helpers import RawApi


async def test_commands_are_kept_per_scope_and_language(
    bot: telegram.Bot, started: SimUser
) -> None:
    menu = [BotCommand("start", "Begin"), BotCommand("pain", "Report pain")]
    assert await bot.set_my_commands(menu)
    assert await bot.set_my_commands([BotCommand("start", "Los geht's")], language_code="de")
    assert await bot.set_my_commands(
        [BotCommand("today", "Today's routine")], scope=BotCommandScopeAllPrivateChats()
    )
    assert await bot.get_my_commands() == tuple(menu)
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["start"]
    private = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert [c.command for c in private] == ["today"]
    assert await bot.get_my_commands(scope=BotCommandScopeChat(started.id)) == ()
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["start"]


@pytest.mark.parametrize(
    ("command", "description", "expected"),
    [
        ("Start", "Begin", "Bad Request: BOT_COMMAND_INVALID"),
        ("/start", "Begin", "Bad Request: BOT_COMMAND_INVALID"),
        ("x" * 33, "Begin", "Bad Request: BOT_COMMAND_INVALID"),
        ("start", "", "Bad Request: command description must be non-empty"),
    ],
)
async def test_invalid_commands_are_refused(
    raw: RawApi, command: str, description: str, expected: str
) -> None:
    commands = [{"command": command, "description": description}]
    assert await raw.description("setMyCommands", commands=commands) == expected


async def test_invalid_command_via_ptb(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Stretch", "Upper case is not allowed")])


async def test_get_file_of_an_unknown_id(raw: RawApi) -> None:
    assert await raw.description("getFile", file_id="nope") == "Bad Request: invalid file_id"


async def test_close_and_log_out_succeed(bot: telegram.Bot) -> None:
    assert await bot.close() is True
    assert await bot.log_out() is True
