"""Simulated people: write, tap, share a location, block; read the chat as they see it.

End-to-end tests talk to the bot only through these objects. Reading is what a person sees now
(edits applied, deletions gone, current keyboards); waiting is event-driven and each
conversation keeps a read cursor, so `next_message()` never misses a reply that came early.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox import inbound
from sandbox.entities import Entity, render_html
from sandbox.inbound import SandboxUsageError
from sandbox.markup import ForceReply, InlineButton, RemoveKeyboard, ReplyKeyboard
from sandbox.state import CallbackAnswer, Chat, Person, SandboxState, StoredMessage

DEFAULT_TIMEOUT = 5.0
CHAT_ACTION_SECONDS = 5.0  # Telegram shows "typing…" for 5 s or until the next message


@dataclass(frozen=True)
class Button:
    """An inline button as the person sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ChatMessage:
    """A message as the person sees it at the moment it was read (a snapshot)."""

    message_id: int
    chat_id: int
    sender_id: int
    sender_name: str
    from_bot: bool
    date: int
    kind: str  # text, photo, document, location, sticker, voice, contact, dice or service
    text: str | None  # the text, or the caption of a photo or document
    html: str | None  # the same with formatting, in Telegram's HTML dialect
    entities: tuple[Entity, ...]
    buttons: tuple[tuple[Button, ...], ...]
    reply_keyboard: tuple[tuple[str, ...], ...] | None  # a reply keyboard this message brought
    removes_keyboard: bool
    forces_reply: bool
    photo: bytes | None
    document: bytes | None
    document_name: str | None
    location: tuple[float, float] | None
    reply_to_message_id: int | None
    edited: bool
    version: int
    silent: bool = False
    """Sent with `disable_notification`: it arrived without a sound."""

    @property
    def button_labels(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    def button(self, label: str) -> Button:
        for row in self.buttons:
            for button in row:
                if button.text == label:
                    return button
        raise KeyError(f"no button {label!r} on message {self.message_id}: {self.button_labels}")

    def to_json(self) -> dict[str, Any]:
        """The shape the web chat page reads."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "sender_id": self.sender_id,
            "sender_name": self.sender_name,
            "from_bot": self.from_bot,
            "date": self.date,
            "kind": self.kind,
            "text": self.text,
            "html": self.html,
            "buttons": [
                [{"text": b.text, "callback_data": b.callback_data, "url": b.url} for b in row]
                for row in self.buttons
            ],
            "reply_keyboard": [list(row) for row in self.reply_keyboard]
            if self.reply_keyboard is not None
            else None,
            "removes_keyboard": self.removes_keyboard,
            "has_photo": self.photo is not None,
            "document_name": self.document_name,
            "location": list(self.location) if self.location else None,
            "reply_to_message_id": self.reply_to_message_id,
            "edited": self.edited,
            "version": self.version,
            "silent": self.silent,
        }


def _button(button: InlineButton) -> Button:
    return Button(button.text, button.callback_data, button.url)


def view(state: SandboxState, message: StoredMessage) -> ChatMessage:
    """Snapshot a stored message as its reader sees it."""
    sender = state.people[message.sender_id]
    text = message.text if message.text is not None else message.caption
    entities = message.entities if message.text is not None else message.caption_entities
    keyboard = message.inline_keyboard
    markup = message.reply_markup
    if message.photo is not None:
        kind = "photo"
    elif message.document is not None:
        kind = "document"
    elif message.location is not None:
        kind = "location"
    elif message.content:
        kind = next(iter(message.content))  # sticker, voice, contact, dice, ...
    elif message.text is not None:
        kind = "text"
    else:
        kind = "service"
    return ChatMessage(
        message_id=message.message_id,
        chat_id=message.chat_id,
        sender_id=sender.id,
        sender_name=sender.full_name,
        from_bot=sender.id == state.bot.id,
        date=message.date,
        kind=kind,
        text=text,
        html=render_html(text, entities) if text is not None else None,
        entities=entities,
        buttons=tuple(tuple(_button(b) for b in row) for row in keyboard.rows) if keyboard else (),
        reply_keyboard=tuple(tuple(b.text for b in row) for row in markup.rows)
        if isinstance(markup, ReplyKeyboard)
        else None,
        removes_keyboard=isinstance(markup, RemoveKeyboard),
        forces_reply=isinstance(markup, ForceReply),
        photo=message.photo.data if message.photo else None,
        document=message.document.data if message.document else None,
        document_name=message.document.file_name if message.document else None,
        location=(message.location.latitude, message.location.longitude)
        if message.location
        else None,
        reply_to_message_id=message.reply_to_message_id,
        edited=message.edit_date is not None,
        version=message.version,
        silent=message.silent,
    )


class Tap:
    """One button tap (a callback query); the bot's answer arrives later."""

    def __init__(self, state: SandboxState, query_id: str, message_id: int, data: str) -> None:
        self._state = state
        self.query_id = query_id
        self.message_id = message_id
        self.data = data

    @property
    def answer(self) -> CallbackAnswer | None:
        return self._state.callback_queries[self.query_id].answer

    async def answered(self, timeout: float = DEFAULT_TIMEOUT) -> CallbackAnswer:  # noqa: ASYNC109
        """Wait for answerCallbackQuery (every tap should get one, or the button spins)."""
        try:
            return await self._state.events.wait_for(lambda: self.answer, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"the bot did not answer the tap on {self.data!r} within {timeout} s"
            ) from None


class Conversation:
    """Reading and waiting on one chat; shared by private chats and groups."""

    def __init__(self, state: SandboxState, chat: Chat) -> None:
        self._state = state
        self._chat = chat
        self._read_up_to = max(chat.messages, default=0)

    @property
    def chat_id(self) -> int:
        return self._chat.id

    def chat(self) -> list[ChatMessage]:
        """Every visible message, oldest first, as it is now."""
        return [view(self._state, message) for message in self._chat.visible_messages()]

    def bot_messages(self) -> list[ChatMessage]:
        return [message for message in self.chat() if message.from_bot]

    def recent_bot_messages(self, count: int) -> list[ChatMessage]:
        """The bot's last `count` visible messages, oldest first, without viewing the whole
        chat (a crowd asks on every tap; a long chat made that the run's cost)."""
        found: list[ChatMessage] = []
        for message in reversed(self._chat.messages.values()):
            if len(found) == count:
                break
            if not message.deleted and message.sender_id == self._state.bot.id:
                found.append(view(self._state, message))
        return found[::-1]

    def last_bot_message(self) -> ChatMessage | None:
        messages = self.bot_messages()
        return messages[-1] if messages else None

    def message(self, message_id: int) -> ChatMessage | None:
        stored = self._state.message(self._chat.id, message_id)
        return view(self._state, stored) if stored is not None else None

    @property
    def reply_keyboard(self) -> tuple[tuple[str, ...], ...] | None:
        """The reply keyboard under the input field now (None when there is none)."""
        keyboard = self._chat.reply_keyboard
        if keyboard is None:
            return None
        return tuple(tuple(button.text for button in row) for row in keyboard.rows)

    @property
    def chat_action(self) -> str | None:
        """What the header shows now, e.g. "typing" after sendChatAction."""
        chat = self._chat
        if chat.action is None or chat.action_at is None:
            return None
        if self._state.monotonic() - chat.action_at > CHAT_ACTION_SECONDS:
            return None
        return chat.action

    def unread(self) -> list[ChatMessage]:
        """Bot messages after the read cursor (without moving it)."""
        return [m for m in self.bot_messages() if m.message_id > self._read_up_to]

    def mark_read(self) -> None:
        self._read_up_to = max(self._chat.messages, default=0)

    def transcript(self) -> str:
        """The chat as text, for failure messages."""
        lines = []
        for message in self.chat():
            who = "bot" if message.from_bot else message.sender_name
            edited = " (edited)" if message.edited else ""
            buttons = f" {message.button_labels}" if message.buttons else ""
            lines.append(f"  #{message.message_id} {who}{edited}: {message.text!r}{buttons}")
        return "\n".join(lines) or "  (empty)"

    async def _wait(self, check: Callable[[], Any], timeout: float, what: str) -> Any:  # noqa: ASYNC109
        try:
            return await self._state.events.wait_for(check, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"no {what} within {timeout} s in chat {self._chat.id}; chat so far:\n"
                f"{self.transcript()}"
            ) from None

    async def wait_for_message(
        self,
        predicate: Callable[[ChatMessage], bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> ChatMessage:
        """The first unread bot message matching `predicate`; everything up to it is read."""

        def check() -> ChatMessage | None:
            for message in self._chat.visible_messages():
                if message.message_id <= self._read_up_to or message.sender_id != self._bot_id:
                    continue
                seen = view(self._state, message)
                if predicate is None or predicate(seen):
                    return seen
            return None

        found: ChatMessage = await self._wait(check, timeout, "matching message from the bot")
        self._read_up_to = found.message_id
        return found

    async def next_message(self, timeout: float = DEFAULT_TIMEOUT) -> ChatMessage:  # noqa: ASYNC109
        """The next unread message from the bot (it may have arrived already)."""
        return await self.wait_for_message(None, timeout)

    async def wait_for_edit(
        self,
        message: ChatMessage,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> ChatMessage:
        """The message once it has changed since the snapshot `message` was taken."""

        def check() -> ChatMessage | None:
            stored = self._chat.messages.get(message.message_id)
            if stored is None or stored.deleted or stored.version == message.version:
                return None
            return view(self._state, stored)

        found: ChatMessage = await self._wait(check, timeout, f"edit of #{message.message_id}")
        return found

    async def wait_for_deletion(self, message_id: int, timeout: float = DEFAULT_TIMEOUT) -> None:  # noqa: ASYNC109
        def check() -> bool | None:
            stored = self._chat.messages.get(message_id)
            return True if stored is None or stored.deleted else None

        await self._wait(check, timeout, f"deletion of #{message_id}")

    async def wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> None:
        """Wait until `condition()` holds; it is re-checked after every change in the sandbox."""
        await self._wait(lambda: True if condition() else None, timeout, "fulfilled condition")

    @property
    def _bot_id(self) -> int:
        return self._state.bot.id

    def _find_button(
        self, label: str | None, data: str | None, message: ChatMessage | int | None
    ) -> tuple[StoredMessage, InlineButton]:
        if label is None and data is None:
            raise ValueError("name the button by its label or by its callback data")
        if message is not None:
            message_id = message if isinstance(message, int) else message.message_id
            stored = self._state.message(self._chat.id, message_id)
            candidates = [stored] if stored is not None else []
        else:
            candidates = list(reversed(self._chat.visible_messages()))
        for stored in candidates:
            if stored.inline_keyboard is None:
                continue
            for row in stored.inline_keyboard.rows:
                for button in row:
                    if (label is None or button.text == label) and (
                        data is None or button.callback_data == data
                    ):
                        return stored, button
        wanted = label if label is not None else f"data={data!r}"
        raise SandboxUsageError(
            f"no inline button {wanted!r} in chat {self._chat.id}; chat so far:\n"
            f"{self.transcript()}"
        )

    def _tap(
        self,
        person: Person,
        label: str | None,
        data: str | None,
        message: ChatMessage | int | None,
    ) -> Tap:
        stored, button = self._find_button(label, data, message)
        record = inbound.tap(self._state, person, stored, button)
        return Tap(self._state, record.id, stored.message_id, record.data)

    def _callback(
        self,
        person: Person,
        data: str,
        message: ChatMessage | int | None,
        *,
        inaccessible: bool = False,
    ) -> Tap:
        if message is None:
            newest = self.last_bot_message()
            if newest is None:
                raise SandboxUsageError("the bot has sent nothing to tap on yet")
            message = newest
        message_id = message if isinstance(message, int) else message.message_id
        stored = self._chat.messages.get(message_id)
        if stored is None:
            raise SandboxUsageError(f"no message {message_id} in chat {self._chat.id}")
        record = inbound.send_callback(self._state, person, stored, data, inaccessible=inaccessible)
        return Tap(self._state, record.id, message_id, data)

    def _taps(
        self,
        person: Person,
        label: str | None,
        data: str | None,
        message: ChatMessage | int | None,
        times: int,
    ) -> list[Tap]:
        """`times` callback queries for one button, queued at once (a nervous double tap, or
        a client retrying): the bot sees them all before it could change the message."""
        stored, button = self._find_button(label, data, message)
        records = [inbound.tap(self._state, person, stored, button) for _ in range(times)]
        return [Tap(self._state, r.id, stored.message_id, r.data) for r in records]


class SimUser(Conversation):
    """A simulated person and their private chat with the bot."""

    def __init__(self, state: SandboxState, person: Person) -> None:
        super().__init__(state, state.chats[person.id])
        self.person = person

    @property
    def id(self) -> int:
        return self.person.id

    @property
    def first_name(self) -> str:
        return self.person.first_name

    @property
    def blocked(self) -> bool:
        return self._chat.blocked

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """The bot's answers to this person's taps, in the order of the taps."""
        return [
            record.answer
            for record in self._state.callback_queries.values()
            if record.person_id == self.person.id and record.answer is not None
        ]

    async def send(self, text: str, *, reply_to: ChatMessage | int | None = None) -> ChatMessage:
        """Write to the bot; a leading /command becomes a bot_command entity as on Telegram."""
        reply_id = reply_to.message_id if isinstance(reply_to, ChatMessage) else reply_to
        stored = inbound.send_text(
            self._state, self.person, self._chat, text, reply_to_message_id=reply_id
        )
        await asyncio.sleep(0)
        return view(self._state, stored)

    async def press(self, label: str) -> ChatMessage:
        """Press a button of the reply keyboard (it sends its label as a message)."""
        keyboard = self.reply_keyboard
        if keyboard is None or not any(label in row for row in keyboard):
            raise SandboxUsageError(f"no reply keyboard button {label!r}; keyboard: {keyboard}")
        return await self.send(label)

    async def share_location(
        self, latitude: float, longitude: float, *, forged: bool = False
    ) -> ChatMessage:
        """Share a location; `forged` lets it lie outside ±90/±180 (a modified client)."""
        stored = inbound.send_location(
            self._state, self.person, self._chat, latitude, longitude, forged=forged
        )
        await asyncio.sleep(0)
        return view(self._state, stored)

    async def _send_content(
        self, content: dict[str, Any], caption: str | None = None
    ) -> ChatMessage:
        stored = inbound.send_content(
            self._state, self.person, self._chat, content, caption=caption
        )
        await asyncio.sleep(0)
        return view(self._state, stored)

    def _file(self, prefix: str) -> dict[str, Any]:
        return {
            "file_id": prefix + self._state.token(40),
            "file_unique_id": "AgAD" + self._state.token(12),
        }

    async def send_sticker(self, emoji: str = "👍") -> ChatMessage:
        sticker = {
            **self._file("CAACAgIAAxkBAA"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self._send_content({"sticker": sticker})

    async def send_photo(self, caption: str | None = None) -> ChatMessage:
        sizes = [
            {**self._file("AgACAgIAAxkBAA"), "width": 90, "height": 67, "file_size": 1400},
            {**self._file("AgACAgIAAxkBAA"), "width": 1280, "height": 960, "file_size": 98_000},
        ]
        return await self._send_content({"photo": sizes}, caption)

    async def send_voice(self, seconds: int = 4) -> ChatMessage:
        voice = {**self._file("AwACAgIAAxkBAA"), "duration": seconds, "mime_type": "audio/ogg"}
        return await self._send_content({"voice": voice})

    async def send_document(
        self, file_name: str = "notes.pdf", caption: str | None = None
    ) -> ChatMessage:
        document = {**self._file("BQACAgIAAxkBAA"), "file_name": file_name, "file_size": 20_480}
        return await self._send_content({"document": document}, caption)

    async def send_contact(
        self, phone: str = "+44 20 7946 0958", first_name: str = "Sam"
    ) -> ChatMessage:
        return await self._send_content(
            {"contact": {"phone_number": phone, "first_name": first_name}}
        )

    async def send_dice(self, emoji: str = "🎲") -> ChatMessage:
        top = 64 if emoji == "🎰" else 5 if emoji in ("🏀", "⚽") else 6
        value = self._state.rng.randint(1, top)
        return await self._send_content({"dice": {"emoji": emoji, "value": value}})

    async def edit(self, message: ChatMessage | int, text: str) -> ChatMessage:
        """Edit a text message this person sent (the bot gets an edited_message)."""
        message_id = message if isinstance(message, int) else message.message_id
        stored = self._state.message(self._chat.id, message_id)
        if stored is None:
            raise SandboxUsageError(f"no message {message_id} to edit")
        inbound.edit_text(self._state, self.person, stored, text)
        await asyncio.sleep(0)
        return view(self._state, stored)

    async def tap(
        self,
        label: str | None = None,
        *,
        data: str | None = None,
        message: ChatMessage | int | None = None,
    ) -> Tap:
        """Tap an inline button, found by label (or callback data) on the newest message having
        it, or on `message`."""
        tap = self._tap(self.person, label, data, message)
        await asyncio.sleep(0)
        return tap

    async def tap_data(
        self,
        data: str,
        *,
        message: ChatMessage | int | None = None,
        inaccessible: bool = False,
    ) -> Tap:
        """A callback query with any data (forged, or copied from someone else's button) on
        `message` (default: the bot's newest message)."""
        tap = self._callback(self.person, data, message, inaccessible=inaccessible)
        await asyncio.sleep(0)
        return tap

    async def tap_inaccessible(
        self,
        label: str | None = None,
        *,
        data: str | None = None,
        message: ChatMessage | int | None = None,
    ) -> Tap:
        """Tap a button on a message Telegram no longer shows the bot (gone, or older than
        48 h): the update carries only chat, message id and date 0."""
        stored, button = self._find_button(label, data, message)
        record = inbound.tap(self._state, self.person, stored, button, inaccessible=True)
        await asyncio.sleep(0)
        return Tap(self._state, record.id, stored.message_id, record.data)

    async def tap_then_delete(
        self,
        label: str | None = None,
        *,
        data: str | None = None,
        message: ChatMessage | int | None = None,
    ) -> Tap:
        """Tap, then delete the message for both sides before the bot acts on the tap, so
        its edit finds nothing ("message to edit not found")."""
        stored, button = self._find_button(label, data, message)
        record = inbound.tap(self._state, self.person, stored, button)
        self._state.delete(stored)
        await asyncio.sleep(0)
        return Tap(self._state, record.id, stored.message_id, record.data)

    async def double_tap(
        self,
        label: str | None = None,
        *,
        data: str | None = None,
        message: ChatMessage | int | None = None,
        times: int = 2,
    ) -> list[Tap]:
        """Tap the same button `times` times within a millisecond (before any edit lands)."""
        taps = self._taps(self.person, label, data, message, times)
        await asyncio.sleep(0)
        return taps

    async def block(self) -> None:
        """Block the bot: its messages now fail with 403; the bot gets my_chat_member."""
        inbound.set_blocked(self._state, self.person, True)
        await asyncio.sleep(0)

    async def unblock(self) -> None:
        inbound.set_blocked(self._state, self.person, False)
        await asyncio.sleep(0)

    async def send_then_block(self, *texts: str) -> None:
        """Write `texts` and block the bot before it has read any of them, so every reply it
        makes meets the block (someone who fires off a few lines and blocks in a hurry)."""
        for text in texts:
            inbound.send_text(self._state, self.person, self._chat, text)
        inbound.set_blocked(self._state, self.person, True)
        await asyncio.sleep(0)


class SimChannel(Conversation):
    """A channel the bot administers; its posts reach the bot as channel_post updates."""

    @property
    def id(self) -> int:
        return self._chat.id

    async def post(self, author: SimUser, text: str) -> ChatMessage:
        stored = inbound.post_in_channel(self._state, author.person, self._chat, text)
        await asyncio.sleep(0)
        return view(self._state, stored)


class SimGroup(Conversation):
    """A group chat with the bot and some simulated people."""

    def __init__(self, state: SandboxState, chat: Chat) -> None:
        super().__init__(state, chat)

    @property
    def id(self) -> int:
        return self._chat.id

    @property
    def title(self) -> str:
        return self._chat.title or ""

    async def send(
        self, user: SimUser, text: str, *, reply_to: ChatMessage | int | None = None
    ) -> ChatMessage:
        """`user` writes in the group; the bot gets it if its privacy mode lets it."""
        reply_id = reply_to.message_id if isinstance(reply_to, ChatMessage) else reply_to
        stored = inbound.send_text(
            self._state, user.person, self._chat, text, reply_to_message_id=reply_id
        )
        await asyncio.sleep(0)
        return view(self._state, stored)

    async def tap(
        self,
        user: SimUser,
        label: str | None = None,
        *,
        data: str | None = None,
        message: ChatMessage | int | None = None,
    ) -> Tap:
        tap = self._tap(user.person, label, data, message)
        await asyncio.sleep(0)
        return tap
