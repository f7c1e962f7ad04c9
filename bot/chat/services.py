"""What every handler needs, built once per application and kept in `bot_data`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.chat.codec import CallbackCodec
from bot.config import Settings
from bot.content.loader import Content
from bot.domain.progression import Rules, rules_for
from bot.net.budget import SendBudget

SERVICES_KEY = "stretchbot.services"
_RULES_KEY = "stretchbot.progress_rules"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Settings, content, the database, the clock and the send budget, in one place.

    `clock` is injectable so tests control time instead of sleeping for hours.
    """

    settings: Settings
    content: Content
    session_factory: async_sessionmaker[AsyncSession]
    codec: CallbackCodec
    clock: Callable[[], datetime] = utc_now
    extras: dict[str, Any] = field(default_factory=dict)
    # False in a webhook worker of a scaled set-up: the dispatcher process sends reminders.
    runs_reminders: bool = True
    # The bot's one send budget: the chat side's rate limiter and the dispatcher share it.
    budget: SendBudget = field(default_factory=SendBudget)

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit when the block succeeds, roll back when it raises."""
        async with self.session_factory() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    def now(self) -> datetime:
        return self.clock()

    @property
    def rules(self) -> Rules:
        """The progression rules of the loaded content, compiled once per content version."""
        cached = self.extras.get(_RULES_KEY)
        if cached is None or cached[0] is not self.content:
            cached = (self.content, rules_for(self.content, self.content.safety.checkin))
            self.extras[_RULES_KEY] = cached
        rules: Rules = cached[1]
        return rules


AnyContext = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def services_of(context: AnyContext) -> Services:
    services = context.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services


def services_of_app(application: AnyApplication) -> Services:
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services
