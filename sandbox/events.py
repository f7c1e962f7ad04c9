"""Change notifications for chats, so waiting people and the chat page never poll.

Every change to a chat (new message, edit, deletion, chat action, callback answer, block) is
published once; people's `wait_*` helpers re-check their condition on each change, and the web
page receives the same events as a server-sent-events stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ChatEvent:
    """One change; `kind` is message, edit, delete, action, tap, callback_answer or member."""

    kind: str
    chat_id: int
    message_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            **self.data,
        }


class EventBus:
    """Fan-out of chat events to subscribers (queues) and to one-shot waiters (futures)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[ChatEvent | None]] = set()
        self._waiters: set[asyncio.Future[None]] = set()
        self._closed = False

    def publish(self, event: ChatEvent) -> None:
        for queue in self._queues:
            queue.put_nowait(event)
        self._wake()

    def poke(self) -> None:
        """Wake waiters without an event (state they look at changed in another way)."""
        self._wake()

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def subscribe(self) -> asyncio.Queue[ChatEvent | None]:
        """A queue of every future event; None marks the end (the server stopped)."""
        queue: asyncio.Queue[ChatEvent | None] = asyncio.Queue()
        if self._closed:
            queue.put_nowait(None)
        else:
            self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[ChatEvent | None]) -> None:
        self._queues.discard(queue)

    def close(self) -> None:
        """End every subscription; waiters get one last look."""
        self._closed = True
        for queue in self._queues:
            queue.put_nowait(None)
        self._queues.clear()
        self._wake()

    async def wait_for(self, check: Callable[[], T | None], timeout: float) -> T:  # noqa: ASYNC109
        """Return `check()` as soon as it is not None, re-checking after every change.

        Raises TimeoutError after `timeout` seconds.
        """
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout):
            while True:
                result = check()
                if result is not None:
                    return result
                waiter: asyncio.Future[None] = loop.create_future()
                self._waiters.add(waiter)
                try:
                    await waiter
                finally:
                    self._waiters.discard(waiter)
