"""Every button a person had on screen before a red flag, tapped after it: none may bring a
session back (a card to start, a step, a hold, a step-up), schedule a reminder or lift the hold.
The pain buttons may still open the questions: that is the one way forward a hold leaves, with
"I've been checked". Through the local Telegram, on SQLite and PostgreSQL; the strict sandbox
fails a test on any refusal, traceback or unanswered tap.

The screens are the practice screens of `test_every_button_practice` (each reached the same way
by a fresh person); the flag is recorded the way every path records one (`raise_flag`).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.chat.texts import session as texts
from bot.db import pain, subscribers
from bot.db.models import DeliveryStatus, ReminderDelivery
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.crawl import Screen, assert_no_apology, by_command, then_tap
from tests.e2e.practice_helpers import TIMEOUT, raise_flag
from tests.e2e.test_every_button_practice import SCREENS as PRACTICE_SCREENS
from tests.e2e.walkthrough import Walkthrough, onboard

pytestmark = pytest.mark.e2e

STEP_TEXT = re.compile(r"^\d+/\d+ · ", re.MULTILINE)
"""How a session step begins: "2/6 · Standing hamstring stretch"."""


async def signed_up(bot: RunningBot, person: SimUser) -> ChatMessage:
    """The last screen of sign-up: "You're all set! Fancy a first session right now?"."""
    walk = Walkthrough(person)
    await onboard(walk)
    return walk.screen


SETTINGS = by_command("/settings", "⏰ Time")
SCREENS = [
    *PRACTICE_SCREENS,
    Screen("signed up", signed_up),
    Screen("help", by_command("/help", "▶️ Session now")),
    Screen("stats", by_command("/stats", "▶️ Today's session")),
    Screen("settings", SETTINGS),
    Screen("settings: time", then_tap(SETTINGS, "⏰ Time")),
    Screen("settings: days", then_tap(SETTINGS, "📅 Days")),
    Screen("settings: pause", then_tap(SETTINGS, "⏸ Pause")),
]


def session_offers(message: ChatMessage) -> list[str]:
    """What on `message` would start or carry on stretching."""
    labels = message.button_labels
    offers = [
        label
        for label in labels
        if label in (texts.start(), texts.continue_button(), texts.done_early())
        or label.startswith("▶️ Start")
        or "Try the harder one" in label
    ]
    if STEP_TEXT.search(message.text or ""):
        offers.append("a session step")
    if "Time!" in (message.text or ""):
        offers.append("a hold's end")
    return offers


async def _reminders_owed(bot: RunningBot, person: SimUser) -> list[str]:
    """Every reminder the person is owed: a scheduled one, a pending delivery (a snooze)."""
    async with bot.services.db() as db:
        row = await subscribers.get_by_user_id(db, person.id)
        assert row is not None
        result = await db.execute(
            select(ReminderDelivery.due_at).where(
                ReminderDelivery.subscriber_id == row.id,
                ReminderDelivery.status == DeliveryStatus.PENDING,
            )
        )
        owed = [f"pending delivery due {due}" for due in result.scalars()]
        if row.preferences.next_reminder_at is not None:
            owed.append(f"next reminder {row.preferences.next_reminder_at}")
        return owed


async def _still_held(bot: RunningBot, person: SimUser) -> bool:
    async with bot.services.db() as db:
        row = await subscribers.get_by_user_id(db, person.id)
        assert row is not None
        return bool(await pain.unresolved_red_flags(db, row.id))


async def _labels(bot: RunningBot, screen: Screen) -> list[str]:
    message = await screen.reach(bot, bot.sandbox.user("Alex", language_code="en"))
    return message.button_labels


async def _tap_after_a_flag(bot: RunningBot, screen: Screen, label: str) -> None:
    person = bot.sandbox.user("Alex", language_code="en")
    message = await screen.reach(bot, person)
    async with bot.services.db() as db:
        row = await subscribers.get_by_user_id(db, person.id)
        assert row is not None
        me = row.id
    await raise_flag(bot, me)
    assert await bot.sandbox.settle(TIMEOUT), bot.sandbox.problems()
    versions = {m.message_id: m.version for m in person.bot_messages()}

    pressed = await person.tap(label, message=message)
    await pressed.answered(TIMEOUT)
    assert await bot.sandbox.settle(TIMEOUT), bot.sandbox.problems()

    changed = [m for m in person.bot_messages() if versions.get(m.message_id) != m.version]
    offered = {m.message_id: session_offers(m) for m in changed if session_offers(m)}
    assert not offered, f"[{screen}] [{label}] after a red flag: {offered}\n{person.transcript()}"
    assert await _still_held(bot, person), f"[{screen}] [{label}] lifted the hold"
    assert await _reminders_owed(bot, person) == [], f"[{screen}] [{label}] owes a reminder"
    assert_no_apology(person)


@pytest.mark.parametrize("screen", SCREENS, ids=str)
async def test_no_old_button_brings_a_session_back(stretchbot: RunningBot, screen: Screen) -> None:
    labels = await _labels(stretchbot, screen)
    assert labels, f"{screen} shows no buttons"
    for label in labels:
        await _tap_after_a_flag(stretchbot, screen, label)
