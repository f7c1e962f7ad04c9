"""The chat side's rate-limiter hook: messages draw from the budget, other calls do not."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.net.budget import BudgetBusy, BudgetLimits, Priority, SendBudget
from bot.net.ptb_limiter import BEFORE_CALL, BudgetRateLimiter, counts_as_message
from bot.net.unreachable import UnreachableChats


def test_which_calls_count_as_messages() -> None:
    assert counts_as_message("sendMessage")
    assert counts_as_message("editMessageText")
    assert counts_as_message("copyMessage")
    assert not counts_as_message("answerCallbackQuery")
    assert not counts_as_message("sendChatAction")
    assert not counts_as_message("getMe")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_429_pauses_the_chat_counts_and_retries() -> None:
    budget = SendBudget(BudgetLimits())
    limiter = BudgetRateLimiter(budget, max_retries=2)
    calls: list[str] = []

    async def post(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        calls.append(endpoint)
        if len(calls) == 1:
            raise RetryAfter(1)
        return {"ok": True}

    result = await limiter.process_request(
        post, ("sendMessage", {"chat_id": 5}), {}, "sendMessage", {"chat_id": 5}, None
    )
    assert result == {"ok": True}
    assert calls == ["sendMessage", "sendMessage"]
    assert budget.stats.floods == {"person": 1}
    assert budget.stats.granted == {"person": 2}


async def test_callback_answers_are_not_counted() -> None:
    budget = SendBudget(BudgetLimits())
    limiter = BudgetRateLimiter(budget)

    async def post(endpoint: str, data: dict[str, Any]) -> bool:
        return True

    for _ in range(10):
        await limiter.process_request(
            post, ("answerCallbackQuery", {}), {}, "answerCallbackQuery", {}, None
        )
    assert budget.stats.granted == {}


async def test_bulk_work_can_ask_for_reminder_priority() -> None:
    budget = SendBudget(BudgetLimits())
    limiter = BudgetRateLimiter(budget)

    async def post(endpoint: str, data: dict[str, Any]) -> bool:
        return True

    await limiter.process_request(
        post,
        ("sendMessage", {"chat_id": "9"}),
        {},
        "sendMessage",
        {"chat_id": "9"},
        {"priority": Priority.REMINDER},
    )
    assert budget.stats.granted == {"reminder": 1}


async def test_a_countdown_edit_without_a_free_turn_is_skipped_not_sent() -> None:
    budget = SendBudget(BudgetLimits())
    limiter = BudgetRateLimiter(budget)
    calls: list[str] = []

    async def post(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        calls.append(endpoint)
        return {"ok": True}

    args = ("editMessageText", {"chat_id": 5})
    tick = {"priority": Priority.TICK}
    await limiter.process_request(post, args, {}, "editMessageText", {"chat_id": 5}, tick)
    with pytest.raises(BudgetBusy):
        await limiter.process_request(post, args, {}, "editMessageText", {"chat_id": 5}, tick)
    assert calls == ["editMessageText"]
    # The person's own edit right after still goes through at once.
    await limiter.process_request(post, args, {}, "editMessageText", {"chat_id": 5}, None)
    assert budget.stats.granted == {"tick": 1, "person": 1}


async def test_what_the_update_holds_is_given_back_before_every_call() -> None:
    budget = SendBudget(BudgetLimits())
    limiter = BudgetRateLimiter(budget)
    order: list[str] = []

    async def release() -> None:
        order.append("release")

    async def post(endpoint: str, data: dict[str, Any]) -> bool:
        order.append(endpoint)
        return True

    token = BEFORE_CALL.set(release)
    try:
        for endpoint in ("sendMessage", "answerCallbackQuery"):
            await limiter.process_request(post, (endpoint, {}), {}, endpoint, {"chat_id": 5}, None)
    finally:
        BEFORE_CALL.reset(token)
    await limiter.process_request(post, ("getMe", {}), {}, "getMe", {}, None)
    assert order == ["release", "sendMessage", "release", "answerCallbackQuery", "getMe"]


async def test_after_a_403_the_chat_gets_no_request_until_the_person_is_back() -> None:
    limiter = BudgetRateLimiter(SendBudget(BudgetLimits()))
    calls: list[int] = []

    async def post(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        calls.append(data["chat_id"])
        if data["chat_id"] == 5 and len(calls) == 1:
            raise Forbidden("Forbidden: bot was blocked by the user")
        return {"ok": True}

    async def send(chat_id: int) -> object:
        data = {"chat_id": chat_id}
        return await limiter.process_request(
            post, ("sendMessage", data), {}, "sendMessage", data, None
        )

    for _ in range(3):
        with pytest.raises(Forbidden, match="blocked by the user"):
            await send(5)
    await send(6)  # other people are not affected
    assert calls == [5, 6]
    limiter.unreachable.wrote(5, 40)  # queued before the block: proves nothing
    limiter.unreachable.blocked(5, 41)  # Telegram's my_chat_member: kicked
    limiter.unreachable.wrote(5, 39)
    with pytest.raises(Forbidden):
        await send(5)
    limiter.unreachable.wrote(5, 42)  # written after the block: they are back
    await send(5)
    assert calls == [5, 6, 5]


def test_an_unblock_ends_a_block_and_other_403s_end_with_any_message() -> None:
    chats = UnreachableChats()
    chats.blocked(9, update_id=10)
    with pytest.raises(Forbidden, match="blocked by the user"):
        chats.check(9)
    chats.back(9)
    chats.check(9)
    chats.refused(8, "Forbidden: bot can't initiate conversation with a user")
    with pytest.raises(Forbidden, match="initiate"):
        chats.check(8)
    chats.wrote(8, update_id=1)
    chats.check(8)
    small = UnreachableChats(capacity=2)
    for chat_id in (1, 2, 3):
        small.blocked(chat_id, update_id=chat_id)
    assert 1 not in small and 2 in small and 3 in small


async def test_a_message_telegram_said_is_gone_is_not_edited_again() -> None:
    limiter = BudgetRateLimiter(SendBudget(BudgetLimits()))
    calls: list[int] = []

    async def post(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        calls.append(data["message_id"])
        if data["message_id"] == 36:
            raise BadRequest("Message to edit not found")
        if data["message_id"] == 37:
            raise BadRequest("Message is not modified")
        return {"ok": True}

    async def edit(message_id: int) -> object:
        data = {"chat_id": 5, "message_id": message_id, "text": "Time!"}
        return await limiter.process_request(
            post, ("editMessageText", data), {}, "editMessageText", data, None
        )

    for _ in range(3):
        with pytest.raises(BadRequest, match="to edit not found"):
            await edit(36)
    for _ in range(2):  # a harmless refusal is not remembered
        with pytest.raises(BadRequest, match="not modified"):
            await edit(37)
    await edit(38)
    assert calls == [36, 37, 37, 38]
