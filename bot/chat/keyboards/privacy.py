"""Keyboards for /delete."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.texts import privacy as texts

DELETE = "del"


def delete_confirm(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.DELETE_YES, DELETE, "y")],
            [buttons.button(texts.DELETE_NO, DELETE, "n")],
        ]
    )
