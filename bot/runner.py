"""Start the bot for real: settings, logging, content, migrations, then long polling.

Every way out is one line on stderr and an exit status, never a traceback with the token in it:
PTB puts the token into `InvalidToken`'s message when Telegram (or a wrong
TELEGRAM_API_BASE_URL) answers 401/404, and anything else uncaught goes through a redacting
`sys.excepthook`. The database engine is disposed on every exit, so SQLite checkpoints its
write-ahead log and leaves no -wal/-shm files behind.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, TelegramError

from bot.config import Settings
from bot.content.errors import ContentError
from bot.content.loader import load_content
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import MigrationError, upgrade_or_explain
from bot.logging_setup import TokenRedactingFilter, configure_logging

logger = logging.getLogger(__name__)
EXIT_STARTUP = 2
TOKEN_REJECTED = (
    "stretchbot: the Bot API rejected the token (401/404): check TELEGRAM_BOT_TOKEN, and "
    "TELEGRAM_API_BASE_URL if you set it"
)


class _RejectedTokenSaidOnce(logging.Filter):
    """PTB's start-up retry loop logs the rejected token's traceback, then raises; the runner
    says it in one line instead, so the record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, InvalidToken)


def install_redacting_excepthook(redactor: TokenRedactingFilter) -> None:
    """The last resort: an uncaught exception prints its traceback with secrets redacted."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        sys.stderr.write(redactor.redact(text))

    sys.excepthook = hook


def run_polling(settings: Settings) -> int:
    """Run until Ctrl-C or SIGTERM. Returns the process exit status."""
    redactor = configure_logging(
        settings.log_level,
        [settings.telegram_bot_token.get_secret_value()],
        settings.log_format,
    )
    install_redacting_excepthook(redactor)
    logging.getLogger("telegram.ext").addFilter(_RejectedTokenSaidOnce())
    try:
        content = load_content(settings.content_dir)
    except ContentError as error:
        print(f"stretchbot: content is invalid:\n{error}", file=sys.stderr)
        return 1
    try:
        upgrade_or_explain(settings.database_url)
    except MigrationError as error:
        print(f"stretchbot: {error}", file=sys.stderr)
        return 2
    from bot.chat.app import build_application

    engine = create_engine(settings.database_url)
    application = build_application(settings, content, create_session_factory(engine))
    shutdown = application.post_shutdown

    async def shutdown_then_dispose(app: Any) -> None:
        try:
            if shutdown is not None:
                await shutdown(app)
        finally:
            await engine.dispose()

    application.post_shutdown = shutdown_then_dispose
    logger.info("Stretchbot is starting (long polling)")
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except InvalidToken:
        print(TOKEN_REJECTED, file=sys.stderr)
        return EXIT_STARTUP
    except TelegramError as error:
        reason = redactor.redact(f"{type(error).__name__}: {error}")
        print(f"stretchbot: cannot use the Bot API: {reason}", file=sys.stderr)
        return EXIT_STARTUP
    return 0
