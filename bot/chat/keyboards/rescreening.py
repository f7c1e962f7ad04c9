"""Buttons of the safety questions asked again before a session.

Each carries the routine the person was about to start, so the last answer can start it at
once; a question's buttons carry the answers so far (one "y" or "n" per question, in order),
like the days picker carries its mask. They work only while the questions are the person's
open prompt (`Prompt.RESCREEN` in `awaiting_input`).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.texts import rescreening as texts
from bot.content.safety import ScreeningContent
from bot.i18n.content import content_text

# Callback actions of this module (the router's contract).
CHOICE = "rs"
ANSWER = "rsq"
SAME = "s"
CHANGED = "c"


def prompt(buttons: Buttons, routine_id: str) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.nothing_changed(), CHOICE, SAME, routine_id)],
            [buttons.button(texts.something_changed(), CHOICE, CHANGED, routine_id)],
        ]
    )


def question(
    buttons: Buttons,
    content: ScreeningContent,
    so_far: str,
    routine_id: str,
) -> InlineKeyboardMarkup:
    """Yes / No to the question after the `so_far` answers."""
    return buttons.markup(
        [
            [
                buttons.button(content_text(content.yes_label), ANSWER, so_far, "y", routine_id),
                buttons.button(content_text(content.no_label), ANSWER, so_far, "n", routine_id),
            ]
        ]
    )
