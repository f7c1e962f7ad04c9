"""Pain reports through the local Telegram: every triage outcome, what each one changes, pain in
the middle of a hold, a report from a reminder, lifting a red-flag pause, and stale answers."""

from __future__ import annotations

import asyncio

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import pain as pain_texts
from bot.chat.texts import session as texts
from bot.db.models import SessionStatus, SubscriberStatus
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    event_kinds,
    has,
    hold_label,
    lift_hold,
    open_card,
    pain_reports,
    practice_sessions,
    start_session,
    subscribe,
    subscriber,
    tap,
)

pytestmark = pytest.mark.e2e

NONE = "None of these"
URGENT_TITLE = "Please get urgent help now"
PROFESSIONAL_TITLE = "Stop and get it checked"
EASE_OFF_TITLE = "Ease off and go gently"

# Every path through the triage, with the outcome the issue asks for.
PATHS: list[tuple[list[str], str, dict[str, str]]] = [
    (["Bladder or bowel changes"], "urgent", {"red_flags": "bladder_bowel"}),
    (["Numb groin / saddle area"], "urgent", {"red_flags": "saddle_numbness"}),
    (["Weak legs or trouble walking"], "urgent", {"red_flags": "leg_weakness"}),
    ([NONE, "Sharp or shooting pain"], "professional", {"warning_signs": "sharp_pain"}),
    ([NONE, "Numbness or tingling"], "professional", {"warning_signs": "tingling"}),
    ([NONE, "Swelling or bruising"], "professional", {"warning_signs": "swelling"}),
    ([NONE, "Lasted over two weeks"], "professional", {"warning_signs": "over_two_weeks"}),
    ([NONE, NONE, "No, or I'm not sure"], "professional", {"soreness": "not_sure"}),
    ([NONE, NONE, "Yes, an ache or mild soreness"], "ease_off", {"soreness": "mild_soreness"}),
]
SCALE = 0.02  # a 20 s hold lasts 0.4 s: time enough to tap "I'm in pain" during it
TITLES = {"urgent": URGENT_TITLE, "professional": PROFESSIONAL_TITLE, "ease_off": EASE_OFF_TITLE}


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


async def answer_all(person: SimUser, question: ChatMessage, labels: list[str]) -> ChatMessage:
    """Tap through the triage, one question at a time, in the same message."""
    for label in labels:
        assert await tap(person, label, question) is None
        question = await current(person, question)
    return question


async def ask_for_help(person: SimUser) -> ChatMessage:
    await person.send("/pain")
    first = await person.wait_for_message(has("Sorry it hurts"), timeout=TIMEOUT)
    assert "bladder or bowels" in (first.text or "")
    return first


async def test_triage_decides_each_outcome(stretchbot: RunningBot) -> None:
    """Every path through the questions, each by a different person on the same bot."""
    for number, (labels, outcome, deciding) in enumerate(PATHS):
        person = stretchbot.sandbox.user(f"Sam{number}", language_code="en")
        me = await subscribe(stretchbot, person)
        result = await answer_all(person, await ask_for_help(person), labels)
        text = result.text or ""
        assert TITLES[outcome] in text, labels
        assert "diagnos" not in text.lower()

        (report,) = await pain_reports(stretchbot, me)
        assert report.outcome == outcome and report.source == "o"
        assert set(deciding.items()) <= set(report.answers.items())
        assert all(" " not in answer for answer in report.answers.values()), "ids only"
        person_now = await subscriber(stretchbot, me)
        if outcome == "ease_off":
            assert person_now.status is SubscriberStatus.ACTIVE
            assert person_now.preferences.next_reminder_at is not None
            assert result.buttons == ()
            continue
        assert "reminders wait until someone has checked you" in text
        assert result.button_labels == ["Yes, I've been checked", "Not yet"]
        assert person_now.status is SubscriberStatus.ACTIVE, "a hold, not a pause"
        assert person_now.preferences.next_reminder_at is None


@pytest.mark.parametrize("outcome", ["urgent", "ease_off"])
async def test_pain_in_the_middle_of_a_hold(
    stretchbot: RunningBot, person: SimUser, outcome: str
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression")
    step = await start_session(person, await open_card(person))
    assert await tap(person, hold_label(step), step) is None
    holding = await current(person, step)
    assert await tap(person, common_texts.in_pain(), holding) is None
    paused = await current(person, holding)
    assert "Session paused" in (paused.text or "")
    question = await person.wait_for_message(has("Sorry it hurts"), timeout=TIMEOUT)
    await asyncio.sleep(20 * SCALE + 0.2)
    assert person.unread() == [], "the hold timer was cancelled"

    labels = next(p[0] for p in PATHS if p[1] == outcome)
    result = await answer_all(person, question, labels)
    (row,) = await practice_sessions(stretchbot, me)
    if outcome == "urgent":
        assert row.status is SessionStatus.STOPPED
        assert (await current(person, paused)).text == texts.stopped_for_safety()
        kinds = [kind for kind, _, _ in await event_kinds(stretchbot, row.id)]
        assert kinds == ["hold_early", "paused", "stopped"]
        (report,) = await pain_reports(stretchbot, me)
        assert (report.source, report.session_id) == ("s", row.id)
        return
    assert row.status is SessionStatus.ACTIVE
    assert result.button_labels == [pain_texts.carry_on_gently(), pain_texts.end_session()]
    assert await tap(person, pain_texts.carry_on_gently(), result) is None
    again = await person.wait_for_message(has("Gently this time"), timeout=TIMEOUT)
    assert hold_label(again) == "▶️ Start 13 s hold"
    assert await tap(person, pain_texts.end_session(), result) == common_texts.button_expired()


async def test_a_pain_report_from_a_reminder(stretchbot: RunningBot, person: SimUser) -> None:
    me = await subscribe(stretchbot, person)
    await person.send("/stats")  # the person has talked to the bot, so it may write to them
    await person.next_message(TIMEOUT)
    stretchbot.clock.advance(hours=1, minutes=1)  # past the 07:00 reminder
    reminder = await person.wait_for_message(
        lambda m: common_texts.in_pain() in m.button_labels, timeout=TIMEOUT
    )
    assert await tap(person, common_texts.in_pain(), reminder) is None
    question = await person.wait_for_message(has("Sorry it hurts"), timeout=TIMEOUT)
    await answer_all(person, question, PATHS[0][0])
    (report,) = await pain_reports(stretchbot, me)
    assert (report.source, report.outcome) == ("r", "urgent")


async def test_not_yet_keeps_the_hold_and_offers_only_the_check(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    result = await answer_all(person, await ask_for_help(person), PATHS[4][0])
    assert await tap(person, "Not yet", result) is None
    waiting = await current(person, result)
    assert "Sessions and reminders both wait" in (waiting.text or "")
    assert waiting.button_labels == ["Yes, I've been checked"]
    lifted = await lift_hold(person, waiting)
    assert "The hold is lifted" in (lifted.text or "")
    person_now = await subscriber(stretchbot, me)
    assert person_now.status is SubscriberStatus.ACTIVE
    assert person_now.preferences.next_reminder_at is not None
    (report,) = await pain_reports(stretchbot, me)
    assert report.resolved_at is not None
    assert (report.checked_by, report.clearance) == ("gp", "cleared")


async def test_an_answer_to_an_earlier_question_is_stale(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    question = await ask_for_help(person)
    first, second = await asyncio.gather(
        person.tap(NONE, message=question), person.tap("Bladder or bowel changes", message=question)
    )
    assert (await first.answered(TIMEOUT)).text is None
    assert (await second.answered(TIMEOUT)).text == common_texts.button_expired()
    (report,) = await pain_reports(stretchbot, me)
    assert report.outcome is None and report.answers == {"red_flags": "none_of_these"}
    assert (await subscriber(stretchbot, me)).status is SubscriberStatus.ACTIVE
