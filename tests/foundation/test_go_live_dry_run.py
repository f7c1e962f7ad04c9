"""The README's "Go live" dry run as an operator does it, with real processes:
`stretchbot sandbox` in one, `stretchbot run` against it in another, JSON logs and the health
server on; a person says /start on the sandbox's people API and the bot answers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(*args: str, cwd: Path, **env: str) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=clean | env | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out, err


def eventually(probe: Callable[[], T | None], what: str, wait: float = 60.0) -> T:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            found = probe()
        except httpx.HTTPError:
            found = None
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def sandbox_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    process = start("sandbox", "--port", "0", cwd=tmp_path)
    assert process.stdout is not None
    first = process.stdout.readline()
    command = process.stdout.readline() + process.stdout.readline()
    try:
        assert first.startswith("Local Telegram at http://127.0.0.1:"), first
        url = first.split()[3]
        token = command.split("TELEGRAM_BOT_TOKEN=")[1].split()[0]
        yield process, url, token
    finally:
        stop(process)


def test_stretchbot_run_against_stretchbot_sandbox(
    tmp_path: Path, sandbox_process: tuple[subprocess.Popen[str], str, str]
) -> None:
    _, url, token = sandbox_process
    metrics_port = free_port()
    bot = start(
        "run",
        cwd=tmp_path,
        TELEGRAM_API_BASE_URL=url,
        TELEGRAM_BOT_TOKEN=token,
        METRICS_PORT=str(metrics_port),
        LOG_FORMAT="json",
    )
    health = f"http://127.0.0.1:{metrics_port}"
    try:
        eventually(
            lambda: True if httpx.get(f"{health}/readyz").status_code == 200 else None,
            "/readyz to say ready",
        )
        person = httpx.post(f"{url}/sandbox/users", json={"first_name": "Pat"}).json()
        httpx.post(f"{url}/sandbox/users/{person['id']}/messages", json={"text": "/start"})

        def bot_replied() -> list[dict[str, Any]] | None:
            chat = httpx.get(f"{url}/sandbox/chats/{person['id']}").json()
            replies = [m for m in chat["messages"] if m["from_bot"]]
            return replies or None

        assert eventually(bot_replied, "the bot's answer to /start")[0]["text"]
        scrape = eventually(
            lambda: (
                text
                if 'stretchbot_updates_total{kind="command"} 1.0'
                in (text := httpx.get(f"{health}/metrics").text)
                else None
            ),
            "the command to be counted",
            wait=10,
        )
        assert "stretchbot_reminders_total" in scrape
    finally:
        status, _, log = stop(bot)
    assert status == 0, log[-2000:]
    records = [json.loads(line) for line in log.splitlines() if line.strip()]  # every line JSON
    handled = [r for r in records if r["message"].startswith("handled command")]
    assert handled and handled[0]["update_id"] is not None and handled[0]["person_id"] == 1
    assert handled[0]["duration_ms"] > 0
    assert token not in log and "Pat" not in log
    assert any(r["message"].startswith("health and metrics on") for r in records)
