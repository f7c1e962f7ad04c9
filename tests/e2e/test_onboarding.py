"""Signing up through the local Telegram, by taps and by typing, on SQLite and PostgreSQL.

The bot's clock stands at Tuesday 24 November 2026, 06:00 UTC (07:00 in Berlin).
Set STRETCHBOT_TRANSCRIPT=<path> to save the conversation of the typing test as a transcript.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time
from pathlib import Path

from bot.chat.texts import common as common_texts
from bot.db.models import SubscriberStatus
from sandbox import inbound
from sandbox.markup import InlineButton
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import (
    Walkthrough,
    onboard,
    subscriber_of,
    text_of,
    through_screening,
)

EXPIRED = common_texts.button_expired()
SEVEN_THIRTY_BERLIN = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


async def test_onboarding_by_taps_edits_one_message_and_subscribes(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    assert "guidance, not medical advice" in text_of(walk.screen)
    assert "numbness or tingling" in text_of(walk.screen)
    answer = await walk.tap("✅ I understand")
    assert answer.text is None
    assert "Question 1 of 4" in text_of(walk.screen)
    for _ in range(4):
        await walk.tap("No")
    assert "Step 1 of 6 · Time zone" in text_of(walk.screen)

    await walk.tap("Berlin")
    assert "It's 07:00 there right now" in text_of(walk.screen)
    await walk.tap("07:30")
    days = walk.screen
    assert days.button_labels[:5] == ["✅ Mon", "✅ Tue", "✅ Wed", "✅ Thu", "✅ Fri"]
    assert "Three to five sessions a week" in text_of(days)
    await walk.tap("▫️ Sat")
    await walk.tap("✅ Sat")
    await walk.tap("✅ Wed")
    await walk.tap("Done ✓")
    assert "Days: Mon, Tue, Thu, Fri" in text_of(walk.screen)

    assert await walk.tap("Done ✓") is not None  # no focus yet: refused with a reason
    assert person.callback_answers[-1].text == "Please pick at least one area."
    await walk.tap("▫️ Hamstrings")
    await walk.tap("▫️ Hips & glutes")
    await walk.tap("▫️ Lower back")
    await walk.tap("✅ Hips & glutes")
    await walk.tap("▫️ Hips & glutes")
    await walk.tap("Done ✓")
    assert "Focus: Hamstrings, Hips & glutes, Lower back" in text_of(walk.screen)
    await walk.tap("🌿 Intermediate: I stretch now and then")
    await walk.tap("15 min")

    summary = walk.screen
    assert "Your first routine arrives today (Tuesday) 07:30 (Europe/Berlin)" in (text_of(summary))
    assert summary.button_labels == ["▶️ Start a session now", "⚙️ Settings"]
    # Everything happened in one message, edited in place.
    assert [m.message_id for m in person.bot_messages()] == [summary.message_id]

    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.onboarding_step is None
    assert subscriber.timezone == "Europe/Berlin"
    assert subscriber.safety_acknowledged_at is not None
    assert subscriber.screening == {
        "answers": dict.fromkeys(("urgent_signs", "pain_now", "recent_injury", "see_first"), "no"),
        "outcome": None,
        "finished": True,
        "confirmed": False,
    }
    preferences = subscriber.preferences
    assert preferences.reminder_time == time(7, 30)
    assert preferences.weekdays == 0b0011011
    assert preferences.focus_areas == ["hamstrings", "hips_glutes", "lower_back"]
    assert (preferences.level, preferences.session_minutes) == ("intermediate", 15)
    assert preferences.next_reminder_at == SEVEN_THIRTY_BERLIN


async def test_onboarding_by_typing_with_every_bad_input(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.send("hello?", replies=2)  # not an answer: a hint and the question again
    assert "Please tap one of the buttons" in text_of(person.bot_messages()[-2])
    assert walk.screen.button_labels == ["✅ I understand"]
    await walk.tap("✅ I understand")
    for _ in range(4):
        await walk.tap("No")

    (reply,) = await walk.send("Mars/Olympus")
    assert "I don't know a time zone called “Mars/Olympus”" in text_of(reply)
    (reply,) = await walk.send("UTC+15")
    assert "offsets run from UTC−12 to UTC+14" in text_of(reply)
    confirmation, time_step = await walk.send("Europe/Berlin", replies=2)
    assert "Time zone: Berlin (Europe/Berlin). It's 07:00 there right now." in (
        text_of(confirmation)
    )
    assert confirmation.removes_keyboard
    assert "Step 2 of 6 · Reminder time" in text_of(time_step)

    (reply,) = await walk.send("25:70")
    assert "There is no hour 25" in text_of(reply)
    (days_step,) = await walk.send("7pm")
    assert "✓ Reminder time: 19:00." in text_of(days_step)
    assert "Step 3 of 6 · Days" in text_of(days_step)

    await walk.send("every day please", replies=2)  # days are tapped, not typed
    assert "Please tap one of the buttons" in text_of(person.bot_messages()[-2])
    await walk.tap("▫️ Sat")
    await walk.tap("Done ✓")
    await walk.tap("▫️ Calves")
    await walk.tap("▫️ Spine")
    await walk.tap("Done ✓")
    await walk.tap("🌱 Beginner: new to it")
    await walk.tap("10 min")
    assert "Your first routine arrives today (Tuesday) 19:00 (Europe/Berlin)" in (
        text_of(walk.screen)
    )

    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.preferences.reminder_time == time(19, 0)
    assert subscriber.preferences.weekdays == 0b0111111
    assert subscriber.preferences.next_reminder_at == datetime(2026, 11, 24, 18, 0, tzinfo=UTC)

    destination = os.environ.get("STRETCHBOT_TRANSCRIPT")
    if destination and stretchbot.settings.database_url.startswith("sqlite"):
        walk.save(
            Path(destination),
            "One onboarding in the sandbox chat, as Alex sees it (typed answers, bad ones too)",
        )


async def test_time_zone_from_a_shared_location(stretchbot: RunningBot, person: SimUser) -> None:
    walk = Walkthrough(person)
    await through_screening(walk)
    await walk.tap("📍 Share my location")
    assert person.reply_keyboard == (("📍 Send my location",),)
    await walk.share_location(35.68, 139.69, replies=2)  # Tokyo
    confirmation, time_step = person.bot_messages()[-2:]
    assert "Time zone: Tokyo (Asia/Tokyo)" in text_of(confirmation)
    assert "It's 15:00 there right now" in text_of(confirmation)
    assert confirmation.removes_keyboard and person.reply_keyboard is None
    assert "Reminder time" in text_of(time_step)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.timezone == "Asia/Tokyo"

    await walk.share_location(35.68, 139.69, replies=1)  # not asked for any more
    assert "only use a location to set your time zone" in text_of(walk.screen)


async def test_wrong_zone_can_be_changed_from_the_time_step(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await through_screening(walk)
    await walk.tap("Tokyo")
    await walk.tap("🌍 Wrong zone? Change it")
    assert "Time zone" in text_of(walk.screen)
    await walk.tap("London")
    assert "It's 06:00 there right now" in text_of(walk.screen)


async def test_onboarding_resumes_after_a_restart_and_old_buttons_expire(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await through_screening(walk)
    first_message = walk.screen
    await walk.tap("Berlin")
    await stretchbot.restart()

    await walk.send("/start")
    resumed = walk.screen
    assert resumed.message_id != first_message.message_id
    assert "Welcome back! Let's carry on where we left off." in text_of(resumed)
    assert "Reminder time" in text_of(resumed)

    await walk.tap("08:00", message=resumed)
    assert "Days" in text_of(walk.screen)

    # The first message still shows the time buttons, but that step has passed.
    old = await person.tap("07:30", message=first_message)
    assert (await old.answered()).text == EXPIRED
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.timezone == "Europe/Berlin"
    assert subscriber.preferences.reminder_time == time(8, 0)
    assert subscriber.onboarding_step == "days"


async def test_forged_malformed_and_foreign_buttons_change_nothing(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    message = walk.screen
    codec = stretchbot.services.codec
    stored = stretchbot.sandbox.state.message(message.chat_id, message.message_id)
    assert stored is not None
    for data in (
        "garbage",
        "1|ob_safe|AAAAAAAA",
        codec.encode(person.id + 1, "ob_safe"),  # signed for someone else
        codec.encode(person.id, "ob_scr", "bladder_bowel", "y"),  # authentic, wrong step
        codec.encode(person.id, "tz", "o", "Europe/Berlin"),
        codec.encode(person.id, "set"),
    ):
        record = inbound.tap(
            stretchbot.sandbox.state, person.person, stored, InlineButton("x", data)
        )
        await stretchbot.sandbox.state.events.wait_for(
            lambda r=record: r.answer,
            timeout=5,  # type: ignore[misc]
        )
        assert record.answer is not None and record.answer.text == EXPIRED, data
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    assert (subscriber.onboarding_step, subscriber.screening, subscriber.timezone) == (
        "safety",
        None,
        stretchbot.settings.default_timezone,  # where /start met them, untouched by the taps
    )


async def test_an_urgent_answer_holds_the_subscription_until_confirmed(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    await walk.tap("Yes")  # bladder or bowel changes: urgent, no more questions
    assert "Please get urgent help now" in text_of(walk.screen)
    await walk.tap("Not yet")
    assert "send /start" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    assert subscriber.status == SubscriberStatus.ONBOARDING
    assert subscriber.preferences.next_reminder_at is None
    assert subscriber.screening is not None and subscriber.screening["outcome"] == "urgent"
    assert subscriber.screening["answers"] == {"urgent_signs": "yes"}

    await walk.send("/start")
    assert "Please get urgent help now" in text_of(walk.screen)
    await walk.tap("Yes, I've been checked")
    await walk.tap("Urgent care or A&E")
    await walk.tap("✅ Stretching is fine")
    assert "Time zone" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.screening is not None
    assert subscriber.screening["confirmed"] is True


async def test_a_see_a_professional_answer_needs_a_professionals_clearance(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    for answer in ("No", "Yes", "No", "No"):  # serious pain now, or pain for over two weeks
        await walk.tap(answer)
    assert "Stop and get it checked" in text_of(walk.screen)
    assert "I understand, continue" not in walk.screen.button_labels
    await walk.tap("I'll check first")
    assert "send /start" in text_of(walk.screen)
    await walk.send("/start")
    await walk.tap("A professional cleared me")
    await walk.tap("A GP or family doctor")
    await walk.tap("✅ Stretching is fine")
    assert "Time zone" in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.screening is not None
    assert subscriber.screening["outcome"] == "professional"
    assert subscriber.screening["confirmed"] is True


async def test_start_when_subscribed_shows_how_things_stand(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    await walk.send("/start")
    assert "You're already subscribed" in text_of(walk.screen)
    assert "Your settings" in text_of(walk.screen)


async def test_in_a_group_the_bot_says_so_once_and_does_nothing_else(
    stretchbot: RunningBot, person: SimUser
) -> None:
    other = stretchbot.sandbox.user("Sam")
    group = stretchbot.sandbox.group("Stretch club", [person, other])
    await group.send(person, "/start")
    told = await group.next_message()
    assert "only work in a private chat" in (told.text or "")
    await group.send(other, "/settings")
    await group.send(person, "/help")
    await walk_settles(stretchbot)
    assert len(group.bot_messages()) == 1
    assert await subscriber_of(stretchbot, person) is None
    assert await subscriber_of(stretchbot, other) is None


async def walk_settles(stretchbot: RunningBot) -> None:
    """Give the bot time to (not) react to messages that must get no reply."""
    import asyncio

    await asyncio.sleep(0.5)
    assert stretchbot.app is not None


async def test_commands_are_registered_for_the_menu(stretchbot: RunningBot) -> None:
    assert stretchbot.app is not None
    names = [command.command for command in await stretchbot.app.bot.get_my_commands()]
    for name in ("start", "settings", "pause", "resume", "stop", "privacy", "export", "delete"):
        assert name in names
    assert "help" in names
