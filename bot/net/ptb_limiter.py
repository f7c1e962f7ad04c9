"""The chat side's rate limiter for PTB: every reply and edit draws from the bot's one budget.

Replaces PTB's `AIORateLimiter`, which keeps a second 30/s budget of its own (so chat and
reminders together asked Telegram for up to 60/s), ignores the per-chat limit, and pauses
every request on any 429 (DESIGN.md, "Pitfalls"). Here a message-sending call waits for a
`Priority.PERSON` turn of the shared `SendBudget`; calls that are not messages
(`answerCallbackQuery`, `getMe`, `setMyCommands`, ...) go straight through. A 429 is reported
to the budget (which pauses that chat, or everyone when many chats are refused) and the call
is retried up to `max_retries` times. A 403 marks the chat `unreachable` (`bot.net.unreachable`):
its next messages fail at once, without a request, until the person is back; an edit refused
because the message is gone marks that message (`bot.net.gone`) the same way.

A handler may pass `rate_limit_args={"priority": Priority.REMINDER}` for bulk work, or
`Priority.TICK` for a redraw that is better skipped than late: it never waits and is never
retried; without a free turn the call raises `BudgetBusy` before anything is sent.

A tap's answer does not wait for its edit: while a callback handler runs, `ANSWER_EARLY` holds
a way to answer its query, and a person's send that really has to wait for a turn (its chat's
or the overall budget is spent) answers the tap first, without a notice. Sends granted at once
leave the answer to the handler as before, notice and all.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import BaseRateLimiter

from bot import metrics
from bot.net.budget import BudgetBusy, OnQueue, Priority, SendBudget, retry_after_seconds
from bot.net.gone import GoneMessages
from bot.net.unreachable import UnreachableChats

logger = logging.getLogger(__name__)

# Bot API methods that put or change a message in a chat: these count against the budget.
_MESSAGE_PREFIXES = ("send", "edit", "copyMessage", "forwardMessage", "stopPoll")
_NOT_MESSAGES = frozenset({"sendChatAction"})

Result = bool | dict[str, Any] | list[dict[str, Any]]

ANSWER_EARLY: ContextVar[OnQueue | None] = ContextVar("stretchbot_answer_early", default=None)
"""Set by the callback router for its handler: answers the tap (once) without a notice."""

BEFORE_CALL: ContextVar[Callable[[], Coroutine[Any, Any, None]] | None] = ContextVar(
    "stretchbot_before_call", default=None
)
"""Set per update by the chat side: gives back what the update holds idle (its database
connection) before a call to Telegram, which may wait seconds for a turn of the budget."""


def counts_as_message(endpoint: str) -> bool:
    """True for calls Telegram's flood limits count (sendMessage, editMessageText, ...)."""
    return endpoint.startswith(_MESSAGE_PREFIXES) and endpoint not in _NOT_MESSAGES


class BudgetRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """PTB's rate-limiter hook on top of a `SendBudget` shared with the dispatcher."""

    def __init__(self, budget: SendBudget, *, max_retries: int = 3) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must not be negative")
        self.budget = budget
        self._max_retries = max_retries
        self.unreachable = UnreachableChats()
        self.gone = GoneMessages()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        await self.budget.close()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Result:
        counted = counts_as_message(endpoint)
        chat_id = data.get("chat_id") if counted else None
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        message_id = data.get("message_id") if endpoint.startswith("edit") else None
        if isinstance(chat_id, int):
            self.unreachable.check(chat_id)
            if isinstance(message_id, int):
                self.gone.check(chat_id, message_id)
        priority = Priority((rate_limit_args or {}).get("priority", Priority.PERSON))
        before = BEFORE_CALL.get()
        if before is not None:
            await before()
        attempt = 0
        while True:
            if counted and priority is Priority.TICK:
                if not await self.budget.try_acquire(chat_id, priority):
                    raise BudgetBusy(endpoint)
            elif counted:
                early = ANSWER_EARLY.get() if priority is Priority.PERSON else None
                await self.budget.acquire(chat_id, priority, on_queue=early)
            try:
                return await callback(*args, **kwargs)
            except Forbidden as error:
                if isinstance(chat_id, int):
                    self.unreachable.refused(chat_id, error.message)
                raise
            except BadRequest as error:
                if isinstance(chat_id, int) and isinstance(message_id, int):
                    self.gone.refused(chat_id, message_id, error.message)
                raise
            except RetryAfter as error:
                metrics.TELEGRAM_429.inc()
                wait = retry_after_seconds(error)
                if counted:
                    await self.budget.flooded(chat_id, wait, priority)
                else:  # not a message: wait it out alone, pause nobody else
                    self.budget.count_flood(priority)
                    await asyncio.sleep(wait)
                attempt += 1
                if attempt > self._max_retries or priority is Priority.TICK:
                    raise
                logger.info("Telegram asked %s to wait %.1fs (attempt %d)", endpoint, wait, attempt)
