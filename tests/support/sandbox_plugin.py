"""Pytest fixtures: a sandbox Telegram per test, and real PTB applications running against it.

Use from a conftest with `pytest_plugins = ["tests.support.sandbox_plugin"]` (top-level conftest)
or by importing the fixtures. Teardown order is the safe one: applications stop before the
server, and the server releases any long poll at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any, Protocol

import pytest

from sandbox.harness import AnyApplication, AppFactory, running_application
from sandbox.server import SandboxServer


class StartBot(Protocol):
    """Start an application (or a factory's) against the sandbox; stopped after the test."""

    async def __call__(
        self, app_or_factory: AnyApplication | AppFactory, **options: Any
    ) -> AnyApplication: ...


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    """A running sandbox Telegram on a free loopback port."""
    server = SandboxServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def start_bot(sandbox: SandboxServer) -> AsyncIterator[StartBot]:
    """`await start_bot(factory)` runs a real Application polling the sandbox until teardown."""
    async with AsyncExitStack() as stack:

        async def start(
            app_or_factory: AnyApplication | AppFactory, **options: Any
        ) -> AnyApplication:
            return await stack.enter_async_context(running_application(app_or_factory, **options))

        yield start
