"""The question before the first nerve-tension routine, through the local Telegram (issue 12 §3).

Alex chose calves and 3 minutes, so without limits every day's routine is the chair progression
(the only one that fits), and with the nerve-tension stretches left out it is another. The clock
starts on Tuesday 24 November 2026 at 06:00 UTC; the daily reminder is at 07:00 UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db import subscribers
from bot.db.models import ReminderDelivery
from bot.domain import routines
from bot.domain.progression import NO_NERVE_TENSION, Standing
from sandbox.people import ChatMessage, SimUser
from tests.chat.export_paths import validate_export
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    has,
    lift_hold,
    raise_flag,
    start_session,
    subscribe,
    tap,
)
from tests.e2e.test_reminders import reminder_at
from tests.support.clock import TestClock

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

QUESTION = "One question before the chair stretches"
YES = "Yes, they always feel tight"
NO = "No, not all the time"
CHECKED = "A professional checked my legs"
CHAIR = ("Chair progression", "Chair hamstring stretch")
"""The chair stages' names (on /now's card) and the chair routine's title (on a reminder)."""
TUESDAY = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def chair_in(message: ChatMessage) -> bool:
    return any(name in (message.text or "") for name in CHAIR)


async def calves_for_three_minutes(bot: RunningBot, person: SimUser) -> int:
    """Subscribed, never asked about their legs, with the chair routine as every day's."""
    me = await subscribe(bot, person, legs_asked=False)
    async with bot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        stored = await subscribers.preferences_of(db, row)
        stored.focus_areas = ["calves"]
        stored.session_minutes = 3
        await db.commit()
    prefs = routines.Preferences.from_stored(["calves"], "beginner", 3)
    for day in (TUESDAY.date(), WEDNESDAY.date()):
        assert routines.plan_day(bot.content, prefs, day).routine_id == "seated_progression"
        limited = Standing(limits=frozenset({NO_NERVE_TENSION}))
        assert routines.plan_day(bot.content, prefs, day, standing=limited).routine.steps
    return me


async def nerve_record(bot: RunningBot, me: int) -> dict[str, str] | None:
    async with bot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        return row.nerve_check


async def sent_routines(bot: RunningBot, me: int) -> list[str | None]:
    async with bot.services.db() as db:
        result = await db.execute(
            select(ReminderDelivery.routine_id)
            .where(ReminderDelivery.subscriber_id == me)
            .order_by(ReminderDelivery.id)
        )
        return list(result.scalars())


async def asked(person: SimUser) -> ChatMessage:
    question = await person.wait_for_message(has(QUESTION), timeout=TIMEOUT)
    assert question.button_labels == [YES, NO]
    return question


async def card(person: SimUser) -> ChatMessage:
    return await person.wait_for_message(has("Today:"), timeout=TIMEOUT)


async def test_yes_leaves_the_chair_stretches_out_of_now_and_reminders_until_cleared(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    me = await calves_for_three_minutes(stretchbot, person)
    await person.send("/now")
    question = await asked(person)

    assert await tap(person, YES, question) is None

    advice = await person.wait_for_edit(question, timeout=TIMEOUT)
    assert "physiotherapist or doctor" in (advice.text or "")
    assert advice.button_labels == [CHECKED]
    today = await card(person)
    assert not chair_in(today), "the nerve-tension stretches are left out"
    assert " stretches" in (today.text or "") and today.buttons, "the rest goes on"
    assert await nerve_record(stretchbot, me) == {"answer": "yes"}

    await person.send("/now")
    again = await person.next_message(TIMEOUT)
    assert QUESTION not in (again.text or "") and not chair_in(again)

    reminder = await reminder_at(stretchbot, clock, person, TUESDAY)
    assert "Today:" in (reminder.text or "") and not chair_in(reminder)
    (reminded,) = await sent_routines(stretchbot, me)
    assert reminded != "seated_progression"

    # Cleared: who checked, what they said; the chair routine comes back with the next reminder.
    assert await tap(person, CHECKED, advice) is None
    who = await person.wait_for_edit(advice, timeout=TIMEOUT)
    assert "Who checked your legs?" in (who.text or "")
    assert await tap(person, "A physiotherapist", who) is None
    said = await person.wait_for_edit(who, timeout=TIMEOUT)
    assert await tap(person, "✅ Stretching is fine", said) is None
    back = await person.wait_for_edit(said, timeout=TIMEOUT)
    assert "back in your routines" in (back.text or "")
    assert await nerve_record(stretchbot, me) == {
        "answer": "yes",
        "checked_by": "physio",
        "verdict": "cleared",
    }

    tomorrow = await reminder_at(stretchbot, clock, person, WEDNESDAY)
    assert chair_in(tomorrow)
    assert (await sent_routines(stretchbot, me))[-1] == "seated_progression"

    await person.send("/export")
    exported = await person.wait_for_message(lambda m: m.kind == "document", timeout=TIMEOUT)
    assert exported.document is not None
    document = json.loads(exported.document)
    validate_export(document)
    assert document["person"]["legs_always_tight"] == {
        "question": "Do the backs of your legs feel tight all the time, even without stretching?",
        "answer": "yes",
        "checked_by": "a physiotherapist",
        "what_they_said": "cleared to stretch",
    }


async def test_not_cleared_keeps_them_out(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    me = await calves_for_three_minutes(stretchbot, person)
    await person.send("/now")
    question = await asked(person)
    await tap(person, YES, question)
    advice = await person.wait_for_edit(question, timeout=TIMEOUT)
    await card(person)
    await tap(person, CHECKED, advice)
    who = await person.wait_for_edit(advice, timeout=TIMEOUT)
    await tap(person, "A GP or family doctor", who)
    said = await person.wait_for_edit(who, timeout=TIMEOUT)
    await tap(person, "Not cleared yet", said)
    kept = await person.wait_for_edit(said, timeout=TIMEOUT)
    assert kept.button_labels == [CHECKED], "the way to a later clearance stays"

    reminder = await reminder_at(stretchbot, clock, person, TUESDAY)
    assert not chair_in(reminder)
    assert (await nerve_record(stretchbot, me) or {})["verdict"] == "not_cleared"


async def test_no_is_remembered_and_never_asked_again(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    me = await calves_for_three_minutes(stretchbot, person)
    await person.send("/help")  # the chat exists, as it does for anyone who signed up
    await person.next_message(TIMEOUT)
    reminder = await reminder_at(stretchbot, clock, person, TUESDAY)
    assert chair_in(reminder), "nothing was answered yet: the routine is as written"

    # Start on the reminder of the first chair routine asks first, and starts nothing.
    assert await tap(person, "▶️ Start", reminder) is None
    question = await asked(person)
    assert await tap(person, NO, question) is None
    thanks = await person.wait_for_edit(question, timeout=TIMEOUT)
    assert "won't ask again" in (thanks.text or "")
    today = await card(person)
    assert chair_in(today)
    assert await nerve_record(stretchbot, me) == {"answer": "no"}

    # Never asked again: /now and Start go straight on.
    await person.send("/now")
    again = await card(person)
    assert chair_in(again)
    first = await start_session(person, again)
    assert "1/" in (first.text or "")
    # The one question became the thanks; no other message asks it.
    assert not [m for m in person.bot_messages() if QUESTION in (m.text or "")]


async def test_a_red_flag_lifted_without_nerve_stretches_keeps_them_out_of_now_and_reminders(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    """Issue 13 item 2's last sentence: "cleared with limits: no nerve-tension" (the lifting
    flow of a red flag) leaves these stretches out of every routine, /now and reminders alike."""
    me = await calves_for_three_minutes(stretchbot, person)
    async with stretchbot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        row.nerve_check = {"answer": "no"}  # the legs question is not what holds them back here
        await db.commit()
    await raise_flag(stretchbot, me, "professional")
    await person.send("/now")
    held = await person.wait_for_message(has("on hold"), timeout=TIMEOUT)
    lifted = await lift_hold(person, held, said="Fine, but no nerve stretches")
    assert "The hold is lifted" in (lifted.text or "")

    await person.send("/now")
    today = await card(person)
    assert not chair_in(today) and today.buttons
    await life_resumed(stretchbot, me)
    reminder = await reminder_at(stretchbot, clock, person, TUESDAY)
    assert "Today:" in (reminder.text or "") and not chair_in(reminder)
    assert (await sent_routines(stretchbot, me))[-1] != "seated_progression"


async def life_resumed(bot: RunningBot, me: int) -> None:
    """The lift scheduled the next reminder (today 07:00 UTC, still ahead of the clock)."""
    async with bot.services.db() as db:
        row = await subscribers.get_by_id(db, me)
        assert row is not None
        stored = await subscribers.preferences_of(db, row)
        assert stored.next_reminder_at == TUESDAY
