"""The operator's window: `/healthz`, `/readyz` and `/metrics` on a small aiohttp server.

It runs inside the bot's own event loop (polling or webhook) on `METRICS_PORT`:

- `/healthz` answers 200 while the process serves requests at all;
- `/readyz` answers 200 only when the database answers, its schema is at Alembic's head, and the
  Bot API answered within the last minute (if it has been quiet, one `getMe` asks); otherwise
  503 with the failing checks, so a container healthcheck or a load balancer can act on it;
- `/metrics` is `bot.metrics.REGISTRY` in Prometheus' text format.

`app` is a plain `aiohttp.web.Application`: a webhook handler can be mounted next to these
routes before `start()`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics

logger = logging.getLogger(__name__)

TELEGRAM_FRESH_SECONDS = 60.0
CHECK_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True, slots=True)
class Check:
    """One readiness check: its name, and a coroutine returning None (fine) or a reason."""

    name: str
    run: Callable[[], Awaitable[str | None]]


def database_checks(
    session_factory: async_sessionmaker[AsyncSession], heads: frozenset[str]
) -> list[Check]:
    """ "database answers" and "migrations at head" in one query each."""

    async def answers() -> str | None:
        async with session_factory() as session:
            await session.execute(text("SELECT 1"))
        return None

    async def at_head() -> str | None:
        async with session_factory() as session:
            rows = (await session.execute(text("SELECT version_num FROM alembic_version"))).all()
        current = frozenset(str(row[0]) for row in rows)
        if current != heads:
            return f"schema at {sorted(current) or 'nothing'}, code expects {sorted(heads)}"
        return None

    return [Check("database", answers), Check("migrations", at_head)]


def telegram_check(get_me: Callable[[], Awaitable[object]]) -> Check:
    """Fresh when any Bot API answer came within a minute; otherwise one `getMe` decides."""

    async def reachable() -> str | None:
        last = metrics.sample("stretchbot_telegram_last_contact_timestamp_seconds")
        if time.time() - last <= TELEGRAM_FRESH_SECONDS:
            return None
        await get_me()
        metrics.TELEGRAM_LAST_CONTACT.set_to_current_time()
        return None

    return Check("telegram", reachable)


def alembic_heads() -> frozenset[str]:
    """The revision(s) the code's migrations end at (read from alembic/, no database)."""
    from alembic.script import ScriptDirectory

    from bot.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    return frozenset(script.get_heads())


class HealthServer:
    """`/healthz`, `/readyz`, `/metrics` on `host:port` (port 0 picks a free one)."""

    def __init__(self, checks: list[Check], *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._checks = checks
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.app = web.Application()
        self.app.router.add_get("/healthz", self._healthz)
        self.app.router.add_get("/readyz", self._readyz)
        self.app.router.add_get("/metrics", self._metrics)

    async def start(self) -> str:
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        logger.info("health and metrics on %s (/healthz, /readyz, /metrics)", self.url)
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def readiness(self) -> dict[str, str]:
        """Each check's verdict: "ok" or why not. The checks run concurrently, each bounded."""

        async def verdict(check: Check) -> str:
            try:
                async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                    reason = await check.run()
            except TimeoutError:
                return f"no answer within {CHECK_TIMEOUT_SECONDS:.0f}s"
            except Exception as error:
                return type(error).__name__
            return "ok" if reason is None else reason

        verdicts = await asyncio.gather(*(verdict(check) for check in self._checks))
        return {check.name: result for check, result in zip(self._checks, verdicts, strict=True)}

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _readyz(self, _request: web.Request) -> web.Response:
        checks = await self.readiness()
        ready = all(result == "ok" for result in checks.values())
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        return web.Response(
            status=200 if ready else 503,
            text=json.dumps(body),
            content_type="application/json",
        )

    async def _metrics(self, _request: web.Request) -> web.Response:
        body = await metrics.render()
        return web.Response(body=body, headers={"Content-Type": metrics.CONTENT_TYPE})
