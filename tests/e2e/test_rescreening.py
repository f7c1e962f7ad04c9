"""The safety questions asked again before a session: after four weeks away, every twelve weeks.

"Nothing has changed" starts the session at once and counts as answering; "Something has
changed" asks the sign-up's questions, and an urgent "yes" is a hold exactly as at sign-up (no
session, a pain report of source "screening"). Each of these failed on main before the rule
existed: /now and Start went straight to the card and the session.

Set STRETCHBOT_TRANSCRIPT_RESCREENING=<path> to save the come-back conversation.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from bot.chat import reminders
from bot.chat.texts import session as session_texts
from bot.db.models import PracticeSession, SessionStatus
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    has,
    pain_reports,
    practice_sessions,
    subscribe,
    subscriber,
    tap,
)
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of

ASKED = "Anything changed since you last answered these?"
NOTHING = "✅ Nothing has changed"
SOMETHING = "Something has changed"


def card_or_question(message: ChatMessage) -> bool:
    text = message.text or ""
    return "Today:" in text or ASKED in text


async def now_screen(person: SimUser) -> ChatMessage:
    """/now, and the card or the question it answers with."""
    await person.send("/now")
    return await person.wait_for_message(card_or_question, timeout=TIMEOUT)


async def first_step(person: SimUser) -> ChatMessage:
    return await person.wait_for_message(has("1/"), timeout=TIMEOUT)


async def test_signed_up_27_days_ago_is_not_asked_29_days_is(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    me = await subscriber_of(stretchbot, person)
    assert me is not None and me.last_screened_at == stretchbot.clock()
    person.mark_read()

    stretchbot.clock.advance(days=27)
    assert "Today:" in text_of(await now_screen(person))
    stretchbot.clock.advance(days=2)
    asked = await now_screen(person)
    assert ASKED in text_of(asked)
    assert "Welcome back" in text_of(asked)
    assert asked.button_labels == [NOTHING, SOMETHING]
    assert session_texts.start() not in asked.button_labels
    if path := os.environ.get("STRETCHBOT_TRANSCRIPT_RESCREENING"):
        await walk.tap(NOTHING, asked)
        walk.save(Path(path), "Back after 29 days: the safety questions again")


async def test_back_after_29_days_nothing_has_changed_starts_the_session(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    stretchbot.clock.advance(days=29)
    asked = await now_screen(person)
    assert ASKED in text_of(asked)
    assert await practice_sessions(stretchbot, me) == []

    assert await tap(person, NOTHING, asked) is None
    step = await first_step(person)
    assert step.buttons, "the first step of the session, ready to go"
    [running] = await practice_sessions(stretchbot, me)
    assert running.status == "active"
    assert (await subscriber(stretchbot, me)).last_screened_at == stretchbot.clock()
    [data] = [b.callback_data for row in asked.buttons for b in row if b.text == NOTHING]
    assert data is not None
    again = await (await person.tap_data(data, message=asked)).answered(TIMEOUT)
    assert again.text is not None and "expired" in again.text, "one answer per question"
    assert len(await practice_sessions(stretchbot, me)) == 1


async def test_something_has_changed_and_an_urgent_yes_holds_with_no_session(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    stretchbot.clock.advance(days=29)
    asked = await now_screen(person)
    assert await tap(person, SOMETHING, asked) is None
    question = person.message(asked.message_id)
    assert question is not None and "Question 1 of 4" in text_of(question)
    assert "bladder or bowels" in text_of(question)
    assert await tap(person, "Yes", question) is None

    held = person.message(asked.message_id)
    assert held is not None and "Please get urgent help now" in text_of(held)
    assert "Yes, I've been checked" in held.button_labels
    [report] = await pain_reports(stretchbot, me)
    assert (report.source, report.outcome, report.resolved_at) == ("screening", "urgent", None)
    assert report.answers == {"urgent_signs": "yes"}
    assert await practice_sessions(stretchbot, me) == []
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is None

    await person.send("/now")
    on_hold = await person.next_message(timeout=TIMEOUT)
    assert "Today:" not in text_of(on_hold) and ASKED not in text_of(on_hold)
    assert "Yes, I've been checked" in on_hold.button_labels
    assert await practice_sessions(stretchbot, me) == []


async def test_something_has_changed_all_no_starts_the_session(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    stretchbot.clock.advance(days=30)
    asked = await now_screen(person)
    assert await tap(person, SOMETHING, asked) is None
    for number in range(1, 5):
        question = person.message(asked.message_id)
        assert question is not None and f"Question {number} of 4" in text_of(question)
        assert await tap(person, "No", question) is None
    await first_step(person)
    assert await pain_reports(stretchbot, me) == []
    assert len(await practice_sessions(stretchbot, me)) == 1
    assert (await subscriber(stretchbot, me)).last_screened_at == stretchbot.clock()


async def test_a_professional_yes_on_a_reminders_start_holds(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """The reminder's Start asks first too; a see-a-professional "yes" holds like sign-up's."""
    me = await subscribe(stretchbot, person)
    assert "Today:" in text_of(await now_screen(person))  # the chat is open, nothing is due
    day_29 = stretchbot.clock() + timedelta(days=29)
    stretchbot.clock.set(day_29)  # the old reminder is long missed; the next is at 07:00
    dispatcher = reminders.dispatcher_of(stretchbot.services)
    assert dispatcher is not None
    await dispatcher.run_once()
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at == day_29.replace(hour=7)
    stretchbot.clock.set(day_29.replace(hour=7))
    reminder = await person.wait_for_message(
        lambda m: session_texts.start() in m.button_labels, timeout=TIMEOUT
    )
    assert await tap(person, session_texts.start(), reminder) is None
    asked = await person.wait_for_message(has(ASKED), timeout=TIMEOUT)
    assert await practice_sessions(stretchbot, me) == []
    assert await tap(person, SOMETHING, asked) is None
    for answer in ("No", "Yes", "No", "No"):  # serious pain now, or for more than two weeks
        question = person.message(asked.message_id)
        assert question is not None
        assert await tap(person, answer, question) is None
    held = person.message(asked.message_id)
    assert held is not None and "Yes, I've been checked" in held.button_labels
    [report] = await pain_reports(stretchbot, me)
    assert (report.source, report.outcome) == ("screening", "professional")
    assert report.answers == {"pain_now": "yes"}

    answer = await tap(person, session_texts.start(), reminder)
    assert answer is None or "expired" in answer
    assert await practice_sessions(stretchbot, me) == []


async def stretched(bot: RunningBot, subscriber_id: int, when: datetime) -> None:
    """A finished session that began at `when` (a day of use; written as a factory would)."""
    async with bot.services.session_factory() as db:
        db.add(
            PracticeSession(
                subscriber_id=subscriber_id,
                routine_id="hips_medium_easy",
                status=SessionStatus.COMPLETED,
                started_at=when,
                finished_at=when + timedelta(minutes=10),
            )
        )
        await db.commit()


async def test_twelve_weeks_of_daily_sessions_ask_once(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """A session every day for 20 weeks, /now looked at every week and on day 84 (through the
    chat): the questions come once, on day 84, and "Nothing has changed" holds for 12 more."""
    me = await subscribe(stretchbot, person)
    start: datetime = stretchbot.clock()
    asked_on: list[int] = []
    for day in range(1, 141):
        stretchbot.clock.set(start + timedelta(days=day))
        if day % 7 == 0 or day in (83, 84, 85):
            shown = await now_screen(person)
            if ASKED in text_of(shown):
                asked_on.append(day)
                assert await tap(person, NOTHING, shown) is None
                await first_step(person)
                await person.send("/now")  # and ends it, so the next /now offers a new one
                running = await person.wait_for_message(has("in the middle of"), timeout=TIMEOUT)
                assert await tap(person, session_texts.end_session(), running) is None
                continue
        await stretched(stretchbot, me, stretchbot.clock())
    assert asked_on == [84]


async def test_never_answered_is_asked_before_a_first_session(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """Someone who skipped sign-up and typed /now meets the four questions before any session
    (on main the card came, with only the safety note)."""
    await person.send("/now")
    first = await person.next_message(timeout=TIMEOUT)
    assert "Before your first session" in text_of(first)
    assert "Question 1 of 4" in text_of(first) and "bladder or bowels" in text_of(first)
    assert first.button_labels == ["Yes", "No"]
    for number in range(1, 5):
        question = person.message(first.message_id)
        assert question is not None and f"Question {number} of 4" in text_of(question)
        assert await tap(person, "No", question) is None
    await first_step(person)
    me = await subscriber_of(stretchbot, person)
    assert me is not None and me.last_screened_at == stretchbot.clock()
