"""Keyboards of pain triage and of lifting a red-flag pause.

Triage buttons carry the report id and the question's and answer's positions; the handler
checks them against the answers stored so far, so an old question's button changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.keyboards.session import END, RESUME
from bot.chat.texts import pain as texts
from bot.content.safety import ConfirmChecked, TriageQuestion

# Callback actions of this module (the router's contract).
ANSWER = "pain_a"
CHECKED = "pain_ok"
NOT_YET = "pain_wait"
ANYWAY = "pain_any"


def question(
    buttons: Buttons, report_id: int, index: int, item: TriageQuestion
) -> InlineKeyboardMarkup:
    return buttons.markup(
        [[buttons.button(a.label, ANSWER, report_id, index, n)] for n, a in enumerate(item.answers)]
    )


def red_flag(buttons: Buttons, confirm: ConfirmChecked) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(confirm.checked_label, CHECKED)],
            [buttons.button(confirm.not_yet_label, NOT_YET)],
        ]
    )


def still_paused(buttons: Buttons, confirm: ConfirmChecked) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(confirm.checked_label, CHECKED)],
            [buttons.button(texts.RESUME_ANYWAY, ANYWAY)],
        ]
    )


def resume_anyway(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.READ_AND_RESUME, CHECKED)],
            [buttons.button(texts.KEEP_PAUSED, NOT_YET)],
        ]
    )


def paused_session(buttons: Buttons, session_id: int, seq: int) -> InlineKeyboardMarkup:
    """After an ease-off outcome, for the session that waited during triage."""
    return buttons.markup(
        [
            [buttons.button(texts.CARRY_ON_GENTLY, RESUME, session_id, seq)],
            [buttons.button(texts.END_SESSION, END, session_id, seq)],
        ]
    )
