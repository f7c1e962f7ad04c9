"""One entry point for every inline button: decode, dispatch by action, answer exactly once.

Feature modules register `action -> handler`; a handler returns an optional short notice that is
shown as the answer to the tap, unless the tap was answered early: when one of the handler's
messages has to wait for a turn of the send budget, the tap is answered at once without a notice
(`bot.net.ptb_limiter.ANSWER_EARLY`), so the button does not spin behind the queue. Malformed,
forged or foreign data never reaches a feature. A handler that fails gets its tap answered with
the apology here, and the error handler, which still logs the failure, sees that the query was
answered and answers nothing more: Telegram refuses a second answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping

from telegram import Message, Update
from telegram.error import BadRequest, NetworkError

from bot.chat.codec import Callback
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import common as texts
from bot.db.outage import is_outage
from bot.net.ptb_limiter import ANSWER_EARLY

logger = logging.getLogger(__name__)

CallbackHandlerFn = Callable[[Update, AnyContext, Callback], Awaitable[str | None]]
_ANSWERED_KEY = "router.answered_queries"
_HANDLED_KEY = "router.handled_taps"
# A second tap on the same button of the same message as it looked then, arriving right after
# the first was handled and before any other tap on that message, is a double tap (or a client's
# replay) made before the first edit landed: the person meant one tap. Later, on the message as
# edited since, or after another tap there, a tap counts.
_REPLAY_SECONDS = 2.0
_REMEMBERED = 10_000  # answered query ids kept; a query lives minutes, not hours
# A failed answer leaves the person's spinner turning until Telegram gives up on it; it is worth a
# second and a third try (an answer that did get through makes the next one a harmless 400).
_ANSWER_ATTEMPTS = 3
_ANSWER_RETRY_SECONDS = 0.25


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
            await answer_once(update, context, texts.button_expired())
            return

        if _is_replay(update, context):
            logger.info("double tap from user %s: handled once", query.from_user.id)
            await answer_once(update, context)
            return

        async def answer_early() -> None:
            await answer_once(update, context)

        early = ANSWER_EARLY.set(answer_early)
        try:
            notice = await handler(update, context, decoded)
        except Exception as error:
            # During an outage nothing was changed: the same button works a minute later.
            sorry = (
                texts.notes_unreachable_tap() if is_outage(error) else texts.something_went_wrong()
            )
            await answer_once(update, context, sorry)
            raise
        finally:
            ANSWER_EARLY.reset(early)
            _handled(update, context)
        if notice is not None and was_answered(update, context):
            logger.debug("tap answered early; its notice is not shown")
        await answer_once(update, context, notice)


def _tap_key(update: Update) -> tuple[tuple[object, ...], tuple[object, ...]] | None:
    """Where the tap was made (who, on which message) and what was tapped there, as it looked
    then (Telegram sends the message's text, buttons and edit date as they were at the tap)."""
    query = update.callback_query
    if query is None or query.message is None:
        return None
    message = query.message
    where: tuple[object, ...] = (query.from_user.id, message.chat.id, message.message_id)
    looked: tuple[object, ...] = (query.data, message.date)
    if isinstance(message, Message):
        markup = message.reply_markup.to_json() if message.reply_markup else None
        looked += (message.edit_date, message.text, markup)
    return where, looked


def _is_replay(update: Update, context: AnyContext) -> bool:
    """The same tap as the last one handled on this message, right after it. A message that
    went back to an earlier look (Who checked you? -> Not cleared -> Who checked you?) is tapped
    anew: another tap was handled there in between, so the person saw the edits land."""
    key = _tap_key(update)
    if key is None:
        return False
    where, looked = key
    handled: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], float]] = (
        context.bot_data.get(_HANDLED_KEY, {})
    )
    last = handled.get(where)
    return last is not None and last[0] == looked and time.monotonic() - last[1] < _REPLAY_SECONDS


def _handled(update: Update, context: AnyContext) -> None:
    key = _tap_key(update)
    if key is None:
        return
    where, looked = key
    handled: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], float]] = (
        context.bot_data.setdefault(_HANDLED_KEY, OrderedDict())
    )
    handled[where] = (looked, time.monotonic())
    handled.move_to_end(where)
    while len(handled) > _REMEMBERED:
        handled.popitem(last=False)


def was_answered(update: Update, context: AnyContext) -> bool:
    query = update.callback_query
    return query is not None and query.id in context.bot_data.get(_ANSWERED_KEY, {})


async def answer_once(update: Update, context: AnyContext, text: str | None = None) -> None:
    """Answer the update's callback query unless it was answered already (by anyone here)."""
    query = update.callback_query
    if query is None:
        return
    answered: OrderedDict[str, None] = context.bot_data.setdefault(_ANSWERED_KEY, OrderedDict())
    if query.id in answered:
        return
    answered[query.id] = None
    while len(answered) > _REMEMBERED:
        answered.popitem(last=False)
    for attempt in range(1, _ANSWER_ATTEMPTS + 1):
        try:
            await query.answer(text)
            return
        except BadRequest as error:  # too old (the bot was down), or an earlier try got through
            logger.info("could not answer callback: %s", error.message)
            return
        except NetworkError as error:  # 5xx, a dropped connection, a timeout: nothing was said
            if attempt == _ANSWER_ATTEMPTS:
                logger.warning("gave up answering a callback: %s", error.message)
                return
            await asyncio.sleep(_ANSWER_RETRY_SECONDS * attempt)
