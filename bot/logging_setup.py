"""Logging set-up: plain text or one JSON object per line, and never the bot token.

`LOG_FORMAT=json` uses python-json-logger: it is a `logging.Formatter`, so every record, ours and
PTB's, httpx's, APScheduler's and Alembic's alike, comes out as JSON without changing a single
logging call, and the token filter below keeps working unchanged. (structlog would have meant
routing the libraries' stdlib records through its ProcessorFormatter for the same result.) Each
line carries `update_id` and `person_id` (internal ids only, see `bot.logcontext`).

httpx logs each request URL at INFO, and a Bot API URL contains the token
(`/bot123:ABC/sendMessage`). The filter is attached to the root handlers, so records from any
library are redacted before they are formatted, including their arguments and tracebacks.

`LOG_LEVEL=DEBUG` shows PTB's and httpcore's DEBUG records too, but not their payloads: PTB logs
every Bot API call's parameters and answer (what people wrote and were sent, their names and
chat ids, and getMe's answer, the bot's id, which is the token's first half), each update it
processes and a webhook's raw body. The same filter keeps those records (which endpoint, which
update id) and leaves the payload out. aiosqlite's DEBUG records (every statement with its row
values) are not shown at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from pythonjsonlogger.json import JsonFormatter

from bot.logcontext import ContextFilter

REDACTED = "<redacted-token>"
# Any Telegram-token-shaped string: digits, a colon, then the secret part.
_CHATTY_LOGGERS = ("httpx", "apscheduler.scheduler", "apscheduler.executors.default")
_TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
# Loggers whose DEBUG records carry row values; they stay at INFO under LOG_LEVEL=DEBUG.
_ROW_LOGGERS = ("aiosqlite",)
LEFT_OUT = "<payload left out>"


def _update_id(update: object) -> str:
    return f"#{getattr(update, 'update_id', '?')}"


def _endpoint_only(args: tuple[object, ...]) -> tuple[object, ...]:
    return (args[0], LEFT_OUT)


# PTB's DEBUG (and one ERROR) records whose arguments are payloads, by their format string, and
# what is kept of their arguments. Should PTB reword one, the DEBUG process test sees the bot id.
_PAYLOAD_RECORDS: dict[str, Callable[[tuple[object, ...]], tuple[object, ...]]] = {
    "Calling Bot API endpoint `%s` with parameters `%s`": _endpoint_only,
    "Call to Bot API endpoint `%s` finished with return value `%s`": _endpoint_only,
    "Processing update %s": lambda args: (_update_id(args[0]),),
    "Dropping pending update: %s": lambda args: (_update_id(args[0]),),
    "Webhook received data: %s": lambda _args: (LEFT_OUT,),
    'Can not load invalid JSON data: "%s"': lambda _args: (LEFT_OUT,),
}


def _leave_out_payload(record: logging.LogRecord) -> None:
    keep = _PAYLOAD_RECORDS.get(record.msg) if isinstance(record.msg, str) else None
    if keep is not None and isinstance(record.args, tuple) and record.args:
        record.args = keep(record.args)


class TokenRedactingFilter(logging.Filter):
    """Replace known tokens (and anything shaped like one) in a record's final message."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        _leave_out_payload(record)
        message = record.getMessage()
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.redact(formatted)
            record.exc_info = None
        return True


HANDLER_NAME = "stretchbot"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(update_id)s %(person_id)s"


def make_formatter(log_format: str = "text") -> logging.Formatter:
    """Plain lines for a terminal, or JSON objects (`time`, `level`, `logger`, `message`,
    `update_id`, `person_id`, plus any `extra=` such as `duration_ms`) for a log collector."""
    if log_format == "json":
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(
    level: str, secrets: Iterable[str] = (), log_format: str = "text"
) -> TokenRedactingFilter:
    """Log to stderr at `level`, redacting the given secrets on every handler of the root logger."""
    root = logging.getLogger()
    root.setLevel(level)
    ours = [handler for handler in root.handlers if handler.get_name() == HANDLER_NAME]
    if not root.handlers:
        stderr_handler = logging.StreamHandler()
        stderr_handler.set_name(HANDLER_NAME)
        root.addHandler(stderr_handler)
        ours = [stderr_handler]
    for handler in ours:
        handler.setFormatter(make_formatter(log_format))
    redactor = TokenRedactingFilter(secrets)
    for handler in root.handlers:
        install_redactor(handler, redactor)
        if not any(isinstance(existing, ContextFilter) for existing in handler.filters):
            handler.addFilter(ContextFilter())
    # Handlers added later (pytest's caplog, say) would miss the filter, so guard the loggers that
    # see URLs as well: their records are redacted at the source.
    for name in ("httpx", "httpcore", "telegram", "apscheduler", "aiohttp"):
        install_redactor(logging.getLogger(name), redactor)
    # Every long poll and every dispatcher tick would otherwise log a line or two at INFO;
    # operators see them with LOG_LEVEL=DEBUG.
    chatty_level = logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(chatty_level)
    for name in _ROW_LOGGERS:
        logging.getLogger(name).setLevel(max(root.level, logging.INFO))
    return redactor


def install_redactor(target: logging.Filterer, redactor: TokenRedactingFilter) -> None:
    """Attach `redactor`, replacing one from an earlier configuration (another token, say)."""
    for existing in list(target.filters):
        if isinstance(existing, TokenRedactingFilter):
            target.removeFilter(existing)
    target.addFilter(redactor)
