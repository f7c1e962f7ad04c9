"""Shared steps for the session, pain and stats end-to-end tests: set a person up, read the chat.

Test data goes straight into the database (a subscribed person, a reminder sent today), the
way a factory would; everything the person does goes through the sandbox Telegram.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from sqlalchemy import select

from bot.chat.texts import session as texts
from bot.db import subscribers
from bot.db.models import (
    DeliveryStatus,
    PainReport,
    PracticeSession,
    ReminderDelivery,
    SessionEvent,
    Subscriber,
    SubscriberStatus,
)
from bot.domain.lifecycle import Tier
from bot.domain.nerve_check import NerveCheck
from bot.usecases import holds
from bot.usecases import lifecycle as life
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot

TIMEOUT = 10.0


async def subscribe(
    bot: RunningBot,
    person: SimUser,
    routine_id: str | None = None,
    language: str = "en",
    *,
    legs_asked: bool = True,
) -> int:
    """An onboarded, active subscriber with a daily 07:00 reminder, speaking `language`;
    optionally a reminder for `routine_id` sent today, so /now shows that routine. Returns the
    subscriber id. `legs_asked`: the question before the first nerve-tension routine was
    answered "no"."""
    now = bot.clock()
    async with bot.services.session_factory() as db:
        person_row, _ = await subscribers.get_or_create(
            db,
            telegram_user_id=person.id,
            chat_id=person.id,
            first_name=person.first_name,
            language_code=language,
            default_timezone="UTC",
        )
        person_row.status = SubscriberStatus.ACTIVE
        person_row.onboarding_step = None
        person_row.safety_acknowledged_at = now
        person_row.last_screened_at = now  # the safety questions answered, as at sign-up
        person_row.timezone = "UTC"
        if legs_asked:
            person_row.nerve_check = NerveCheck(tight=False).stored()
        preferences = await subscribers.preferences_of(db, person_row)
        preferences.reminder_time = time(7, 0)
        preferences.weekdays = 0b1111111
        await life.preferences_changed(db, person_row, now)
        if routine_id is not None:
            db.add(
                ReminderDelivery(
                    subscriber_id=person_row.id,
                    due_at=now,
                    status=DeliveryStatus.SENT,
                    routine_id=routine_id,
                    sent_at=now,
                )
            )
        await db.commit()
        return person_row.id


async def freshly_screened(bot: RunningBot, person: SimUser) -> None:
    """The person answered the safety questions just now (on the test's clock), as if they had
    been asked again: for tests that move the clock weeks on and are about something else.
    The rule itself (`bot.domain.rescreening`) is pinned by tests/e2e/test_rescreening.py."""
    async with bot.services.session_factory() as db:
        row = await subscribers.get_by_user_id(db, person.id)
        assert row is not None, "subscribe or sign up first"
        row.last_screened_at = bot.clock()
        await db.commit()


async def subscriber(bot: RunningBot, subscriber_id: int) -> Subscriber:
    async with bot.services.session_factory() as db:
        found = await subscribers.get_by_id(db, subscriber_id)
        assert found is not None
        return found


async def practice_sessions(bot: RunningBot, subscriber_id: int) -> list[PracticeSession]:
    async with bot.services.session_factory() as db:
        result = await db.execute(
            select(PracticeSession)
            .where(PracticeSession.subscriber_id == subscriber_id)
            .order_by(PracticeSession.id)
        )
        return list(result.scalars())


async def event_kinds(bot: RunningBot, session_id: int) -> list[tuple[str, str, str | None]]:
    """(kind, stretch, side or answer) of every history row of a session, in order."""
    async with bot.services.session_factory() as db:
        result = await db.execute(
            select(SessionEvent)
            .where(SessionEvent.session_id == session_id)
            .order_by(SessionEvent.id)
        )
        return [(e.kind, e.stretch_id, e.side or e.checkin_answer) for e in result.scalars()]


async def pain_reports(bot: RunningBot, subscriber_id: int) -> list[PainReport]:
    async with bot.services.session_factory() as db:
        result = await db.execute(
            select(PainReport)
            .where(PainReport.subscriber_id == subscriber_id)
            .order_by(PainReport.id)
        )
        return list(result.scalars())


def has(fragment: str) -> Callable[[ChatMessage], bool]:
    def check(message: ChatMessage) -> bool:
        return fragment in (message.text or "")

    return check


async def open_card(person: SimUser) -> ChatMessage:
    await person.send("/now")
    return await person.wait_for_message(has("Today:"), timeout=TIMEOUT)


async def start_session(person: SimUser, card: ChatMessage) -> ChatMessage:
    """Tap Start on the card; returns the first step's message."""
    tap = await person.tap(texts.start(), message=card)
    assert (await tap.answered(TIMEOUT)).text is None
    return await person.wait_for_message(has("1/"), timeout=TIMEOUT)


def hold_label(message: ChatMessage) -> str:
    for label in message.button_labels:
        if label.startswith("▶️ Start") and (
            label.endswith(" hold") or label.endswith(("round", "rounds"))
        ):
            return label
    raise AssertionError(f"no hold button on {message.text!r}: {message.button_labels}")


async def tap(person: SimUser, label: str, message: ChatMessage) -> str | None:
    """Tap and return the bot's answer text (None for a plain acknowledgement)."""
    pressed = await person.tap(label, message=message)
    return (await pressed.answered(TIMEOUT)).text


async def hold(person: SimUser, message: ChatMessage) -> ChatMessage:
    """Start the hold, see "Hold — N s" in place, then the timer's NEW message."""
    assert await tap(person, hold_label(message), message) is None
    holding = await person.wait_for_edit(message, timeout=TIMEOUT)
    assert "Hold —" in (holding.text or "") or "Slow rounds —" in (holding.text or "")
    assert holding.button_labels[0] == texts.done_early()
    released = await person.wait_for_message(timeout=TIMEOUT)
    assert released.message_id != message.message_id
    assert "Time!" in (released.text or "")
    closed = person.message(message.message_id)
    assert closed is not None and not closed.buttons, "the old hold message keeps no buttons"
    return released


async def hold_briefly(person: SimUser, message: ChatMessage) -> ChatMessage:
    """Start the hold and end it at once with [Done early]: the same message moves on."""
    assert await tap(person, hold_label(message), message) is None
    assert await tap(person, texts.done_early(), message) is None
    return await current(person, message)


async def current(person: SimUser, message: ChatMessage) -> ChatMessage:
    """The message as it is now (after the bot edited it)."""
    seen = person.message(message.message_id)
    assert seen is not None
    return seen


def at(bot: RunningBot) -> datetime:
    return bot.clock()


async def raise_flag(bot: RunningBot, subscriber_id: int, tier: str = "urgent") -> int:
    """A red flag recorded the way every code path records one (triage, check-in, screening);
    returns the report id."""
    async with bot.services.db() as db:
        person = await subscribers.get_by_id(db, subscriber_id)
        assert person is not None
        report = await holds.record_red_flag(
            db, person, "o", Tier(tier), [("red_flags", "leg_weakness")], bot.clock()
        )
        return report.id


WHO_GP = "A GP or family doctor"
CLEARED = "✅ Stretching is fine"


async def lift_hold(
    person: SimUser, held: ChatMessage, who: str = WHO_GP, said: str = CLEARED
) -> ChatMessage:
    """ "Yes, I've been checked" -> who checked you -> what they said, on the same message."""
    assert await tap(person, "Yes, I've been checked", held) is None
    asked = await current(person, held)
    assert "Who checked you?" in (asked.text or "")
    assert await tap(person, who, asked) is None
    verdict = await current(person, held)
    assert "what did they say" in (verdict.text or "")
    assert await tap(person, said, verdict) is None
    return await current(person, held)
