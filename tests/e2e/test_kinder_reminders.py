"""Kinder reminders (issue 16, item 4) end to end, through the sandbox Telegram.

Same set-up as `test_reminders.py`: Alex signs up for 07:30 in Berlin, Monday to Friday, and
the clock starts on Tuesday 24 November 2026 at 07:00 in Berlin.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.models import DeliveryStatus
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, has
from tests.e2e.test_reminders import (
    FIRST_DUE,
    REMINDER_BUTTONS,
    deliveries_of,
    next_reminder,
    reminder_at,
    signed_up,
)
from tests.e2e.walkthrough import subscriber_of, text_of
from tests.support.clock import TestClock

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


# --- After Start, the reminder's buttons go -------------------------------------------------


async def test_start_on_a_reminder_takes_its_buttons_away(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)
    reminder = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    assert reminder.button_labels == REMINDER_BUTTONS

    tap = await person.tap("▶️ Start", message=reminder)

    assert (await tap.answered(TIMEOUT)).text is None

    bare = await person.wait_for_edit(reminder)
    assert bare.buttons == ()
    assert bare.text == reminder.text, "only the buttons change, the words stay"
    await person.wait_for_message(has("1/"), timeout=TIMEOUT)
    (edit,) = stretchbot.sandbox.calls_of("editMessageReplyMarkup")
    assert edit.ok and edit.params["message_id"] == str(reminder.message_id)


async def test_start_on_a_reminder_that_is_gone_still_starts(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)
    reminder = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    stretchbot.sandbox.expect_refusal(
        "editMessageReplyMarkup", description="message to edit not found"
    )

    tap = await person.tap_then_delete("▶️ Start", message=reminder)

    assert (await tap.answered(TIMEOUT)).text is None
    await person.wait_for_message(has("1/"), timeout=TIMEOUT)
    assert person.message(reminder.message_id) is None


# --- Quiet reminders ---------------------------------------------------------------------------


async def test_quiet_reminders_arrive_without_a_sound_snoozes_too(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    (menu,) = await walk.send("/settings")
    assert "🔔 Reminders arrive with a sound." in text_of(menu)

    answer = await walk.tap("🔕 Silent reminders", message=menu)

    assert answer.text == "From now on reminders arrive silently."
    assert "🔕 Reminders arrive silently, without a sound." in text_of(walk.screen)
    assert "🔔 Reminders with sound" in walk.screen.button_labels
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.preferences.quiet
    person.mark_read()

    reminder = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    assert reminder.silent and reminder.button_labels == REMINDER_BUTTONS
    (sent,) = stretchbot.sandbox.calls_of("sendMessage")[-1:]
    assert sent.params["disable_notification"] in (True, "true", "True")

    await walk.tap("⏰ In 30 min", message=reminder)
    snoozed = await reminder_at(stretchbot, clock, person, FIRST_DUE + timedelta(minutes=30))
    assert snoozed.silent, "a snoozed reminder is as quiet as the daily one"

    (document,) = await walk.send("/export")
    assert document.document is not None
    assert json.loads(document.document)["settings"]["silent_reminders"] is True


async def test_reminders_ring_unless_quiet_is_chosen_and_the_switch_goes_back(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    reminder = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    assert not reminder.silent
    (sent,) = stretchbot.sandbox.calls_of("sendMessage")[-1:]
    assert "disable_notification" not in sent.params

    await walk.send("/settings")
    await walk.tap("🔕 Silent reminders")
    answer = await walk.tap("🔔 Reminders with sound")

    assert answer.text == "From now on reminders arrive with a sound."
    assert "🔔 Reminders arrive with a sound." in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and not subscriber.preferences.quiet


# --- At most three 'Not today' a week, then a question ---------------------------------------

TUESDAY_TO_FRIDAY = [FIRST_DUE + timedelta(days=day) for day in range(4)]  # 24-27 November


async def test_the_fourth_not_today_in_a_week_asks_about_days_or_a_pause(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    for due in TUESDAY_TO_FRIDAY[:3]:
        reminder = await reminder_at(stretchbot, clock, person, due)
        answer = await walk.tap("🙅 Not today", message=reminder)
        assert answer.text is not None and answer.text.startswith("No problem, rest today.")
        assert (await person.wait_for_edit(reminder)).button_labels == ["🆘 I'm in pain"]

    fourth = await reminder_at(stretchbot, clock, person, TUESDAY_TO_FRIDAY[3])
    answer = await walk.tap("🙅 Not today", message=fourth)

    assert answer.text == "Skipped for today. Would other days or a break suit you better?"
    asked = await person.wait_for_edit(fourth)
    assert "Skipped for today. Next reminder: on Monday at 07:30." in text_of(asked)
    assert "That's 4 times 'Not today' this week, and that's all right." in text_of(asked)
    assert asked.button_labels == ["📅 Change my days", "⏸ Pause for a while", "🆘 I'm in pain"]
    statuses = [record.status for record in await deliveries_of(stretchbot, person)]
    assert statuses == [DeliveryStatus.SKIPPED] * 4, "skipped either way"
    assert await next_reminder(stretchbot, person) == datetime(2026, 11, 30, 6, 30, tzinfo=UTC)

    await walk.tap("📅 Change my days", message=asked)
    await walk.tap("✅ Fri")
    await walk.tap("Done ✓")
    assert "Days: Mon, Tue, Wed, Thu" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.preferences.weekdays == 0b0001111

    # A new week, a fresh count: Monday's 'Not today' is a plain skip again.
    monday = await reminder_at(stretchbot, clock, person, datetime(2026, 11, 30, 6, 30, tzinfo=UTC))
    answer = await walk.tap("🙅 Not today", message=monday)
    assert answer.text == "No problem, rest today. See you tomorrow at 07:30."


async def test_the_question_after_many_skips_offers_a_pause(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    for due in TUESDAY_TO_FRIDAY:
        reminder = await reminder_at(stretchbot, clock, person, due)
        await walk.tap("🙅 Not today", message=reminder)
    asked = await person.wait_for_edit(reminder)

    await walk.tap("⏸ Pause for a while", message=asked)
    assert "Choose for how long" in text_of(walk.screen)
    await walk.tap("1 week")

    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status.value == "paused"
