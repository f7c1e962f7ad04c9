"""Every way round a red-flag hold that issue 12 found, through the local Telegram, on SQLite and
PostgreSQL. Each test failed on the main branch before the life cycle got one owner:

- "Not yet" -> "Resume reminders anyway" -> "I've read this, resume" lifted an URGENT flag;
- an old "Yes, I've been checked" button from an earlier flag lifted a new one;
- a flag raised while stopped, or before sign-up, was ignored by /start, by finishing sign-up
  and by the dispatcher (daily reminders arrived);
- a triage left unanswered blocked nothing.

The lifting helpers below also accept the old one-tap lifting, so on the old code each test
fails at the bypass it names, not at a missing button.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.chat.texts import common as common_texts
from bot.chat.texts import session as session_texts
from bot.db import pain
from bot.db.models import PainReport, Preferences, SessionStatus
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    CLEARED,
    TIMEOUT,
    WHO_GP,
    current,
    has,
    hold_label,
    open_card,
    pain_reports,
    practice_sessions,
    raise_flag,
    start_session,
    subscribe,
    subscriber,
    tap,
)
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of

pytestmark = pytest.mark.e2e

URGENT = ["Bladder or bowel changes"]
PROFESSIONAL = ["None of these", "Sharp or shooting pain"]
CHECKED = "Yes, I've been checked"
QUIET_SECONDS = 1.5  # several dispatcher ticks (every 0.2 s in these tests)


async def ask_for_help(person: SimUser) -> ChatMessage:
    await person.send("/pain")
    return await person.wait_for_message(has("bladder or bowels"), timeout=TIMEOUT)


async def answer(person: SimUser, question: ChatMessage, labels: list[str]) -> ChatMessage:
    for label in labels:
        assert await tap(person, label, question) is None
        question = await current(person, question)
    return question


async def say_checked(person: SimUser, message: ChatMessage) -> tuple[str | None, ChatMessage]:
    """Tap "Yes, I've been checked" and, where asked, who checked and that they cleared it.
    Returns the first tap's answer text and the message as it is now."""
    notice = await tap(person, CHECKED, message)
    now = await current(person, message)
    if notice is None and "Who checked you?" in (now.text or ""):
        assert await tap(person, WHO_GP, now) is None
        assert await tap(person, CLEARED, await current(person, message)) is None
        now = await current(person, message)
    return notice, now


async def still_held(bot: RunningBot, subscriber_id: int) -> None:
    """No reminder owed and an open red flag: what a hold means in the rows."""
    row = await subscriber(bot, subscriber_id)
    assert row.preferences.next_reminder_at is None, "a reminder is scheduled despite the hold"
    async with bot.services.db() as db:
        assert await pain.unresolved_red_flags(db, subscriber_id), "the red flag was lifted"


async def no_reminder_arrives(bot: RunningBot, person: SimUser, **ahead: float) -> None:
    """Move the clock past the reminder time and watch several dispatcher ticks."""
    person.mark_read()
    bot.clock.advance(**ahead)
    await asyncio.sleep(QUIET_SECONDS)
    reminders = [m for m in person.unread() if common_texts.in_pain() in m.button_labels]
    assert reminders == [], "a daily reminder arrived although a hold is open"


async def test_an_urgent_flag_has_no_resume_anyway(stretchbot: RunningBot, person: SimUser) -> None:
    me = await subscribe(stretchbot, person)
    outcome = await answer(person, await ask_for_help(person), URGENT)
    assert "Please get urgent help now" in (outcome.text or "")
    assert await tap(person, "Not yet", outcome) is None
    waiting = await current(person, outcome)
    seen = [outcome.text or "", waiting.text or ""]
    if "Resume reminders anyway" in waiting.button_labels:  # what the old code offered
        assert await tap(person, "Resume reminders anyway", waiting) is None
        warning = await current(person, waiting)
        seen.append(warning.text or "")
        if "I've read this, resume" in warning.button_labels:
            await tap(person, "I've read this, resume", warning)
    await still_held(stretchbot, me)
    assert waiting.button_labels == [CHECKED], "nothing but the check lifts it"
    # "don't stretch until you've been seen" is never followed by "turn them back on anyway"
    assert not any("well enough" in text or "back on" in text for text in seen)


async def test_an_old_checked_button_does_not_lift_a_newer_flag(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    first = await answer(person, await ask_for_help(person), PROFESSIONAL)
    assert first.button_labels == [CHECKED, "Not yet"]
    await person.send("/now")
    held = await person.wait_for_message(has("on hold"), timeout=TIMEOUT)
    await say_checked(person, held)  # the first flag is lifted from /now
    async with stretchbot.services.db() as db:
        assert await pain.unresolved_red_flags(db, me) == []

    second = await answer(person, await ask_for_help(person), URGENT)
    assert "Please get urgent help now" in (second.text or "")
    notice, after = await say_checked(person, first)  # the FIRST flag's button, still there
    assert notice is not None and "expired" in notice
    assert after.text == first.text, "the old message is left as it was"
    await still_held(stretchbot, me)
    reports = await pain_reports(stretchbot, me)
    assert [r.resolved_at is None for r in reports] == [False, True]


async def test_a_flag_raised_while_stopped_survives_start_and_the_dispatcher(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)  # Berlin, 07:30 = 06:30 UTC; the clock stands at 06:00 UTC
    await walk.send("/stop")
    await walk.tap("Yes, unsubscribe")
    me = await subscriber_of(stretchbot, person)
    assert me is not None
    await answer(person, await ask_for_help(person), URGENT)
    await still_held(stretchbot, me.id)

    (back,) = await walk.send("/start")
    assert "checked" in text_of(back)
    await still_held(stretchbot, me.id)
    await no_reminder_arrives(stretchbot, person, minutes=31)
    await person.send("/now")
    held = await person.wait_for_message(timeout=TIMEOUT)
    assert "on hold" in text_of(held) and "Start" not in " ".join(held.button_labels)


async def test_a_flag_raised_before_sign_up_survives_finishing_it(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await answer(person, await ask_for_help(person), URGENT)  # never signed up yet
    walk = Walkthrough(person)
    await onboard(walk)
    me = await subscriber_of(stretchbot, person)
    assert me is not None
    assert "checked" in text_of(walk.screen)
    await still_held(stretchbot, me.id)
    await no_reminder_arrives(stretchbot, person, minutes=31)


async def test_the_claim_skips_a_hold_whatever_wrote_it(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """A red flag written straight into pain_reports (as a screening answer might be) while the
    subscriber row still owes a reminder: the dispatcher's claim itself must skip the person."""
    me = await subscribe(stretchbot, person)
    await person.send("/stats")  # the person has talked to the bot, so it may write to them
    await person.next_message(TIMEOUT)
    async with stretchbot.services.db() as db:
        db.add(PainReport(subscriber_id=me, source="screening", outcome="urgent", answers={}))
        await db.commit()
        due = await db.scalar(
            select(Preferences.next_reminder_at).where(Preferences.subscriber_id == me)
        )
        assert due is not None, "the row still owes a reminder"
    await no_reminder_arrives(stretchbot, person, hours=1, minutes=1)


async def test_an_unanswered_triage_holds_until_it_is_answered(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    await person.send("/stats")
    await person.next_message(TIMEOUT)
    question = await ask_for_help(person)  # ... and no answer
    await person.send("/now")
    waiting = await person.wait_for_message(timeout=TIMEOUT)
    assert "Start" not in " ".join(waiting.button_labels), "no session while triage is open"
    assert "questions aren't finished" in text_of(waiting)
    await no_reminder_arrives(stretchbot, person, hours=1, minutes=1)

    # One tap back into the question that waits, and /pain brings back the same report.
    assert await tap(person, "↩️ Answer the pain question", waiting) is None
    again = await person.wait_for_message(has("bladder or bowels"), timeout=TIMEOUT)
    assert len(await pain_reports(stretchbot, me)) == 1
    await answer(person, again, ["None of these", "None of these", "Yes, an ache or mild soreness"])
    (report,) = await pain_reports(stretchbot, me)
    assert report.outcome == "ease_off"
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is not None
    await person.send("/now")
    card = await person.wait_for_message(has("Today:"), timeout=TIMEOUT)
    assert "▶️ Start" in " ".join(card.button_labels) or card.buttons
    assert question.message_id != again.message_id


async def test_lifting_asks_who_checked_and_keeps_the_limits(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    me = await subscriber_of(stretchbot, person)
    assert me is not None
    (question,) = await walk.send("/pain")
    await walk.tap("None of these", question)
    await walk.tap("Numbness or tingling", question)
    assert walk.screen.button_labels == [CHECKED, "Not yet"]
    await walk.tap("Not yet", question)
    (held,) = await walk.send("/resume")
    await walk.tap(CHECKED, held)
    assert walk.screen.button_labels == [
        WHO_GP,
        "A physiotherapist",
        "Urgent care or A&E",
        "Another health professional",
    ]
    await walk.tap("A physiotherapist", held)
    await walk.tap("Not cleared yet", held)
    assert "stays on hold" in text_of(walk.screen)
    await still_held(stretchbot, me.id)
    await walk.tap(CHECKED, held)
    await walk.tap("A physiotherapist", held)
    await walk.tap("Fine, but no nerve stretches", held)
    assert "The hold is lifted" in text_of(walk.screen)
    assert "nerves" in text_of(walk.screen)

    async with stretchbot.services.db() as db:
        (report,) = (
            await db.execute(select(PainReport).where(PainReport.subscriber_id == me.id))
        ).scalars()
        assert (report.checked_by, report.clearance) == ("physio", "no_nerve_tension")
        assert report.resolved_at is not None
    stale = await person.tap(CHECKED, message=question)  # the outcome's button, now lifted
    assert "Nothing is on hold" in ((await stale.answered(TIMEOUT)).text or "")

    (exported,) = await walk.send("/export")
    assert exported.document_name

    destination = os.environ.get("STRETCHBOT_LIFT_TRANSCRIPT")
    if destination and stretchbot.settings.database_url.startswith("sqlite"):
        walk.save(Path(destination), "A hold lifted in the sandbox chat, as Alex sees it")


async def test_a_flag_raised_while_a_session_runs_stops_it_at_the_next_tap(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """A red flag written while a session runs (by any path that does not stop the session
    itself): the session's own buttons must not carry it on. Failed on main: the hold began."""
    me = await subscribe(stretchbot, person, "seated_progression")
    step = await start_session(person, await open_card(person))
    await raise_flag(stretchbot, me, "urgent")
    assert await tap(person, hold_label(step), step) is None
    stopped = await current(person, step)
    assert stopped.text == session_texts.stopped_for_safety()
    assert not stopped.buttons
    (row,) = await practice_sessions(stretchbot, me)
    assert row.status is SessionStatus.STOPPED


async def test_a_sign_up_screening_yes_stops_a_session_begun_before_it(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """Half-way through sign-up, /now asks the safety questions and starts a session; an
    urgent "yes" on the sign-up's own question message then holds, and the running session
    goes no further. Failed on main: its next step ran."""
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    sign_up_question = walk.screen
    await person.send("/now")
    asked = await person.wait_for_message(has("Before your first session"), timeout=TIMEOUT)
    for _ in range(4):
        question = await current(person, asked)
        assert await tap(person, "No", question) is None
    step = await person.wait_for_message(has("1/"), timeout=TIMEOUT)

    assert await tap(person, "Yes", sign_up_question) is None  # bladder, saddle or legs
    assert "Please get urgent help now" in text_of(await current(person, sign_up_question))
    assert await tap(person, hold_label(step), step) is None
    assert (await current(person, step)).text == session_texts.stopped_for_safety()
    me = await subscriber_of(stretchbot, person)
    assert me is not None
    (row,) = await practice_sessions(stretchbot, me.id)
    assert row.status is SessionStatus.STOPPED
