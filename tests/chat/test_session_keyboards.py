"""The guided session's buttons in every phase: what a person can tap, and what a tap carries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.chat.keyboards import session as kb
from bot.chat.texts import session as texts
from bot.domain.flow import FlowState, Phase, PlannedStep, start
from tests.chat.markup import actions, buttons, labels, read
from tests.support.content import shipped_content

CHECKIN = shipped_content().safety.checkin
SESSION = 17
STEP = PlannedStep("seated_forward_fold", 30, 1, 1, gentle_hold_seconds=20)


def state(**changes: object) -> FlowState:
    first = start("seated_progression", (STEP,)).state
    return replace(first, seq=5, **changes)  # type: ignore[arg-type]


def test_the_card_offers_start_preview_not_today_and_pain() -> None:
    rows = read(kb.card(buttons(), "seated_progression"))
    assert [[action for _, action, _ in row] for row in rows] == [
        [kb.START],
        [kb.PREVIEW, kb.NOT_TODAY],
        [kb.PAIN],
    ]
    assert rows[0][0][2] == ("seated_progression", kb.CARD_ORIGIN)
    assert rows[1][0][2] == ("seated_progression",)
    assert rows[2][0][2] == (kb.FROM_CARD,)


def test_the_preview_card_has_no_second_preview() -> None:
    markup = kb.card(buttons(), "seated_progression", with_preview=False)
    assert actions(markup) == [[kb.START], [kb.NOT_TODAY], [kb.PAIN]]


def test_a_running_session_can_be_continued_or_ended() -> None:
    rows = read(kb.running(buttons(), SESSION, state()))
    assert [[action for _, action, _ in row] for row in rows] == [
        [kb.CONTINUE],
        [kb.END],
        [kb.PAIN],
    ]
    assert rows[0][0][2] == (str(SESSION),)
    assert rows[1][0][2] == (str(SESSION), "5"), "End names the step it was offered at"


def test_start_today_opens_the_card() -> None:
    assert actions(kb.start_today(buttons())) == [[kb.NOW]]


def test_a_ready_step_offers_the_hold_skip_and_pain() -> None:
    rows = read(kb.for_state(buttons(), SESSION, state(), CHECKIN))
    assert [[action for _, action, _ in row] for row in rows] == [[kb.HOLD], [kb.SKIP, kb.PAIN]]
    assert rows[0][0][0] == texts.start_hold(STEP, False)
    assert rows[0][0][2] == (str(SESSION), "5")
    assert rows[1][1][2] == (kb.FROM_SESSION,)


def test_a_gentle_ready_step_names_the_gentle_hold() -> None:
    markup = kb.for_state(buttons(), SESSION, state(gentle=True), CHECKIN)
    assert labels(markup)[0] == texts.start_hold(STEP, True)


def test_during_a_hold_only_done_early_and_pain() -> None:
    markup = kb.for_state(buttons(), SESSION, state(phase=Phase.HOLDING), CHECKIN)
    assert actions(markup) == [[kb.EARLY], [kb.PAIN]]


def test_a_warning_is_accepted_or_the_step_skipped() -> None:
    markup = kb.for_state(buttons(), SESSION, state(phase=Phase.WARNING), CHECKIN)
    assert actions(markup) == [[kb.WARNING_OK], [kb.SKIP, kb.PAIN]]


def test_the_checkin_lists_every_answer_in_the_content_order() -> None:
    rows = read(kb.for_state(buttons(), SESSION, state(phase=Phase.CHECKIN), CHECKIN))
    answers = rows[:-1]
    assert [row[0][0] for row in answers] == [a.label for a in CHECKIN.answers]
    assert [row[0][2] for row in answers] == [(str(SESSION), "5", a.id) for a in CHECKIN.answers]
    assert [action for _, action, _ in rows[-1]] == [kb.PAIN]


def test_easing_off_offers_a_gentle_repeat_once() -> None:
    first = kb.for_state(buttons(), SESSION, state(phase=Phase.EASED), CHECKIN)
    assert actions(first) == [[kb.AGAIN], [kb.SKIP], [kb.PAIN]]
    again = kb.for_state(buttons(), SESSION, state(phase=Phase.EASED, retried=True), CHECKIN)
    assert actions(again) == [[kb.SKIP], [kb.PAIN]]


def test_uncomfortable_again_asks_the_pain_questions_instead() -> None:
    eased = state(phase=Phase.EASED, ask_professional=True, retried=True)
    rows = read(kb.for_state(buttons(), SESSION, eased, CHECKIN))
    assert rows[-1] == [(texts.ask_professional_button(), kb.PAIN, (kb.FROM_SESSION,))]


def test_a_paused_session_keeps_pain_first_and_can_end() -> None:
    markup = kb.for_state(buttons(), SESSION, state(phase=Phase.PAUSED), CHECKIN)
    assert actions(markup) == [[kb.PAIN], [kb.END]]


def test_a_finished_session_asks_for_a_rating_from_0_to_10() -> None:
    rows = read(kb.for_state(buttons(), SESSION, state(phase=Phase.DONE), CHECKIN))
    ratings = [args[-1] for row in rows[:2] for _, _, args in row]
    assert ratings == [str(value) for value in range(11)]
    assert {action for row in rows[:2] for _, action, _ in row} == {kb.RATE}
    assert [action for _, action, _ in rows[2]] == [kb.PAIN]


def test_once_rated_only_pain_is_left() -> None:
    markup = kb.for_state(buttons(), SESSION, state(phase=Phase.DONE, rating=3), CHECKIN)
    assert actions(markup) == [[kb.PAIN]]


@pytest.mark.parametrize("phase", [p for p in Phase if p.is_over and p is not Phase.DONE])
def test_an_ended_session_has_no_buttons(phase: Phase) -> None:
    assert kb.for_state(buttons(), SESSION, state(phase=phase), CHECKIN) is None


def test_another_persons_key_cannot_read_the_buttons() -> None:
    markup = kb.for_state(buttons(), SESSION, state(), CHECKIN)
    with pytest.raises(AssertionError, match="does not decode"):
        read(markup, user_id=1)
