"""Keyboards of the guided session. Step buttons carry the session id and the flow's `seq`, so a
tap on a step that is already over is recognised and changes nothing."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.texts import common as common_texts
from bot.chat.texts import session as texts
from bot.content.safety import CheckinContent
from bot.domain.flow import FlowState, Phase

# Callback actions of this module (the router's contract).
NOW = "now"
START = "start"
PAIN = "pain"
PREVIEW = "card_prev"
NOT_TODAY = "card_later"
HOLD = "st_hold"
EARLY = "st_early"
SKIP = "st_skip"
WARNING_OK = "st_warn"
CHECKIN = "st_chk"
AGAIN = "st_again"
RESUME = "st_resume"
END = "st_end"
RATE = "st_rate"
CONTINUE = "st_cont"

# Where a pain report started (the `pain` action's argument, shared with reminders).
FROM_SESSION = "s"
FROM_CARD = "c"
FROM_OTHER = "o"
CARD_ORIGIN = "c"
"""`start <routine> c`: started from our own card. Kept in the card's button for older cards;
the card and a reminder both lose their buttons once Start is tapped."""


def _pain(buttons: Buttons) -> InlineKeyboardButton:
    return buttons.button(common_texts.in_pain(), PAIN, FROM_SESSION)


def card(buttons: Buttons, routine_id: str, *, with_preview: bool = True) -> InlineKeyboardMarkup:
    second = [buttons.button(texts.not_today(), NOT_TODAY)]
    if with_preview:
        second.insert(0, buttons.button(texts.preview_button(), PREVIEW, routine_id))
    return buttons.markup(
        [
            [buttons.button(texts.start(), START, routine_id, CARD_ORIGIN)],
            second,
            [buttons.button(common_texts.in_pain(), PAIN, FROM_CARD)],
        ]
    )


def running(buttons: Buttons, session_id: int, state: FlowState) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.continue_button(), CONTINUE, session_id)],
            [buttons.button(texts.end_session(), END, session_id, state.seq)],
            [_pain(buttons)],
        ]
    )


def start_today(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup([[buttons.button(texts.start_today(), NOW)]])


def for_state(
    buttons: Buttons, session_id: int, state: FlowState, checkin: CheckinContent
) -> InlineKeyboardMarkup | None:
    """The buttons under the session message in each phase (None once it is over)."""
    sid, seq = session_id, state.seq
    step = state.current
    phase = state.phase
    if phase is Phase.READY and step is not None:
        return buttons.markup(
            [
                [buttons.button(texts.start_hold(step, state.gentle), HOLD, sid, seq)],
                [buttons.button(texts.skip(), SKIP, sid, seq), _pain(buttons)],
            ]
        )
    if phase is Phase.HOLDING:
        return buttons.markup(
            [[buttons.button(texts.done_early(), EARLY, sid, seq)], [_pain(buttons)]]
        )
    if phase is Phase.WARNING:
        return buttons.markup(
            [
                [buttons.button(texts.warning_ok(), WARNING_OK, sid, seq)],
                [buttons.button(texts.skip(), SKIP, sid, seq), _pain(buttons)],
            ]
        )
    if phase is Phase.CHECKIN:
        answers = [[buttons.button(a.label, CHECKIN, sid, seq, a.id)] for a in checkin.answers]
        return buttons.markup([*answers, [_pain(buttons)]])
    if phase is Phase.EASED:
        choices = checkin.ease_off_choices
        rows = [[buttons.button(choices.skip, SKIP, sid, seq)], [_pain(buttons)]]
        if state.ask_professional:
            # The same pain questions as "I'm in pain": they say whether to see someone.
            rows[1] = [buttons.button(texts.ask_professional_button(), PAIN, FROM_SESSION)]
        if not state.retried:
            rows.insert(0, [buttons.button(choices.repeat_gently, AGAIN, sid, seq)])
        return buttons.markup(rows)
    if phase is Phase.PAUSED:
        return buttons.markup(
            [[_pain(buttons)], [buttons.button(texts.end_session(), END, sid, seq)]]
        )
    if phase is Phase.DONE and state.rating is None:
        return buttons.markup(
            [
                [buttons.button(str(v), RATE, sid, seq, v) for v in range(0, 6)],
                [buttons.button(str(v), RATE, sid, seq, v) for v in range(6, 11)],
                [_pain(buttons)],
            ]
        )
    if phase is Phase.DONE:
        return buttons.markup([[_pain(buttons)]])
    return None
