"""Keyboards of pain triage and of lifting a red-flag hold.

Triage buttons carry the report id and the question's and answer's positions; the handler
checks them against the answers stored so far, so an old question's button changes nothing.
Lifting buttons carry the report id too (and who checked, once chosen): only the newest open
red flag's buttons work; an older report's say they have expired. New action names, so a
button from before this change (which named no report) expires too.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.keyboards.session import END, RESUME
from bot.chat.texts import pain as texts
from bot.content.safety import ConfirmChecked, TriageQuestion
from bot.domain.lifecycle import CheckedBy, Verdict

# Callback actions of this module (the router's contract).
ANSWER = "pain_a"
CHECKED = "hold_ok"
NOT_YET = "hold_wait"
WHO = "hold_who"
VERDICT = "hold_said"
BACK = "pain_back"


def question(
    buttons: Buttons, report_id: int, index: int, item: TriageQuestion
) -> InlineKeyboardMarkup:
    return buttons.markup(
        [[buttons.button(a.label, ANSWER, report_id, index, n)] for n, a in enumerate(item.answers)]
    )


def red_flag(buttons: Buttons, confirm: ConfirmChecked, report_id: int) -> InlineKeyboardMarkup:
    """Under a hold: both buttons name the report, so a later report's hold is not lifted by
    an older message."""
    return buttons.markup(
        [
            [buttons.button(confirm.checked_label, CHECKED, report_id)],
            [buttons.button(confirm.not_yet_label, NOT_YET, report_id)],
        ]
    )


def checked_only(buttons: Buttons, confirm: ConfirmChecked, report_id: int) -> InlineKeyboardMarkup:
    """After "Not yet" or "not cleared yet": the way back, and nothing that skips the check."""
    return buttons.markup([[buttons.button(confirm.checked_label, CHECKED, report_id)]])


# One letter each in the callback data, so a lifting button stays far below 64 bytes.
WHO_CODES: dict[str, CheckedBy] = {
    "g": CheckedBy.GP,
    "p": CheckedBy.PHYSIO,
    "u": CheckedBy.URGENT_CARE,
    "o": CheckedBy.OTHER,
}
VERDICT_CODES: dict[str, Verdict] = {
    "c": Verdict.CLEARED,
    "n": Verdict.NO_NERVE_TENSION,
    "g": Verdict.GENTLE_ONLY,
    "x": Verdict.NOT_CLEARED,
}
_CODE_OF_WHO = {who: code for code, who in WHO_CODES.items()}


def who_checked(buttons: Buttons, report_id: int) -> InlineKeyboardMarkup:
    return buttons.markup(
        [[buttons.button(texts.who(who), WHO, report_id, code)] for code, who in WHO_CODES.items()]
    )


def verdicts(buttons: Buttons, report_id: int, who: CheckedBy) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.verdict(verdict), VERDICT, report_id, _CODE_OF_WHO[who], code)]
            for code, verdict in VERDICT_CODES.items()
        ]
    )


def back_to_triage(buttons: Buttons, report_id: int) -> InlineKeyboardMarkup:
    """One tap back into a triage that was left unanswered."""
    return buttons.markup([[buttons.button(texts.back_to_triage(), BACK, report_id)]])


def paused_session(buttons: Buttons, session_id: int, seq: int) -> InlineKeyboardMarkup:
    """After an ease-off outcome, for the session that waited during triage."""
    return buttons.markup(
        [
            [buttons.button(texts.carry_on_gently(), RESUME, session_id, seq)],
            [buttons.button(texts.end_session(), END, session_id, seq)],
        ]
    )
