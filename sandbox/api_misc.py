"""Bot API methods about the bot itself: getMe, its command menus, files, close and logOut."""

from __future__ import annotations

import json
from typing import Any

from sandbox.api_common import Handler, MethodContext
from sandbox.errors import bad_request
from sandbox.params import Params
from sandbox.serialize import user_json
from sandbox.validation import parse_commands

SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)


async def get_me(context: MethodContext, params: Params) -> Any:
    return user_json(context.state.bot, full=True)


def _scope_key(params: Params) -> tuple[str, str]:
    """Commands are stored per (scope, language code), exactly as Telegram keys them."""
    scope = params.json("scope", invalid="can't parse BotCommandScope JSON object")
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("wrong bot command scope type specified")
    if scope["type"] in {"chat", "chat_administrators", "chat_member"} and "chat_id" not in scope:
        raise bad_request("chat_id is empty")
    language = params.string("language_code") or ""
    if language and not (len(language) == 2 and language.isalpha()):
        raise bad_request("invalid language code specified")
    return json.dumps(scope, sort_keys=True), language.lower()


async def set_my_commands(context: MethodContext, params: Params) -> Any:
    commands = parse_commands(params.json("commands", invalid="can't parse commands JSON object"))
    key = _scope_key(params)
    if commands:
        context.state.commands[key] = commands
    else:
        context.state.commands.pop(key, None)
    return True


async def get_my_commands(context: MethodContext, params: Params) -> Any:
    return [command.to_api() for command in context.state.commands.get(_scope_key(params), [])]


async def delete_my_commands(context: MethodContext, params: Params) -> Any:
    context.state.commands.pop(_scope_key(params), None)
    return True


async def get_file(context: MethodContext, params: Params) -> Any:
    file_id = params.string("file_id") or ""
    stored = context.state.files.get(file_id)
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.file()


async def close(context: MethodContext, params: Params) -> Any:
    return True


async def log_out(context: MethodContext, params: Params) -> Any:
    return True


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getFile": get_file,
    "close": close,
    "logOut": log_out,
}
