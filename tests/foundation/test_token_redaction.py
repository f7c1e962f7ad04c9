"""The token never reaches a log: a real PTB request, real httpx logging, real handlers."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot

from bot.logging_setup import REDACTED, TokenRedactingFilter, configure_logging

TOKEN = "987654321:AAH-secret_Token_value_0123456789"


@pytest.fixture
async def fake_api() -> AsyncIterator[str]:
    async def get_me(_request: web.Request) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "result": {
                    "id": 987654321,
                    "is_bot": True,
                    "first_name": "Stretchbot",
                    "username": "stretch_bot",
                },
            }
        )

    app = web.Application()
    app.router.add_route("*", "/bot{token}/getMe", get_me)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/bot"
    finally:
        await runner.cleanup()


@pytest.fixture
def captured_log() -> AsyncIterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name in ("httpx", "httpcore", "telegram", "apscheduler", "aiohttp"):
            for existing in list(logging.getLogger(name).filters):
                if isinstance(existing, TokenRedactingFilter):
                    logging.getLogger(name).removeFilter(existing)
        for existing in list(handler.filters):
            handler.removeFilter(existing)
        for name in ("httpx", "apscheduler.scheduler", "apscheduler.executors.default"):
            logging.getLogger(name).setLevel(logging.NOTSET)


async def test_httpx_request_url_is_redacted(fake_api: str, captured_log: io.StringIO) -> None:
    configure_logging("DEBUG", [TOKEN])
    async with Bot(TOKEN, base_url=fake_api) as bot:
        me = await bot.get_me()
    assert me.username == "stretch_bot"
    output = captured_log.getvalue()
    assert "HTTP Request: POST" in output  # httpx really logged the request URL
    assert REDACTED in output
    assert TOKEN not in output
    assert "AAH-secret_Token" not in output


def test_exception_text_and_arguments_are_redacted(captured_log: io.StringIO) -> None:
    configure_logging("INFO", [TOKEN])
    log = logging.getLogger("bot.anything")
    log.info("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    try:
        raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("boom")
    output = captured_log.getvalue()
    assert TOKEN not in output
    assert output.count(REDACTED) >= 2


def test_token_shaped_strings_are_redacted_even_if_unknown() -> None:
    redactor = TokenRedactingFilter()
    assert redactor.redact("x 111222333:abcdefghijklmnopqrstuvwxyz_-0 y") == f"x {REDACTED} y"


def test_polling_and_ticks_are_quiet_at_info(captured_log: io.StringIO) -> None:
    configure_logging("INFO", [TOKEN])
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("apscheduler.scheduler").getEffectiveLevel() == logging.WARNING
    configure_logging("DEBUG", [TOKEN])
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.DEBUG
