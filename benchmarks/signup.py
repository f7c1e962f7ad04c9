"""What one sign-up costs the database; one JSON line per backend. Not part of the test suite.

    .venv/bin/python -m benchmarks.signup            # 40 people per backend
    .venv/bin/python -m benchmarks.signup --quick    # 10

Each person goes through the shortest real onboarding (the e2e tests' path: /start, the safety
note, four screening answers, zone, time, days, focus, level, length) against the whole bot and
an in-process sandbox Telegram with its limits off, one person at a time, on a scratch database
(`benchmarks.dispatch.database`). The engine's own events count, per sign-up, the transactions
(connections taken from the pool), the statements, and the milliseconds: `held_ms` while a
connection was out of the pool (the handler's whole database work, the Python between its
statements included) and `statement_ms` inside the driver's execute calls alone. Only work done
while handling an update counts (the log context's update id is set): background jobs (the hold
clock, the dispatcher's ticks) are left out. Medians and
p90 over the people; the first person is left out (cold caches and statement preparation).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.dispatch import database
from benchmarks.targets import Scorecard
from bot.chat.app import build_application
from bot.config import Settings
from bot.content.loader import load_content
from bot.db.engine import create_engine, create_session_factory
from bot.logcontext import UPDATE_ID
from sandbox.harness import running_application
from sandbox.server import SandboxServer
from tests.e2e.walkthrough import Walkthrough, onboard


@dataclass
class Meter:
    """Counts and times the engine's work between two `take()` calls."""

    transactions: int = 0
    statements: int = 0
    held: float = 0.0
    executing: float = 0.0

    def attach(self, engine: AsyncEngine) -> None:
        sync = engine.sync_engine
        checked_out: dict[int, float] = {}
        started: dict[int, float] = {}

        @event.listens_for(sync.pool, "checkout")
        def _out(dbapi: Any, record: Any, proxy: Any) -> None:
            if UPDATE_ID.get() is None:  # a background job (hold clock, dispatcher tick)
                return
            self.transactions += 1
            checked_out[id(record)] = time.perf_counter()

        @event.listens_for(sync.pool, "checkin")
        def _in(dbapi: Any, record: Any) -> None:
            began = checked_out.pop(id(record), None)
            if began is not None:
                self.held += time.perf_counter() - began

        @event.listens_for(sync, "before_cursor_execute")
        def _before(conn: Any, cursor: Any, *args: Any) -> None:
            if UPDATE_ID.get() is None:
                return
            self.statements += 1
            started[id(cursor)] = time.perf_counter()

        @event.listens_for(sync, "after_cursor_execute")
        def _after(conn: Any, cursor: Any, *args: Any) -> None:
            began = started.pop(id(cursor), None)
            if began is not None:
                self.executing += time.perf_counter() - began

    def take(self) -> tuple[int, int, float, float]:
        taken = (self.transactions, self.statements, self.held * 1000, self.executing * 1000)
        self.transactions = self.statements = 0
        self.held = self.executing = 0.0
        return taken


async def run(backend: str, people: int) -> dict[str, Any]:
    async with database(backend) as url:
        sandbox = SandboxServer()
        await sandbox.start()
        engine = create_engine(url)
        meter = Meter()
        meter.attach(engine)
        settings = Settings(
            telegram_bot_token=sandbox.token,
            telegram_api_base_url=sandbox.url,
            database_url=url,
            default_timezone="UTC",
            rate_limit_global_per_second=1000,
            rate_limit_per_chat_per_second=100,
        )
        app = build_application(settings, load_content(), create_session_factory(engine))
        rows: list[tuple[int, int, float, float]] = []
        walls: list[float] = []
        try:
            async with running_application(app, poll_timeout=5):
                await asyncio.sleep(0.5)  # start-up work (menus, the first ticks) settles
                for number in range(people + 1):
                    person = sandbox.user(f"S{number}", language_code="en")
                    meter.take()
                    began = time.perf_counter()
                    await onboard(Walkthrough(person))
                    walls.append(time.perf_counter() - began)
                    rows.append(meter.take())
        finally:
            await engine.dispose()
            await sandbox.stop()
    rows, walls = rows[1:], walls[1:]  # the first is cold
    held = [row[2] for row in rows]
    executing = [row[3] for row in rows]
    figures: dict[str, Any] = {
        "case": "signup",
        "backend": backend,
        "people": len(rows),
        "transactions_median": statistics.median(row[0] for row in rows),
        "statements_median": statistics.median(row[1] for row in rows),
        "held_ms_median": round(statistics.median(held), 2),
        "held_ms_p90": round(sorted(held)[int(0.9 * (len(held) - 1))], 2),
        "statement_ms_median": round(statistics.median(executing), 2),
        "wall_ms_median": round(statistics.median(walls) * 1000, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(figures), flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backends", default="postgres,sqlite")
    args = parser.parse_args(argv)
    card = Scorecard("signup")
    for backend in args.backends.split(","):
        figures = asyncio.run(run(backend, 10 if args.quick else 40))
        if backend == "postgres":  # issue 18: the whole sign-up's database work, median
            card.below("signup postgres: held ms median", figures["held_ms_median"], 3.0)
    return card.summary()


if __name__ == "__main__":
    raise SystemExit(main())
