"""Webhook mode end to end: the stand-in Telegram pushes updates to the real PTB webhook server.

The worker sets the webhook with its secret token at start; a push without the token or with a
wrong one gets 403 and changes nothing (the stand-in retries, as Telegram does); an update
pushed twice is handled once (its id is recorded in the database, so this holds across
workers); and long polling removes the webhook again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import CallbackContext

from bot.chat.app import build_application
from bot.config import Settings
from bot.content.loader import Content
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import ProcessedUpdate, Subscriber
from bot.runner import serve
from sandbox.people import SimUser
from sandbox.server import SandboxServer
from sandbox.webhook import WebhookConfig
from tests.e2e.conftest import RunningBot
from tests.support.clock import TestClock

SECRET = "s3cret-token_for-tests"
TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Worker:
    settings: Settings
    db: async_sessionmaker[AsyncSession]
    errors: list[BaseException]


async def _until(check: Any, what: str) -> None:
    for _ in range(int(TIMEOUT / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
async def worker(
    sandbox: SandboxServer, bot_settings: Settings, content: Content, clock: TestClock
) -> AsyncIterator[Worker]:
    port = free_port()
    settings = bot_settings.model_copy(
        update={
            "webhook_url": f"http://127.0.0.1:{port}/telegram/updates",
            "webhook_secret": SecretStr(SECRET),
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
        }
    )
    engine = create_engine(settings.database_url)
    factory = create_session_factory(engine)
    app = build_application(settings, content, factory, clock=clock, webhook=True)
    errors: list[BaseException] = []

    async def collect(_: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        if context.error is not None:
            errors.append(context.error)

    app.add_error_handler(collect)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, settings, webhook=True, stop=stop))
    try:
        await _until(lambda: sandbox.webhook.active or task.done(), "the webhook to be set")
        assert not task.done(), task.exception()
        yield Worker(settings, factory, errors)
    finally:
        stop.set()
        await task
        await engine.dispose()
    assert errors == []


async def _subscribers(worker: Worker) -> int:
    async with worker.db() as db:
        return int(await db.scalar(select(func.count()).select_from(Subscriber)) or 0)


async def test_the_worker_sets_its_webhook_with_the_secret_and_answers_pushes(
    sandbox: SandboxServer, worker: Worker
) -> None:
    info = sandbox.webhook.info()
    assert info["url"] == worker.settings.webhook_url
    assert sandbox.webhook.config is not None and sandbox.webhook.config.secret_token == SECRET
    person = sandbox.user("Alex")
    await person.send("/start")
    await person.wait_for_message(timeout=TIMEOUT)
    assert sandbox.webhook.delivered, "the update came by webhook push, not getUpdates"
    assert await _subscribers(worker) == 1


@pytest.mark.parametrize("secret", ["wrong-secret", None], ids=["wrong", "missing"])
async def test_a_push_without_the_right_secret_gets_403_and_changes_nothing(
    sandbox: SandboxServer, worker: Worker, secret: str | None
) -> None:
    config = sandbox.webhook.config
    assert config is not None
    sandbox.webhook.set(dataclasses.replace(config, secret_token=secret))
    person = sandbox.user("Alex")
    await person.send("/start")
    await _until(lambda: sandbox.webhook.last_error_message is not None, "a refused push")
    assert "403" in (sandbox.webhook.last_error_message or "")
    await asyncio.sleep(0.5)  # the stand-in keeps retrying, as Telegram does
    assert person.unread() == [] and sandbox.webhook.delivered == []
    assert await _subscribers(worker) == 0
    async with worker.db() as db:
        assert await db.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0
    sandbox.webhook.set(config)  # the right secret again: the same update now arrives, once
    await person.wait_for_message(timeout=TIMEOUT)
    await asyncio.sleep(0.3)
    assert len(person.unread()) == 0 and len(person.bot_messages()) == 1
    assert await _subscribers(worker) == 1


async def test_an_update_pushed_twice_is_handled_once(
    sandbox: SandboxServer, worker: Worker
) -> None:
    person = sandbox.user("Alex")
    await person.send("/start")
    await person.wait_for_message(timeout=TIMEOUT)
    person.mark_read()
    await _until(lambda: sandbox.webhook.delivered, "the push to be confirmed")
    update_id = int(sandbox.webhook.delivered[-1]["update_id"])
    assert await sandbox.webhook.redeliver(update_id) == 200
    await asyncio.sleep(0.5)
    assert person.unread() == [], "the replayed /start got no second answer"
    async with worker.db() as db:
        ids = (await db.scalars(select(ProcessedUpdate.update_id))).all()
    assert list(ids) == [update_id]


async def test_long_polling_removes_the_webhook(
    sandbox: SandboxServer,
    bot_settings: Settings,
    content: Content,
    clock: TestClock,
) -> None:
    sandbox.webhook.set(WebhookConfig(url="http://127.0.0.1:9/telegram", secret_token=SECRET))
    engine = create_engine(bot_settings.database_url)
    polling = RunningBot(sandbox, bot_settings, content, engine, clock, {})
    try:
        await polling.start()
        assert not sandbox.webhook.active and sandbox.webhook.info()["url"] == ""
        person: SimUser = sandbox.user("Alex")
        await person.send("/start")
        await person.wait_for_message(timeout=TIMEOUT)
    finally:
        await polling.stop()
        await engine.dispose()
