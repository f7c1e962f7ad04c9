"""All of Stretchbot's settings, read once from the environment and an optional `.env` file.

Everything configurable lives here so that a bad value is caught at start-up, named, and
reported in one line instead of surfacing later as a traceback deep in a handler.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

TELEGRAM_API_BASE_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///stretchbot.db"
# What Telegram accepts as a webhook's secret_token.
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


class Settings(BaseSettings):
    """Stretchbot's configuration; see `.env.example` for what each setting means."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr = Field(min_length=1)
    telegram_api_base_url: str = TELEGRAM_API_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    default_timezone: str = "UTC"
    dispatch_interval_seconds: float = Field(default=5.0, gt=0, le=300)
    hold_check_seconds: float = Field(default=1.0, gt=0, le=2)
    dispatch_batch_size: int = Field(default=500, ge=1, le=10_000)
    reminder_grace_minutes: int = Field(default=120, ge=0, le=24 * 60)
    snooze_minutes: int = Field(default=30, ge=1, le=24 * 60)
    max_snoozes_per_day: int = Field(default=2, ge=0, le=10)
    rate_limit_global_per_second: float = Field(default=30.0, gt=0)
    rate_limit_per_chat_per_second: float = Field(default=1.0, gt=0)
    allow_paid_broadcast: bool = False
    dispatch_unrecorded_limit: int | None = Field(default=None, ge=1, le=10_000)
    redis_url: str | None = None
    send_max_attempts: int = Field(default=5, ge=1, le=50)
    content_dir: Path | None = None
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    log_format: str = "text"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"  # a worker serves the reverse proxy in front of it
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_has_no_spaces(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        if token.strip() != token or " " in token or "/" in token:
            raise ValueError("must be a bot token without spaces or slashes")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url_is_http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url_is_http(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be the public https:// address Telegram posts updates to")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_is_telegrams_alphabet(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not _SECRET_TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_has_a_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET must be set with WEBHOOK_URL")
        return self

    @property
    def webhook_path(self) -> str:
        """The path the worker serves: the one in WEBHOOK_URL, which the proxy passes on."""
        return urlsplit(self.webhook_url or "").path.strip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url_is_async(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            try:
                return frozenset(int(part) for part in parts if part)
            except ValueError:
                raise ValueError("must be Telegram user ids separated by commas") from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        chosen = value.lower()
        if chosen not in {"text", "json"}:
            raise ValueError("must be text or json")
        return chosen

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @property
    def bot_api_url(self) -> str:
        """The `base_url` PTB wants: the API root followed by `/bot`."""
        return f"{self.telegram_api_base_url}/bot"

    @property
    def bot_file_url(self) -> str:
        return f"{self.telegram_api_base_url}/file/bot"


def check_database_url(value: str) -> str:
    """Accept only the async drivers we ship: aiosqlite for SQLite, asyncpg for PostgreSQL."""
    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError("is not a database URL (e.g. sqlite+aiosqlite:///stretchbot.db)") from None
    backend = url.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise ValueError("must be a SQLite or PostgreSQL URL")
    driver = url.get_driver_name()
    if driver != _ASYNC_DRIVERS[backend]:
        expected = f"{backend}+{_ASYNC_DRIVERS[backend]}"
        raise ValueError(f"must use the async driver: start it with {expected}://")
    return value


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming the variable."""


def load_settings(**overrides: Any) -> Settings:
    """Read and validate the settings, turning pydantic's report into one readable line."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None


def database_url_from_env() -> str:
    """The database URL alone, for commands (db upgrade) that need no bot token."""
    try:
        return _DatabaseOnly().database_url
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None


class _DatabaseOnly(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str = DEFAULT_DATABASE_URL

    @field_validator("database_url")
    @classmethod
    def _database_url_is_async(cls, value: str) -> str:
        return check_database_url(value)


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem: `DATABASE_URL: must use the async driver ...`."""
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "settings"
        variable = field.upper()
        if problem["type"] == "missing":
            message = "is not set"
        else:
            message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"{variable}: {message}")
    return "; ".join(lines)
