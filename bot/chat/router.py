"""One entry point for every inline button: decode, dispatch by action, always answer.

Feature modules register `action -> handler`; a handler returns an optional short notice that is
shown as the answer to the tap. Malformed, forged or foreign data never reaches a feature.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from telegram import Update
from telegram.error import BadRequest

from bot.chat.codec import Callback
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import common as texts

logger = logging.getLogger(__name__)

CallbackHandlerFn = Callable[[Update, AnyContext, Callback], Awaitable[str | None]]


class CallbackRouter:
    def __init__(self) -> None:
        self._routes: dict[str, CallbackHandlerFn] = {}

    def add(self, routes: Mapping[str, CallbackHandlerFn]) -> None:
        for action, handler in routes.items():
            if action in self._routes:
                raise ValueError(f"callback action registered twice: {action}")
            self._routes[action] = handler

    async def __call__(self, update: Update, context: AnyContext) -> None:
        query = update.callback_query
        if query is None:
            return
        decoded = services_of(context).codec.decode(query.from_user.id, query.data)
        handler = self._routes.get(decoded.action) if decoded else None
        if decoded is None or handler is None:
            logger.info("expired or foreign button from user %s", query.from_user.id)
            await _answer(update, texts.BUTTON_EXPIRED)
            return
        notice: str | None = None
        try:
            notice = await handler(update, context, decoded)
        finally:
            await _answer(update, notice)


async def _answer(update: Update, text: str | None) -> None:
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text)
    except BadRequest as error:  # answered already, or too old: nothing more to do
        logger.debug("could not answer callback: %s", error.message)
