"""How each phase of the session looks in the chat: the flow's state -> text and buttons.

One function per direction: `screen` for the live message, `closed` for a message that a newer
one replaced (it keeps a short record of what happened there, without buttons).
"""

from __future__ import annotations

from bot.chat.keyboards import Buttons
from bot.chat.keyboards import session as keyboards
from bot.chat.screens import Screen
from bot.chat.texts import session as texts
from bot.content.loader import Content
from bot.content.safety import CheckinContent, Outcome
from bot.domain.flow import FlowState, Phase, summarise
from bot.i18n.content import localized_content


def _advice(checkin: CheckinContent) -> str:
    return next(
        (a.advice for a in checkin.answers if a.outcome is Outcome.EASE_OFF and a.advice), ""
    )


def _note(content: Content, state: FlowState) -> str | None:
    routine = content.routines.get(state.routine_id)
    if routine is None or state.step >= len(routine.steps):
        return None
    step = routine.steps[state.step]
    current = state.current
    return step.note if current is not None and step.stretch == current.stretch_id else None


def _text(state: FlowState, content: Content, streak: int, left: int | None = None) -> str:
    phase = state.phase
    checkin = content.safety.checkin
    current = state.current
    stretch = content.stretches.get(current.stretch_id) if current is not None else None
    if phase is Phase.DONE:
        return texts.summary(state, summarise(state), streak)
    if phase is Phase.STOPPED:
        if state.stop_reason == "ended":
            return texts.stopped_by_you(summarise(state))
        return texts.stopped_for_safety()
    if phase is Phase.ABANDONED:
        return texts.abandoned()
    if phase is Phase.PAUSED:
        return texts.paused()
    if stretch is None or current is None:
        raise LookupError(f"stretch of step {state.step} is missing from the content")
    if phase is Phase.WARNING:
        return texts.warning(stretch, state)
    if phase is Phase.HOLDING:
        return texts.holding(state, stretch, left)
    if phase is Phase.CHECKIN:
        return texts.checkin(checkin.question_for(current.nerve_tension), state)
    if phase is Phase.EASED:
        return texts.eased(
            _advice(checkin),
            can_repeat=not state.retried,
            stage=not current.repeatable,
            ask=state.ask_professional,
        )
    swapped = content.stretches.get(current.swapped_from or "")
    return texts.step(state, stretch, _note(content, state), swapped.name if swapped else None)


def screen(
    state: FlowState,
    session_id: int,
    content: Content,
    buttons: Buttons,
    streak: int = 0,
    left: int | None = None,
) -> Screen:
    """`left`: a running hold's seconds to go (its countdown line), the whole hold if None.
    Content texts (names, steps, cues, check-in answers) are in the current person's language."""
    content = localized_content(content)
    markup = keyboards.for_state(buttons, session_id, state, content.safety.checkin)
    return Screen(_text(state, content, streak, left), markup)


def closed(before: FlowState, after: FlowState, content: Content) -> str:
    """What an old session message says once a newer message took over: a hold that ended
    says so; anything else keeps its text, without buttons."""
    content = localized_content(content)
    current = before.current
    hold_over = after.phase is not Phase.HOLDING or after.hold_no != before.hold_no
    if before.phase is Phase.HOLDING and hold_over and current is not None:
        stretch = content.stretches.get(current.stretch_id)
        if stretch is not None:
            return texts.hold_closed(before, stretch)
    return _text(before, content, 0)
