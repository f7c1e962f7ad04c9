"""What the sandbox Telegram knows: people, chats, messages, files, callback queries.

Both sides change it: the bot through Bot API methods, people through the people API. Every
change is published on the event bus so waiting tests and the chat page see it at once.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.entities import Entity
from sandbox.events import ChatEvent, EventBus
from sandbox.markup import InlineKeyboard, ReplyKeyboard, ReplyMarkup
from sandbox.media import StoredFile
from sandbox.updates import UpdateQueue
from sandbox.validation import BotCommand

JSONDict = dict[str, Any]

FIRST_PERSON_ID = 700_000_001
FIRST_GROUP_ID = -4_000_000_001
FIRST_SUPERGROUP_ID = -1_002_000_000_001
FIRST_CHANNEL_ID = -1_003_000_000_001


@dataclass
class Person:
    """A Telegram account: a simulated person, or the bot itself."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    deactivated: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    horizontal_accuracy: float | None = None
    live_period: int | None = None


@dataclass
class StoredMessage:
    """One message as it is now; `version` grows with every edit."""

    chat_id: int
    message_id: int
    sender_id: int
    date: int
    text: str | None = None
    entities: tuple[Entity, ...] = ()
    caption: str | None = None
    caption_entities: tuple[Entity, ...] = ()
    source_html: str | None = None
    inline_keyboard: InlineKeyboard | None = None
    reply_markup: ReplyMarkup | None = None
    photo: StoredFile | None = None
    document: StoredFile | None = None
    location: Location | None = None
    reply_to_message_id: int | None = None
    silent: bool = False  # sent with disable_notification: no sound, no buzz
    new_chat_member_ids: tuple[int, ...] = ()
    content: JSONDict | None = None  # what people send besides text: sticker, voice, dice, ...
    edit_date: int | None = None
    version: int = 0
    deleted: bool = False


@dataclass
class Chat:
    """A private chat with one person, or a group the bot is in."""

    id: int
    type: str  # "private", "group", "supergroup" or "channel"
    title: str | None = None
    person_id: int | None = None
    member_ids: list[int] = field(default_factory=list)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    started: bool = False
    blocked: bool = False
    bot_is_admin: bool = False
    reply_keyboard: ReplyKeyboard | None = None
    reply_keyboard_hidden: bool = False
    action: str | None = None
    action_at: float | None = None

    def visible_messages(self) -> list[StoredMessage]:
        return [message for message in self.messages.values() if not message.deleted]


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to a button tap (answerCallbackQuery)."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None


@dataclass
class CallbackQueryRecord:
    id: str
    person_id: int
    chat_id: int
    message_id: int
    data: str
    created_at: float
    answer: CallbackAnswer | None = None
    inaccessible: bool = False  # the bot gets only chat and message id, date 0 (gone, or > 48 h)


class SandboxState:
    """The whole world of one sandbox server; no I/O, only bookkeeping and notifications."""

    def __init__(
        self,
        *,
        bot: Person,
        rng: random.Random,
        clock: Callable[[], float],
        monotonic: Callable[[], float],
        privacy_mode: bool = True,
        callback_query_ttl: float = 15.0,
    ) -> None:
        self.bot = bot
        self.rng = rng
        self.clock = clock
        self.monotonic = monotonic
        self.privacy_mode = privacy_mode
        self.callback_query_ttl = callback_query_ttl
        self.people: dict[int, Person] = {bot.id: bot}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        # The ones still waiting for an answer: crowds ask after them on every event, and a
        # scan of every query ever made grew with the run until it slowed the bot it judged.
        self.unanswered_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[BotCommand]] = {}
        self.updates = UpdateQueue(first_update_id=rng.randint(100_000_000, 900_000_000))
        self.events = EventBus()
        self._next_person_id = FIRST_PERSON_ID
        self._next_group_number = 0

    def now(self) -> int:
        """Unix time of the sandbox clock (injectable so tests can move time)."""
        return int(self.clock())

    # People and chats -------------------------------------------------------------------
    def add_person(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        person_id: int | None = None,
    ) -> Person:
        if person_id is None:
            while self._next_person_id in self.people:
                self._next_person_id += 1
            person_id = self._next_person_id
            self._next_person_id += 1
        if person_id in self.people:
            raise ValueError(f"a person with id {person_id} already exists")
        if person_id <= 0:
            raise ValueError("person ids are positive, like Telegram user ids")
        person = Person(person_id, first_name, last_name, username, language_code)
        self.people[person_id] = person
        self.chats[person_id] = Chat(id=person_id, type="private", person_id=person_id)
        return person

    def add_group(self, title: str, member_ids: list[int], *, supergroup: bool = False) -> Chat:
        self._next_group_number += 1
        first = FIRST_SUPERGROUP_ID if supergroup else FIRST_GROUP_ID
        chat_id = first - (self._next_group_number - 1)
        chat = Chat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            member_ids=list(member_ids),
        )
        self.chats[chat_id] = chat
        return chat

    def add_channel(self, title: str, member_ids: list[int]) -> Chat:
        """A channel the bot was made an administrator of (so it receives its posts)."""
        self._next_group_number += 1
        chat = Chat(
            id=FIRST_CHANNEL_ID - (self._next_group_number - 1),
            type="channel",
            title=title,
            member_ids=list(member_ids),
            bot_is_admin=True,
        )
        self.chats[chat.id] = chat
        return chat

    def chat(self, chat_id: int) -> Chat | None:
        return self.chats.get(chat_id)

    def find_chat(self, raw: int | str) -> Chat | None:
        """Resolve a chat_id parameter: a number, or @username of a person's chat."""
        if isinstance(raw, str) and raw.startswith("@"):
            wanted = raw[1:].lower()
            for person in self.people.values():
                if person.username and person.username.lower() == wanted and not person.is_bot:
                    return self.chats.get(person.id)
            return None
        try:
            return self.chats.get(int(raw))
        except ValueError:
            return None

    # Messages -----------------------------------------------------------------------------
    def add_message(self, chat: Chat, sender_id: int, **fields: Any) -> StoredMessage:
        message = StoredMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            sender_id=sender_id,
            date=self.now(),
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if sender_id == self.bot.id:
            chat.action = None
        self.events.publish(ChatEvent("message", chat.id, message.message_id))
        return message

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        chat = self.chats.get(chat_id)
        if chat is None:
            return None
        message = chat.messages.get(message_id)
        return None if message is None or message.deleted else message

    def edited(self, message: StoredMessage) -> None:
        """Record that `message` was just changed in place."""
        message.version += 1
        message.edit_date = self.now()
        self.events.publish(ChatEvent("edit", message.chat_id, message.message_id))

    def delete(self, message: StoredMessage) -> None:
        message.deleted = True
        self.events.publish(ChatEvent("delete", message.chat_id, message.message_id))

    # Files and identifiers ------------------------------------------------------------------
    def token(self, length: int) -> str:
        alphabet = string.ascii_letters + string.digits + "-_"
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def store_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        prefix = "AgAC" if kind == "photo" else "BQAC"
        stored = StoredFile(
            file_id=prefix + self.token(48),
            file_unique_id="AQAD" + self.token(12),
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            width=size[0] if size else None,
            height=size[1] if size else None,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        for stored in self.files.values():
            if stored.file_path == file_path:
                return stored
        return None

    def new_callback_query(
        self, person: Person, message: StoredMessage, data: str, *, inaccessible: bool = False
    ) -> CallbackQueryRecord:
        query_id = str(self.rng.randint(10**17, 10**19 - 1))
        record = CallbackQueryRecord(
            id=query_id,
            person_id=person.id,
            chat_id=message.chat_id,
            message_id=message.message_id,
            data=data,
            created_at=self.monotonic(),
            inaccessible=inaccessible,
        )
        self.callback_queries[query_id] = record
        self.unanswered_queries[query_id] = record
        return record

    def answer_query(self, record: CallbackQueryRecord, answer: CallbackAnswer) -> None:
        record.answer = answer
        self.unanswered_queries.pop(record.id, None)
