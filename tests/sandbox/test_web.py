"""The people API over HTTP (for the demo page): JSON endpoints and the event stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import SandboxServer
from tests.sandbox.helpers import png


@pytest.fixture
async def http(sandbox: SandboxServer) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=sandbox.url) as session:
        yield session


async def _post(
    http: aiohttp.ClientSession, path: str, body: dict[str, Any] | None = None
) -> tuple[int, Any]:
    async with http.post(path, json=body or {}) as response:
        return response.status, await response.json()


async def _get(http: aiohttp.ClientSession, path: str) -> tuple[int, Any]:
    async with http.get(path) as response:
        return response.status, await response.json()


async def test_a_person_made_over_http_talks_to_the_bot(
    http: aiohttp.ClientSession, bot: telegram.Bot
) -> None:
    status, person = await _post(
        http, "/sandbox/users", {"first_name": "Web", "language_code": "fr"}
    )
    assert status == 201
    assert person["language_code"] == "fr"
    status, sent = await _post(http, f"/sandbox/users/{person['id']}/messages", {"text": "/start"})
    assert (status, sent["text"], sent["from_bot"]) == (201, "/start", False)
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.text == "/start"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    await bot.send_message(person["id"], "<b>Ready?</b>", parse_mode="HTML", reply_markup=markup)
    status, chat = await _get(http, f"/sandbox/chats/{person['id']}")
    assert status == 200
    last = chat["messages"][-1]
    assert (last["html"], last["buttons"]) == (
        "<b>Ready?</b>",
        [[{"text": "Go", "callback_data": "go", "url": None}]],
    )
    status, tap = await _post(http, f"/sandbox/users/{person['id']}/taps", {"label": "Go"})
    assert status == 201
    await bot.answer_callback_query(tap["query_id"], text="Go!")
    _, answers = await _get(http, f"/sandbox/users/{person['id']}/callback_answers")
    assert [a["text"] for a in answers] == ["Go!"]


async def test_location_block_and_groups_over_http(
    sandbox: SandboxServer, http: aiohttp.ClientSession, bot: telegram.Bot
) -> None:
    user = sandbox.user("Ann")
    status, _ = await _post(
        http, f"/sandbox/users/{user.id}/location", {"latitude": 1.5, "longitude": 2.5}
    )
    assert status == 201
    _, blocked = await _post(http, f"/sandbox/users/{user.id}/block")
    assert blocked == {"blocked": True}
    _, chat = await _get(http, f"/sandbox/chats/{user.id}")
    assert chat["blocked"] is True
    status, group = await _post(http, "/sandbox/groups", {"title": "Club", "member_ids": [user.id]})
    assert status == 201
    status, said = await _post(
        http, f"/sandbox/groups/{group['id']}/messages", {"user_id": user.id, "text": "/today"}
    )
    assert (status, said["chat_id"]) == (201, group["id"])
    _, overview = await _get(http, "/sandbox/")
    assert overview["bot"]["username"] == "stretchbot_sandbox_bot"
    assert [g["title"] for g in overview["groups"]] == ["Club"]


async def test_mistakes_are_json_errors(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    status, body = await _post(http, "/sandbox/users/42/messages", {"text": "hi"})
    assert status == 404
    user = sandbox.user("Ann")
    status, body = await _post(http, f"/sandbox/users/{user.id}/taps", {"label": "Nope"})
    assert status == 400
    assert "no inline button" in body["error"]
    status, body = await _post(http, "/sandbox/users", {})
    assert (status, body) == (400, {"error": "first_name is required"})


async def test_files_are_served_for_the_page(
    sandbox: SandboxServer, http: aiohttp.ClientSession, bot: telegram.Bot
) -> None:
    user = sandbox.user("Ann")
    await user.send("/start")
    sent = await bot.send_photo(user.id, png(2, 2))
    async with http.get(f"/sandbox/files/{sent.photo[-1].file_id}") as response:
        assert response.status == 200
        assert await response.read() == png(2, 2)


async def _read_events(
    response: aiohttp.ClientResponse, wanted: int
) -> list[tuple[str, dict[str, Any]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    kind = ""
    async for raw_line in response.content:
        line = raw_line.decode().rstrip("\n")
        if line.startswith("event: "):
            kind = line[len("event: ") :]
        elif line.startswith("data: "):
            events.append((kind, json.loads(line[len("data: ") :])))
            if len(events) == wanted:
                break
    return events


async def test_the_event_stream_reports_chat_changes(
    sandbox: SandboxServer, http: aiohttp.ClientSession, bot: telegram.Bot
) -> None:
    user = sandbox.user("Ann")
    other = sandbox.user("Ben")
    async with http.get(f"/sandbox/chats/{user.id}/events") as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        reading = asyncio.create_task(_read_events(response, 4))
        await asyncio.sleep(0.05)
        await other.send("elsewhere")  # another chat: not in this stream
        await user.send("/start")
        sent = await bot.send_message(user.id, "Hi")
        await bot.send_chat_action(user.id, "typing")
        await bot.edit_message_text("Hi!", chat_id=user.id, message_id=sent.message_id)
        events = await asyncio.wait_for(reading, 2)
    assert [kind for kind, _ in events] == ["message", "message", "action", "edit"]
    assert events[1][1]["message"]["text"] == "Hi"
    assert events[2][1]["action"] == "typing"
    assert events[3][1]["message"]["text"] == "Hi!"


async def test_the_event_stream_ends_when_the_server_stops() -> None:
    server = SandboxServer()
    await server.start()
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{server.url}/sandbox/events") as response,
    ):
        first = await response.content.readline()
        assert first == b": connected\n"
        await server.stop()
        assert await asyncio.wait_for(response.content.read(), 2) in (b"", b"\n")
