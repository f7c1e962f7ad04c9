"""A real PTB Application against the sandbox: command, reply, tap, edit; polling and webhook."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from sandbox import SandboxServer
from sandbox.harness import HandlerErrors, handler_errors, running_application, sandbox_builder
from tests.support.sandbox_plugin import StartBot

AnyApp = Application[Any, Any, Any, Any, Any, Any]


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "Ready to <b>stretch</b>?",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Start", callback_data="go")]]),
    )


async def _go(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Let's go")
    await query.edit_message_text("Hold for 30 seconds")


def tiny_app(server: SandboxServer) -> AnyApp:
    """A bot in five lines: /start offers a button, the button answers and edits."""
    app = sandbox_builder(server).build()
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_go))
    return app


async def test_command_reply_tap_and_edit_round_trip(
    sandbox: SandboxServer, start_bot: StartBot
) -> None:
    await start_bot(lambda: tiny_app(sandbox))
    ann = sandbox.user("Ann")
    await ann.send("/start")
    offer = await ann.next_message()
    assert (offer.text, offer.html, offer.button_labels) == (
        "Ready to stretch?",
        "Ready to <b>stretch</b>?",
        ["Start"],
    )
    tap = await ann.tap("Start")
    assert (await tap.answered()).text == "Let's go"
    edited = await ann.wait_for_edit(offer)
    assert (edited.text, edited.buttons, edited.edited) == ("Hold for 30 seconds", (), True)
    assert [call.method for call in sandbox.calls if call.method != "getUpdates"] == [
        "getMe",
        "deleteWebhook",
        "sendMessage",
        "answerCallbackQuery",
        "editMessageText",
    ]


async def test_several_people_at_once(sandbox: SandboxServer, start_bot: StartBot) -> None:
    await start_bot(tiny_app(sandbox))
    people = [sandbox.user(name) for name in ("Ann", "Ben", "Cat")]
    await asyncio.gather(*(person.send("/start") for person in people))
    offers = await asyncio.gather(*(person.next_message() for person in people))
    assert {offer.chat_id for offer in offers} == {person.id for person in people}


async def test_an_async_factory_is_accepted(sandbox: SandboxServer, start_bot: StartBot) -> None:
    async def factory() -> AnyApp:
        return tiny_app(sandbox)

    app = await start_bot(factory)
    assert app.running
    ann = sandbox.user("Ann")
    await ann.send("/start")
    await ann.next_message()


async def test_stopping_is_fast_despite_a_long_poll(sandbox: SandboxServer) -> None:
    async with running_application(tiny_app(sandbox), poll_timeout=30):
        await asyncio.sleep(0.1)  # the updater is now inside a 30 s long poll
        begin = time.monotonic()
    assert time.monotonic() - begin < 1.5


async def test_handler_exceptions_fail_the_test(sandbox: SandboxServer) -> None:
    async def broken(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        raise RuntimeError("handler bug")

    app = sandbox_builder(sandbox).build()
    app.add_handler(CommandHandler("start", broken))
    with pytest.raises(HandlerErrors) as caught:
        async with running_application(app):
            await sandbox.user("Ann").send("/start")
            for _ in range(200):
                if handler_errors(app):
                    break
                await asyncio.sleep(0.01)
    assert [str(error) for error in caught.value.exceptions] == ["handler bug"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_ptb_in_webhook_mode(sandbox: SandboxServer) -> None:
    app = tiny_app(sandbox)
    port = _free_port()
    await app.initialize()
    await app.start()
    assert app.updater is not None
    try:
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="sandbox-secret",
        )
        assert sandbox.webhook.config is not None
        assert sandbox.webhook.config.secret_token == "sandbox-secret"
        ann = sandbox.user("Ann")
        await ann.send("/start")
        offer = await ann.next_message(timeout=3)
        assert offer.button_labels == ["Start"]
        tap = await ann.tap("Start")
        await tap.answered(timeout=3)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
