"""Build the bot's one send budget from the settings: in Redis when shared, else in-process."""

from __future__ import annotations

from bot.config import Settings
from bot.net.budget import BudgetLimits, SendBudget
from bot.net.budget_redis import RedisStore


def bot_id(token: str) -> str:
    """The bot's numeric id, the part of the token before the colon (not secret)."""
    return token.split(":", 1)[0]


def build_budget(settings: Settings) -> SendBudget:
    """One `SendBudget` for the chat side and the dispatcher of this process.

    With `REDIS_URL` every process of the bot shares it; without, it is this process's alone.
    """
    limits = BudgetLimits.telegram(
        global_rate=settings.rate_limit_global_per_second,
        chat_rate=settings.rate_limit_per_chat_per_second,
        paid_broadcast=settings.allow_paid_broadcast,
    )
    if settings.redis_url is None:
        return SendBudget(limits)
    token = settings.telegram_bot_token.get_secret_value()
    return SendBudget(limits, RedisStore.from_url(settings.redis_url, bot_id(token)))
