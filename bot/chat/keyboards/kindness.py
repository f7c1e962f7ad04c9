"""Buttons of kinder reminders: days-or-pause after many skips (the quiet switch is in the
settings menu, `settings.QUIET`)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.keyboards import reminders as reminder_keyboards
from bot.chat.keyboards import settings as settings_keyboards
from bot.chat.texts import common as common_texts
from bot.chat.texts import kindness as texts
from bot.domain.onboarding import Step


def rethink(buttons: Buttons) -> InlineKeyboardMarkup:
    """After many skips: the settings day picker, the pause choices, and pain as always."""
    return Buttons.markup(
        [
            [buttons.button(texts.change_days_button(), settings_keyboards.EDIT, Step.DAYS.value)],
            [buttons.button(texts.pause_button(), settings_keyboards.PAUSE_MENU)],
            [
                buttons.button(
                    common_texts.in_pain(),
                    reminder_keyboards.PAIN,
                    reminder_keyboards.PAIN_FROM_REMINDER,
                )
            ],
        ]
    )
