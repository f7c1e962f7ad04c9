"""Demo fixtures: the demo's pieces in the test's loop, on a fresh SQLite database, with a
clock that stands still unless the demo moves it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.content.loader import Content
from bot.demo import Demo, DemoClock
from sandbox.server import DEFAULT_TOKEN

# Tuesday 24 November 2026, 06:00 UTC.
START = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


@pytest.fixture
def backend() -> str:
    """The demo runs on SQLite only."""
    return "sqlite"


@pytest.fixture
def demo_clock() -> DemoClock:
    return DemoClock(lambda: START)


@pytest.fixture
def demo_settings(database_url: str) -> Settings:
    return Settings(
        telegram_bot_token=DEFAULT_TOKEN,
        database_url=database_url,
        default_timezone="UTC",
        dispatch_interval_seconds=0.5,
    )


@pytest.fixture
async def demo(
    demo_settings: Settings, content: Content, demo_clock: DemoClock
) -> AsyncIterator[Demo]:
    async with Demo(demo_settings, content, port=0, clock=demo_clock) as running:
        yield running
