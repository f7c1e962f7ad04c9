"""Keyboards for /settings, /pause, /resume and /stop."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.texts import kindness as kindness_texts
from bot.chat.texts import settings as texts
from bot.domain.onboarding import Step

# Callback actions of this module (the router's contract).
MENU = "set"
EDIT = "set_e"
CLOSE = "set_x"
PAUSE_MENU = "set_p"
PAUSE = "pause"
RESUME = "resume"
STOP = "stop"
QUIET = "set_q"
QUIET_HOURS_MENU = "set_qh"
QUIET_HOURS = "set_qs"


def menu(buttons: Buttons, *, paused: bool, quiet: bool = False) -> InlineKeyboardMarkup:
    toggle = (
        buttons.button(texts.resume(), RESUME)
        if paused
        else buttons.button(texts.pause(), PAUSE_MENU)
    )
    return buttons.markup(
        [
            [
                buttons.button(texts.edit_zone(), EDIT, Step.ZONE.value),
                buttons.button(texts.edit_time(), EDIT, Step.TIME.value),
            ],
            [
                buttons.button(texts.edit_days(), EDIT, Step.DAYS.value),
                buttons.button(texts.edit_focus(), EDIT, Step.FOCUS.value),
            ],
            [
                buttons.button(texts.edit_level(), EDIT, Step.LEVEL.value),
                buttons.button(texts.edit_length(), EDIT, Step.LENGTH.value),
            ],
            [
                buttons.button(kindness_texts.quiet_button(quiet), QUIET),
                buttons.button(kindness_texts.quiet_hours_button(), QUIET_HOURS_MENU),
            ],
            [toggle, buttons.button(texts.close(), CLOSE)],
        ]
    )


def pause_choices(buttons: Buttons) -> InlineKeyboardMarkup:
    choices = [buttons.button(label, PAUSE, key) for key, label in texts.pause_choices().items()]
    return buttons.markup(
        [choices[:2], choices[2:4], choices[4:], [buttons.button(texts.cancel(), MENU)]]
    )


def stop_confirm(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.stop_yes(), STOP, "y")],
            [buttons.button(texts.stop_no(), STOP, "n")],
        ]
    )
