"""`stretchbot demo` as a person runs it: a URL on start, the page served, a clean exit on
Ctrl-C (SIGINT) or SIGTERM, and a clear message when the port is taken."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.demo import run_demo

STRETCHBOT = Path(sys.executable).with_name("stretchbot")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0
URL = re.compile(r"open (http://\S+) in your browser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def demo_process(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [str(STRETCHBOT), "demo", "--port", str(port), "--db", str(tmp_path / "demo.db")],
        cwd=tmp_path,  # no .env of the developer's in the way
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        found = URL.search(line)
        if found:
            return found.group(1)
    process.kill()
    _, errors = process.communicate()
    raise AssertionError(f"no URL line from `stretchbot demo`; stderr:\n{errors[-3000:]}")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = demo_process(tmp_path, free_port())
    try:
        yield process, wait_for_url(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_it_prints_the_url_serves_the_page_and_stops_cleanly(
    running: tuple[subprocess.Popen[str], str], stop: signal.Signals
) -> None:
    process, url = running
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        assert "<title>Stretchbot" in response.read().decode()
    with urllib.request.urlopen(url + "sandbox/", timeout=5) as response:
        assert b'"first_name": "Alex"' in response.read()

    process.send_signal(stop)
    try:
        status = process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`stretchbot demo` did not stop within {STOP_TIMEOUT} s of {stop.name}")
    output, errors = process.communicate()
    assert status == 0, errors[-3000:]
    assert "Stopping the demo" in output


def test_it_runs_without_errors_on_a_migrated_database(
    running: tuple[subprocess.Popen[str], str],
) -> None:
    """The database comes from the migrations (not from the models): every query of the bot
    and of its reminder job must work on it."""
    process, url = running
    with urllib.request.urlopen(url + "sandbox/chats/700000001", timeout=5) as response:
        assert response.status == 200
    time.sleep(1.5)  # let the reminder job (every second in the demo) run on that database
    process.send_signal(signal.SIGINT)
    process.wait(STOP_TIMEOUT)
    _, errors = process.communicate()
    problems = [line for line in errors.splitlines() if " ERROR " in line or "Error:" in line]
    assert not problems, "\n".join(problems[:10])


def test_a_taken_port_is_reported_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = demo_process(tmp_path, port)
        try:
            _, errors = process.communicate(timeout=START_TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 2
    assert f"stretchbot: cannot serve the demo on 127.0.0.1:{port}" in errors
    assert "Traceback" not in errors


def test_an_impossible_port_is_refused_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_demo(host="127.0.0.1", port=70000, database=tmp_path / "demo.db") == 2
    assert "--port must be between 0 and 65535, not 70000" in capsys.readouterr().err
    assert not (tmp_path / "demo.db").exists()
