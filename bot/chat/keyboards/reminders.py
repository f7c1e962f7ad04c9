"""The reminder's buttons: [Start] [In 30 min] [Not today] [I'm in pain] (see CHAT.md).

After a snooze or a skip the same message keeps only the buttons that still make sense, so an
old reminder never offers a second snooze.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.texts import common as common_texts
from bot.chat.texts import reminders as texts

logger = logging.getLogger(__name__)

# Callback actions (the router's contract; `start`, `now` and `pain` belong to the session).
SNOOZE = "snooze"
SKIP = "skip"
START = "start"
NOW = "now"
PAIN = "pain"
PAIN_FROM_REMINDER = "r"


def _start(buttons: Buttons, routine_id: str | None) -> InlineKeyboardButton:
    """Start this routine; without one (or with an id too long for callback data), open
    today's card instead, which picks the routine itself."""
    if routine_id is not None:
        try:
            return buttons.button(texts.start(), START, routine_id)
        except ValueError:
            logger.warning("routine id too long for a button; offering today's card instead")
    return buttons.button(texts.start(), NOW)


def reminder(
    buttons: Buttons,
    *,
    delivery_id: int,
    routine_id: str | None,
    snooze_minutes: int,
    can_snooze: bool,
) -> InlineKeyboardMarkup:
    second_row = [buttons.button(texts.not_today(), SKIP, delivery_id)]
    if can_snooze:
        second_row.insert(
            0, buttons.button(texts.snooze_button(snooze_minutes), SNOOZE, delivery_id)
        )
    return Buttons.markup(
        [
            [_start(buttons, routine_id)],
            second_row,
            [buttons.button(common_texts.in_pain(), PAIN, PAIN_FROM_REMINDER)],
        ]
    )


def after_snooze(buttons: Buttons, *, routine_id: str | None) -> InlineKeyboardMarkup:
    """Starting early and reporting pain still work; snoozing again waits for the next one."""
    return Buttons.markup(
        [
            [_start(buttons, routine_id)],
            [buttons.button(common_texts.in_pain(), PAIN, PAIN_FROM_REMINDER)],
        ]
    )


def after_skip(buttons: Buttons) -> InlineKeyboardMarkup:
    return Buttons.markup([[buttons.button(common_texts.in_pain(), PAIN, PAIN_FROM_REMINDER)]])
