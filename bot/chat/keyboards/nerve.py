"""Keyboards of the question before the first nerve-tension routine, and of clearing it.

Clearing asks who checked and what they said, with the same choices as lifting a red-flag hold
(`keyboards.pain`), under actions of its own: it names no report, since it holds nothing but
those stretches.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.keyboards.pain import VERDICT_CODES, WHO_CODES
from bot.chat.texts import nerve as texts
from bot.chat.texts import pain as pain_texts
from bot.domain.lifecycle import CheckedBy

# Callback actions of this module (the router's contract).
ANSWER = "nerve_a"
CHECKED = "nerve_ok"
WHO = "nerve_who"
VERDICT = "nerve_said"

YES = "y"
NO = "n"
_CODE_OF_WHO = {who: code for code, who in WHO_CODES.items()}


def question(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.yes_label(), ANSWER, YES)],
            [buttons.button(texts.no_label(), ANSWER, NO)],
        ]
    )


def cleared(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup([[buttons.button(texts.cleared_label(), CHECKED)]])


def who_checked(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup(
        [[buttons.button(pain_texts.who(who), WHO, code)] for code, who in WHO_CODES.items()]
    )


def verdicts(buttons: Buttons, who: CheckedBy) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(pain_texts.verdict(verdict), VERDICT, _CODE_OF_WHO[who], code)]
            for code, verdict in VERDICT_CODES.items()
        ]
    )
