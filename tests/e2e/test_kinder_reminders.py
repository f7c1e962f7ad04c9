"""Kinder reminders (issue 16, item 4) end to end, through the sandbox Telegram.

Same set-up as `test_reminders.py`: Alex signs up for 07:30 in Berlin, Monday to Friday, and
the clock starts on Tuesday 24 November 2026 at 07:00 in Berlin.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db import subscribers
from bot.db.models import DeliveryStatus
from bot.usecases import lifecycle as life
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, has, lift_hold, raise_flag
from tests.e2e.test_reminders import (
    FIRST_DUE,
    REMINDER_BUTTONS,
    deliveries_of,
    next_reminder,
    nothing_sent,
    reminder_at,
    signed_up,
)
from tests.e2e.walkthrough import Walkthrough, subscriber_of, text_of
from tests.support.clock import TestClock

BERLIN = ZoneInfo("Europe/Berlin")

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


# --- Quiet hours ------------------------------------------------------------------------------


async def _set_preferences(bot: RunningBot, person: SimUser, **values: object) -> None:
    """Arrange a person's stored settings directly (what /settings offers is tested above)."""
    async with bot.services.db() as db:
        subscriber = await subscribers.get_by_user_id(db, person.id)
        assert subscriber is not None
        for name, value in values.items():
            setattr(subscriber.preferences, name, value)
        await life.preferences_changed(db, subscriber, bot.services.now())


def _berlin(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


async def test_quiet_hours_are_set_in_settings_and_refuse_what_they_would_swallow(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    (menu,) = await walk.send("/settings")
    assert "🌙 Quiet hours: off" in text_of(menu)

    await walk.tap("🌙 Quiet hours", message=menu)
    assert "Choose your quiet hours" in text_of(walk.screen)
    await walk.tap("22:00–08:00")
    assert (
        "⚠️ Your reminder at 07:30 would fall inside 22:00–08:00, so I didn't save them."
        in text_of(walk.screen)
    )
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.preferences.quiet_from is None

    await walk.tap("22:00–07:00")
    assert "✓ Quiet hours: 22:00–07:00. Nothing arrives then." in text_of(walk.screen)
    assert "🌙 Quiet hours: 22:00–07:00" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    assert (subscriber.preferences.quiet_from, subscriber.preferences.quiet_until) == (
        time(22, 0),
        time(7, 0),
    )

    await walk.tap("⏰ Time")
    await walk.send("23:15")
    assert (
        "⚠️ 23:15 is inside your quiet hours (22:00–07:00), so I can't remind you then."
        in text_of(walk.screen)
    )
    await walk.send("06:45")
    assert "inside your quiet hours (22:00–07:00)" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.preferences.reminder_time == time(7, 30)
    await walk.send("21:00")
    assert "✓ Reminder time: 21:00." in text_of(walk.screen)

    (document,) = await walk.send("/export")
    assert document.document is not None
    exported = json.loads(document.document)["settings"]
    assert (exported["quiet_hours_from"], exported["quiet_hours_until"]) == ("22:00", "07:00")

    await walk.send("/settings")
    await walk.tap("🌙 Quiet hours")
    await walk.tap("Off")
    assert "✓ Quiet hours are off." in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.preferences.quiet_until is None


async def test_a_snooze_comes_before_quiet_hours_or_after_them_and_says_so(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    await _set_preferences(
        stretchbot, person, reminder_time=time(12, 40), quiet_from=time(13), quiet_until=time(15)
    )
    first = await reminder_at(stretchbot, clock, person, _berlin(24, 12, 40))

    answer = await walk.tap("⏰ In 30 min", message=first)

    assert answer.text == "Okay! I'll remind you at 12:55, before your quiet hours begin at 13:00."
    assert "I'll remind you again at 12:55." in text_of(await person.wait_for_edit(first))
    second = await reminder_at(stretchbot, clock, person, _berlin(24, 12, 55))

    answer = await walk.tap("⏰ In 30 min", message=second)

    assert answer.text == "Your quiet hours come first, so I'll remind you at 15:00, when they end."
    clock.set(_berlin(24, 14, 59))
    await nothing_sent(stretchbot, person)
    third = await reminder_at(stretchbot, clock, person, _berlin(24, 15, 0))
    assert text_of(third).startswith("⏰ Here's your stretch, as promised")


async def test_no_snooze_into_a_night_of_quiet_the_next_reminder_serves(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    walk = await signed_up(stretchbot, person)
    await _set_preferences(
        stretchbot, person, reminder_time=time(21, 45), quiet_from=time(22), quiet_until=time(7)
    )
    reminder = await reminder_at(stretchbot, clock, person, _berlin(24, 21, 45))
    clock.set(_berlin(24, 21, 50))

    answer = await walk.tap("⏰ In 30 min", message=reminder)

    assert answer.text == (
        "Your quiet hours (22:00–07:00) begin before then, so no snooze tonight. "
        "Your next reminder comes as usual."
    )
    assert await next_reminder(stretchbot, person) == _berlin(25, 21, 45)
    assert reminder.button_labels == REMINDER_BUTTONS, "the reminder stays as it was"
    clock.set(_berlin(25, 6, 59))
    await nothing_sent(stretchbot, person)


async def test_a_late_reminder_is_never_sent_inside_quiet_hours_across_midnight(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)
    await _set_preferences(
        stretchbot, person, reminder_time=time(21, 45), quiet_from=time(22), quiet_until=time(7)
    )
    # The bot could not send at 21:45 (it was down); it comes back at 22:10, within the grace.
    clock.set(_berlin(24, 22, 10))
    await nothing_sent(stretchbot, person)
    (record,) = await deliveries_of(stretchbot, person)
    assert (record.status, record.last_error) == (DeliveryStatus.MISSED, "quiet hours")
    assert record.message_id is None
    clock.set(_berlin(25, 0, 30))  # past midnight, still quiet
    await nothing_sent(stretchbot, person)

    reminder = await reminder_at(stretchbot, clock, person, _berlin(25, 21, 45))
    assert text_of(reminder).startswith("🌿 Time to stretch")


async def test_a_reminder_a_clock_change_moves_into_quiet_hours_is_not_sent(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    # 02:30 does not exist in Berlin on Sunday 28 March 2027 (02:00 -> 03:00): that day's
    # reminder would come at 03:00, inside quiet hours from 03:00 to 07:00.
    await signed_up(stretchbot, person)
    clock.set(_berlin(27, 12, month=3, year=2027))
    await _set_preferences(
        stretchbot,
        person,
        reminder_time=time(2, 30),
        weekdays=0b1111111,
        quiet_from=time(3),
        quiet_until=time(7),
    )
    jumped = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)  # 03:00 summer time
    assert await next_reminder(stretchbot, person) == jumped
    clock.set(jumped)
    await nothing_sent(stretchbot, person)
    record = (await deliveries_of(stretchbot, person))[-1]
    assert (record.due_at, record.status, record.last_error) == (
        jumped,
        DeliveryStatus.MISSED,
        "quiet hours",
    )

    monday = await reminder_at(stretchbot, clock, person, datetime(2027, 3, 29, 0, 30, tzinfo=UTC))
    assert text_of(monday).startswith("🌿 Time to stretch")


# --- The weekly nudge -------------------------------------------------------------------------

EVERY_DAY = 0b1111111
NUDGE = "sessions this week so far."


async def _every_day(bot: RunningBot, person: SimUser) -> Walkthrough:
    """Alex, signed up, reminded every day: from Thursday the goal of 3 is still in reach."""
    walk = await signed_up(bot, person)
    await _set_preferences(bot, person, weekdays=EVERY_DAY)
    assert await next_reminder(bot, person) == FIRST_DUE
    return walk


async def test_behind_the_goal_thursdays_reminder_carries_one_nudge_fridays_none(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await _every_day(stretchbot, person)
    tuesday = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    wednesday = await reminder_at(stretchbot, clock, person, _berlin(25, 7, 30))
    assert NUDGE not in text_of(tuesday) and NUDGE not in text_of(wednesday), "not before Thu"

    thursday = await reminder_at(stretchbot, clock, person, _berlin(26, 7, 30))
    assert text_of(thursday).count(NUDGE) == 1
    assert text_of(thursday).endswith(
        "0 of your 3 sessions this week so far. 3 more would reach your goal, and your days "
        "still leave room for them. Only if it feels right today."
    )
    assert text_of(thursday).startswith("🌿 Time to stretch"), "a line on the reminder"
    assert thursday.button_labels == REMINDER_BUTTONS

    friday = await reminder_at(stretchbot, clock, person, _berlin(27, 7, 30))
    assert NUDGE not in text_of(friday), "at most once a week"
    records = await deliveries_of(stretchbot, person)
    assert [record.nudge_done for record in records] == [None, None, 0, None]
    assert all(record.status is DeliveryStatus.SENT for record in records)


async def test_no_nudge_in_the_week_of_a_red_flag_even_once_lifted(
    stretchbot: RunningBot, clock: TestClock, person: SimUser
) -> None:
    await _every_day(stretchbot, person)
    await reminder_at(stretchbot, clock, person, FIRST_DUE)
    clock.set(_berlin(24, 12, 0))
    me = await subscriber_of(stretchbot, person)
    assert me is not None
    await raise_flag(stretchbot, me.id, "professional")
    await person.send("/now")
    held = await person.wait_for_message(has("on hold"), timeout=TIMEOUT)
    await lift_hold(person, held)
    person.mark_read()
    assert await next_reminder(stretchbot, person) == _berlin(25, 7, 30), "reminders resumed"

    await reminder_at(stretchbot, clock, person, _berlin(25, 7, 30))
    thursday = await reminder_at(stretchbot, clock, person, _berlin(26, 7, 30))
    assert text_of(thursday).startswith("🌿 Time to stretch")
    assert NUDGE not in text_of(thursday)
    friday = await reminder_at(stretchbot, clock, person, _berlin(27, 7, 30))
    assert NUDGE not in text_of(friday)
    assert {record.nudge_done for record in await deliveries_of(stretchbot, person)} == {None}
