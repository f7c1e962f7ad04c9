"""Keyboards for /delete."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.texts import privacy as texts

DELETE = "del"


def delete_confirm(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.delete_yes(), DELETE, "y")],
            [buttons.button(texts.delete_no(), DELETE, "n")],
        ]
    )
