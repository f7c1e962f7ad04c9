"""What every handler needs, built once per application and kept in `bot_data`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.chat.codec import CallbackCodec
from bot.config import Settings
from bot.content.loader import Content
from bot.db.unit import unit_of_work
from bot.domain.progression import Rules, rules_for
from bot.net.budget import SendBudget

if TYPE_CHECKING:
    from bot.dispatch import Dispatcher
    from bot.health import HealthServer

SERVICES_KEY = "stretchbot.services"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Settings, content, the database, the clock and the send budget, in one place.

    `clock` and `hold_scale` are injectable so tests control time instead of sleeping for
    hours. The fields after `budget` are filled by the features at start-up (and are None or
    empty until then), each by one module: no untyped bag of extras.
    """

    settings: Settings
    content: Content
    session_factory: async_sessionmaker[AsyncSession]
    codec: CallbackCodec
    clock: Callable[[], datetime] = utc_now
    hold_scale: float = 1.0
    """Real seconds per second of hold (`bot.chat.timers`): 1.0 in production, less in tests."""
    # False in a webhook worker of a scaled set-up: the dispatcher process sends reminders.
    runs_reminders: bool = True
    # The bot's one send budget: the chat side's rate limiter and the dispatcher share it.
    budget: SendBudget = field(default_factory=SendBudget)
    dispatcher: Dispatcher | None = None
    """The reminder dispatcher (`bot.chat.reminders`), while it runs in this process."""
    health_server: HealthServer | None = None
    """/healthz and /metrics (`bot.chat.monitoring`), when a metrics port is set."""
    metrics_refresh: Callable[[], Awaitable[None]] | None = None
    """The gauge refresher `bot.chat.monitoring` registered, to take it away again."""
    content_version: str | None = None
    """The loaded content's version (`bot.chat.admin`), read from disk once."""
    reminder_cards: dict[tuple[object, ...], str] = field(default_factory=dict)
    """Reminder texts by routine, kind and swaps (`bot.chat.reminders`): made once each."""
    _rules: tuple[Content, Rules] | None = field(default=None, repr=False)

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit when the block succeeds, roll back when it raises; in the
        update's own session when it is free (`bot.db.unit`)."""
        async with unit_of_work(self.session_factory) as session:
            yield session

    def now(self) -> datetime:
        return self.clock()

    @property
    def rules(self) -> Rules:
        """The progression rules of the loaded content, compiled once per content version."""
        if self._rules is None or self._rules[0] is not self.content:
            self._rules = (self.content, rules_for(self.content, self.content.safety.checkin))
        return self._rules[1]


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
