"""Updates of different people run side by side; one person's updates run in arrival order.

PTB handles updates one at a time by default, so one slow reply (waiting for that chat's
send budget, or for the database) held up everybody's taps. With `concurrent_updates` PTB
starts each update at once; this processor adds the ordering a conversation needs: updates of
the same person (user, else chat) wait for each other, first come first served, so "Done" is
never applied before the "Start" tapped just before it. Hold timers take the session lock in
`bot.chat.practice` as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def person_key(update: object) -> int | None:
    """Whose update this is: the user's id, else the chat's; None for neither (run freely)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class _Turn:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` at once, never two of the same person at once."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, _Turn] = {}

    @property
    def people_waiting(self) -> int:
        """People with an update under way or queued (for tests and metrics)."""
        return len(self._turns)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = person_key(update)
        if key is None:
            await coroutine
            return
        turn = self._turns.get(key)
        if turn is None:
            turn = self._turns[key] = _Turn()
        turn.users += 1
        try:
            async with turn.lock:  # asyncio.Lock wakes waiters in the order they came
                await coroutine
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
