"""The /language picker: one button per language the bot speaks, the current one ticked."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.i18n import LANGUAGE_NAMES, LANGUAGES

LANGUAGE = "lang"


def picker(buttons: Buttons, current: str) -> InlineKeyboardMarkup:
    def label(language: str) -> str:
        name = LANGUAGE_NAMES[language]
        return f"✓ {name}" if language == current else name

    row = [buttons.button(label(language), LANGUAGE, language) for language in LANGUAGES]
    return buttons.markup([row[:2], row[2:]])
