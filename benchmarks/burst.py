"""People and a reminder burst through one send budget, with Telegram's limits on; JSON lines.

    .venv/bin/python -m benchmarks.burst            # every case, about ten minutes
    .venv/bin/python -m benchmarks.burst --quick    # smaller, about three minutes
    .venv/bin/python -m benchmarks.burst --cases quiet,burst

The whole bot (`build_application`: chat handlers, the reminder dispatcher, the one
`SendBudget`) runs in this process on a scratch PostgreSQL database, at its production
settings (30/s overall, 1/s per chat, a dispatch tick every 5 s). The sandbox Telegram, with its
flood limits on (429 with `retry_after` past 30/s overall or 1/s per chat after a burst of 3),
runs in a child process together with the simulated people, so their clocks and CPU are not
the bot's. Cases:

* `quiet`: 20 subscribed people tap through sessions (/now, Start, Skip ..., a pain rating;
  each waits for the bot and thinks `THINK` seconds), while other people send /start and /help
  at 2 messages/s. No reminders.
* `burst`: the same, while 3,000 reminders fall due over one minute (20 s into the run).
* `crowd`: 60 people offering 40 updates/s between them (about half taps), no reminders.
* `paid`: `ALLOW_PAID_BROADCAST=true`, 10,000 reminders due at once beside the quiet load.

Per case: tap -> answerCallbackQuery and message -> first reply p50/p95/p99/max in ms, 429s
the sandbox sent (by side) and the bot counted, taps never answered and messages never replied
to, reminders sent / duplicated / lost (counted in the sandbox once the bot has stopped), the
drain time against N/30 (or N/1000), reminder lateness (sent - due) p50/p99/max, and beside
them `bot.domain.lateness.forecast` for the share of the budget people took in the run.
Figures are noisy on a shared machine: the load average is printed with each line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.dispatch import database
from benchmarks.targets import Scorecard
from bot.chat.app import build_application
from bot.chat.reminders import dispatcher_of
from bot.chat.services import services_of_app
from bot.chat.texts import session as session_texts
from bot.config import Settings
from bot.content.loader import load_content
from bot.db import subscribers
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import SubscriberStatus
from bot.domain.lateness import forecast
from bot.domain.onboarding import screening_record
from bot.usecases import lifecycle as life
from sandbox import RateLimits, SandboxServer
from sandbox.harness import running_application
from sandbox.inbound import send_text, tap
from sandbox.markup import InlineButton
from sandbox.server import DEFAULT_TOKEN
from sandbox.state import Chat, Person, StoredMessage

FIRST_REMINDER_ID = 1_000_000_000  # people who only get reminders
FIRST_TAPPER_ID = 2_000_000_000  # subscribed people tapping through sessions
FIRST_VISITOR_ID = 3_000_000_000  # people sending /start and /help
THINK = 1.0
"""Seconds a tapping person waits after the bot reacted, before the next tap."""
REACTION_TIMEOUT = 60.0
"""A tap without an answer (a message without a reply) this long is counted as lost."""
# Buttons a person taps, first found wins: move the session on, never report pain.
TAP_ORDER = (
    session_texts.start(),
    session_texts.continue_button(),
    session_texts.start_today(),
    session_texts.skip(),
    "Gentle stretch 👍",
    "2",
)
FREE_RATE = 30.0
ALL_CLEAR = {q.id: False for q in load_content().safety.screening.questions}
"""Screening answers of someone with no red flag: sessions are open to them."""
PAID_RATE = 1000.0


def emit(case: str, **fields: Any) -> None:
    print(json.dumps({"case": case, **fields}), flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def summary(samples: list[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in milliseconds (None when nothing was measured)."""
    if not samples:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

    return {
        "n": len(ordered),
        "p50": pct(0.5),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": round(ordered[-1] * 1000, 1),
    }


# --- the child: sandbox Telegram and the people -----------------------------------------------


class CountingSandbox(SandboxServer):
    """The sandbox, counting its 429s as they happen (its call log is bounded)."""

    def __init__(self) -> None:
        super().__init__()
        self.refused_429: Counter[str] = Counter()

    def _record(self, method: str, params: Any, status: int, *args: Any, **kwargs: Any) -> None:
        if status == 429:
            side = "answers" if method.lower() == "answercallbackquery" else "messages"
            self.refused_429[side] += 1
        super()._record(method, params, status, *args, **kwargs)


@dataclass
class Load:
    """What the people do; see the module docstring for the cases."""

    tappers: int = 20
    tap_share: float = 1.0
    """Of a tapper's actions, how many are taps (when a button is there); the rest /help."""
    period: float = 0.0
    """Seconds between a tapper's actions, from start to start (0: react, then THINK)."""
    message_rate: float = 2.0
    visitors: int = 60


@dataclass
class Measured:
    taps: list[float] = field(default_factory=list)
    messages: list[float] = field(default_factory=list)
    lost_taps: int = 0
    lost_replies: int = 0
    updates: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


class People:
    """Simulated people acting on the sandbox's state directly (no HTTP on their side)."""

    def __init__(self, server: CountingSandbox, load: Load) -> None:
        self.server = server
        self.state = server.state
        self.load = load
        self.measured = Measured()
        self.random = random.Random(18)
        self._stop = asyncio.Event()
        self._pending: set[asyncio.Task[None]] = set()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        tasks = [
            asyncio.create_task(self._tapper(FIRST_TAPPER_ID + n)) for n in range(self.load.tappers)
        ]
        if self.load.message_rate > 0:
            tasks.append(asyncio.create_task(self._visitors()))
        began = time.monotonic()
        await self._stop.wait()
        self.measured.seconds = time.monotonic() - began
        # Everyone finishes what they are doing: a reply on its way is measured, not dropped.
        await asyncio.wait(tasks, timeout=REACTION_TIMEOUT + 15)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._pending:  # replies still on their way are waited for (or counted as lost)
            await asyncio.gather(*self._pending, return_exceptions=True)

    def _bot_messages(self, chat: Chat) -> int:
        bot = self.state.bot.id
        return sum(1 for message in chat.messages.values() if message.sender_id == bot)

    def _button(self, chat: Chat) -> tuple[StoredMessage, InlineButton] | None:
        for message in sorted(chat.messages.values(), key=lambda m: -m.message_id):
            if message.deleted or message.inline_keyboard is None:
                continue
            buttons = {b.text: b for row in message.inline_keyboard.rows for b in row}
            for label in TAP_ORDER:
                if label in buttons:
                    return message, buttons[label]
        return None

    async def _tap(self, person: Person, chat: Chat) -> bool:
        """Tap the next button; wait for the answer and for the bot to change the chat."""
        found = self._button(chat)
        if found is None:
            return False
        message, button = found
        version, count = message.version, self._bot_messages(chat)
        started = time.monotonic()
        record = tap(self.state, person, message, button)
        self.measured.updates += 1
        try:
            await self.state.events.wait_for(
                lambda: self.state.callback_queries[record.id].answer, REACTION_TIMEOUT
            )
            self.measured.taps.append(time.monotonic() - started)
        except TimeoutError:
            self.measured.lost_taps += 1
            return True

        def changed() -> bool | None:
            moved = message.version != version or self._bot_messages(chat) != count
            return True if moved else None

        # The next tap goes on what the bot shows now, as a person's would.
        with contextlib.suppress(TimeoutError):
            await self.state.events.wait_for(changed, 10.0)
        return True

    async def _send(self, person: Person, chat: Chat, words: str) -> None:
        """Write and wait for the bot's first new message in the chat."""
        started = time.monotonic()
        send_text(self.state, person, chat, words)
        self.measured.updates += 1
        count = self._bot_messages(chat)
        try:
            await self.state.events.wait_for(
                lambda: True if self._bot_messages(chat) > count else None, REACTION_TIMEOUT
            )
            self.measured.messages.append(time.monotonic() - started)
        except TimeoutError:
            self.measured.lost_replies += 1

    async def _tapper(self, user_id: int) -> None:
        person, chat = self.state.people[user_id], self.state.chats[user_id]
        load = self.load
        await asyncio.sleep(self.random.uniform(0, max(THINK, load.period)))
        while not self._stop.is_set():
            began = time.monotonic()
            wants_tap = self.random.random() < load.tap_share
            if wants_tap and await self._tap(person, chat):
                self.measured.kinds["tap"] += 1
            else:
                words = "/now" if wants_tap else "/help"
                self.measured.kinds[words] += 1
                await self._send(person, chat, words)
            if load.period > 0:
                await asyncio.sleep(max(0.0, began + load.period - time.monotonic()))
            else:
                await asyncio.sleep(THINK * self.random.uniform(0.5, 1.5))

    async def _visitors(self) -> None:
        """/start and /help at `message_rate` per second, round robin over the visitors."""
        number = 0
        interval = 1.0 / self.load.message_rate
        next_at = time.monotonic()
        while not self._stop.is_set():
            user_id = FIRST_VISITOR_ID + number % self.load.visitors
            words = "/help" if (number // self.load.visitors) % 2 else "/start"
            number += 1
            self.measured.kinds[words] += 1
            person, chat = self.state.people[user_id], self.state.chats[user_id]
            task = asyncio.create_task(self._send(person, chat, words))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))


def reminders_received(server: SandboxServer, count: int) -> dict[str, int]:
    bot = server.state.bot.id
    got = [
        sum(
            1
            for m in server.state.chats[FIRST_REMINDER_ID + n].messages.values()
            if m.sender_id == bot
        )
        for n in range(count)
    ]
    return {
        "received": sum(1 for n in got if n),
        "duplicated": sum(n - 1 for n in got if n > 1),
        "lost": sum(1 for n in got if n == 0),
    }


async def serve(reminder_people: int, tappers: int, visitors: int) -> None:
    """Child process: the sandbox with its limits on; runs the people on command (stdin)."""
    server = CountingSandbox()
    for number in range(reminder_people):
        user = server.user(f"R{number}", user_id=FIRST_REMINDER_ID + number)
        server.state.chats[user.id].started = True
    for number in range(tappers):
        server.user(f"T{number}", user_id=FIRST_TAPPER_ID + number)
        server.state.chats[FIRST_TAPPER_ID + number].started = True
    for number in range(visitors):
        server.user(f"V{number}", user_id=FIRST_VISITOR_ID + number)
    server.set_rate_limits(RateLimits())
    await server.start()
    print(server.url, flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := (await reader.readline()).decode().strip():
            command = json.loads(line)
            if command["cmd"] == "load":
                people = People(server, Load(**command["load"]))
                running = asyncio.create_task(people.run())
                await reader.readline()  # "stop"
                people.stop()
                await running
                measured = people.measured
                print(
                    json.dumps(
                        {
                            "taps": summary(measured.taps),
                            "messages": summary(measured.messages),
                            "lost_taps": measured.lost_taps,
                            "lost_replies": measured.lost_replies,
                            "updates": measured.updates,
                            "kinds": dict(measured.kinds),
                            "seconds": measured.seconds,
                            "sandbox_429": dict(server.refused_429),
                            "unanswered_callbacks": len(server.unanswered_callbacks()),
                        }
                    ),
                    flush=True,
                )
            elif command["cmd"] == "count":  # after the bot stopped: every send has landed
                print(json.dumps(reminders_received(server, reminder_people)), flush=True)
    finally:
        await server.stop()


# --- the parent: the bot -------------------------------------------------------------------------


class Child:
    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process = process
        self.url = url

    async def say(self, message: dict[str, Any] | str) -> None:
        assert self.process.stdin is not None
        line = message if isinstance(message, str) else json.dumps(message)
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()

    async def hear(self, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        result: dict[str, Any] = json.loads(line)
        return result


@asynccontextmanager
async def sandbox_process(reminders: int, tappers: int, visitors: int) -> AsyncIterator[Child]:
    command = [sys.executable, "-m", "benchmarks.burst", "_sandbox"]
    command += [str(reminders), str(tappers), str(visitors)]
    process = await asyncio.create_subprocess_exec(
        *command, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        url = (await asyncio.wait_for(process.stdout.readline(), 120)).decode().strip()
        if not url.startswith("http"):
            raise RuntimeError("the sandbox process did not start")
        yield Child(process, url)
    finally:
        process.terminate()
        await process.wait()


async def subscribe_tappers(engine: AsyncEngine, count: int, now: datetime) -> None:
    """Onboarded, active people with a daily reminder at 07:00 UTC (not due during the run)."""
    factory = create_session_factory(engine)
    async with factory() as db:
        for number in range(count):
            row, _ = await subscribers.get_or_create(
                db,
                telegram_user_id=FIRST_TAPPER_ID + number,
                chat_id=FIRST_TAPPER_ID + number,
                first_name=f"T{number}",
                language_code="en",
                default_timezone="UTC",
            )
            row.status = SubscriberStatus.ACTIVE
            row.onboarding_step = None
            row.safety_acknowledged_at = now
            row.timezone = "UTC"
            row.screening = screening_record(ALL_CLEAR, None, finished=True)
            row.last_screened_at = now
            preferences = await subscribers.preferences_of(db, row)
            preferences.reminder_time = clock_time(7, 0)
            preferences.weekdays = 0b1111111
            await life.preferences_changed(db, row, now)
        await db.commit()
    # the reminder time may be later today; push it to tomorrow so no tapper is due in the run
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE preferences SET next_reminder_at = :later"
                " WHERE subscriber_id IN (SELECT id FROM subscribers WHERE telegram_user_id >= :a)"
            ),
            {"later": now + timedelta(days=1), "a": FIRST_TAPPER_ID},
        )


async def add_reminders(engine: AsyncEngine, count: int, first_due: datetime, spread: int) -> None:
    """`count` subscribers due from `first_due` over `spread` seconds (0: all at once)."""
    async with engine.begin() as connection:
        series = f"generate_series(1, {count}) AS g"
        await connection.execute(
            text(
                "INSERT INTO subscribers (id, telegram_user_id, chat_id, timezone, status,"
                " created_at, updated_at)"
                f" SELECT 100000 + g, {FIRST_REMINDER_ID - 1} + g, {FIRST_REMINDER_ID - 1} + g,"
                f" 'UTC', 'active', now(), now() FROM {series}"
            )
        )
        step = "0" if spread <= 0 else f"((g - 1) * {spread}.0 / {count})"
        await connection.execute(
            text(
                "INSERT INTO preferences (subscriber_id, reminder_time, weekdays,"
                " focus_areas, level, session_minutes, next_reminder_at)"
                " SELECT 100000 + g, '08:00', 127, '[]'::json, 'beginner', 10,"
                f" CAST(:first AS timestamptz) + {step} * interval '1 second' FROM {series}"
            ),
            {"first": first_due},
        )
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))


async def reminder_times(engine: AsyncEngine) -> list[tuple[datetime, datetime]]:
    """(due, sent) of every reminder sent to the reminder-only people."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT d.due_at, d.sent_at FROM reminder_deliveries d"
                " JOIN subscribers s ON s.id = d.subscriber_id"
                " WHERE s.telegram_user_id < :t AND d.sent_at IS NOT NULL"
            ),
            {"t": FIRST_TAPPER_ID},
        )
        return [(row[0], row[1]) for row in rows]


async def reminders_settled(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM reminder_deliveries WHERE status <> 'pending'")
        )
        return int(found or 0)


@dataclass(frozen=True)
class Case:
    name: str
    load: Load
    reminders: int = 0
    spread: int = 60
    lead: float = 20.0
    """Seconds of people alone before the first reminder is due."""
    seconds: float = 40.0
    """How long the people act when there are no reminders."""
    paid: bool = False


async def run_case(case: Case) -> dict[str, Any]:
    visitors = case.load.visitors if case.load.message_rate > 0 else 0
    async with (
        sandbox_process(case.reminders, case.load.tappers, visitors) as child,
        database("postgres") as database_url,
    ):
        engine = create_engine(database_url)
        settings = Settings(
            telegram_bot_token=DEFAULT_TOKEN,
            telegram_api_base_url=child.url,
            database_url=database_url,
            allow_paid_broadcast=case.paid,
        )
        started_wall = datetime.now(UTC)
        await subscribe_tappers(engine, case.load.tappers, started_wall)
        first_due = started_wall + timedelta(seconds=case.lead + 5)
        if case.reminders:
            await add_reminders(engine, case.reminders, first_due, case.spread)
        app = build_application(settings, load_content(), create_session_factory(engine))
        try:
            async with running_application(app, poll_timeout=10, fail_on_handler_errors=False):
                await child.say({"cmd": "load", "load": case.load.__dict__})
                if case.reminders:
                    rate = PAID_RATE if case.paid else FREE_RATE
                    deadline = time.monotonic() + case.lead + 5 + 20 * case.reminders / rate + 300
                    while time.monotonic() < deadline:
                        if await reminders_settled(engine) >= case.reminders:
                            break
                        await asyncio.sleep(1.0)
                    await asyncio.sleep(3.0)  # a little of people alone after the burst
                else:
                    await asyncio.sleep(case.seconds)
                await child.say("stop")
                people = await child.hear(REACTION_TIMEOUT + 30)
                services = services_of_app(app)
                budget = services.budget
                dispatcher = dispatcher_of(services)
                bot_429 = dict(budget.stats.floods)
                dispatcher_429 = dispatcher.stats.flood_waits if dispatcher else None
                granted = dict(budget.stats.granted)
            await child.say({"cmd": "count"})
            seen = await child.hear(60)
            times = await reminder_times(engine) if case.reminders else []
        finally:
            await engine.dispose()
    fields: dict[str, Any] = {
        "tap_to_answer_ms": people["taps"],
        "message_to_reply_ms": people["messages"],
        "updates": people["updates"],
        "updates_per_second": round(people["updates"] / people["seconds"], 1),
        "kinds": people["kinds"],
        "lost_taps": people["lost_taps"],
        "lost_replies": people["lost_replies"],
        "unanswered_callbacks": people["unanswered_callbacks"],
        "sandbox_429": people["sandbox_429"],
        "bot_429_by_priority": bot_429,
        "dispatcher_429": dispatcher_429,
        "granted": granted,
    }
    if case.reminders:
        rate = PAID_RATE if case.paid else FREE_RATE
        person_rate = granted.get("person", 0) / max(people["seconds"], 1e-9)
        expected = forecast(case.reminders, case.spread, rate, min(person_rate, rate * 0.99))
        fields |= reminder_figures(times, case, first_due, rate) | {
            "reminders_seen_by_people": seen,
            "person_sends_per_second": round(person_rate, 1),
            "forecast_drain_seconds": round(expected.drain_seconds, 1),
            "forecast_last_late_seconds": round(expected.last_late_seconds, 1),
        }
    emit(case.name, **fields, load_average=load_average())
    return fields


def score(card: Scorecard, case: Case, fields: dict[str, Any]) -> None:
    """Issue 18's targets for one case (the crowd's is p99 < 2 s for every reply, taps too)."""
    taps, messages = fields["tap_to_answer_ms"], fields["message_to_reply_ms"]
    name = case.name
    if name == "crowd":
        card.below(f"{name}: tap -> answer p99 ms", taps["p99"], 2000)
        if messages["n"]:
            card.below(f"{name}: message -> reply p99 ms", messages["p99"], 2000)
    else:
        card.below(f"{name}: tap -> answer p95 ms", taps["p95"], 300)
        card.below(f"{name}: tap -> answer max ms", taps["max"], 1000)
        card.below(f"{name}: message -> reply p95 ms", messages["p95"], 1500)
        card.below(f"{name}: message -> reply max ms", messages["max"], 3000)
    refused = sum(fields["sandbox_429"].values()) + sum(fields["bot_429_by_priority"].values())
    card.at_most(f"{name}: 429s, sandbox and bot", refused, 0)
    lost = fields["lost_taps"] + fields["lost_replies"] + fields["unanswered_callbacks"]
    card.at_most(f"{name}: taps and replies lost", lost, 0)
    if case.reminders:
        card.at_least(f"{name}: reminders sent", fields.get("reminders_sent"), case.reminders)
        if case.paid:
            card.at_least(f"{name}: reminders per second", fields.get("reminders_per_second"), 900)
        else:
            # 1.05 x N/30 holds only while people leave the budget alone; the bot's own
            # promise is 1.05 x the forecast for what people took (README, "the arithmetic").
            # The 1.05 x N/30 s from the first due second, and never before the last is
            # due: a quick run's 600 over a minute cannot drain in 20 s.
            drain = fields.get("drain_seconds")
            ideal = max(case.reminders / FREE_RATE, float(case.spread))
            limit = round(1.05 * ideal, 1)
            card.at_most(f"{name}: drain seconds vs 1.05 x max(N/30, spread)", drain, limit)
            forecast = max(fields["forecast_drain_seconds"], ideal)
            card.at_most(f"{name}: drain s vs 1.05 x forecast", drain, round(1.05 * forecast, 1))


def reminder_figures(
    times: list[tuple[datetime, datetime]], case: Case, first_due: datetime, rate: float
) -> dict[str, Any]:
    late = sorted((sent - due).total_seconds() for due, sent in times)
    sent_at = sorted(sent for _, sent in times)
    if not late:
        return {"reminders_due": case.reminders, "reminders_sent": 0}
    drain = (sent_at[-1] - first_due).total_seconds()
    ideal = case.reminders / rate
    spread_rate = (
        (len(sent_at) - 1) / (sent_at[-1] - sent_at[0]).total_seconds()
        if len(sent_at) > 1
        else None
    )
    return {
        "reminders_due": case.reminders,
        "reminders_sent": len(times),
        "drain_seconds": round(drain, 1),
        "n_over_rate_seconds": round(ideal, 1),
        "drain_ratio": round(drain / ideal, 2),
        "reminders_per_second": round(spread_rate, 1) if spread_rate else None,
        "lateness_s": {
            "p50": round(late[len(late) // 2], 1),
            "p99": round(late[min(len(late) - 1, int(0.99 * len(late)))], 1),
            "max": round(late[-1], 1),
        },
    }


def cases(quick: bool) -> list[Case]:
    scale = 0.2 if quick else 1.0
    people = Load(tappers=20, message_rate=2.0)
    crowd = Load(tappers=60, tap_share=0.5, period=1.5, message_rate=0.0)
    return [
        Case("quiet", people, seconds=15 if quick else 40),
        Case("burst", people, reminders=int(3000 * scale)),
        Case("crowd", crowd, seconds=15 if quick else 40),
        Case("paid", people, reminders=int(10_000 * scale), spread=0, lead=10.0, paid=True),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a fifth of the reminders")
    parser.add_argument("--cases", default="quiet,burst,crowd,paid")
    args, rest = parser.parse_known_args(argv)
    if rest and rest[0] == "_sandbox":
        asyncio.run(serve(int(rest[1]), int(rest[2]), int(rest[3])))
        return 0
    wanted = set(args.cases.split(","))
    card = Scorecard("burst")
    for case in cases(args.quick):
        if case.name in wanted:
            score(card, case, asyncio.run(run_case(case)))
    return card.summary()


if __name__ == "__main__":
    raise SystemExit(main())
