"""What `sandbox/web.py` serves for the chat page: the page and its files (under a strict
content policy), the command menu as Telegram resolves it, the reply keyboard, and the photo or
document of a message (never run as a page of ours)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
import telegram
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from sandbox import SandboxServer, SimUser
from sandbox.web import STATIC_DIR
from tests.support.sandbox_plugin import sandbox

__all__ = ["sandbox"]

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
async def http(sandbox: SandboxServer) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=sandbox.url) as session:
        yield session


@pytest.fixture
async def bot(sandbox: SandboxServer) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(sandbox.token, base_url=sandbox.bot_base_url) as client:
        yield client


@pytest.fixture
async def person(sandbox: SandboxServer) -> SimUser:
    user = sandbox.user("Ann", language_code="de")
    await user.send("/start")
    return user


async def test_the_page_and_its_files(http: aiohttp.ClientSession) -> None:
    async with http.get("/") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        policy = response.headers["Content-Security-Policy"]
        page = await response.text()
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    # Scripts come from files only (the policy would block inline ones anyway), and nothing
    # is loaded from another origin.
    assert re.findall(r"<script[^>]*>", page) == ['<script type="module" src="/static/app.js">']
    assert "http://" not in page and "https://" not in page
    for name, kind in [
        ("app.js", "javascript"),
        ("format.js", "javascript"),
        ("style.css", "text/css"),
    ]:
        async with http.get(f"/static/{name}") as response:
            assert response.status == 200, name
            assert kind in response.content_type
            assert await response.read() == (STATIC_DIR / name).read_bytes()


@pytest.mark.parametrize(
    "path", ["/static/../server.py", "/static/%2e%2e/server.py", "/static/nothing.js"]
)
async def test_nothing_but_the_static_folder(http: aiohttp.ClientSession, path: str) -> None:
    async with http.get(path) as response:
        assert response.status in (403, 404)


async def test_the_command_menu_is_resolved_like_telegram(
    http: aiohttp.ClientSession, bot: telegram.Bot, person: SimUser
) -> None:
    path = f"/sandbox/chats/{person.id}/commands"
    async with http.get(path) as response:
        assert await response.json() == []

    await bot.set_my_commands([BotCommand("start", "Begin")])
    await bot.set_my_commands(
        [BotCommand("start", "Anfangen")], scope=BotCommandScopeAllPrivateChats()
    )
    async with http.get(path) as response:
        assert await response.json() == [{"command": "start", "description": "Anfangen"}]

    await bot.set_my_commands(
        [BotCommand("hilfe", "Hilfe")], scope=BotCommandScopeAllPrivateChats(), language_code="de"
    )
    async with http.get(path) as response:
        assert await response.json() == [{"command": "hilfe", "description": "Hilfe"}]

    await bot.set_my_commands(
        [BotCommand("only", "This chat")], scope=BotCommandScopeChat(person.id)
    )
    async with http.get(path) as response:
        assert await response.json() == [{"command": "only", "description": "This chat"}]


async def test_the_reply_keyboard_says_what_each_button_asks_for(
    http: aiohttp.ClientSession, bot: telegram.Bot, person: SimUser
) -> None:
    path = f"/sandbox/chats/{person.id}/keyboard"
    markup = ReplyKeyboardMarkup(
        [[KeyboardButton("📍 Where I am", request_location=True)], ["Type it"]],
        one_time_keyboard=True,
        input_field_placeholder="A city",
    )
    await bot.send_message(person.id, "Where are you?", reply_markup=markup)
    async with http.get(path) as response:
        assert await response.json() == {
            "rows": [
                [{"text": "📍 Where I am", "request_location": True, "request_contact": False}],
                [{"text": "Type it", "request_location": False, "request_contact": False}],
            ],
            "hidden": False,
            "one_time": True,
            "placeholder": "A city",
        }
    await bot.send_message(person.id, "Thanks", reply_markup=ReplyKeyboardRemove())
    async with http.get(path) as response:
        assert await response.json() is None


async def test_a_message_photo_is_an_image_and_a_document_a_download(
    http: aiohttp.ClientSession, bot: telegram.Bot, person: SimUser
) -> None:
    photo = await bot.send_photo(person.id, PNG, caption="chart")
    document = await bot.send_document(
        person.id, b"<script>alert(1)</script>", filename="export.html"
    )
    text = await bot.send_message(person.id, "plain")
    base = f"/sandbox/chats/{person.id}/messages"

    async with http.get(f"{base}/{photo.message_id}/file") as response:
        assert response.status == 200
        assert response.content_type == "image/png"
        assert await response.read() == PNG
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    async with http.get(f"{base}/{document.message_id}/file") as response:
        assert response.status == 200
        assert response.content_type == "application/octet-stream"
        assert response.headers["Content-Disposition"] == 'attachment; filename="export.html"'
        assert response.headers["Content-Security-Policy"] == "sandbox"
        assert await response.read() == b"<script>alert(1)</script>"

    for missing in (f"{base}/{text.message_id}/file", f"{base}/999/file", f"{base}/x/file"):
        async with http.get(missing) as response:
            assert response.status == 404, missing
    async with http.get(f"/sandbox/chats/1/messages/{photo.message_id}/file") as response:
        assert response.status == 404
