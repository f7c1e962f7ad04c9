"""What every Bot API method needs: its context, the target chat, and who may post there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request, forbidden
from sandbox.params import Params
from sandbox.state import Chat, SandboxState
from sandbox.webhook import WebhookDeliverer


@dataclass
class MethodContext:
    """The server pieces a method may touch."""

    state: SandboxState
    webhook: WebhookDeliverer
    allow_http_webhook: bool = True


@dataclass(frozen=True)
class Described:
    """A result that Telegram sends with a `description` (setWebhook, deleteWebhook)."""

    result: Any
    description: str


Handler = Callable[[MethodContext, Params], Awaitable[Any]]


def target_chat(context: MethodContext, params: Params) -> Chat:
    """The chat named by `chat_id` (a number or @username), as Telegram resolves it."""
    raw = params.raw("chat_id")
    if raw is None or raw == "":
        raise bad_request("chat_id is empty")
    if isinstance(raw, bool) or not isinstance(raw, int | str | float):
        raise bad_request("chat not found")
    chat = context.state.find_chat(raw if isinstance(raw, str) else int(raw))
    if chat is None:
        raise bad_request("chat not found")
    return chat


def check_can_post(context: MethodContext, chat: Chat) -> None:
    """Refuse like Telegram when the person blocked the bot or never started it."""
    if chat.type != "private" or chat.person_id is None:
        return
    person = context.state.people[chat.person_id]
    if person.deactivated:
        raise forbidden("user is deactivated")
    if chat.blocked:
        raise forbidden("bot was blocked by the user")
    if not chat.started:
        raise forbidden("bot can't initiate conversation with a user")


def required_message_id(params: Params) -> int:
    message_id = params.integer("message_id", invalid="message identifier is not specified")
    if message_id is None or message_id <= 0:
        raise bad_request("message identifier is not specified")
    return message_id
