"""Pytest fixtures: a sandbox Telegram per test, and real PTB applications running against it.

Use from a conftest with `pytest_plugins = ["tests.support.sandbox_plugin"]` (top-level conftest)
or by importing the fixtures. Teardown order is the safe one: applications stop before the
server, and the server releases any long poll at once.

The sandbox watches the log for tracebacks from the start of each test; `judge_strictly` (used by
the end-to-end fixtures) fails a passed test at teardown on anything Telegram would refuse, any
unanswered tap or update, and any traceback the test did not declare (`sandbox.referee`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
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


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Remember each phase's report on the item, so teardown knows whether the test passed."""
    report = yield
    setattr(item, f"stretchbot_report_{report.when}", report)
    return report


def test_passed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "stretchbot_report_call", None)
    return report is not None and report.passed


async def judge_strictly(sandbox: SandboxServer, request: pytest.FixtureRequest) -> None:
    """At teardown of a passed test, while the bot still runs: let it answer what is pending,
    then fail on refusals, unanswered taps or updates, and undeclared tracebacks."""
    if test_passed(request):
        await sandbox.settle()


def final_verdict(sandbox: SandboxServer, request: pytest.FixtureRequest) -> None:
    """After the bot stopped (its shutdown may log too)."""
    if test_passed(request):
        sandbox.assert_strict()


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    """A running sandbox Telegram on a free loopback port."""
    server = SandboxServer()
    server.referee.watch_logs()
    await server.start()
    try:
        yield server
    finally:
        server.referee.stop_watching_logs()
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
