"""Telegram's rules for message texts, captions and bot commands, with its exact descriptions.

A text goes through the same steps as on Telegram: parse mode (HTML here), then trimming, then
the length limit, then the automatic entities. Whatever fails here fails with the words the bot
would read from Telegram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sandbox.entities import Entity, entities_from_api, merge_automatic, trim
from sandbox.errors import bad_request
from sandbox.html import HtmlParseError, parse_html

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


@dataclass(frozen=True)
class FormattedText:
    """A text as Telegram stores it, plus the HTML the bot sent (None for plain text)."""

    text: str
    entities: tuple[Entity, ...]
    source_html: str | None = None


def format_text(
    text: str | None,
    parse_mode: str | None,
    raw_entities: Any,
    *,
    caption: bool = False,
) -> FormattedText | None:
    """Apply parse mode, trimming and limits; a caption may be absent (None), a text may not."""
    what = "message caption" if caption else "message text"
    if text is None or text == "":
        if caption:
            return None
        raise bad_request(f"{what} is empty")
    source_html: str | None = None
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        try:
            plain, entities = parse_html(text)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        source_html = text
    elif mode in {"markdown", "markdownv2"}:
        raise bad_request(
            f"parse_mode {parse_mode} is not implemented by the sandbox; use HTML like the bot"
        )
    elif mode:
        raise bad_request("unsupported parse_mode")
    else:
        plain = text
        entities = []
        if raw_entities is not None:
            try:
                entities = entities_from_api(raw_entities, text)
            except ValueError as error:
                raise bad_request(str(error)) from None
    plain, entities = trim(plain, entities)
    if not plain:
        if caption:
            return None
        raise bad_request(f"{what} is empty")
    if len(plain) > (MAX_CAPTION if caption else MAX_TEXT):
        raise bad_request(f"{what.replace('message text', 'message')} is too long")
    return FormattedText(plain, tuple(merge_automatic(plain, entities)), source_html)


@dataclass(frozen=True)
class BotCommand:
    command: str
    description: str

    def to_api(self) -> dict[str, str]:
        return {"command": self.command, "description": self.description}


def parse_commands(raw: Any) -> list[BotCommand]:
    """Validate setMyCommands' `commands` like Telegram does."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request("can't parse commands JSON object")
    if len(raw) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    commands: list[BotCommand] = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        command = item.get("command")
        description = item.get("description")
        if not isinstance(command, str):
            raise bad_request("can't parse BotCommand: Can't find field \"command\"")
        if not isinstance(description, str):
            raise bad_request("can't parse BotCommand: Can't find field \"description\"")
        if not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not description.strip():
            raise bad_request("command description must be non-empty")
        if len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append(BotCommand(command, description))
    return commands
