"""Bad days on purpose: flood limits, 5xx answers, dropped and late answers, all reproducible."""

from __future__ import annotations

import datetime as dtm
import warnings
from collections.abc import AsyncIterator

import pytest
import telegram
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from sandbox import Fault, FaultKind, FaultPlan, RateLimits, SandboxServer, SimUser
from tests.sandbox.helpers import RawApi, make_bot
from tests.support.clock import TestClock

# PTB itself reads RetryAfter.retry_after when it builds the error, which warns about the
# coming switch to timedelta on every 429; `seconds()` below handles both types.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB_TIMEDELTA."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        retry_after = error.retry_after
    if isinstance(retry_after, dtm.timedelta):
        return retry_after.total_seconds()
    return float(retry_after)


@pytest.fixture
async def timed() -> AsyncIterator[tuple[SandboxServer, TestClock]]:
    clock = TestClock()
    server = SandboxServer(monotonic=clock.monotonic)
    await server.start()
    try:
        yield server, clock
    finally:
        await server.stop()


async def _people(server: SandboxServer, count: int) -> list[SimUser]:
    people = [server.user(f"P{index}") for index in range(count)]
    for person in people:
        await person.send("/start")
    return people


async def test_one_chat_gets_a_short_burst_then_429(
    timed: tuple[SandboxServer, TestClock],
) -> None:
    server, clock = timed
    server.set_rate_limits(RateLimits(per_chat_per_second=1, per_chat_burst=3))
    (person,) = await _people(server, 1)
    async with make_bot(server) as bot:
        for _ in range(3):
            await bot.send_message(person.id, "ok")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(person.id, "too fast")
        assert seconds(caught.value) == 1
        clock.advance(seconds=1.0)
        await bot.send_message(person.id, "ok again")
    assert [m.text for m in person.bot_messages()] == ["ok", "ok", "ok", "ok again"]


async def test_the_429_envelope_carries_retry_after(
    timed: tuple[SandboxServer, TestClock],
) -> None:
    import aiohttp

    server, _ = timed
    server.set_rate_limits(RateLimits(per_chat_burst=1))
    (person,) = await _people(server, 1)
    async with aiohttp.ClientSession() as session:
        raw = RawApi(server, session)
        await raw.call("sendMessage", chat_id=person.id, text="a")
        status, body = await raw.call("sendMessage", chat_id=person.id, text="b")
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )


async def test_thirty_messages_a_second_overall(timed: tuple[SandboxServer, TestClock]) -> None:
    server, clock = timed
    server.set_rate_limits()
    people = await _people(server, 31)
    async with make_bot(server) as bot:
        for person in people[:30]:
            await bot.send_message(person.id, "reminder")
        with pytest.raises(RetryAfter):
            await bot.send_message(people[30].id, "reminder")
        clock.advance(seconds=0.1)  # 3 more tokens
        await bot.send_message(people[30].id, "reminder")


async def test_groups_get_twenty_messages_a_minute(
    timed: tuple[SandboxServer, TestClock],
) -> None:
    server, clock = timed
    server.set_rate_limits(RateLimits(global_per_second=1000))
    (person,) = await _people(server, 1)
    group = server.group("Club", [person])
    async with make_bot(server) as bot:
        for _ in range(20):
            await bot.send_message(group.id, "hi all")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(group.id, "one more")
        assert seconds(caught.value) == 3
        clock.advance(seconds=3)
        await bot.send_message(group.id, "one more")


async def test_limits_are_off_by_default_and_only_count_sending(
    timed: tuple[SandboxServer, TestClock],
) -> None:
    server, _ = timed
    (person,) = await _people(server, 1)
    async with make_bot(server) as bot:
        for _ in range(40):
            await bot.send_message(person.id, "fine")
        server.set_rate_limits(RateLimits(per_chat_burst=1))
        await bot.send_message(person.id, "one")
        for _ in range(5):
            await bot.send_chat_action(person.id, "typing")
        server.set_rate_limits(None)
        await bot.send_message(person.id, "free again")


async def test_server_errors_apply_nothing(sandbox: SandboxServer, started: SimUser) -> None:
    sandbox.script_faults(
        "sendMessage", Fault(FaultKind.SERVER_ERROR), Fault(FaultKind.BAD_GATEWAY)
    )
    async with make_bot(sandbox) as bot:
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(started.id, "one")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(started.id, "two")
        await bot.send_message(started.id, "three")
    assert [m.text for m in started.bot_messages()] == ["three"]
    assert [c.status for c in sandbox.calls_of("sendMessage")] == [500, 502, 200]


async def test_a_dropped_request_applies_nothing_but_a_lost_reply_does(
    sandbox: SandboxServer, started: SimUser
) -> None:
    sandbox.script_faults("sendMessage", Fault(FaultKind.DROP), Fault(FaultKind.LOST_REPLY))
    async with make_bot(sandbox) as bot:
        with pytest.raises(NetworkError):
            await bot.send_message(started.id, "dropped")
        with pytest.raises(NetworkError):
            await bot.send_message(started.id, "delivered, but the bot cannot know")
    assert [m.text for m in started.bot_messages()] == ["delivered, but the bot cannot know"]


async def test_a_slow_answer_times_out_after_the_message_was_sent(
    sandbox: SandboxServer, started: SimUser
) -> None:
    sandbox.script_faults("sendMessage", Fault(FaultKind.SLOW, seconds=0.6))
    async with make_bot(sandbox, read_timeout=0.2) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(started.id, "late")
    assert [m.text for m in started.bot_messages()] == ["late"]


async def _outcomes(seed: int, calls: int = 40) -> list[str]:
    server = SandboxServer()
    await server.start()
    try:
        (person,) = await _people(server, 1)
        server.set_faults(
            FaultPlan(
                server_error_rate=0.3, drop_rate=0.2, methods=frozenset({"sendMessage"}), seed=seed
            )
        )
        outcomes = []
        async with make_bot(server) as bot:
            for index in range(calls):
                try:
                    await bot.send_message(person.id, str(index))
                    outcomes.append("ok")
                except NetworkError:
                    outcomes.append("failed")
        return outcomes
    finally:
        await server.stop()


async def test_random_faults_repeat_with_the_seed() -> None:
    first, second, other = await _outcomes(7), await _outcomes(7), await _outcomes(8)
    assert first == second
    assert first != other
    assert 0.25 <= first.count("failed") / len(first) <= 0.75


async def test_random_faults_spare_get_updates_unless_named(
    sandbox: SandboxServer, started: SimUser
) -> None:
    async with make_bot(sandbox) as bot:
        sandbox.set_faults(FaultPlan(server_error_rate=1.0))
        assert len(await bot.get_updates()) == 1
        with pytest.raises(NetworkError):
            await bot.get_me()
        sandbox.set_faults(FaultPlan(server_error_rate=1.0, methods=frozenset({"getUpdates"})))
        await bot.get_me()
        with pytest.raises(NetworkError):
            await bot.get_updates()
        sandbox.faults.clear()
        await bot.get_updates()


async def test_telegram_bot_reads_the_error_fields(bot: telegram.Bot, started: SimUser) -> None:
    """A sanity check that faults do not leak: a clean server answers normally."""
    assert (await bot.send_message(started.id, "clean")).text == "clean"
