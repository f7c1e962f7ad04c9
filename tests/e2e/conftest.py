"""End-to-end fixtures: the real Stretchbot Application, over HTTP, against the local Telegram.

`stretchbot` is a running bot on a fresh database (SQLite and PostgreSQL, via `backend`) with a
clock the test controls; `person` is a simulated user chatting with it. Tests read as
"person does X, person sees Y".

The bot is judged strictly: a test fails at teardown when the bot made a call Telegram refuses,
left a tap or a private update without an answer, or logged a traceback, unless the test
declared it (`stretchbot.sandbox.expect_refusal(...)`, `.expect_blocked(person)`,
`.referee.expect_traceback(...)`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.app import build_application
from bot.chat.services import AnyApplication, Services, services_of_app
from bot.config import Settings
from bot.content.loader import Content
from bot.db.engine import create_engine, create_session_factory
from sandbox.harness import running_application
from sandbox.people import SimUser
from sandbox.server import SandboxServer
from tests.support.clock import TestClock
from tests.support.sandbox_plugin import final_verdict, judge_strictly


class RunningBot:
    """The bot under test; `restart()` stops it and starts a new process-like instance on the
    same database, as an operator's restart would."""

    def __init__(
        self,
        sandbox: SandboxServer,
        settings: Settings,
        content: Content,
        engine: AsyncEngine,
        clock: TestClock,
        hold_scale: float,
    ) -> None:
        self.sandbox = sandbox
        self.settings = settings
        self.content = content
        self.engine = engine
        self.clock = clock
        self.hold_scale = hold_scale
        self._stack: AsyncExitStack | None = None
        self.app: AnyApplication | None = None

    @property
    def services(self) -> Services:
        assert self.app is not None, "the bot is not running"
        return services_of_app(self.app)

    def _build(self) -> AnyApplication:
        app = build_application(
            self.settings,
            self.content,
            create_session_factory(self.engine),
            clock=self.clock,
        )
        services_of_app(app).hold_scale = self.hold_scale
        return app

    async def start(self) -> AnyApplication:
        assert self._stack is None, "already running"
        self._stack = AsyncExitStack()
        self.app = await self._stack.enter_async_context(
            running_application(self._build, poll_timeout=5)
        )
        return self.app

    async def stop(self) -> None:
        if self._stack is not None:
            stack, self._stack = self._stack, None
            await stack.aclose()
        self.app = None

    async def restart(self) -> AnyApplication:
        await self.stop()
        return await self.start()


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def bot_hold_scale() -> float:
    """Real seconds per second of hold (`Services.hold_scale`); override in tests to shorten."""
    return 1.0


@pytest.fixture
def bot_settings(sandbox: SandboxServer, database_url: str) -> Settings:
    return Settings(
        telegram_bot_token=sandbox.token,
        telegram_api_base_url=sandbox.url,
        database_url=database_url,
        default_timezone="UTC",
        dispatch_interval_seconds=0.2,
        # The stand-in's flood limits are off here, and walkthroughs and the fuzz crowd go
        # faster than people: pace at 1,000/s overall and 100/s per chat, not Telegram's
        # 30/s and 1/s (tests/e2e/test_budget.py keeps Telegram's, with the limits on).
        rate_limit_global_per_second=1000,
        rate_limit_per_chat_per_second=100,
    )


@pytest.fixture
async def stretchbot(
    sandbox: SandboxServer,
    bot_settings: Settings,
    content: Content,
    clock: TestClock,
    bot_hold_scale: float,
    request: pytest.FixtureRequest,
) -> AsyncIterator[RunningBot]:
    if hasattr(request.module, "bot_extras"):  # a test written before Services was typed
        pytest.fail("bot_extras is gone: override the bot_hold_scale fixture instead")
    engine = create_engine(bot_settings.database_url)
    running = RunningBot(sandbox, bot_settings, content, engine, clock, bot_hold_scale)
    try:
        await running.start()
        yield running
        if running.app is not None:
            await judge_strictly(sandbox, request)
    finally:
        await running.stop()
        await engine.dispose()
    final_verdict(sandbox, request)


@pytest.fixture
def person(stretchbot: RunningBot) -> Iterator[SimUser]:
    yield stretchbot.sandbox.user("Alex", language_code="en")
