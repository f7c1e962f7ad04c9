"""Two webhook workers and a dispatcher as real processes on one PostgreSQL, one worker killed.

The stand-in Telegram spreads its webhook pushes over both workers, as nginx does in the
compose `scale` profile. Each of two people starts a hold, one on each worker; the first worker
is then killed (SIGKILL, no goodbye). Both holds still end exactly once, the orphaned one within
2 s of its stored end (rung from the database by a live process), and a batch of due reminders
reaches every person exactly once through the dispatcher.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.engine import create_engine, create_session_factory
from bot.db.models import PracticeSession, SessionStatus, Subscriber
from sandbox import SandboxServer, SimUser
from tests.process.running import STRETCHBOT, BotProcess
from tests.process.test_restarts import (
    STARTUP,
    due_people,
    hold_button,
    sent_in_db,
    sign_up,
    times_up,
    until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SECRET = "scale-test-secret"
REMINDERS = 40


class RoleProcess(BotProcess):
    """`stretchbot run` with arguments (`--webhook --role worker`, `--role dispatcher`)."""

    def __init__(self, cwd: Path, args: list[str], **env: str) -> None:
        super().__init__(cwd, **env)
        self.args = args

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def sandbox_server() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(webhook_retry_delay=0.05)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def hold_ends_at(database_url: str, person: SimUser) -> datetime:
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as db:
            ends = await db.scalar(
                select(PracticeSession.hold_ends_at)
                .join(Subscriber, Subscriber.id == PracticeSession.subscriber_id)
                .where(
                    Subscriber.telegram_user_id == person.id,
                    PracticeSession.status == SessionStatus.ACTIVE,
                )
            )
    finally:
        await engine.dispose()
    assert ends is not None, "the hold is stored with its end"
    return ends


async def start_hold(person: SimUser) -> None:
    await person.send("/now")
    card = await person.wait_for_message(lambda m: "▶️ Start" in m.button_labels, 30)
    await (await person.tap("▶️ Start", message=card)).answered(30)
    await person.wait_for_message(lambda m: "1/" in (m.text or ""), 30)
    await (await person.tap(hold_button(person))).answered(30)


async def test_two_workers_and_a_dispatcher_survive_a_killed_worker(
    tmp_path: Path, sandbox_server: SandboxServer, empty_postgres_url: str
) -> None:
    server, url = sandbox_server, empty_postgres_url
    env = {
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.url,
        "DATABASE_URL": url,
        "DISPATCH_INTERVAL_SECONDS": "0.5",
        "DEFAULT_TIMEZONE": "UTC",
    }
    # Migrate once, as the compose profile's `migrate` service does, before the roles start.
    migrate = await asyncio.create_subprocess_exec(
        str(STRETCHBOT), "db", "upgrade", cwd=tmp_path, env={**BotProcess(tmp_path).env, **env}
    )
    assert await asyncio.wait_for(migrate.wait(), 120) == 0
    ports = [free_port(), free_port()]
    hooks = [f"http://127.0.0.1:{port}/telegram" for port in ports]
    workers = [
        RoleProcess(
            tmp_path,
            ["--webhook", "--role", "worker"],
            **env,
            WEBHOOK_URL=hooks[0],  # the public address; the "balancer" below picks a worker
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        for port in ports
    ]
    dispatcher = RoleProcess(tmp_path, ["--role", "dispatcher"], **env)
    everyone = [*workers, dispatcher]
    outputs: list[str] = []
    try:
        for process in everyone:
            await process.start()
        server.webhook.spread(hooks)
        await until(lambda: server.webhook.active, STARTUP, "a worker to set the webhook")

        alex, sam = server.user("Alex"), server.user("Sam")
        await sign_up(alex)
        await sign_up(sam)
        assert {u["update_id"] for u in server.webhook.delivered}, "updates came by push"

        server.webhook.spread(hooks[:1])  # Alex's hold starts on worker A...
        await start_hold(alex)
        server.webhook.spread(hooks[1:])  # ...and Sam's on worker B
        await start_hold(sam)
        alex_ends = await hold_ends_at(url, alex)

        killed = workers[0]
        assert killed.process is not None
        killed.process.kill()  # worker A dies mid-hold
        await killed.wait()
        server.webhook.spread(hooks)  # the balancer keeps both; a dead one is skipped on retry

        people = await due_people(server, url, REMINDERS)
        ids = {p.id for p in people}

        remaining = (alex_ends - datetime.now(UTC)).total_seconds()
        assert remaining > 0, "worker A was killed before Alex's hold ended"
        await until(lambda: times_up(alex) >= 1, remaining + 10, "Alex's hold to end")
        late = (datetime.now(UTC) - alex_ends).total_seconds()
        assert late < 2.0, f"the orphaned hold ended {late:.2f}s after its end"
        await until(lambda: times_up(sam) >= 1, 60, "Sam's hold to end")
        await until(lambda: all(p.bot_messages() for p in people), 120, "every reminder")
        await asyncio.sleep(2.0)
        assert (times_up(alex), times_up(sam)) == (1, 1), alex.transcript() + sam.transcript()
        assert [len(p.bot_messages()) for p in people] == [1] * REMINDERS
        sends = [
            call
            for call in server.calls_of("sendMessage")
            if call.ok and int(call.params.get("chat_id", 0)) in ids
        ]
        assert len(sends) == REMINDERS and await sent_in_db(url, people) == REMINDERS
        # A person still answered by the surviving worker after the kill.
        alex.mark_read()
        await alex.send("/help")
        await alex.next_message(timeout=30)
        for process in (workers[1], dispatcher):
            assert await process.stop(signal.SIGTERM) == 0, process.text
        outputs = [process.text for process in everyone]
    finally:
        for process in everyone:
            await process.kill_if_running()
    everything = "\n".join(outputs)
    assert "Traceback" not in everything, everything
    assert server.token.split(":", 1)[1] not in everything and SECRET not in everything
    assert server.problems() == [], server.problems()
