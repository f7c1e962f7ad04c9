"""`/healthz`, `/readyz` and `/metrics` of a running bot, and the counters an e2e flow moves.

The bot polls the sandbox with METRICS_PORT=0 (a free port); the test reads the endpoints over
HTTP as Prometheus or a healthcheck would and compares counters before and after each step.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from bot.config import Settings
from bot.db import overview
from bot.db.migrate import alembic_config
from bot.db.models import PainReport
from sandbox.server import SandboxServer
from tests.e2e.conftest import RunningBot
from tests.e2e.ops_helpers import get, get_json, moved, scrape, server_url, value
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of
from tests.support.clock import TestClock

pytestmark = [pytest.mark.e2e]

FIRST_DUE = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 07:30 in Berlin, see test_reminders


@pytest.fixture
def bot_settings(sandbox: SandboxServer, database_url: str) -> Settings:
    return Settings(
        telegram_bot_token=sandbox.token,
        telegram_api_base_url=sandbox.url,
        database_url=database_url,
        default_timezone="UTC",
        dispatch_interval_seconds=0.2,
        metrics_port=0,
    )


async def stamp_head(database_url: str) -> None:
    """The test database is built from the models; say it is at the migrations' head."""
    from alembic import command

    await asyncio.to_thread(command.stamp, alembic_config(database_url), "head")


async def test_healthz_answers_and_readyz_wants_the_schema_at_head(
    stretchbot: RunningBot, database_url: str
) -> None:
    url = server_url(stretchbot)
    assert await get(f"{url}/healthz") == (200, '{"status": "ok"}')

    status, body = await get_json(f"{url}/readyz")
    assert status == 503  # create_all built the tables, but no migration was ever recorded
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["telegram"] == "ok"
    assert body["checks"]["migrations"] != "ok"

    await stamp_head(database_url)
    status, body = await get_json(f"{url}/readyz")
    assert (status, body["status"]) == (200, "ready"), body
    assert set(body["checks"].values()) == {"ok"}


async def test_readyz_fails_when_the_schema_is_behind(
    stretchbot: RunningBot, database_url: str
) -> None:
    await stamp_head(database_url)
    async with stretchbot.services.db() as db:
        await db.execute(text("UPDATE alembic_version SET version_num = 'dead0000'"))
    status, body = await get_json(f"{server_url(stretchbot)}/readyz")
    assert status == 503
    assert "dead0000" in body["checks"]["migrations"]


async def test_telegram_is_asked_when_it_was_quiet_for_a_minute(
    stretchbot: RunningBot, database_url: str
) -> None:
    from bot import metrics

    await stamp_head(database_url)
    metrics.TELEGRAM_LAST_CONTACT.set(0)  # as if nothing had been heard for ages
    calls = len(stretchbot.sandbox.calls_of("getMe"))
    status, body = await get_json(f"{server_url(stretchbot)}/readyz")
    assert (status, body["checks"]["telegram"]) == (200, "ok")
    assert len(stretchbot.sandbox.calls_of("getMe")) == calls + 1


async def test_counters_move_by_what_a_person_and_the_dispatcher_did(
    stretchbot: RunningBot, clock: TestClock
) -> None:
    person = stretchbot.sandbox.user("Alex", language_code="en")
    walk = Walkthrough(person)
    await onboard(walk, zone="Berlin", clock="07:30")

    before = await scrape(stretchbot)
    await walk.send("/help")
    assert await moved(stretchbot, before, "stretchbot_updates_total", 1, kind="command") == 1
    after = await scrape(stretchbot)
    assert value(after, "stretchbot_updates_total", kind="callback_query") == value(
        before, "stretchbot_updates_total", kind="callback_query"
    )
    assert (
        value(after, "stretchbot_handler_seconds_count", kind="command")
        - value(before, "stretchbot_handler_seconds_count", kind="command")
        == 1
    )

    # The reminder goes out 90 s late (the bot's clock says so): claimed 1, sent 1, lateness 90.
    before = await scrape(stretchbot)
    clock.set(FIRST_DUE + timedelta(seconds=90))
    await person.next_message(timeout=5)
    assert await moved(stretchbot, before, "stretchbot_reminders_total", 1, event="sent") == 1
    after = await scrape(stretchbot)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("stretchbot_reminders_total", event="claimed") == 1
    for event in ("failed", "missed", "blocked"):
        assert grew("stretchbot_reminders_total", event=event) == 0
    assert grew("stretchbot_reminder_lateness_seconds_count") == 1
    assert grew("stretchbot_reminder_lateness_seconds_sum") == pytest.approx(90.0)
    assert grew("stretchbot_reminder_lateness_seconds_bucket", le="60.0") == 0
    assert grew("stretchbot_reminder_lateness_seconds_bucket", le="120.0") == 1
    assert grew("stretchbot_rate_limit_wait_seconds_count") == 1
    assert value(after, "stretchbot_dispatch_queue_depth") == 0
    assert ("stretchbot_send_budget_queue_depth", ()) in after  # exported at /metrics
    assert value(after, "stretchbot_send_budget_queue_depth") == 0  # and drained

    # Tapping the reminder's Start is one callback query.
    before = await scrape(stretchbot)
    await walk.tap("▶️ Start")
    assert (
        await moved(stretchbot, before, "stretchbot_updates_total", 1, kind="callback_query") == 1
    )


async def test_open_holds_are_counted_from_the_database_at_scrape_time(
    stretchbot: RunningBot,
) -> None:
    person = stretchbot.sandbox.user("Sam", language_code="en")
    await Walkthrough(person).send("/start")
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    assert value(await scrape(stretchbot), "stretchbot_open_red_flag_holds") == 0
    async with stretchbot.services.db() as db:
        for outcome in ("urgent", "professional", "ease_off", None):
            db.add(PainReport(subscriber_id=subscriber.id, source="pain", outcome=outcome))
    # two open red flags of one person are one hold; ease-off and unfinished are not holds
    assert value(await scrape(stretchbot), "stretchbot_open_red_flag_holds") == 1
    async with stretchbot.services.db() as db:
        for report in (await db.execute(select(PainReport))).scalars():
            report.resolved_at = datetime.now(UTC)
        assert await overview.open_holds(db) == 0
    assert value(await scrape(stretchbot), "stretchbot_open_red_flag_holds") == 0
