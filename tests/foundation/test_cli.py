"""The `stretchbot` command as an operator meets it: help, clear errors, exit statuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"


def stretchbot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "DATABASE_URL"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=clean | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args", [[], ["run"], ["db"], ["db", "upgrade"], ["content", "check"], ["content", "show"]]
)
def test_every_command_has_help(tmp_path: Path, args: list[str]) -> None:
    result = stretchbot(*args, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "usage: stretchbot" in result.stdout


def test_run_without_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = stretchbot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "stretchbot: configuration error: TELEGRAM_BOT_TOKEN: is not set"
    ]


def test_bad_database_url_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = stretchbot("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL="mysql://x")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
    result = stretchbot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("stretchbot: DATABASE_URL: cannot migrate the database")
    )
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_a_new_sqlite_file(tmp_path: Path) -> None:
    result = stretchbot("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "stretchbot.db").exists()
    assert "up to date" in result.stdout


def test_db_upgrade_on_postgres(tmp_path: Path, empty_postgres_url: str) -> None:
    result = stretchbot("db", "upgrade", cwd=tmp_path, DATABASE_URL=empty_postgres_url)
    assert result.returncode == 0, result.stderr
