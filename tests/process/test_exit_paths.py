"""Every way `stretchbot run` ends: one line, the right status, no traceback, no token, and no
SQLite -wal/-shm files left behind."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from sandbox import SandboxServer
from tests.process.running import BotProcess

TOKEN = "424242424:AAE-revoked_token-value_abcdefghij01"
SECRET_PART = TOKEN.split(":", 1)[1]


async def _refusing_server(status: int) -> tuple[web.AppRunner, str]:
    async def refuse(_request: web.Request) -> web.Response:
        description = {401: "Unauthorized", 404: "Not Found"}.get(status, "Internal Server Error")
        return web.json_response(
            {"ok": False, "error_code": status, "description": description}, status=status
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


@pytest.fixture(params=[401, 404], ids=["revoked-token", "wrong-base-url"])
async def refusing_api(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    runner, url = await _refusing_server(int(request.param))
    try:
        yield url
    finally:
        await runner.cleanup()


def _leftovers(database: Path) -> list[str]:
    return [p.name for p in database.parent.glob(database.name + "-*")]


def _closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["server-error", "refused", "no-such-host"])
async def broken_api(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A Bot API that cannot be used: it answers 500, nothing listens, or the name is unknown."""
    if request.param == "refused":
        yield f"http://127.0.0.1:{_closed_port()}"
    elif request.param == "no-such-host":
        yield "http://stretchbot-no-such-host.invalid"
    else:
        runner, url = await _refusing_server(500)
        try:
            yield url
        finally:
            await runner.cleanup()


def _one_line_exit(bot: BotProcess, database: Path, fragment: str) -> None:
    assert SECRET_PART not in bot.text and "424242424" not in bot.text
    assert "Traceback" not in bot.text, bot.text
    errors = [line for line in bot.text.splitlines() if line.startswith("stretchbot:")]
    assert len(errors) == 1 and fragment in errors[0], bot.text
    assert _leftovers(database) == []


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_an_unusable_bot_api_is_one_line_and_exit_2(
    tmp_path: Path, broken_api: str, webhook: bool
) -> None:
    """PTB's start-up retry loop logs each giving-up with a traceback (a 500, a refused
    connection, an unknown host) before it raises; the runner says it in one line instead."""
    database = tmp_path / "bot.db"
    hook = (
        {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "s3cret-s3cret"}
        if webhook
        else {}
    )
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=broken_api,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        WEBHOOK_PORT=str(_closed_port()),
        **hook,
    )
    await bot.start()
    code = await bot.wait(120)
    assert code == 2, bot.text
    _one_line_exit(bot, database, "cannot use the Bot API")


async def test_a_rejected_token_is_one_line_and_exit_2(tmp_path: Path, refusing_api: str) -> None:
    database = tmp_path / "bot.db"
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=refusing_api,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
    )
    await bot.start()
    code = await bot.wait()
    assert code == 2, bot.text
    assert SECRET_PART not in bot.text and "424242424" not in bot.text
    assert "Traceback" not in bot.text, bot.text
    errors = [line for line in bot.text.splitlines() if line.startswith("stretchbot:")]
    assert len(errors) == 1 and "rejected the token" in errors[0], bot.text
    assert _leftovers(database) == []


async def test_sigterm_stops_cleanly_and_leaves_no_wal(tmp_path: Path) -> None:
    server = SandboxServer()
    await server.start()
    database = tmp_path / "bot.db"
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_API_BASE_URL=server.url,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
    )
    try:
        await bot.start()
        person = server.user("Alex")
        await person.send("/start")
        await person.next_message(timeout=60)
        await asyncio.sleep(0.2)
        assert _leftovers(database), "the running bot keeps its write-ahead log open"
        code = await bot.stop(signal.SIGTERM)
    finally:
        await bot.kill_if_running()
        await server.stop()
    assert code == 0, bot.text
    assert "Traceback" not in bot.text, bot.text
    assert server.token.split(":", 1)[1] not in bot.text
    assert _leftovers(database) == []
