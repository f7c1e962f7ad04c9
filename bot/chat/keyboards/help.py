"""The small menu shown with /help and with hints for messages the bot cannot use."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.keyboards.onboarding import NOW
from bot.chat.keyboards.settings import MENU
from bot.chat.texts import help as texts


def menu(buttons: Buttons, *, session: bool = True) -> InlineKeyboardMarkup:
    """[Session now] [Settings]; without the session for someone a red flag holds."""
    row = [buttons.button(texts.session_now(), NOW)] if session else []
    return buttons.markup([[*row, buttons.button(texts.settings(), MENU)]])
