"""Every way `stretchbot run` ends: one line, the right status, no traceback, no token, and no
SQLite -wal/-shm files left behind."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
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


def _sqlite(database: Path) -> str:
    return f"sqlite+aiosqlite:///{database}"


def _debug_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if " DEBUG " in line]


async def test_debug_logging_shows_requests_but_no_token_bot_id_or_payload(tmp_path: Path) -> None:
    """LOG_LEVEL=DEBUG shows PTB's and httpcore's records (every request's URL has the token in
    it, PTB logs each call's parameters and answer, getMe's answer being the bot's id and a
    sendMessage's the text sent): the token, the bot id, the person's name and the text they
    were sent stay out; which endpoint was called, and which update was processed, stay in."""
    server = SandboxServer()
    await server.start()
    database = tmp_path / "bot.db"
    bot_id, secret = server.token.split(":", 1)
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_API_BASE_URL=server.url,
        DATABASE_URL=_sqlite(database),
        LOG_LEVEL="DEBUG",
    )
    try:
        await bot.start()
        person = server.user("Quillanne")
        await person.send("/start")
        reply = await person.next_message(timeout=60)
        await asyncio.sleep(0.2)
        code = await bot.stop(signal.SIGTERM)
    finally:
        await bot.kill_if_running()
        await server.stop()
    assert code == 0, bot.text
    debug = _debug_lines(bot.text)
    assert any(" telegram.ext.ExtBot: " in line for line in debug), bot.text
    assert any(" httpcore." in line for line in debug), bot.text
    assert any("endpoint `sendMessage`" in line for line in debug), bot.text
    assert secret not in bot.text and bot_id not in bot.text
    assert reply.text is not None
    assert reply.text.splitlines()[0] not in bot.text and "Quillanne" not in bot.text
    assert "Traceback" not in bot.text, bot.text
    assert _leftovers(database) == []


async def test_debug_logging_of_a_rejected_token_is_still_one_line(tmp_path: Path) -> None:
    runner, url = await _refusing_server(401)
    database = tmp_path / "bot.db"
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=url,
        DATABASE_URL=_sqlite(database),
        LOG_LEVEL="DEBUG",
    )
    try:
        await bot.start()
        code = await bot.wait()
    finally:
        await bot.kill_if_running()
        await runner.cleanup()
    assert code == 2, bot.text
    assert any(" telegram." in line for line in _debug_lines(bot.text)), bot.text
    _one_line_exit(bot, database, "rejected the token")


@dataclass
class SilentApi:
    url: str
    asked: asyncio.Event  # set when the first request's bytes arrive


@pytest.fixture
async def silent_api() -> AsyncIterator[SilentApi]:
    """A Bot API that takes the connection, reads the request and never answers."""
    asked = asyncio.Event()

    async def listen_only(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.read(65536):
                asked.set()
        finally:
            writer.close()

    server = await asyncio.start_server(listen_only, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    try:
        yield SilentApi(f"http://{host}:{port}", asked)
    finally:
        server.close()


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_a_bot_api_that_never_answers_is_one_line_and_exit_2(
    tmp_path: Path, silent_api: SilentApi, webhook: bool
) -> None:
    """getMe times out (PTB's read timeout, 5 s) and start-up gives up: no retrying forever."""
    database = tmp_path / "bot.db"
    hook = (
        {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "s3cret-s3cret"}
        if webhook
        else {}
    )
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=silent_api.url,
        DATABASE_URL=_sqlite(database),
        WEBHOOK_PORT=str(_closed_port()),
        **hook,
    )
    started = asyncio.get_running_loop().time()
    try:
        await bot.start()
        code = await bot.wait(60)
    finally:
        await bot.kill_if_running()
    assert asyncio.get_running_loop().time() - started < 45, bot.text
    assert code == 2, bot.text
    _one_line_exit(bot, database, "cannot use the Bot API: TimedOut")


@pytest.mark.parametrize(
    ("sig", "webhook"),
    [(signal.SIGINT, False), (signal.SIGTERM, True), (signal.SIGINT, True)],
    ids=["ctrl-c-polling", "sigterm-webhook", "ctrl-c-webhook"],
)
async def test_a_stop_while_the_bot_api_is_silent_ends_start_up_at_once(
    tmp_path: Path, silent_api: SilentApi, sig: signal.Signals, webhook: bool
) -> None:
    """Stopped while getMe waits on a Bot API that does not answer: the start-up is given up
    and the bot ends as a stop does (exit 0, nothing to say), not 5 s later with "cannot use
    the Bot API" and exit 2. run_polling does this itself; webhook mode is serve()'s."""
    database = tmp_path / "bot.db"
    hook = (
        {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "s3cret-s3cret"}
        if webhook
        else {}
    )
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=silent_api.url,
        DATABASE_URL=_sqlite(database),
        WEBHOOK_PORT=str(_closed_port()),
        **hook,
    )
    try:
        await bot.start()
        await asyncio.wait_for(silent_api.asked.wait(), 60)  # getMe, never to be answered
        code = await bot.stop(sig)
    finally:
        await bot.kill_if_running()
    assert code == 0, bot.text
    assert SECRET_PART not in bot.text and "Traceback" not in bot.text, bot.text
    assert not [line for line in bot.text.splitlines() if line.startswith("stretchbot:")]
    assert _leftovers(database) == []


@pytest.mark.parametrize(
    ("sig", "webhook"),
    [(signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGTERM, True)],
    ids=["ctrl-c-polling", "ctrl-c-webhook", "sigterm-webhook"],
)
async def test_ctrl_c_stops_cleanly_like_sigterm(
    tmp_path: Path, sig: signal.Signals, webhook: bool
) -> None:
    """Polling stops on PTB's signal handlers, webhook mode on serve()'s: both end alike."""
    server = SandboxServer()
    await server.start()
    database = tmp_path / "bot.db"
    port = _closed_port()
    hook = (
        {
            "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
            "WEBHOOK_SECRET": "s3cret-s3cret",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
        if webhook
        else {}
    )
    bot = BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_API_BASE_URL=server.url,
        DATABASE_URL=_sqlite(database),
        **hook,
    )
    try:
        await bot.start()
        person = server.user("Alex")
        await person.send("/start")
        await person.next_message(timeout=60)
        await asyncio.sleep(0.2)
        assert _leftovers(database), "the running bot keeps its write-ahead log open"
        code = await bot.stop(sig)
    finally:
        await bot.kill_if_running()
        await server.stop()
    assert code == 0, bot.text
    assert "Traceback" not in bot.text and "KeyboardInterrupt" not in bot.text, bot.text
    assert server.token.split(":", 1)[1] not in bot.text
    assert _leftovers(database) == []


def _newer_schema(database: Path) -> None:
    """A database a newer release migrated: its revision is one this code does not know."""
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    connection.close()


@pytest.mark.parametrize(
    ("case", "status", "fragment"),
    [
        ("content-folder-empty", 1, "content is invalid"),
        ("database-folder-missing", 2, "DATABASE_URL: cannot migrate"),
        ("postgres-refused", 2, "DATABASE_URL: cannot migrate"),
        ("schema-newer-than-code", 2, "Can't locate revision identified by '9999_from_the_future'"),
        ("no-token", 2, "TELEGRAM_BOT_TOKEN: is not set"),
        ("token-with-a-slash", 2, "TELEGRAM_BOT_TOKEN: must be a bot token"),
        ("webhook-without-url", 2, "--webhook needs WEBHOOK_URL"),
    ],
)
async def test_a_start_up_that_cannot_go_on_is_one_line(
    tmp_path: Path, case: str, status: int, fragment: str
) -> None:
    """Each way `stretchbot run` refuses to start before it reaches the Bot API."""
    database = tmp_path / "bot.db"
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{_closed_port()}",
        "DATABASE_URL": _sqlite(database),
    }
    args: list[str] = []
    if case == "content-folder-empty":
        (tmp_path / "content").mkdir()
        env["CONTENT_DIR"] = str(tmp_path / "content")
    elif case == "database-folder-missing":
        env["DATABASE_URL"] = _sqlite(tmp_path / "no-such-folder" / "bot.db")
    elif case == "postgres-refused":
        password = "pg-pass-word-hunter2"
        env["DATABASE_URL"] = f"postgresql+asyncpg://bot:{password}@127.0.0.1:{_closed_port()}/x"
    elif case == "schema-newer-than-code":
        _newer_schema(database)
    elif case == "no-token":
        del env["TELEGRAM_BOT_TOKEN"]
    elif case == "token-with-a-slash":
        env["TELEGRAM_BOT_TOKEN"] = TOKEN.replace("_", "/", 1)
    elif case == "webhook-without-url":
        args = ["--webhook"]
    bot = BotProcess(tmp_path, args=args, **env)
    try:
        await bot.start()
        code = await bot.wait()
    finally:
        await bot.kill_if_running()
    assert code == status, bot.text
    assert "pg-pass-word" not in bot.text
    _one_line_exit(bot, database, fragment)


@pytest.mark.parametrize("port", ["METRICS_PORT", "WEBHOOK_PORT"])
async def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path, port: str) -> None:
    """The health server's or the webhook's port is taken: the application has started (the
    database is open), and it stops, disposing the engine, with one line naming the address."""
    server = SandboxServer()
    await server.start()
    database = tmp_path / "bot.db"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        number = str(taken.getsockname()[1])
        hook = (
            {
                "WEBHOOK_URL": "https://bot.example.org/hook",
                "WEBHOOK_SECRET": "s3cret-s3cret",
                "WEBHOOK_LISTEN": "127.0.0.1",
            }
            if port == "WEBHOOK_PORT"
            else {}
        )
        bot = BotProcess(
            tmp_path,
            TELEGRAM_BOT_TOKEN=server.token,
            TELEGRAM_API_BASE_URL=server.url,
            DATABASE_URL=_sqlite(database),
            **{port: number},
            **hook,
        )
        try:
            await bot.start()
            code = await bot.wait()
        finally:
            await bot.kill_if_running()
            await server.stop()
    assert code == 2, bot.text
    assert server.token.split(":", 1)[1] not in bot.text
    assert "Traceback" not in bot.text, bot.text
    errors = [line for line in bot.text.splitlines() if line.startswith("stretchbot:")]
    assert len(errors) == 1 and number in errors[0], bot.text
    assert "in use" in errors[0], bot.text
    assert _leftovers(database) == []
