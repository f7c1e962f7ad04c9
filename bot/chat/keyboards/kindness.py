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


QUIET_HOURS_CHOICES = (
    ("2100", "0700"),
    ("2200", "0700"),
    ("2200", "0800"),
    ("2300", "0700"),
    ("2300", "0800"),
    ("1300", "1500"),
)
"""Quiet hours one tap away ("HHMM" as they travel in a button); most are nights."""
OFF = "off"


def quiet_hours(buttons: Buttons) -> InlineKeyboardMarkup:
    """The quiet hours picker: the choices, off, and back to the menu."""
    choices = [
        buttons.button(
            f"{start[:2]}:{start[2:]}–{end[:2]}:{end[2:]}",
            settings_keyboards.QUIET_HOURS,
            start,
            end,
        )
        for start, end in QUIET_HOURS_CHOICES
    ]
    return Buttons.markup(
        [
            choices[:2],
            choices[2:4],
            choices[4:],
            [
                buttons.button(texts.quiet_hours_off_button(), settings_keyboards.QUIET_HOURS, OFF),
                buttons.button(texts.back_button(), settings_keyboards.MENU),
            ],
        ]
    )
