"""Bot API JSON for users, chats, messages, callback queries and membership changes.

Field names and shapes follow the Bot API so python-telegram-bot's `de_json` reads them as it
reads Telegram's; fields without a value are left out, as Telegram leaves them out.
"""

from __future__ import annotations

from typing import Any

from sandbox.entities import Entity
from sandbox.state import CallbackQueryRecord, Chat, Person, SandboxState, StoredMessage

JSONDict = dict[str, Any]


def user_json(person: Person, *, full: bool = False) -> JSONDict:
    """A User; `full` adds the bot-only fields getMe returns."""
    data: JSONDict = {"id": person.id, "is_bot": person.is_bot, "first_name": person.first_name}
    if person.last_name:
        data["last_name"] = person.last_name
    if person.username:
        data["username"] = person.username
    if person.language_code and not person.is_bot:
        data["language_code"] = person.language_code
    if full and person.is_bot:
        data.update(
            {
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )
    return data


def chat_json(state: SandboxState, chat: Chat) -> JSONDict:
    if chat.type == "private" and chat.person_id is not None:
        person = state.people[chat.person_id]
        data: JSONDict = {"id": chat.id, "type": "private", "first_name": person.first_name}
        if person.last_name:
            data["last_name"] = person.last_name
        if person.username:
            data["username"] = person.username
        return data
    return {"id": chat.id, "type": chat.type, "title": chat.title or ""}


def entities_json(state: SandboxState, entities: tuple[Entity, ...]) -> list[JSONDict]:
    result: list[JSONDict] = []
    for entity in entities:
        user = None
        if entity.user_id is not None and entity.user_id in state.people:
            user = user_json(state.people[entity.user_id])
        result.append(entity.to_api(user))
    return result


def message_json(state: SandboxState, message: StoredMessage, *, nested: bool = False) -> JSONDict:
    """A Message as it is now (edits applied); `nested` omits the replied-to message."""
    chat = state.chats[message.chat_id]
    data: JSONDict = {"message_id": message.message_id}
    if chat.type == "channel":
        data["sender_chat"] = chat_json(state, chat)  # a channel post has no author
    else:
        data["from"] = user_json(state.people[message.sender_id])
    data["chat"] = chat_json(state, chat)
    data["date"] = message.date
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.reply_to_message_id is not None and not nested:
        replied = chat.messages.get(message.reply_to_message_id)
        if replied is not None and not replied.deleted:
            data["reply_to_message"] = message_json(state, replied, nested=True)
    if message.text is not None:
        data["text"] = message.text
        if message.entities:
            data["entities"] = entities_json(state, message.entities)
    if message.photo is not None:
        data["photo"] = message.photo.photo_sizes()
    if message.document is not None:
        data["document"] = message.document.document()
    if message.caption is not None:
        data["caption"] = message.caption
        if message.caption_entities:
            data["caption_entities"] = entities_json(state, message.caption_entities)
    if message.location is not None:
        location: JSONDict = {
            "latitude": message.location.latitude,
            "longitude": message.location.longitude,
        }
        if message.location.horizontal_accuracy is not None:
            location["horizontal_accuracy"] = message.location.horizontal_accuracy
        if message.location.live_period is not None:
            location["live_period"] = message.location.live_period
        data["location"] = location
    if message.content:
        data.update(message.content)
    if message.new_chat_member_ids:
        members = [user_json(state.people[member]) for member in message.new_chat_member_ids]
        data["new_chat_members"] = members
        data["new_chat_member"] = members[0]
        data["new_chat_participant"] = members[0]
    if message.inline_keyboard is not None:
        data["reply_markup"] = message.inline_keyboard.to_api()
    return data


def chat_instance(chat_id: int) -> str:
    """A stable opaque identifier of a chat, as callback queries carry it."""
    return str((abs(chat_id) * 2654435761 + 97) % (2**63))


def callback_query_json(state: SandboxState, record: CallbackQueryRecord) -> JSONDict:
    chat = state.chats[record.chat_id]
    message = chat.messages[record.message_id]
    shown = (
        {"chat": chat_json(state, chat), "message_id": record.message_id, "date": 0}
        if record.inaccessible
        else message_json(state, message)
    )
    return {
        "id": record.id,
        "from": user_json(state.people[record.person_id]),
        "message": shown,
        "chat_instance": chat_instance(record.chat_id),
        "data": record.data,
    }


def member_json(person: Person, status: str) -> JSONDict:
    data: JSONDict = {"user": user_json(person), "status": status}
    if status == "kicked":
        data["until_date"] = 0
    return data


def chat_member_updated_json(
    state: SandboxState, chat: Chat, actor: Person, old_status: str, new_status: str
) -> JSONDict:
    """The my_chat_member update Telegram sends when the bot's status in a chat changes."""
    return {
        "chat": chat_json(state, chat),
        "from": user_json(actor),
        "date": state.now(),
        "old_chat_member": member_json(state.bot, old_status),
        "new_chat_member": member_json(state.bot, new_status),
    }
