"""The real `stretchbot run` console script as a child process, as an operator starts it.

`BotProcess` starts it with a clean environment (token, API base URL, database), collects
everything it prints, and stops it with a signal, so tests can check exit statuses, output and
what is left on disk. The child imports `bot` from the checkout these tests belong to
(PYTHONPATH): the console script alone would import the editable install's checkout, so the tests
of a git worktree would run another tree's bot.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

STRETCHBOT = Path(sys.executable).with_name("stretchbot")
CHECKOUT = Path(__file__).resolve().parents[2]


class BotProcess:
    def __init__(self, cwd: Path, *, args: Sequence[str] = (), **env: str) -> None:
        self.cwd = cwd
        self.args = list(args)  # after `stretchbot run`
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TELEGRAM_", "DATABASE_", "LOG_"))
        } | env
        inherited = self.env.get("PYTHONPATH")
        self.env["PYTHONPATH"] = os.pathsep.join(
            [str(CHECKOUT), *([inherited] if inherited else [])]
        )
        self.process: asyncio.subprocess.Process | None = None
        self.output = b""
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            str(STRETCHBOT),
            "run",
            *self.args,
            cwd=self.cwd,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while chunk := await self.process.stdout.read(65536):
            self.output += chunk

    async def wait(self, timeout: float = 60.0) -> int:  # noqa: ASYNC109
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout)
        return code

    async def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await self.wait(timeout)

    async def kill_if_running(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.wait()

    @property
    def text(self) -> str:
        return self.output.decode(errors="replace")
