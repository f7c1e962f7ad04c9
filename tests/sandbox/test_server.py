"""Routing and Telegram's envelope: tokens, method names, parameter encodings, fast stop."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
import telegram
from telegram.error import EndPointNotFound, InvalidToken

from sandbox import DEFAULT_TOKEN, SandboxServer, SimUser
from tests.sandbox.helpers import RawApi, make_bot


async def test_get_me_describes_the_bot(bot: telegram.Bot, raw: RawApi) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.id == int(DEFAULT_TOKEN.split(":")[0])
    assert me.username == "stretchbot_sandbox_bot"
    assert me.can_join_groups is True
    assert me.api_kwargs == {}  # every field has PTB's name for it
    status, body = await raw.call("getMe")
    assert status == 200
    assert body == {"ok": True, "result": body["result"]}


async def test_a_wrong_token_is_unauthorized(sandbox: SandboxServer, raw: RawApi) -> None:
    status, body = await raw.call("getMe", token="123:wrong-token")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    intruder = telegram.Bot("123:wrong-token", base_url=sandbox.bot_base_url)
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with intruder:
            pass


async def test_a_malformed_token_and_an_unknown_method_are_not_found(
    bot: telegram.Bot, raw: RawApi
) -> None:
    status, body = await raw.call("getMe", token="not-a-token")
    assert (status, body["description"]) == (404, "Not Found")
    status, body = await raw.call("sendTelepathy", chat_id=1)
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")


async def test_method_names_are_case_insensitive(raw: RawApi) -> None:
    status, body = await raw.call("GETME")
    assert status == 200
    assert body["result"]["is_bot"] is True


async def test_parameters_arrive_by_query_json_and_form(
    sandbox: SandboxServer, started: SimUser, raw: RawApi
) -> None:
    status, _ = await raw.call("sendMessage", http="GET", chat_id=started.id, text="by query")
    assert status == 200
    status, _ = await raw.call("sendMessage", chat_id=started.id, text="by json")
    assert status == 200
    markup = '{"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}'
    status, body = await raw.form(
        "sendMessage", chat_id=str(started.id), text="by form", reply_markup=markup
    )
    assert status == 200
    assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"
    assert [m.text for m in started.bot_messages()] == ["by query", "by json", "by form"]


async def test_ptb_sends_forms_and_the_call_log_records_them(
    sandbox: SandboxServer, started: SimUser, bot: telegram.Bot
) -> None:
    await bot.send_message(started.id, "hello", disable_notification=True)
    call = sandbox.calls_of("sendMessage")[-1]
    assert call.ok
    # PTB 22 url-encodes parameters; non-string values arrive JSON-encoded as strings.
    assert call.params["chat_id"] == str(started.id)
    assert call.params["disable_notification"] == "true"


async def test_a_bad_json_body_is_a_bad_request(sandbox: SandboxServer) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{sandbox.bot_base_url}{sandbox.token}/getMe",
            data=b"{not json",
            headers={"Content-Type": "application/json"},
        ) as response,
    ):
        body = await response.json()
    assert response.status == 400
    assert body["description"].startswith("Bad Request: ")


async def test_stopping_releases_a_long_poll_at_once() -> None:
    server = SandboxServer()
    await server.start()
    async with make_bot(server, read_timeout=30) as client:
        poll = asyncio.create_task(client.get_updates(timeout=25))
        await asyncio.sleep(0.1)
        started_at = time.monotonic()
        await server.stop()
        assert await poll == ()
        assert time.monotonic() - started_at < 1.0


async def test_a_server_starts_once(sandbox: SandboxServer) -> None:
    with pytest.raises(RuntimeError, match="starts once"):
        await sandbox.start()


async def test_the_file_url_serves_stored_bytes_only_with_the_token(
    sandbox: SandboxServer, started: SimUser, bot: telegram.Bot
) -> None:
    message = await bot.send_document(started.id, b"plan", filename="plan.txt")
    assert message.document is not None
    file = await bot.get_file(message.document.file_id)
    assert file.file_path is not None
    assert file.file_path.startswith(sandbox.file_base_url)
    assert bytes(await file.download_as_bytearray()) == b"plan"
    async with (
        aiohttp.ClientSession() as session,
        session.get(file.file_path.replace(sandbox.token, "1:other")) as response,
    ):
        assert response.status == 401
