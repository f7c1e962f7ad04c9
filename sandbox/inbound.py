"""What people do, turned into stored messages and the updates Telegram would send the bot.

Messages get the entities Telegram adds (a `/start` is a bot_command entity), groups honour the
bot's privacy mode, taps become callback queries with fresh ids, and blocking or adding the bot
produces my_chat_member updates.
"""

from __future__ import annotations

from typing import Any

from sandbox.entities import find_automatic, slice_utf16
from sandbox.events import ChatEvent
from sandbox.markup import InlineButton
from sandbox.serialize import (
    callback_query_json,
    chat_member_updated_json,
    message_json,
)
from sandbox.state import (
    CallbackQueryRecord,
    Chat,
    Location,
    Person,
    SandboxState,
    StoredMessage,
)
from sandbox.validation import MAX_TEXT

JSONDict = dict[str, Any]


class SandboxUsageError(RuntimeError):
    """A simulated person tried something a real Telegram client would not let them do."""


def _check_can_write(state: SandboxState, person: Person, chat: Chat) -> None:
    if chat.type == "private":
        if chat.person_id != person.id:
            raise SandboxUsageError(f"{person.first_name} cannot write in another person's chat")
        if chat.blocked:
            raise SandboxUsageError(
                f"{person.first_name} has blocked the bot; unblock before writing to it"
            )
    elif person.id not in chat.member_ids:
        raise SandboxUsageError(f"{person.first_name} is not a member of {chat.title!r}")


def bot_receives(state: SandboxState, chat: Chat, message: StoredMessage) -> bool:
    """Whether the bot gets this group message (privacy mode rules; admins get everything)."""
    if chat.type == "private" or not state.privacy_mode or chat.bot_is_admin:
        return True
    if message.new_chat_member_ids:
        return True
    if message.reply_to_message_id is not None:
        replied = chat.messages.get(message.reply_to_message_id)
        if replied is not None and replied.sender_id == state.bot.id:
            return True
    text = message.text or message.caption or ""
    username = (state.bot.username or "").lower()
    for entity in message.entities:
        part = slice_utf16(text, entity.offset, entity.length)
        if entity.type == "bot_command":
            target = part.split("@", 1)[1].lower() if "@" in part else username
            if target == username:
                return True
        if entity.type == "mention" and part[1:].lower() == username:
            return True
    return False


def _deliver(state: SandboxState, chat: Chat, message: StoredMessage) -> None:
    if bot_receives(state, chat, message):
        state.updates.push("message", message_json(state, message))


def send_text(
    state: SandboxState,
    person: Person,
    chat: Chat,
    text: str,
    *,
    reply_to_message_id: int | None = None,
) -> StoredMessage:
    """A person writes `text` (commands included) in `chat`."""
    _check_can_write(state, person, chat)
    stripped = text.strip()
    if not stripped:
        raise SandboxUsageError("Telegram does not send empty messages")
    if len(stripped) > MAX_TEXT:
        raise SandboxUsageError("Telegram clients split texts over 4096 characters")
    if reply_to_message_id is not None and state.message(chat.id, reply_to_message_id) is None:
        raise SandboxUsageError(f"no message {reply_to_message_id} to reply to")
    chat.started = True
    if chat.reply_keyboard is not None and chat.reply_keyboard.one_time_keyboard:
        chat.reply_keyboard_hidden = True
    message = state.add_message(
        chat,
        person.id,
        text=stripped,
        entities=tuple(find_automatic(stripped)),
        reply_to_message_id=reply_to_message_id,
    )
    _deliver(state, chat, message)
    return message


def send_location(
    state: SandboxState,
    person: Person,
    chat: Chat,
    latitude: float,
    longitude: float,
    *,
    forged: bool = False,
) -> StoredMessage:
    """A shared location; Telegram keeps it within ±90/±180, a `forged` one need not be."""
    _check_can_write(state, person, chat)
    if not forged and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise SandboxUsageError("latitude must be within ±90 and longitude within ±180")
    chat.started = True
    message = state.add_message(chat, person.id, location=Location(latitude, longitude))
    _deliver(state, chat, message)
    return message


def send_content(
    state: SandboxState,
    person: Person,
    chat: Chat,
    content: JSONDict,
    *,
    caption: str | None = None,
) -> StoredMessage:
    """Anything but text: a sticker, photo, voice note, document, contact or dice (`content`
    holds the Bot API fields of that kind, e.g. {"sticker": {...}})."""
    _check_can_write(state, person, chat)
    chat.started = True
    message = state.add_message(chat, person.id, content=content, caption=caption)
    _deliver(state, chat, message)
    return message


def edit_text(state: SandboxState, person: Person, message: StoredMessage, text: str) -> None:
    """The person edits a text message they sent: the bot gets an edited_message."""
    chat = state.chats[message.chat_id]
    _check_can_write(state, person, chat)
    if message.sender_id != person.id or message.text is None:
        raise SandboxUsageError("people can edit only text messages they sent")
    stripped = text.strip()
    if not stripped:
        raise SandboxUsageError("Telegram does not keep an edit to an empty message")
    message.text, message.entities = stripped, tuple(find_automatic(stripped))
    state.edited(message)
    if bot_receives(state, chat, message):
        state.updates.push("edited_message", message_json(state, message))


def post_in_channel(state: SandboxState, author: Person, chat: Chat, text: str) -> StoredMessage:
    """An administrator posts in a channel the bot administers: a channel_post update."""
    if chat.type != "channel" or author.id not in chat.member_ids:
        raise SandboxUsageError(f"{author.first_name} cannot post in {chat.title!r}")
    message = state.add_message(chat, author.id, text=text, entities=tuple(find_automatic(text)))
    state.updates.push("channel_post", message_json(state, message))
    return message


def tap(
    state: SandboxState,
    person: Person,
    message: StoredMessage,
    button: InlineButton,
    *,
    inaccessible: bool = False,
) -> CallbackQueryRecord:
    """A person taps a callback button: a new callback query reaches the bot."""
    if button.callback_data is None:
        raise SandboxUsageError(f"button {button.text!r} is not a callback button")
    return send_callback(state, person, message, button.callback_data, inaccessible=inaccessible)


def send_callback(
    state: SandboxState,
    person: Person,
    message: StoredMessage,
    data: str,
    *,
    inaccessible: bool = False,
) -> CallbackQueryRecord:
    """A callback query with any `data` (a modified client can send what it likes) on
    `message`; `inaccessible` sends it as Telegram does for a message that is gone or older
    than 48 hours (chat, message id and date 0 only)."""
    chat = state.chats[message.chat_id]
    _check_can_write(state, person, chat)
    record = state.new_callback_query(person, message, data, inaccessible=inaccessible)
    state.updates.push("callback_query", callback_query_json(state, record))
    state.events.publish(
        ChatEvent("tap", chat.id, message.message_id, {"query_id": record.id, "by": person.id})
    )
    return record


def set_blocked(state: SandboxState, person: Person, blocked: bool) -> None:
    """Block or unblock the bot from the person's private chat (my_chat_member follows)."""
    chat = state.chats[person.id]
    if chat.blocked == blocked:
        return
    chat.blocked = blocked
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    state.updates.push("my_chat_member", chat_member_updated_json(state, chat, person, old, new))
    state.events.publish(ChatEvent("member", chat.id, data={"status": new}))


def add_bot_to_group(state: SandboxState, chat: Chat, by: Person) -> None:
    """The bot joins a group: the member update and the service message Telegram sends."""
    state.updates.push(
        "my_chat_member", chat_member_updated_json(state, chat, by, "left", "member")
    )
    message = state.add_message(chat, by.id, new_chat_member_ids=(state.bot.id,))
    _deliver(state, chat, message)
