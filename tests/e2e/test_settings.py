"""/settings, /pause, /resume and /stop through the local Telegram, on SQLite and PostgreSQL.

Every test starts from a person subscribed by taps: Berlin, 07:30, Monday to Friday,
hamstrings, beginner, 10 minutes. The bot's clock stands at Tuesday 24 November 2026, 06:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.chat import pausing
from bot.chat.texts import common as common_texts
from bot.db.models import PainReport, PauseReason, SubscriberStatus
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import lift_hold, raise_flag
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of

EXPIRED = common_texts.button_expired()


@pytest.fixture
async def walk(stretchbot: RunningBot, person: SimUser) -> Walkthrough:
    walk = Walkthrough(person)
    await onboard(walk)
    return walk


async def _next_reminder(stretchbot: RunningBot, person: SimUser) -> datetime | None:
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    return subscriber.preferences.next_reminder_at


async def test_each_setting_changes_in_place_and_reschedules_at_once(
    stretchbot: RunningBot, walk: Walkthrough
) -> None:
    person = walk.person
    (menu,) = await walk.send("/settings")
    assert "Next reminder: today (Tuesday) 07:30 (Europe/Berlin)" in text_of(menu)

    await walk.tap("⏰ Time")
    assert "Reminder time" in text_of(walk.screen)
    await walk.tap("18:00")
    assert "✓ Saved. ✓ Reminder time: 18:00." in text_of(walk.screen)
    assert "Next reminder: today (Tuesday) 18:00" in text_of(walk.screen)
    assert await _next_reminder(stretchbot, person) == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)

    await walk.tap("🌍 Time zone")
    await walk.tap("Tokyo")  # 15:00 there now: 18:00 is still today
    assert "Time zone: Tokyo (Asia/Tokyo)" in text_of(walk.screen)
    assert await _next_reminder(stretchbot, person) == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    await walk.tap("📅 Days")
    await walk.tap("✅ Tue")
    await walk.tap("Done ✓")
    assert "Days: Mon, Wed, Thu, Fri" in text_of(walk.screen)
    assert await _next_reminder(stretchbot, person) == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    await walk.tap("🎯 Focus")
    await walk.tap("▫️ Calves")
    await walk.tap("Done ✓")
    await walk.tap("📈 Level")
    await walk.tap("🌳 Advanced: I stretch often")
    await walk.tap("⏱ Length")
    await walk.tap("5 min")
    assert "Session: 5 minutes" in text_of(walk.screen)

    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    preferences = subscriber.preferences
    assert (subscriber.timezone, preferences.reminder_time) == ("Asia/Tokyo", time(18, 0))
    assert preferences.weekdays == 0b0011101
    assert preferences.focus_areas == ["hamstrings", "calves"]
    assert (preferences.level, preferences.session_minutes) == ("advanced", 5)
    assert person.bot_messages()[-1].message_id == menu.message_id  # all in one message


async def test_a_time_or_zone_can_be_typed_in_settings(
    stretchbot: RunningBot, walk: Walkthrough
) -> None:
    await walk.send("/settings")
    await walk.tap("⏰ Time")
    (reply,) = await walk.send("25:70")
    assert "There is no hour 25" in text_of(reply)
    (menu,) = await walk.send("6:45")
    assert "✓ Reminder time: 06:45." in text_of(menu)
    assert "tomorrow (Wednesday) 06:45" in text_of(menu)

    await walk.tap("🌍 Time zone")
    (reply,) = await walk.send("UTC+15")
    assert "offsets run from UTC−12 to UTC+14" in text_of(reply)
    (reply,) = await walk.send("Mars/Olympus")
    assert "Mars/Olympus" in text_of(reply)
    confirmation, menu = await walk.send("UTC+3", replies=2)
    assert "Time zone: <b>UTC+03:00</b>" not in text_of(confirmation)
    assert "Time zone: UTC+03:00. It's 09:00 there right now." in text_of(confirmation)
    assert "Your settings" in text_of(menu)
    subscriber = await subscriber_of(stretchbot, walk.person)
    assert subscriber is not None and subscriber.timezone == "UTC+03:00"
    assert subscriber.preferences.reminder_time == time(6, 45)

    (hint,) = await walk.send("7:00")  # no picker open: not taken as a time
    assert "didn't catch that" in text_of(hint)


async def test_settings_buttons_expire_once_the_menu_is_reopened(
    stretchbot: RunningBot, walk: Walkthrough
) -> None:
    (first,) = await walk.send("/settings")
    await walk.tap("⏰ Time")
    await walk.send("/settings")
    tap = await walk.person.tap("18:00", message=first)
    assert (await tap.answered()).text == EXPIRED
    subscriber = await subscriber_of(stretchbot, walk.person)
    assert subscriber is not None and subscriber.preferences.reminder_time == time(7, 30)


async def test_back_and_close(stretchbot: RunningBot, walk: Walkthrough) -> None:
    await walk.send("/settings")
    await walk.tap("📈 Level")
    await walk.tap("↩ Back")
    assert "Your settings" in text_of(walk.screen)
    await walk.tap("✓ Close")
    assert "Settings closed" in text_of(walk.screen)
    assert walk.screen.buttons == ()


async def test_pause_for_a_week_then_resume(stretchbot: RunningBot, walk: Walkthrough) -> None:
    person = walk.person
    await walk.send("/pause")
    await walk.tap("1 week")
    assert "They start again on Tuesday 1 December" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    assert subscriber.status == SubscriberStatus.PAUSED
    assert subscriber.pause_reason == PauseReason.USER
    assert subscriber.paused_until == date(2026, 12, 1)
    assert subscriber.preferences.next_reminder_at is None

    (menu,) = await walk.send("/settings")
    assert "paused until Tuesday 1 December" in text_of(menu)
    assert "▶️ Resume" in menu.button_labels

    (reply,) = await walk.send("/resume")
    assert "Welcome back! Your next reminder: today (Tuesday) 07:30" in text_of(reply)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.paused_until is None
    assert await _next_reminder(stretchbot, person) == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)

    (reply,) = await walk.send("/resume")
    assert "already on" in text_of(reply)


async def test_pause_until_resumed_from_the_menu(stretchbot: RunningBot, walk: Walkthrough) -> None:
    await walk.send("/settings")
    await walk.tap("⏸ Pause")
    await walk.tap("Until I resume")
    assert "Send /resume whenever you're ready" in text_of(walk.screen)
    await walk.send("/settings")
    await walk.tap("▶️ Resume")
    assert "Welcome back!" in text_of(walk.screen)
    assert await _next_reminder(stretchbot, walk.person) is not None


async def test_a_dated_pause_ends_by_itself(stretchbot: RunningBot, walk: Walkthrough) -> None:
    await walk.send("/pause")
    await walk.tap("3 days")
    stretchbot.clock.advance(days=2)
    assert await pausing.lift_pauses(stretchbot.services) == []
    stretchbot.clock.advance(days=1)  # Friday 06:00 UTC, 07:00 in Berlin
    lifted = await pausing.lift_pauses(stretchbot.services)
    subscriber = await subscriber_of(stretchbot, walk.person)
    assert subscriber is not None and lifted == [subscriber.id]
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.preferences.next_reminder_at == datetime(2026, 11, 27, 6, 30, tzinfo=UTC)


async def test_a_red_flag_hold_outlasts_resume_pause_stop_and_start(
    stretchbot: RunningBot, walk: Walkthrough
) -> None:
    person = walk.person
    me = await subscriber_of(stretchbot, person)
    assert me is not None
    await raise_flag(stretchbot, me.id, "professional")

    (held,) = await walk.send("/resume")
    assert "Stretching is on hold" in text_of(held)
    assert "Have you been checked by a doctor or physiotherapist" in text_of(held)
    assert held.button_labels == ["Yes, I've been checked", "Not yet"]
    await walk.tap("Not yet")
    assert "Sessions and reminders both wait" in text_of(walk.screen)
    assert walk.screen.button_labels == ["Yes, I've been checked"], "no way round the check"

    (reply,) = await walk.send("/pause")
    assert "already wait until you've been checked" in text_of(reply)
    await walk.send("/stop")
    await walk.tap("Yes, unsubscribe")
    (back,) = await walk.send("/start")  # coming back does not lift a red flag
    assert "wait until you've been checked" in text_of(back)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.preferences.next_reminder_at is None

    (again,) = await walk.send("/resume")
    lifted = await lift_hold(person, again)
    assert "The hold is lifted" in text_of(lifted) and "Next reminder" in text_of(lifted)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.pause_reason is None
    assert subscriber.preferences.next_reminder_at is not None
    async with stretchbot.services.db() as db:
        assert (
            await db.scalar(PainReport.__table__.select().where(PainReport.resolved_at.is_(None)))
            is None
        )


async def test_stop_explains_and_start_brings_the_person_back(
    stretchbot: RunningBot, walk: Walkthrough
) -> None:
    person = walk.person
    (confirm,) = await walk.send("/stop")
    assert "settings and history stay stored" in text_of(confirm)
    await walk.tap("No, keep my reminders")
    assert "Nothing changed" in text_of(walk.screen)

    (older,) = await walk.send("/stop")
    await walk.send("/stop")
    await walk.tap("Yes, unsubscribe")
    assert "You're unsubscribed" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status == SubscriberStatus.STOPPED
    assert subscriber.preferences.next_reminder_at is None
    stale = await person.tap("No, keep my reminders", message=older)
    assert (await stale.answered()).text == EXPIRED

    for command in ("/settings", "/pause", "/resume"):
        (reply,) = await walk.send(command)
        assert "Send /start to subscribe again" in text_of(reply)
    (reply,) = await walk.send("/stop")
    assert "nothing to stop" in text_of(reply)

    (back,) = await walk.send("/start")
    assert "Your reminders are on again" in text_of(back)
    assert await _next_reminder(stretchbot, person) == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


async def test_commands_before_subscribing_point_to_start(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    for command in ("/settings", "/pause", "/resume"):
        (reply,) = await walk.send(command)
        assert "Send /start" in text_of(reply)
    (reply,) = await walk.send("/stop")
    assert "nothing to stop" in text_of(reply)
    assert await subscriber_of(stretchbot, person) is None
