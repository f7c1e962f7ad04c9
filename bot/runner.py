"""Start the bot for real: settings, logging, content, migrations, then long polling."""

from __future__ import annotations

import logging
import sys

from telegram import Update

from bot.config import Settings
from bot.content.errors import ContentError
from bot.content.loader import load_content
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import MigrationError, upgrade_or_explain
from bot.logging_setup import configure_logging

logger = logging.getLogger(__name__)


def run_polling(settings: Settings) -> int:
    """Run until Ctrl-C. Returns the process exit status."""
    configure_logging(settings.log_level, [settings.telegram_bot_token.get_secret_value()])
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
    logger.info("Stretchbot is starting (long polling)")
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0
