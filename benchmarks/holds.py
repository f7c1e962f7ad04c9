"""Measure what scaling out adds per process; print one JSON line per case. Not a test.

    .venv/bin/python -m benchmarks.holds

Cases, on SQLite and PostgreSQL (scratch databases, see `benchmarks.dispatch.database`):
* `idle_hold_tick`: one hold-clock claim with nothing ended while N holds are running (every
  process runs it every HOLD_CHECK_SECONDS), median milliseconds, beside an UPDATE that
  matches no row in its own transaction (the round trip alone), and the ratio.
* `hold_claims`: N ended holds claimed in batches of the clock's size, rows per second.
* `update_ids`: recording an update id before the handlers (webhook mode), one transaction
  each as the handler does, per second from one connection, beside one-row UPDATE commits.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from benchmarks.dispatch import database
from benchmarks.targets import Scorecard
from bot.chat.timers import CLOCK_BATCH
from bot.content.loader import load_content
from bot.db import holds, updates
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import PracticeSession, Subscriber
from bot.domain.flow import PlannedStep, StartHold, Transition, apply, start

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
_STARTED = start("r", (PlannedStep("seated_forward_fold", 30, 1, 1),)).state
_HOLDING = apply(_STARTED, StartHold(_STARTED.seq, NOW), load_content().safety.checkin)
assert isinstance(_HOLDING, Transition)
STATE = _HOLDING.state.to_json()


async def _fill(url: str, count: int, ends: datetime) -> None:
    """`count` people each with an active session holding until `ends`."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for start in range(1, count + 1, 5000):
                ids = range(start, min(count, start + 4999) + 1)
                await connection.execute(
                    insert(Subscriber.__table__),
                    [
                        {"id": n, "telegram_user_id": n, "chat_id": n, "status": "active"}
                        for n in ids
                    ],
                )
                await connection.execute(
                    insert(PracticeSession.__table__),
                    [
                        {
                            "subscriber_id": n,
                            "routine_id": "r",
                            "status": "active",
                            "state": STATE,
                            "hold_ends_at": ends,
                        }
                        for n in ids
                    ],
                )
    finally:
        await engine.dispose()


async def _case(backend: str, count: int) -> None:
    async with database(backend) as url:
        await _fill(url, count, NOW + timedelta(seconds=30))
        engine = create_engine(url)
        factory = create_session_factory(engine)
        try:
            samples = []
            for _ in range(50):
                began = time.perf_counter()
                async with factory() as db, db.begin():
                    assert await holds.claim_due(db, NOW, CLOCK_BATCH) == []
                samples.append((time.perf_counter() - began) * 1000)
            base = []
            for _ in range(50):
                began = time.perf_counter()
                async with factory() as db, db.begin():
                    await db.execute(text("UPDATE subscribers SET chat_id = chat_id WHERE id < 0"))
                base.append((time.perf_counter() - began) * 1000)
            tick, empty = statistics.median(samples), statistics.median(base)
            row = {"case": "idle_hold_tick", "backend": backend, "holds": count}
            row |= {"median_ms": round(tick, 2), "empty_update_ms": round(empty, 2)}
            print(json.dumps(row | {"ratio": round(tick / empty, 2)}))
            later, claimed = NOW + timedelta(minutes=1), 0
            began = time.perf_counter()
            while True:
                async with factory() as db, db.begin():
                    batch = await holds.claim_due(db, later, CLOCK_BATCH)
                if not batch:
                    break
                claimed += len(batch)
            rate = claimed / (time.perf_counter() - began)
            print(
                json.dumps(
                    {
                        "case": "hold_claims",
                        "backend": backend,
                        "holds": claimed,
                        "per_second": round(rate),
                    }
                )
            )
            began = time.perf_counter()
            for update_id in range(2000):
                async with factory() as db, db.begin():
                    await updates.first_time(db, update_id, NOW)
            rate = 2000 / (time.perf_counter() - began)
            began = time.perf_counter()
            for n in range(2000):
                async with factory() as db, db.begin():
                    await db.execute(
                        text("UPDATE subscribers SET chat_id = :n WHERE id = 1"), {"n": n}
                    )
            one_row = 2000 / (time.perf_counter() - began)
            print(
                json.dumps(
                    {
                        "case": "update_ids",
                        "backend": backend,
                        "per_second": round(rate),
                        "one_row_commits_per_second": round(one_row),
                        "ratio": round(rate / one_row, 2),
                    }
                )
            )
        finally:
            await engine.dispose()


async def main() -> None:
    for backend in ("sqlite", "postgres"):
        for count in (1_000, 10_000):
            await _case(backend, count)


if __name__ == "__main__":
    asyncio.run(main())
    NO_TARGETS = "issue 18 sets no target here: figures for the README only"
    raise SystemExit(Scorecard("holds").summary(NO_TARGETS))
