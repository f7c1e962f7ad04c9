"""The two buttons under a step-up offer."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.texts import step_up as texts

# Callback action of this module (the router's contract): session id, then TAKE or KEEP.
ANSWER = "stepup"

TAKE = "t"
KEEP = "k"


def offer(buttons: Buttons, session_id: int, original: str) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.take_label(), ANSWER, session_id, TAKE)],
            [buttons.button(texts.keep_label(original), ANSWER, session_id, KEEP)],
        ]
    )
