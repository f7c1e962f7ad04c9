"""Messages Telegram said are gone, so no later edit asks again.

A person can delete a bot message at any time; the edit that finds it missing is answered
"message to edit not found", and the screen is sent anew (`bot.chat.screens.edit_text`). But a
session's countdown, a second tap already queued, or a reminder's follow-up may still hold the
old message id and try it again, and Telegram refuses each of them. The rate limiter remembers
the messages it was told are gone and fails their next edits at once with Telegram's own
`BadRequest`, so callers handle them as before, without a request. Per process and bounded.
"""

from __future__ import annotations

from collections import OrderedDict

from telegram.error import BadRequest

# What Telegram says of a message no edit can ever reach again.
_FOR_GOOD = ("message to edit not found", "message can't be edited")


def is_gone_for_good(description: str) -> bool:
    text = description.lower()
    return any(reason in text for reason in _FOR_GOOD)


class GoneMessages:
    """(chat, message) pairs Telegram refused to edit for good, with what it said."""

    def __init__(self, *, capacity: int = 100_000) -> None:
        self._capacity = capacity
        self._messages: OrderedDict[tuple[int, int], str] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._messages

    def refused(self, chat_id: int, message_id: int, description: str) -> None:
        if not is_gone_for_good(description):
            return
        self._messages[(chat_id, message_id)] = description
        self._messages.move_to_end((chat_id, message_id))
        while len(self._messages) > self._capacity:
            self._messages.popitem(last=False)

    def check(self, chat_id: int, message_id: int) -> None:
        """Raise Telegram's own refusal for a message known to be gone, before any request."""
        description = self._messages.get((chat_id, message_id))
        if description is not None:
            raise BadRequest(description)
