"""Start the bot for real: settings, logging, content, migrations, then the process's role.

One process can do everything (`--role all`, the default). To scale past one process, run
several `worker`s (webhook mode, behind a reverse proxy) and one or more `dispatcher`s against
one PostgreSQL: workers take updates, dispatchers send reminders, and every process rings hold
timers (they are claimed from the database, see `bot.chat.timers`).

Every way out is one line on stderr and an exit status, never a traceback with the token in it:
PTB puts the token into `InvalidToken`'s message when Telegram (or a wrong
TELEGRAM_API_BASE_URL) answers 401/404, and anything else uncaught goes through a redacting
`sys.excepthook`. A port the bot cannot listen on (WEBHOOK_PORT, METRICS_PORT taken) is one
line too. The database engine is disposed on every exit, so SQLite checkpoints its
write-ahead log and leaves no -wal/-shm files behind.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
import sys
import traceback
from enum import StrEnum
from types import TracebackType
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot import boot
from bot.config import Settings
from bot.logging_setup import TokenRedactingFilter, configure_logging

logger = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
EXIT_STARTUP = 2
TOKEN_REJECTED = (
    "stretchbot: the Bot API rejected the token (401/404): check TELEGRAM_BOT_TOKEN, and "
    "TELEGRAM_API_BASE_URL if you set it"
)


_CANNOT_LISTEN = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)


class CannotListen(Exception):
    """The webhook server could not take its port; the message names the settings."""


class _StartupFailureSaidOnce(logging.Filter):
    """PTB's start-up retry loop logs its giving-up with a traceback, then raises: a rejected
    token, a 500, a refused connection, an unknown host. The runner says each in one line
    instead, so those records are dropped; any other failure is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, InvalidToken):
            return False
        bootstrap = "Network Retry Loop (Bootstrap" in record.getMessage()
        return not (bootstrap and isinstance(error, TelegramError))


def install_redacting_excepthook(redactor: TokenRedactingFilter) -> None:
    """The last resort: an uncaught exception prints its traceback with secrets redacted."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        sys.stderr.write(redactor.redact(text))

    sys.excepthook = hook


class Role(StrEnum):
    """What one process does."""

    ALL = "all"  # updates + reminders + hold timers: the one-process set-up
    WORKER = "worker"  # updates (webhook or polling) + hold timers
    DISPATCHER = "dispatcher"  # reminders + hold timers, takes no updates


def run(settings: Settings, role: Role = Role.ALL, webhook: bool | None = None) -> int:
    """Run until Ctrl-C or SIGTERM. `webhook=None` means: webhook if WEBHOOK_URL is set.
    Returns the process exit status."""
    secrets = [settings.telegram_bot_token.get_secret_value()]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    redactor = configure_logging(settings.log_level, secrets, settings.log_format)
    install_redacting_excepthook(redactor)
    logging.getLogger("telegram.ext").addFilter(_StartupFailureSaidOnce())
    use_webhook = settings.webhook_url is not None if webhook is None else webhook
    if use_webhook and settings.webhook_url is None and role is not Role.DISPATCHER:
        print("stretchbot: --webhook needs WEBHOOK_URL and WEBHOOK_SECRET", file=sys.stderr)
        return EXIT_STARTUP
    try:
        content = boot.prepare(settings)
    except boot.BootFailure as failure:
        print(failure.message, file=sys.stderr)
        return failure.status
    database = boot.open_database(settings)
    engine = database.engine
    application = boot.application(
        settings,
        content,
        database.sessions,
        reminders=role is not Role.WORKER,
        webhook=use_webhook,
        updates=role is not Role.DISPATCHER,
    )
    shutdown = application.post_shutdown

    async def shutdown_then_dispose(app: Any) -> None:
        try:
            if shutdown is not None:
                await shutdown(app)
        finally:
            await engine.dispose()

    application.post_shutdown = shutdown_then_dispose
    try:
        if role is Role.DISPATCHER:
            logger.info("Stretchbot is starting (dispatcher: reminders and hold timers)")
            asyncio.run(serve(application, settings, webhook=False))
        elif use_webhook:
            logger.info(
                "Stretchbot is starting (%s, webhook on port %d)", role, settings.webhook_port
            )
            asyncio.run(serve(application, settings, webhook=True))
        else:
            logger.info("Stretchbot is starting (%s, long polling)", role)
            # PTB deletes any webhook before the first getUpdates, so --polling switches back.
            application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except InvalidToken:
        print(TOKEN_REJECTED, file=sys.stderr)
        return EXIT_STARTUP
    except TelegramError as error:
        reason = redactor.redact(f"{type(error).__name__}: {error}")
        print(f"stretchbot: cannot use the Bot API: {reason}", file=sys.stderr)
        return EXIT_STARTUP
    except CannotListen as error:
        print(f"stretchbot: {redactor.redact(str(error))}", file=sys.stderr)
        return EXIT_STARTUP
    except OSError as error:  # the health server's METRICS_PORT taken: aiohttp names the address
        if error.errno not in _CANNOT_LISTEN:
            raise
        print(f"stretchbot: cannot listen: {redactor.redact(str(error))}", file=sys.stderr)
        return EXIT_STARTUP
    return 0


async def start_webhook(application: AnyApplication, settings: Settings) -> None:
    """Serve PTB's webhook on WEBHOOK_LISTEN:WEBHOOK_PORT at WEBHOOK_URL's path and set the
    webhook (every worker sets the same public URL). A request without the secret token
    header, or with a wrong one, gets 403 and reaches no handler."""
    if application.updater is None or settings.webhook_url is None:
        raise RuntimeError("webhook mode needs an Updater and WEBHOOK_URL")
    if settings.webhook_secret is None:
        raise RuntimeError("webhook mode needs WEBHOOK_SECRET")
    try:
        await application.updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
    except OSError as error:  # tornado's "Address already in use" names no port
        where = f"{settings.webhook_listen}:{settings.webhook_port}"
        reason = error.strerror or str(error)
        raise CannotListen(
            f"WEBHOOK_LISTEN/WEBHOOK_PORT: cannot listen on {where}: {reason}"
        ) from None


async def serve(
    application: AnyApplication,
    settings: Settings,
    *,
    webhook: bool,
    stop: asyncio.Event | None = None,
) -> None:
    """Start the application (post_init included, as run_polling would), take updates by
    webhook if asked, and run until `stop` is set (by default: SIGINT or SIGTERM).

    A stop during start-up (a Bot API slow to answer getMe or setWebhook) cancels the start-up
    and shuts down at once, as run_polling does, instead of waiting out PTB's timeouts and
    leaving with "cannot use the Bot API"."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    starting = asyncio.create_task(_start(application, settings, webhook=webhook))
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({starting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            await asyncio.wait({starting})
        if not starting.cancelled():
            starting.result()  # a start-up failure (InvalidToken, TelegramError...) goes up
            await stopped
    finally:
        stopped.cancel()
        await _stop(application)


async def _start(application: AnyApplication, settings: Settings, *, webhook: bool) -> None:
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    if webhook:
        await start_webhook(application, settings)


async def _stop(application: AnyApplication) -> None:
    """Undo what start-up got to; shutdown and post_shutdown (the engine's disposal) always."""
    try:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
