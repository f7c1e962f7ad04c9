"""A screen is what one bot message shows: HTML text and, perhaps, inline buttons.

`show` puts a screen where the conversation expects it: a tapped button's own message is edited
in place (no pile of old menus), anything typed gets a new message. Every edit of the bot goes
through `edit_text` or `clear_buttons`, which know Telegram's two harmless refusals: "message is
not modified" (a double tap asked for the screen it already shows: success) and a message that is
gone (deleted, too old, or never there: the caller sends the screen anew instead).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

AnyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
_GONE = (
    "message to edit not found",
    "message can't be edited",
    "there is no text in the message to edit",
    "message_id_invalid",
)


class Showable(Protocol):
    """Anything with a text and optional inline buttons (a `Screen`, an outcome's screen)."""

    @property
    def text(self) -> str: ...

    @property
    def markup(self) -> InlineKeyboardMarkup | None: ...


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None

    def with_note(self, note: str) -> Screen:
        """The same screen with a line on top (what was just saved, or a warning)."""
        return Screen(f"{note}\n\n{self.text}", self.markup) if note else self


def is_not_modified(error: BadRequest) -> bool:
    return "not modified" in error.message.lower()


def is_gone(error: BadRequest) -> bool:
    """The message cannot be edited any more: deleted, too old, or not the bot's text."""
    message = error.message.lower()
    return any(reason in message for reason in _GONE)


async def edit_text(
    bot: Bot,
    chat_id: int,
    message_id: int,
    screen: Showable,
    *,
    rate_limit_args: dict[str, Any] | None = None,
) -> bool:
    """Make message `message_id` show `screen`. True when it does now (edited, or it already
    did); False when the message is gone. Any other refusal is a bug and raises.
    `rate_limit_args` reach the bot's rate limiter, when it has one (a countdown's priority)."""
    try:
        # Plain Bot has no rate_limit_args parameter: pass it only where a limiter will read it.
        limiter_args: dict[str, Any] = {}
        if rate_limit_args is not None and isinstance(bot, ExtBot) and bot.rate_limiter:
            limiter_args["rate_limit_args"] = rate_limit_args
        await bot.edit_message_text(
            screen.text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=screen.markup,
            **limiter_args,
        )
    except BadRequest as error:
        if is_not_modified(error):
            logger.debug("message %s already shows this screen", message_id)
            return True
        if is_gone(error):
            logger.info("message %s is gone: %s", message_id, error.message)
            return False
        raise
    return True


async def show(update: Update, screen: Showable) -> None:
    """Edit the tapped message in place; for a typed message, a command, or a tapped message
    that is gone (deleted, older than 48 h), send the screen as a new message."""
    message = _tapped_message(update)
    bot = update.get_bot()
    if message is not None and await edit_text(bot, message.chat_id, message.message_id, screen):
        return
    await send(update, screen.text, screen.markup)


def out_of_reach(update: Update) -> int | None:
    """The id of the tapped message when Telegram no longer shows it to the bot (gone, or
    older than 48 hours): a screen that lives on it comes as a new message instead."""
    query = update.callback_query
    if query is None or query.message is None or _tapped_message(update) is not None:
        return None
    return query.message.message_id


def _tapped_message(update: Update) -> Message | None:
    """The message whose button was tapped, if the bot may still see it (Telegram sends
    date 0 for one that is gone or older than 48 hours)."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return None
    return query.message if query.message.is_accessible else None


async def clear_buttons(update: Update) -> None:
    """Take the buttons off the tapped message (already bare, or gone: nothing to do)."""
    message = _tapped_message(update)
    if message is None:
        return
    try:
        await update.get_bot().edit_message_reply_markup(
            chat_id=message.chat_id, message_id=message.message_id, reply_markup=None
        )
    except BadRequest as error:
        if not (is_not_modified(error) or is_gone(error)):
            raise
        logger.debug("buttons of message %s already gone: %s", message.message_id, error.message)


async def send(update: Update, text: str, markup: AnyMarkup | None = None) -> None:
    """A new message in the person's chat."""
    chat = update.effective_chat
    if chat is None:
        return
    await update.get_bot().send_message(
        chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup
    )
