"""The chat side's rate-limiter hook: messages draw from the budget, other calls do not."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.net.budget import BudgetBusy, BudgetLimits, Priority, SendBudget
from bot.net.ptb_limiter import BEFORE_CALL, BudgetRateLimiter, counts_as_message


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
