"""One way up for every entry point: content, schema, database, the Application.

`stretchbot run` (`bot.runner`) and `stretchbot demo` (`bot.demo`) used to each load the content,
migrate and build the application in their own words, so a step added to one was missed by the
other. Both now come up through here; what differs (roles, webhook, the demo's clock and hold
scale, who disposes the engine when) is a parameter, not a copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.chat.app import build_application
from bot.chat.services import AnyApplication, services_of_app, utc_now
from bot.config import Settings
from bot.content.errors import ContentError
from bot.content.loader import Content, load_content
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import MigrationError, upgrade_or_explain

EXIT_CONTENT = 1
EXIT_DATABASE = 2


class BootFailure(Exception):
    """Why the bot cannot start, in one line for stderr, and the exit status to leave with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def prepare(settings: Settings) -> Content:
    """Check the content and bring the schema up to date, before any event loop runs (Alembic's
    env.py runs a loop of its own). Raises BootFailure: a broken content file names the file
    and field, a database that cannot be migrated says why."""
    try:
        content = load_content(settings.content_dir)
    except ContentError as error:
        raise BootFailure(f"stretchbot: content is invalid:\n{error}", EXIT_CONTENT) from error
    try:
        upgrade_or_explain(settings.database_url)
    except MigrationError as error:
        raise BootFailure(f"stretchbot: {error}", EXIT_DATABASE) from error
    return content


@dataclass(frozen=True, slots=True)
class Database:
    """The engine (whose owner disposes it) and the sessions made from it."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


def open_database(settings: Settings) -> Database:
    engine = create_engine(settings.database_url)
    return Database(engine, create_session_factory(engine))


def application(
    settings: Settings,
    content: Content,
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Callable[[], datetime] = utc_now,
    hold_scale: float = 1.0,
    reminders: bool = True,
    webhook: bool = False,
    updates: bool = True,
) -> AnyApplication:
    """The whole bot with its services; its features start the dispatcher and the hold timers
    when the application starts (`post_init`)."""
    built = build_application(
        settings,
        content,
        sessions,
        clock=clock,
        reminders=reminders,
        webhook=webhook,
        updates=updates,
    )
    services_of_app(built).hold_scale = hold_scale
    return built
