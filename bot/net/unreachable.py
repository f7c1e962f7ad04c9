"""Chats that told the bot it cannot write there, so it stops asking until the person is back.

Telegram answers 403 to every message for a person who blocked the bot, and a bot that keeps
trying only collects refusals: the reply to their next queued update, the hold's "Time!", the
reminder due a second later. After one 403, or a `my_chat_member` update saying the bot was
blocked, messages to that chat fail here, without a request, with the same `Forbidden`, so
every caller handles them as it already handles Telegram's.

A block ends when Telegram says the bot was unblocked (it always does, even when the person just
presses Start again), or when a message comes with an update id above the block's own update:
one written before the block (still queued when it came) proves nothing. A 403 for another
reason ("can't initiate conversation") ends with any message from the person. Update ids, not
clocks, decide: they are Telegram's own order. The memory is per process and bounded: a
restart or a forgotten chat costs at most one more 403.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from telegram.error import Forbidden

BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass
class _Refusal:
    message: str
    blocked: bool
    block_update_id: int | None = None  # the my_chat_member update that said so, once seen


class UnreachableChats:
    """The chats no message may be tried in, with what Telegram said about each."""

    def __init__(self, *, capacity: int = 100_000) -> None:
        self._capacity = capacity
        self._chats: OrderedDict[int, _Refusal] = OrderedDict()

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._chats

    def refused(self, chat_id: int, message: str) -> None:
        """Telegram refused a message to this chat with 403."""
        if chat_id not in self._chats:
            self._remember(chat_id, _Refusal(message, blocked="blocked" in message.lower()))

    def blocked(self, chat_id: int, update_id: int) -> None:
        """A `my_chat_member` update (`update_id`) says the person blocked the bot."""
        self._remember(chat_id, _Refusal(BLOCKED, blocked=True, block_update_id=update_id))

    def back(self, chat_id: int) -> None:
        """Telegram says the person unblocked the bot."""
        self._chats.pop(chat_id, None)

    def wrote(self, chat_id: int, update_id: int) -> None:
        """A message from the person: the chat is open again if it proves they are back."""
        known = self._chats.get(chat_id)
        if known is None:
            return
        if not known.blocked or (
            known.block_update_id is not None and update_id > known.block_update_id
        ):
            del self._chats[chat_id]

    def check(self, chat_id: int) -> None:
        """Raise Telegram's own `Forbidden` for a chat known to refuse, before any request."""
        known = self._chats.get(chat_id)
        if known is not None:
            raise Forbidden(known.message)

    def _remember(self, chat_id: int, refusal: _Refusal) -> None:
        self._chats[chat_id] = refusal
        self._chats.move_to_end(chat_id)
        while len(self._chats) > self._capacity:
            self._chats.popitem(last=False)
