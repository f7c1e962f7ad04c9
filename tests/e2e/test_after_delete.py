"""After /delete, the person is a stranger again: every old button and every command gets a
clear answer that keeps nothing of them, a sign-up starts from the safety note, and a pain
report still gets its questions (safety first, whatever was erased). Through the local
Telegram, on SQLite and PostgreSQL; the strict sandbox fails a test on any refusal, traceback
or unanswered tap."""

from __future__ import annotations

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import privacy as privacy_texts
from bot.chat.texts import settings as settings_texts
from bot.db.models import SubscriberStatus
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.crawl import assert_no_apology
from tests.e2e.practice_helpers import TIMEOUT, has, open_card, start_session
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of

pytestmark = pytest.mark.e2e

URGENT_QUESTION = "bladder or bowels"
"""The first triage question, asked before anything else after any mention of pain."""

NOT_SET_UP = "haven't finished setting up"


async def _replies_to(bot: RunningBot, person: SimUser, text: str) -> list[ChatMessage]:
    person.mark_read()
    await person.send(text)
    assert await bot.sandbox.settle(TIMEOUT), bot.sandbox.problems()
    replies = person.unread()
    assert replies, f"{text!r} got no reply\n{person.transcript()}"
    return replies


async def _old_screens(walk: Walkthrough, person: SimUser) -> dict[str, ChatMessage]:
    """A subscriber's screens with buttons, as a person leaves them lying in the chat."""
    card = await open_card(person)
    screens = {"session step": await start_session(person, card)}
    for command in ("/settings", "/stop", "/delete", "/language"):
        (screens[command],) = await walk.send(command)
        assert screens[command].buttons, command
    return screens


async def _erase(walk: Walkthrough) -> None:
    await walk.send("/delete")
    await walk.tap("Yes, erase everything")
    assert "everything I had stored about you is gone" in text_of(walk.screen)


async def test_every_old_button_after_delete_keeps_nothing(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    screens = await _old_screens(walk, person)
    await _erase(walk)

    for name, screen in screens.items():
        if name in ("session step", "/language"):
            continue  # below
        for label in screen.button_labels:
            person.mark_read()
            pressed = await person.tap(label, message=screen)
            answer = (await pressed.answered(TIMEOUT)).text
            assert await stretchbot.sandbox.settle(TIMEOUT), stretchbot.sandbox.problems()
            assert answer == common_texts.button_expired(), (name, label, answer)
            assert person.unread() == [], (name, label, "a tap after /delete sent a screen")
            now = person.message(screen.message_id)
            assert now is not None and text_of(now) == text_of(screen), (name, label)
            assert await subscriber_of(stretchbot, person) is None, (name, label)

    step = screens["session step"]
    labels = [label for label in step.button_labels if label != common_texts.in_pain()]
    for label in labels:
        pressed = await person.tap(label, message=step)
        assert (await pressed.answered(TIMEOUT)).text == common_texts.button_expired(), label
        assert await subscriber_of(stretchbot, person) is None, label
    # A language is a choice a stranger can make too (it makes their row, holding only that).
    pressed = await person.tap("✓ English", message=screens["/language"])
    assert (await pressed.answered(TIMEOUT)).text is None
    assert await stretchbot.sandbox.settle(TIMEOUT)
    stranger = await subscriber_of(stretchbot, person)
    assert stranger is not None and stranger.language_code == "en"
    assert stranger.safety_acknowledged_at is None
    assert stranger.status == SubscriberStatus.ONBOARDING

    person.mark_read()
    pressed = await person.tap(common_texts.in_pain(), message=step)
    await pressed.answered(TIMEOUT)
    await person.wait_for_message(has(URGENT_QUESTION), timeout=TIMEOUT)
    assert not [m for m in person.unread() if "1/" in text_of(m)], "a session step came back"
    assert_no_apology(person)


GONE_COMMANDS = {
    "/settings": "/start",
    "/pause": "/start",
    "/resume": "/start",
    "/report": "/start",
    "/stop": settings_texts.stop_nothing(),
    "/export": privacy_texts.nothing_stored(),
    "/delete": privacy_texts.nothing_stored(),
}
"""What a stranger's command answers, in part: each points to /start or says there is nothing."""


async def test_every_command_after_delete_answers_a_stranger(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    await _erase(walk)

    for command, expected in GONE_COMMANDS.items():
        (reply,) = await _replies_to(stretchbot, person, command)
        assert expected in text_of(reply), (command, text_of(reply))
        assert NOT_SET_UP not in text_of(reply), command
        assert await subscriber_of(stretchbot, person) is None, f"{command} kept a row"
    for harmless in ("/help", "/privacy", "/stats", "hello"):
        replies = await _replies_to(stretchbot, person, harmless)
        assert all(NOT_SET_UP not in text_of(m) for m in replies), harmless
        assert await subscriber_of(stretchbot, person) is None, f"{harmless} kept a row"

    (question,) = await _replies_to(stretchbot, person, "/now")
    assert "Today:" not in text_of(question), "a session without the safety questions"
    assert "Question 1 of 4" in text_of(question)
    # Half-way through the questions they are still not subscribed: nothing to unsubscribe from.
    (reply,) = await _replies_to(stretchbot, person, "/stop")
    assert text_of(reply) == settings_texts.stop_nothing(), text_of(reply)
    assert_no_apology(person)


@pytest.mark.parametrize("report", ["/pain", "my leg is numb"])
async def test_pain_after_delete_is_still_answered(
    stretchbot: RunningBot, person: SimUser, report: str
) -> None:
    walk = Walkthrough(person)
    await onboard(walk)
    await _erase(walk)
    replies = await _replies_to(stretchbot, person, report)
    assert any(URGENT_QUESTION in text_of(m) for m in replies), person.transcript()
    assert not any(common_texts.in_pain() in m.button_labels for m in replies)
