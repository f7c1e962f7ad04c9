"""Run a real python-telegram-bot `Application` against the sandbox, and stop it fast.

Any factory works: a tiny app built in a test from `sandbox_builder(server)`, or Stretchbot's
own application factory given settings that point at `server.bot_base_url`. Exceptions raised in
the bot's handlers are collected and fail the test, because a handler that crashes is a bug
even when an error handler hides it from the person (except Forbidden: a 403 is a refusal, and
the referee judges refusals).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import Application, ApplicationBuilder, CallbackContext

from sandbox.server import SandboxServer

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
AppFactory = Callable[[], AnyApplication | Awaitable[AnyApplication]]
_ERRORS_KEY = "sandbox_handler_errors"


def sandbox_builder(server: SandboxServer) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ApplicationBuilder already pointed at the sandbox (token, base URLs)."""
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.bot_base_url)
        .base_file_url(server.file_base_url)
    )


class HandlerErrors(ExceptionGroup[Exception]):
    """Exceptions the bot's handlers raised while the test ran."""


async def _build(app_or_factory: AnyApplication | AppFactory) -> AnyApplication:
    if isinstance(app_or_factory, Application):
        return app_or_factory
    built = app_or_factory()
    if inspect.isawaitable(built):
        built = await built
    if not isinstance(built, Application):
        raise TypeError(f"the factory returned {type(built).__name__}, not an Application")
    return built


def handler_errors(app: AnyApplication) -> list[Exception]:
    """Errors collected so far from `app`'s handlers (when started by this harness)."""
    errors: list[Exception] = (
        app.bot_data.get(_ERRORS_KEY, []) if isinstance(app.bot_data, dict) else []
    )
    return errors


@asynccontextmanager
async def running_application(
    app_or_factory: AnyApplication | AppFactory,
    *,
    poll_timeout: int = 10,
    allowed_updates: Sequence[str] | None = Update.ALL_TYPES,
    drop_pending_updates: bool = False,
    fail_on_handler_errors: bool = True,
) -> AsyncIterator[AnyApplication]:
    """Initialize, start and poll; on exit stop polling, stop and shut down.

    Long polls end at once on stop: PTB cancels its request and its final getUpdates (timeout
    0) takes over the server-side poll, so teardown costs milliseconds, not `poll_timeout`.
    """
    app = await _build(app_or_factory)
    errors: list[Exception] = []

    async def collect(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        # A person who blocked the bot mid-conversation makes a handler's send fail with 403:
        # that refusal is judged where every refusal is (the sandbox's referee), not here.
        if context.error is not None and not isinstance(context.error, Forbidden):
            errors.append(context.error)

    if fail_on_handler_errors:
        app.add_error_handler(collect)
    if isinstance(app.bot_data, dict):
        app.bot_data[_ERRORS_KEY] = errors
    await app.initialize()
    try:
        # run_polling() calls post_init after initialize(); do the same, so start-up work
        # (menu commands, recurring jobs) runs under test exactly as in production.
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            if app.updater is None:
                raise RuntimeError("the application has no Updater; build it with one")
            await app.updater.start_polling(
                poll_interval=0,
                timeout=max(1, poll_timeout),
                allowed_updates=allowed_updates,
                drop_pending_updates=drop_pending_updates,
            )
            body_failed = False
            try:
                yield app
            except BaseException:
                body_failed = True
                raise
            finally:
                if app.updater.running:
                    await app.updater.stop()
                if not body_failed and errors:
                    raise HandlerErrors("the bot's handlers raised", errors)
        finally:
            if app.running:
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
