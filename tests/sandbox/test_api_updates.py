"""Receiving updates: getUpdates (offset, limit, timeout, allowed_updates, 409) and webhooks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram.error import BadRequest, Conflict

from sandbox import SandboxServer, SimUser
from tests.sandbox.helpers import RawApi, make_bot


async def test_updates_stay_until_confirmed_by_offset(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    user = sandbox.user("Ann")
    await user.send("/start")
    await user.send("second")
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["/start", "second"]
    assert first[1].update_id == first[0].update_id + 1
    assert len(await bot.get_updates()) == 2  # not confirmed yet
    assert [
        u.message.text for u in await bot.get_updates(offset=first[1].update_id) if u.message
    ] == ["second"]
    assert await bot.get_updates(offset=first[1].update_id + 1) == ()


async def test_limit_and_negative_offset(sandbox: SandboxServer, bot: telegram.Bot) -> None:
    user = sandbox.user("Ann")
    for text in ("a", "b", "c", "d"):
        await user.send(text)
    assert [u.message.text for u in await bot.get_updates(limit=2) if u.message] == ["a", "b"]
    # A negative offset keeps only the last updates and forgets the others.
    assert [u.message.text for u in await bot.get_updates(offset=-1) if u.message] == ["d"]
    assert len(await bot.get_updates()) == 1


async def test_the_update_json_is_what_ptb_expects(
    sandbox: SandboxServer, bot: telegram.Bot, raw: RawApi
) -> None:
    user = sandbox.user("Ann", last_name="Lee", username="ann_l", language_code="de")
    await user.send("/start now")
    _, body = await raw.call("getUpdates")
    update = body["result"][0]
    message = update["message"]
    assert message["from"] == {
        "id": user.id,
        "is_bot": False,
        "first_name": "Ann",
        "last_name": "Lee",
        "username": "ann_l",
        "language_code": "de",
    }
    assert message["chat"] == {
        "id": user.id,
        "type": "private",
        "first_name": "Ann",
        "last_name": "Lee",
        "username": "ann_l",
    }
    assert message["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    parsed = telegram.Update.de_json(update, bot)
    assert parsed.api_kwargs == {}
    assert parsed.message is not None
    assert parsed.message.api_kwargs == {}
    assert parsed.message.text == "/start now"


async def test_a_long_poll_answers_as_soon_as_something_arrives(
    sandbox: SandboxServer,
) -> None:
    user = sandbox.user("Ann")
    async with make_bot(sandbox, read_timeout=15) as client:
        poll = asyncio.create_task(client.get_updates(timeout=10))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await user.send("hi")
        updates = await poll
        assert time.monotonic() - started < 1.0
        assert updates[0].message is not None
        assert updates[0].message.text == "hi"


async def test_a_long_poll_ends_empty_after_its_timeout(bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2.0


async def test_a_newer_get_updates_terminates_the_older_one(sandbox: SandboxServer) -> None:
    async with make_bot(sandbox, read_timeout=15) as first, make_bot(sandbox) as second:
        older = asyncio.create_task(first.get_updates(timeout=10))
        await asyncio.sleep(0.05)
        await second.get_updates(timeout=0)
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await older


async def test_allowed_updates_filters_what_is_queued(
    sandbox: SandboxServer, bot: telegram.Bot, raw: RawApi
) -> None:
    user = sandbox.user("Ann")
    await bot.get_updates(allowed_updates=["callback_query"])
    await user.send("/start")  # not wanted: never queued
    assert await bot.get_updates() == ()
    await bot.get_updates(allowed_updates=[])  # back to the default set
    await user.block()
    updates = await bot.get_updates()
    assert updates[0].my_chat_member is not None
    status, body = await raw.form("getUpdates", allowed_updates='"message"')
    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse allowed updates")


# Webhooks -----------------------------------------------------------------------------------
class Receiver:
    """A tiny HTTP endpoint standing in for the bot's webhook server."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.status = 200
        self.arrived = asyncio.Event()
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        self.arrived.set()
        return web.Response(status=self.status)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    receiver.url = f"http://{host}:{port}/hook"
    try:
        yield receiver
    finally:
        await runner.cleanup()


async def test_a_webhook_receives_updates_with_the_secret(
    sandbox: SandboxServer, bot: telegram.Bot, raw: RawApi, receiver: Receiver
) -> None:
    user = sandbox.user("Ann")
    status, body = await raw.call("setWebhook", url=receiver.url, secret_token="s3cret_-X")
    assert status == 200
    assert body == {"ok": True, "result": True, "description": "Webhook was set"}
    _, body = await raw.call("setWebhook", url=receiver.url, secret_token="s3cret_-X")
    assert body["description"] == "Webhook is already set"
    await user.send("/start")
    await asyncio.wait_for(receiver.arrived.wait(), 2)
    update, secret = receiver.received[0]
    assert secret == "s3cret_-X"
    assert update["message"]["text"] == "/start"
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.last_error_date) == (receiver.url, 0, None)
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()


async def test_a_failing_webhook_is_retried_and_reported(
    sandbox: SandboxServer, bot: telegram.Bot, receiver: Receiver
) -> None:
    receiver.status = 500
    sandbox.webhook.retry_delay = 0.05
    await bot.set_webhook(receiver.url)
    user = sandbox.user("Ann")
    await user.send("/start")
    await asyncio.wait_for(receiver.arrived.wait(), 2)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None
    receiver.status = 200
    await asyncio.wait_for(_delivered(sandbox), 2)
    assert len(receiver.received) >= 2
    assert receiver.received[-1][0] == receiver.received[0][0]  # the same update, again


async def _delivered(server: SandboxServer) -> None:
    """Until the webhook has taken every update (the queue wakes its waiters on each one)."""
    while server.state.updates.first() is not None:
        await server.state.updates.wait_change(0.5)


async def test_deleting_the_webhook_returns_to_polling(
    sandbox: SandboxServer, bot: telegram.Bot, raw: RawApi, receiver: Receiver
) -> None:
    receiver.status = 500
    await bot.set_webhook(receiver.url)
    await sandbox.user("Ann").send("/start")
    await asyncio.wait_for(receiver.arrived.wait(), 2)
    _, body = await raw.call("deleteWebhook")
    assert body["description"] == "Webhook was deleted"
    _, body = await raw.call("deleteWebhook")
    assert body["description"] == "Webhook is already deleted"
    updates = await bot.get_updates()  # kept while the webhook failed
    assert updates[0].message is not None
    await bot.set_webhook(receiver.url, drop_pending_updates=True)
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_webhook_parameters_are_checked(raw: RawApi) -> None:
    description = await raw.description(
        "setWebhook", url="http://127.0.0.1:9/hook", secret_token="no spaces!"
    )
    assert description == "Bad Request: secret token contains unallowed characters"
    strict = SandboxServer(allow_http_webhook=False)
    await strict.start()
    try:
        async with telegram.Bot(strict.token, base_url=strict.bot_base_url) as client:
            with pytest.raises(BadRequest, match=r"(?i)an https url must be provided for webhook"):
                await client.set_webhook("http://example.org/hook")
            with pytest.raises(BadRequest, match="only on ports 80, 88, 443 or 8443"):
                await client.set_webhook("https://example.org:9999/hook")
    finally:
        await strict.stop()


async def test_get_webhook_info_without_a_webhook(bot: telegram.Bot, started: SimUser) -> None:
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("", 1)
