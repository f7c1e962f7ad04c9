"""The real `stretchbot run` on PostgreSQL against the sandbox over HTTP, restarted the hard way.

A person signs up by taps and starts a hold; SIGTERM stops the bot mid-hold and the restarted
bot still ends the hold exactly once. Then a burst of due reminders is cut by SIGKILL; after a
restart every person has their reminder, and at most one has it twice: the bot runs with an
unrecorded window of one (`DISPATCH_UNRECORDED_LIMIT=1`: a send starts only once the previous
one's outcome is committed), so at most one message can have reached Telegram unrecorded.
"""

from __future__ import annotations

import asyncio
import signal
import time as clock
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import subscribers
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import DeliveryStatus, ReminderDelivery, Subscriber, SubscriberStatus
from sandbox import SandboxServer, SimUser
from tests.e2e.walkthrough import Walkthrough
from tests.process.running import BotProcess

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

STARTUP = 120.0  # a cold start migrates and loads content; slow on a busy machine
BURST = 120
WINDOW = 1  # sends started and not yet committed, at most (the in-flight message)


@pytest.fixture
async def sandbox_server() -> AsyncIterator[SandboxServer]:
    server = SandboxServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def bot_process(tmp_path: Path, server: SandboxServer, database_url: str) -> BotProcess:
    return BotProcess(
        tmp_path,
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_API_BASE_URL=server.url,
        DATABASE_URL=database_url,
        DISPATCH_INTERVAL_SECONDS="0.5",
        DEFAULT_TIMEZONE="UTC",
        DISPATCH_UNRECORDED_LIMIT=str(WINDOW),
    )


async def sign_up(person: SimUser) -> None:
    await person.send("/start")
    await person.next_message(timeout=STARTUP)
    walk = Walkthrough(person)
    await walk.tap("✅ I understand")
    for _ in range(4):
        await walk.tap("No")
    for label in ("London", "07:30", "Done ✓", "▫️ Hamstrings", "Done ✓"):
        await walk.tap(label)
    await walk.tap("🌱 Beginner: new to it")
    await walk.tap("10 min")


def hold_button(person: SimUser) -> str:
    for message in reversed(person.bot_messages()):
        for label in message.button_labels:
            if label.startswith("▶️ Start") and label.endswith(("hold", "rounds")):
                return label
    raise AssertionError(f"no hold to start:\n{person.transcript()}")


def times_up(person: SimUser) -> int:
    return sum("Time!" in (m.text or "") for m in person.bot_messages())


async def due_people(server: SandboxServer, database_url: str, count: int) -> list[SimUser]:
    """`count` subscribers whose daily reminder is due now (written as a factory would)."""
    people = [server.user(f"P{n}") for n in range(count)]
    for person in people:
        server.state.chats[person.id].started = True  # they wrote to the bot once, long ago
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as db:
            now = datetime.now(UTC)
            for person in people:
                row, _ = await subscribers.get_or_create(
                    db,
                    telegram_user_id=person.id,
                    chat_id=person.id,
                    first_name=person.first_name,
                    language_code="en",
                    default_timezone="UTC",
                )
                row.status, row.onboarding_step, row.timezone = SubscriberStatus.ACTIVE, None, "UTC"
                row.safety_acknowledged_at = now
                prefs = await subscribers.preferences_of(db, row)
                prefs.reminder_time, prefs.weekdays = time(0, 0), 0b1111111
                prefs.next_reminder_at = now - timedelta(seconds=5)
            await db.commit()
    finally:
        await engine.dispose()
    return people


async def sent_in_db(database_url: str, people: list[SimUser]) -> int:
    """Reminders recorded as sent to `people`."""
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as db:
            query = (
                select(func.count())
                .select_from(ReminderDelivery)
                .join(Subscriber, Subscriber.id == ReminderDelivery.subscriber_id)
                .where(
                    ReminderDelivery.status == DeliveryStatus.SENT,
                    Subscriber.telegram_user_id.in_([p.id for p in people]),
                )
            )
            return int(await db.scalar(query) or 0)
    finally:
        await engine.dispose()


async def until(condition: object, timeout: float, what: str) -> None:  # noqa: ASYNC109
    deadline = clock.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if clock.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def test_sigterm_mid_hold_and_sigkill_mid_burst(
    tmp_path: Path, sandbox_server: SandboxServer, empty_postgres_url: str
) -> None:
    server, url = sandbox_server, empty_postgres_url
    bot = bot_process(tmp_path, server, url)
    outputs: list[str] = []
    try:
        await bot.start()
        person = server.user("Alex")
        await sign_up(person)
        await person.send("/now")
        card = await person.wait_for_message(lambda m: "▶️ Start" in m.button_labels, 10)
        await (await person.tap("▶️ Start", message=card)).answered(10)
        await person.wait_for_message(lambda m: "1/" in (m.text or ""), 10)
        await (await person.tap(hold_button(person))).answered(10)

        # SIGTERM mid-hold: a clean stop; the restarted bot ends the hold, once.
        assert await bot.stop(signal.SIGTERM) == 0, bot.text
        outputs.append(bot.text)
        assert times_up(person) == 0
        bot = bot_process(tmp_path, server, url)
        await bot.start()
        await until(lambda: times_up(person) >= 1, STARTUP + 60, "the hold to end")
        await asyncio.sleep(1.0)
        assert times_up(person) == 1, person.transcript()

        # SIGKILL mid-burst of reminders.
        people = await due_people(server, url, BURST)
        ids = {p.id for p in people}

        def reminders_sent() -> int:
            return sum(
                1
                for call in server.calls_of("sendMessage")
                if call.ok and int(call.params.get("chat_id", 0)) in ids
            )

        await until(lambda: reminders_sent() >= 20, 60, "the burst to begin")
        bot.process.kill() if bot.process else None  # type: ignore[func-returns-value]
        await bot.wait()
        outputs.append(bot.text)
        answered_before = reminders_sent()
        recorded = await sent_in_db(url, people)
        in_flight = answered_before - recorded
        assert answered_before < BURST, "the burst ended before the kill; make it larger"
        assert 0 <= in_flight <= WINDOW, (answered_before, recorded)

        bot = bot_process(tmp_path, server, url)
        await bot.start()
        await until(lambda: all(p.bot_messages() for p in people), STARTUP + 90, "every reminder")
        await asyncio.sleep(2.0)
        counts = [len(p.bot_messages()) for p in people]
        # Exactly: everyone once, and the one message in flight at the kill (sent, never
        # recorded) once more; the database holds one sent reminder each, no more, no less.
        assert sorted(counts) == [1] * (BURST - in_flight) + [2] * in_flight, counts
        assert reminders_sent() == BURST + in_flight
        assert await sent_in_db(url, people) == BURST
        assert await bot.stop(signal.SIGTERM) == 0, bot.text
        outputs.append(bot.text)
    finally:
        await bot.kill_if_running()
    everything = "\n".join(outputs)
    assert "Traceback" not in everything, everything
    assert server.token.split(":", 1)[1] not in everything
    assert server.problems() == [], server.problems()
