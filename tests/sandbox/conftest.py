"""Fixtures for the sandbox tests: the server, PTB clients against it, and a raw HTTP caller."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import telegram

from sandbox import SandboxServer, SimUser
from tests.sandbox.helpers import RawApi, make_bot
from tests.support.sandbox_plugin import sandbox, start_bot

__all__ = ["sandbox", "start_bot"]


@pytest.fixture
async def bot(sandbox: SandboxServer) -> AsyncIterator[telegram.Bot]:
    async with make_bot(sandbox) as client:
        yield client


@pytest.fixture
async def started(sandbox: SandboxServer) -> SimUser:
    """A person who has written /start, so the bot may write to them."""
    user = sandbox.user("Dana", username="dana_s", language_code="en")
    await user.send("/start")
    return user


@pytest.fixture
async def raw(sandbox: SandboxServer) -> AsyncIterator[RawApi]:
    async with aiohttp.ClientSession() as session:
        yield RawApi(sandbox, session)
