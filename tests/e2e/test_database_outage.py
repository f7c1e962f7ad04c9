"""The database goes away mid-run and comes back: calm logs, told people, nothing lost.

PostgreSQL sits behind a loopback proxy the test shuts and reopens. While it is shut, the
dispatcher ticks every 0.2 s and people keep writing and tapping; the log must show one WARNING
and no traceback, people hear that the bot cannot reach its notes, and once the database is back
one INFO line reports it and every kept message gets its real answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from bot import metrics
from bot.chat.texts import common as texts
from bot.config import Settings
from sandbox.server import SandboxServer
from tests.e2e.conftest import RunningBot
from tests.e2e.tcp_proxy import TcpProxy
from tests.e2e.walkthrough import Walkthrough, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.fixture
def backend() -> str:
    return "postgres"  # SQLite is a file: there is no connection to lose


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    url = make_url(database_url)
    running = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await running.open()
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
def bot_settings(sandbox: SandboxServer, database_url: str, proxy: TcpProxy) -> Settings:
    proxied = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    return Settings(
        telegram_bot_token=sandbox.token,
        telegram_api_base_url=sandbox.url,
        database_url=proxied.render_as_string(hide_password=False),
        default_timezone="UTC",
        dispatch_interval_seconds=0.2,
    )


async def wait_for_log(caplog: pytest.LogCaptureFixture, words: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    while not any(words in record.getMessage() for record in caplog.records):
        assert time.monotonic() < deadline, f"no log line saying {words!r}"
        await asyncio.sleep(0.05)


async def test_an_outage_is_one_warning_people_are_told_and_messages_are_answered_after(
    stretchbot: RunningBot, proxy: TcpProxy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    person = stretchbot.sandbox.user("Alex", language_code="en")
    walk = Walkthrough(person)
    await walk.send("/start")
    welcome = walk.screen
    outages_before = metrics.sample("stretchbot_database_outages_total")
    caplog.clear()

    await proxy.close()
    await person.send("/settings")
    told = await person.next_message()
    assert text_of(told) == texts.notes_unreachable_kept()
    await person.send("/stats")  # kept too, but the person is not told twice
    tap = await person.tap("✅ I understand", message=welcome)
    answer = await tap.answered()
    assert answer.text == texts.notes_unreachable_tap()
    await asyncio.sleep(2.0)  # ten dispatcher ticks against a dead database
    assert person.unread() == []  # one apology, however many messages
    assert metrics.sample("stretchbot_database_up") == 0

    await proxy.open()
    await wait_for_log(caplog, "database reachable again", wait=10)
    replies = [await person.next_message(timeout=10) for _ in range(2)]
    assert all(text_of(reply) not in ("", texts.notes_unreachable_kept()) for reply in replies)
    assert texts.something_went_wrong() not in [text_of(reply) for reply in replies]
    assert metrics.sample("stretchbot_database_up") == 1
    assert metrics.sample("stretchbot_database_outages_total") == outages_before + 1

    ours = [record for record in caplog.records if record.name.startswith("bot")]
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage().split(" (")[0] for record in warnings] == [
        "database unreachable"
    ], [record.getMessage() for record in warnings]
    assert not [record for record in caplog.records if record.exc_info or record.exc_text]
    (back,) = [record for record in ours if "reachable again" in record.getMessage()]
    assert back.levelno == logging.INFO
    assert "operations failed meanwhile" in back.getMessage()
    failures = int(back.getMessage().split("; ")[1].split()[0])
    assert failures >= 5  # the ticks were counted, not logged one by one

    # The tap changed nothing while the database was away: the same button works now.
    answer = await walk.tap("✅ I understand", message=welcome)
    assert answer.text != texts.notes_unreachable_tap()
