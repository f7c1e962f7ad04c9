"""The strict stand-in: refusals, unanswered taps and updates, and tracebacks are found."""

from __future__ import annotations

import logging

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.logging_setup import TokenRedactingFilter
from sandbox import SandboxServer, SimUser
from sandbox.referee import TelegramWouldRefuse

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])


async def test_a_refused_call_is_a_problem_until_declared(
    sandbox: SandboxServer, bot: telegram.Bot, started: SimUser
) -> None:
    sent = await bot.send_message(started.id, "Hello")
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("Hi", chat_id=started.id, message_id=sent.message_id + 5)
    problems = sandbox.problems()
    assert any("editMessageText" in line and "not found" in line for line in problems)
    with pytest.raises(TelegramWouldRefuse, match="to edit not found"):
        sandbox.assert_strict()
    sandbox.expect_refusal("editMessageText", description="not found", chat_id=started.id)
    sandbox.assert_strict()


async def test_not_modified_is_counted_but_no_refusal(
    sandbox: SandboxServer, bot: telegram.Bot, started: SimUser
) -> None:
    sent = await bot.send_message(started.id, "Hello")
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Hello", chat_id=started.id, message_id=sent.message_id)
    assert sandbox.problems() == []
    assert sandbox.referee.not_modified == 1


async def test_a_blocked_person_is_declared_in_one_line(
    sandbox: SandboxServer, bot: telegram.Bot, started: SimUser
) -> None:
    await bot.send_message(started.id, "Welcome")
    await started.block()
    with pytest.raises(Forbidden):
        await bot.send_message(started.id, "Are you there?")
    assert sandbox.problems()
    sandbox.expect_blocked(started)
    sandbox.assert_strict()


async def test_a_tap_must_be_answered_exactly_once(
    sandbox: SandboxServer, bot: telegram.Bot, started: SimUser
) -> None:
    await bot.send_message(started.id, "Ready?", reply_markup=KEYBOARD)
    tap = await started.tap("Go")
    assert any("never answered" in line for line in sandbox.problems())
    await bot.answer_callback_query(tap.query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(tap.query_id)
    problems = sandbox.problems()
    assert not any("never answered" in line for line in problems)
    assert any("answerCallbackQuery" in line for line in problems), "the second answer counts"


async def test_every_private_update_needs_a_reaction(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    ann = sandbox.user("Ann")
    await ann.send("/start")
    await ann.send("hello?")
    assert sandbox.problems() == [f"no reaction in chat {ann.id} to: message, message"]
    assert not await sandbox.settle(timeout=0.05)
    await bot.send_message(ann.id, "Hi Ann")
    assert sandbox.problems() == [f"no reaction in chat {ann.id} to: message"]
    await bot.send_message(ann.id, "How are you?")
    assert sandbox.problems() == []
    assert await sandbox.settle(timeout=0.05)
    assert sandbox.referee.private_updates == 2
    assert len(sandbox.referee.reaction_seconds) == 2


async def test_a_logged_traceback_is_a_problem_until_declared(sandbox: SandboxServer) -> None:
    try:
        raise LookupError("no such routine")
    except LookupError:
        logging.getLogger("bot.chat.somewhere").warning("something failed", exc_info=True)
    logging.getLogger("bot.chat.somewhere").error("an error without a traceback")
    problems = sandbox.problems()
    assert len(problems) == 1 and "LookupError: no such routine" in problems[0]
    sandbox.referee.expect_traceback(ValueError)
    assert sandbox.problems()
    sandbox.referee.expect_traceback(LookupError, logger="bot.chat")
    assert sandbox.problems() == []


async def test_a_traceback_is_found_after_the_token_filter_took_it_apart(
    sandbox: SandboxServer,
) -> None:
    logger = logging.getLogger("telegram.ext.somewhere")
    logger.addFilter(TokenRedactingFilter())
    try:
        try:
            raise KeyError("gone")
        except KeyError:
            logger.error("a job failed", exc_info=True)
    finally:
        for existing in list(logger.filters):
            logger.removeFilter(existing)
    (problem,) = sandbox.problems()
    assert "telegram.ext.somewhere" in problem and "KeyError" in problem
    sandbox.referee.expect_traceback(KeyError)
    assert sandbox.problems() == []


async def test_blocking_voids_what_the_person_waited_for(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    ann = sandbox.user("Ann")
    await ann.send("/start")
    await ann.send("still there?")
    await ann.block()
    assert sandbox.problems() == []
