"""The bot's update queue: update ids, allowed types, confirmation by offset, long polling.

Telegram keeps every update until the bot confirms it by asking for a higher offset, filters by
the last `allowed_updates` it was given, and lets only one getUpdates wait at a time (a newer
call ends the older one with 409). The same queue feeds webhook delivery.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sandbox.errors import bad_request, conflict

JSONDict = dict[str, Any]

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
# What Telegram sends when the bot never chose (or chose an empty list).
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

TAKEN_OVER = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class UpdateQueue:
    """Pending updates in order, with the long-poll and wake-up machinery around them."""

    def __init__(self, first_update_id: int) -> None:
        self._pending: list[JSONDict] = []
        self._next_id = first_update_id
        self.allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._waiters: set[asyncio.Future[None]] = set()
        self._poll_generation = 0
        self._closed = False
        self.listeners: list[Callable[[int, str, JSONDict], None]] = []

    @property
    def pending(self) -> list[JSONDict]:
        return list(self._pending)

    def push(self, kind: str, payload: JSONDict) -> int | None:
        """Queue an update of `kind`; None when the bot's allowed_updates excludes it."""
        if kind not in self.allowed:
            return None
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: payload})
        for listener in self.listeners:
            listener(update_id, kind, payload)
        self._wake()
        return update_id

    def set_allowed(self, raw: Any) -> None:
        """Apply `allowed_updates` (None keeps the previous choice, [] means the default)."""
        if raw is None:
            return
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise bad_request("can't parse allowed updates: expected an Array of String")
        chosen = frozenset(raw) & ALL_UPDATE_TYPES
        self.allowed = chosen or DEFAULT_UPDATE_TYPES

    def confirm(self, offset: int | None) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last -offset."""
        if offset is None or offset == 0:
            return
        if offset > 0:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        else:
            self._pending = self._pending[offset:]

    def clear(self) -> None:
        self._pending.clear()

    def first(self) -> JSONDict | None:
        return self._pending[0] if self._pending else None

    def close(self) -> None:
        """Release every waiting getUpdates (answering with what is there) for a fast stop."""
        self._closed = True
        self._wake()

    def poke(self) -> None:
        """Make waiters re-check (e.g. a webhook was set)."""
        self._wake()

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait_change(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Sleep until an update arrives, the queue is poked or closed, or `timeout` passes."""
        if self._closed:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(waiter)

    async def long_poll(
        self,
        *,
        offset: int | None,
        limit: int,
        timeout: float,  # noqa: ASYNC109
        webhook_set: Callable[[], bool],
    ) -> list[JSONDict]:
        """getUpdates: confirm, then answer at once or when something arrives or time is up."""
        if webhook_set():
            raise conflict(WEBHOOK_ACTIVE)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older poll learns it was taken over
        self.confirm(offset)
        limit = limit if 1 <= limit <= 100 else 100
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while True:
            if generation != self._poll_generation:
                raise conflict(TAKEN_OVER)
            if webhook_set():
                raise conflict(WEBHOOK_ACTIVE)
            batch = self._pending[:limit]
            remaining = deadline - loop.time()
            if batch or self._closed or remaining <= 0:
                return batch
            await self.wait_change(remaining)
