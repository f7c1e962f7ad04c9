"""Reading a keyboard back in unit tests: each button as (label, action, args), row by row."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.codec import CallbackCodec
from bot.chat.keyboards import Buttons

USER = 4242
CODEC = CallbackCodec("123456:test-token")


def buttons(user_id: int = USER) -> Buttons:
    return Buttons(CODEC, user_id)


Row = list[tuple[str, str, tuple[str, ...]]]


def read(markup: InlineKeyboardMarkup | None, user_id: int = USER) -> list[Row]:
    """The rows of `markup`, every button decoded with the person's key (a forged or foreign
    button fails the test)."""
    assert markup is not None, "no keyboard"
    rows: list[Row] = []
    for row in markup.inline_keyboard:
        decoded: Row = []
        for button in row:
            assert isinstance(button.callback_data, str), button
            callback = CODEC.decode(user_id, button.callback_data)
            assert callback is not None, f"{button.text!r} does not decode"
            decoded.append((button.text, callback.action, callback.args))
        rows.append(decoded)
    return rows


def actions(markup: InlineKeyboardMarkup | None) -> list[list[str]]:
    """Just the actions, row by row: the shape of a keyboard."""
    return [[action for _, action, _ in row] for row in read(markup)]


def labels(markup: InlineKeyboardMarkup | None) -> list[str]:
    return [label for row in read(markup) for label, _, _ in row]
