"""The strict stand-in: refusals, unanswered taps and updates, and tracebacks are found."""

from __future__ import annotations

import logging

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.logging_setup import TokenRedactingFilter
from sandbox import SandboxServer, SimUser
from sandbox.referee import ARRIVED_AT, Referee, TelegramWouldRefuse, refusal_class

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


# A crowd of strangers: only what no bot can avoid is excused -----------------------------------


async def test_a_crowd_excuses_the_403_that_tells_of_a_block_and_no_retry(
    sandbox: SandboxServer, bot: telegram.Bot, started: SimUser
) -> None:
    sandbox.excuse_unavoidable()
    await bot.send_message(started.id, "Welcome")
    await started.block()
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(started.id, "Are you there?")
    assert sandbox.referee.excused == {"unreachable_chat": 1}
    assert sandbox.referee.refusals_by_class() == {"unreachable_chat": 1}
    assert any("[unreachable_chat]" in line for line in sandbox.problems())


async def test_a_new_block_after_an_unblock_is_a_new_first_403(
    sandbox: SandboxServer, bot: telegram.Bot, started: SimUser
) -> None:
    sandbox.excuse_unavoidable()
    for _ in range(2):
        await started.block()
        with pytest.raises(Forbidden):
            await bot.send_message(started.id, "Still there?")
        await started.unblock()
        await bot.send_message(started.id, "Welcome back")
    assert sandbox.referee.excused == {"unreachable_chat": 2}
    sandbox.assert_strict()


async def test_a_403_without_a_block_is_never_excused(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    sandbox.excuse_unavoidable()
    stranger = sandbox.user("Stranger")  # never pressed Start: the bot cannot write first
    with pytest.raises(Forbidden):
        await bot.send_message(stranger.id, "Hello")
    assert sandbox.referee.refusals_by_class() == {"unreachable_chat": 1}


async def test_only_the_first_edit_of_a_deleted_message_is_excused(
    sandbox: SandboxServer, bot: telegram.Bot, started: SimUser
) -> None:
    sandbox.excuse_unavoidable()
    sent = await bot.send_message(started.id, "Ready?", reply_markup=KEYBOARD)
    tap = await started.tap_then_delete("Go")
    await bot.answer_callback_query(tap.query_id)
    for text in ("Go!", "Go again!"):
        with pytest.raises(BadRequest, match="to edit not found"):
            await bot.edit_message_text(text, chat_id=started.id, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="to edit not found"):  # never existed: a plain bug
        await bot.edit_message_text("?", chat_id=started.id, message_id=sent.message_id + 9)
    assert sandbox.referee.excused == {"edit_gone": 1}
    assert sandbox.referee.refusals_by_class() == {"edit_gone": 2}


def test_a_403_for_a_call_already_in_flight_when_the_bot_was_told_is_excused() -> None:
    now = [100.0]
    referee = Referee(lambda: now[0])
    referee.excuse_unavoidable(lambda chat_id, message_id: False)
    chat = {"id": 7, "type": "private"}
    referee.update_pushed(
        1, "my_chat_member", {"chat": chat, "new_chat_member": {"status": "kicked"}}
    )
    in_flight = ARRIVED_AT.set(100.5)  # reached Telegram before the first 403 went back
    now[0] = 101.0
    referee.refused("sendMessage", 403, "Forbidden: bot was blocked by the user", {"chat_id": 7})
    now[0] = 101.2
    referee.refused("sendMessage", 403, "Forbidden: bot was blocked by the user", {"chat_id": 7})
    ARRIVED_AT.reset(in_flight)
    retry = ARRIVED_AT.set(101.5)  # sent after the bot had been told
    referee.refused(
        "editMessageText", 403, "Forbidden: bot was blocked by the user", {"chat_id": 7}
    )
    ARRIVED_AT.reset(retry)
    assert referee.excused == {"unreachable_chat": 2}
    assert [r.method for r in referee.unexpected_refusals()] == ["editMessageText"]


@pytest.mark.parametrize(
    ("method", "status", "description", "kind"),
    [
        ("sendMessage", 403, "Forbidden: bot was blocked by the user", "unreachable_chat"),
        ("sendMessage", 403, "Forbidden: user is deactivated", "unreachable_chat"),
        ("answerCallbackQuery", 400, "Bad Request: query is too old", "callback_answer"),
        ("editMessageText", 400, "Bad Request: message to edit not found", "edit_gone"),
        ("sendMessage", 400, "Bad Request: BUTTON_DATA_INVALID button", "markup"),
        ("sendMessage", 400, "Bad Request: message text is empty", "text"),
        ("sendMessage", 400, "Bad Request: chat not found", "missing_target"),
        ("setMyCommands", 400, "Bad Request: something new", "other"),
    ],
)
def test_every_refusal_has_a_class(method: str, status: int, description: str, kind: str) -> None:
    assert refusal_class(method, status, description) == kind
