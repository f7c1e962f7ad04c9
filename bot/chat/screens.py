"""A screen is what one bot message shows: HTML text and, perhaps, inline buttons.

`show` puts a screen where the conversation expects it: a tapped button's own message is edited
in place (no pile of old menus), anything typed gets a new message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

logger = logging.getLogger(__name__)

AnyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None

    def with_note(self, note: str) -> Screen:
        """The same screen with a line on top (what was just saved, or a warning)."""
        return Screen(f"{note}\n\n{self.text}", self.markup) if note else self


async def show(update: Update, screen: Screen) -> None:
    """Edit the tapped message in place; for a typed message or a command, send a new one."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            await query.edit_message_text(
                screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.markup
            )
        except BadRequest as error:
            # Tapping the same toggle twice quickly can ask for an identical edit: harmless.
            if "not modified" not in error.message.lower():
                raise
            logger.debug("message already shows this screen")
        return
    await send(update, screen.text, screen.markup)


async def send(update: Update, text: str, markup: AnyMarkup | None = None) -> None:
    """A new message in the person's chat."""
    chat = update.effective_chat
    if chat is None:
        return
    await update.get_bot().send_message(
        chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup
    )
