"""`AiohttpRequest` under a real `telegram.Bot`, against a tiny Bot-API-shaped aiohttp app.

The app below answers like Telegram does (JSON with ok/result or ok/error_code/description/
parameters), so the whole path is real: PTB builds the request, our class sends it over
loopback, PTB parses the answer and raises its own errors.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.net.aiohttp_request import AiohttpRequest, redact_token
from bot.net.budget import retry_after_seconds

TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Stretchbot", "username": "stretch_bot"}
FILE_BYTES = b"hold each stretch for thirty seconds\n" * 100


@dataclass
class Seen:
    """What the fake API received, for assertions."""

    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    uploads: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)
    user_agents: set[str] = field(default_factory=set)
    content_types: dict[str, str] = field(default_factory=dict)
    release_slow: asyncio.Event = field(default_factory=asyncio.Event)


def _ok(result: object) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, **parameters: int) -> web.Response:
    body: dict[str, object] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _message(chat_id: int, **extra: object) -> dict[str, object]:
    return {
        "message_id": 42,
        "date": 1_780_000_000,
        "chat": {"id": chat_id, "type": "private"},
        "from": BOT_USER,
        **extra,
    }


async def _read_params(request: web.Request, seen: Seen) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    params: dict[str, Any] = {}
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            content = value.file.read()
            seen.uploads[name] = (value.filename, value.content_type, content)
            params[name] = f"<file {value.filename}>"
        else:
            params[name] = value
    return params


def make_app(seen: Seen) -> web.Application:
    async def api(request: web.Request) -> web.Response:
        seen.user_agents.add(request.headers.get("User-Agent", ""))
        if request.match_info["token"] != TOKEN:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        seen.content_types[method] = request.content_type
        params = await _read_params(request, seen)
        seen.requests.append((method, params))
        if method == "getMe":
            return _ok(BOT_USER)
        chat = str(params.get("chat_id", ""))
        if chat == "400":
            return _error(400, "Bad Request: chat not found")
        if chat == "403":
            return _error(403, "Forbidden: bot was blocked by the user")
        if chat == "429":
            return _error(429, "Too Many Requests: retry after 7", retry_after=7)
        if chat == "500":
            return _error(500, "Internal Server Error")
        if chat == "777":  # slow: answers when the test releases it (or after 5 s)
            await asyncio.wait_for(seen.release_slow.wait(), timeout=5)
        if method == "sendMessage":
            extra: dict[str, object] = {"text": params["text"]}
            if "reply_markup" in params:
                extra["reply_markup"] = json.loads(params["reply_markup"])
            return _ok(_message(int(chat), **extra))
        if method == "sendDocument":
            filename, mime, content = seen.uploads["document"]
            document = {
                "file_id": "doc-1",
                "file_unique_id": "u-doc-1",
                "file_name": filename,
                "mime_type": mime,
                "file_size": len(content),
            }
            return _ok(_message(int(chat), document=document, caption=params.get("caption")))
        if method == "getFile":
            return _ok(
                {
                    "file_id": params["file_id"],
                    "file_unique_id": "u-doc-1",
                    "file_size": len(FILE_BYTES),
                    "file_path": "documents/routine.txt",
                }
            )
        return _error(404, "Not Found: method not found")

    async def download(request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.Response(status=401)
        return web.Response(body=FILE_BYTES)

    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", api)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    return app


@dataclass
class Server:
    url: str
    seen: Seen


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    seen = Seen()
    runner = web.AppRunner(make_app(seen))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield Server(f"http://{host}:{port}", seen)
    finally:
        seen.release_slow.set()
        await runner.cleanup()


def make_bot(base: str, request: AiohttpRequest | None = None) -> Bot:
    return Bot(
        TOKEN,
        request=request or AiohttpRequest(connection_pool_size=8),
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
    )


async def test_get_me_and_send_message(server: Server) -> None:
    async with make_bot(server.url) as bot:  # initialize() calls getMe
        assert bot.username == "stretch_bot"
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Start", callback_data="go")]])
        message = await bot.send_message(
            chat_id=5, text="Time to stretch ✨", reply_markup=keyboard
        )
    assert message.text == "Time to stretch ✨"
    assert message.chat.id == 5
    assert message.reply_markup == keyboard
    method, params = server.seen.requests[-1]
    assert method == "sendMessage"
    assert params["chat_id"] == "5"
    # Plain calls go as JSON (cheaper to encode than a form); the markup survives as JSON text.
    assert server.seen.content_types["sendMessage"] == "application/json"
    assert json.loads(params["reply_markup"]) == keyboard.to_dict()
    assert any(agent.startswith("python-telegram-bot") for agent in server.seen.user_agents)


@pytest.mark.parametrize("as_file_handle", [False, True])
async def test_send_document_uploads_multipart(server: Server, as_file_handle: bool) -> None:
    document: bytes | io.BytesIO = io.BytesIO(FILE_BYTES) if as_file_handle else FILE_BYTES
    async with make_bot(server.url) as bot:
        message = await bot.send_document(
            chat_id=9, document=document, filename="Dehnübung.txt", caption="Your plan"
        )
    assert message.document is not None
    assert message.document.file_name == "Dehnübung.txt"
    assert message.document.file_size == len(FILE_BYTES)
    assert message.caption == "Your plan"
    filename, _mime, content = server.seen.uploads["document"]
    assert (filename, content) == ("Dehnübung.txt", FILE_BYTES)
    _, params = server.seen.requests[-1]
    assert params["chat_id"] == "9"
    assert server.seen.content_types["sendDocument"] == "multipart/form-data"


async def test_download_uses_get(server: Server) -> None:
    async with make_bot(server.url) as bot:
        telegram_file = await bot.get_file("doc-1")
        data = await telegram_file.download_as_bytearray()
    assert bytes(data) == FILE_BYTES


# PTB's own RetryAfter constructor reads its deprecated int/timedelta attribute.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_error_codes_become_ptb_errors(server: Server) -> None:
    async with make_bot(server.url) as bot:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(chat_id=400, text="x")
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(chat_id=403, text="x")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(chat_id=429, text="x")
        assert retry_after_seconds(flood.value) == 7.0
        with pytest.raises(NetworkError, match="Internal Server Error") as server_error:
            await bot.send_message(chat_id=500, text="x")
        assert not isinstance(server_error.value, TimedOut)


async def test_read_timeout_raises_timed_out(server: Server) -> None:
    async with make_bot(server.url) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(chat_id=777, text="slow", read_timeout=0.2)
        # the session is still usable afterwards
        assert (await bot.send_message(chat_id=1, text="fine")).text == "fine"


async def test_default_read_timeout_applies(server: Server) -> None:
    request = AiohttpRequest(read_timeout=0.2)
    assert request.read_timeout == 0.2
    async with make_bot(server.url, request) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(chat_id=777, text="slow")


async def test_full_pool_times_out_waiting_for_a_connection(server: Server) -> None:
    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.1, connect_timeout=0.1)
    assert request.connection_pool_size == 1
    async with make_bot(server.url, request) as bot:
        slow = asyncio.create_task(bot.send_message(chat_id=777, text="holds the connection"))
        await asyncio.sleep(0.1)
        with pytest.raises(TimedOut):
            await bot.send_message(chat_id=1, text="waits for the pool")
        server.seen.release_slow.set()
        assert (await slow).text == "holds the connection"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_connection_refused_is_network_error_without_token() -> None:
    bot = make_bot(f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(NetworkError) as caught:
        await bot.initialize()
    assert not isinstance(caught.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in caught.value.message
    assert TOKEN not in caught.value.message
    await bot.shutdown()


async def test_lifecycle() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:1/", "GET")
    await request.initialize()
    await request.initialize()  # idempotent
    await request.shutdown()
    await request.shutdown()  # idempotent
    await request.initialize()  # can be reopened, as PTB may do
    await request.shutdown()
    with pytest.raises(ValueError):
        AiohttpRequest(connection_pool_size=0)


def test_redact_token() -> None:
    url = f"http://x/bot{TOKEN}/sendMessage"
    assert redact_token(url) == "http://x/bot<token>/sendMessage"
    assert redact_token("chat 12345 at 10:30") == "chat 12345 at 10:30"
