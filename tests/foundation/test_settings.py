from __future__ import annotations

import pytest

from bot.config import DEFAULT_DATABASE_URL, SettingsError, load_settings

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "ADMIN_USER_IDS", "DEFAULT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.bot_api_url == "https://api.telegram.org/bot"
    assert settings.admin_user_ids == frozenset()


def test_env_file_is_read(tmp_path: pytest.TempPathFactory) -> None:
    with open(".env", "w") as env:
        env.write(f"TELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_USER_IDS=1, 2;3\n")
    settings = load_settings()
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert settings.admin_user_ids == {1, 2, 3}


def test_token_is_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert TOKEN not in repr(load_settings())


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TELEGRAM_BOT_TOKEN", None, "TELEGRAM_BOT_TOKEN: is not set"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL: must be a SQLite or PostgreSQL URL"),
        ("DATABASE_URL", "sqlite:///x.db", "DATABASE_URL: must use the async driver"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: is not a database URL"),
        ("ADMIN_USER_IDS", "1,abc", "ADMIN_USER_IDS: must be Telegram user ids"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: unknown IANA time zone"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: must be one of"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: must be text or json"),
        ("METRICS_PORT", "70000", "METRICS_PORT: "),
        ("TELEGRAM_API_BASE_URL", "ftp://x", "TELEGRAM_API_BASE_URL: must start with http"),
    ],
)
def test_invalid_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str | None, message: str
) -> None:
    if variable != "TELEGRAM_BOT_TOKEN":
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    if value is not None:
        monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
