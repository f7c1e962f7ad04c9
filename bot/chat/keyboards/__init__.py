"""Inline keyboards, one module per feature; every button goes through the callback codec."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.codec import CallbackCodec


class Buttons:
    """Builds signed buttons for one person, so a keyboard reads as labels and actions."""

    def __init__(self, codec: CallbackCodec, user_id: int) -> None:
        self._codec = codec
        self._user_id = user_id

    def button(self, label: str, action: str, *args: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=self._codec.encode(self._user_id, action, *args)
        )

    @staticmethod
    def markup(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([list(row) for row in rows if row])
