"""The strict teardown gate itself: small inner test files run (pytester) against the real
`stretchbot` fixture, the real sandbox plugin and the real stand-in, and their outcomes are read.

The gate lives in the `stretchbot` fixture (tests/e2e/conftest.py: `judge_strictly`, then
`final_verdict` after the bot stopped), so every inner test starts the real bot on SQLite. The
inner tests make the offending calls themselves, over HTTP with the bot's token, as a buggy
handler would. A running bot answers every tap it gets, so the inner tests about taps stop the
bot first and tap a message they sent themselves: what is left unanswered, or answered twice,
is then theirs, and the verdict after the bot stopped must catch it.

What must hold: a test that passed but left a refusal (a 400/403 Telegram would answer), a tap
never answered or answered twice, or a logged traceback, ERRORs at teardown with a line naming
what happened; the same declared (`expect_refusal`, `expect_blocked`, `expect_traceback`)
passes; a clean test passes; a test that failed already is not judged on top.
"""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.e2e

CONFTEST = """
import pytest

pytest_plugins = ["tests.conftest", "tests.e2e.conftest"]


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the gate does not depend on the database; one backend keeps it quick
"""

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""

PRELUDE = """
import logging
from typing import Any

import aiohttp

from sandbox import SimUser
from tests.e2e.conftest import RunningBot

KEYBOARD = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


async def call(bot: RunningBot, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    '''A Bot API call with the bot's token, as a handler of the bot would make it.'''
    url = f"{bot.sandbox.url}/bot{bot.sandbox.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, json=params) as response:
        return response.status, await response.json()


async def tap_with_the_bot_stopped(stretchbot: RunningBot, person: SimUser) -> str:
    '''A tap nobody but the test will answer; the keyboard message is the reaction to /start.'''
    await stretchbot.stop()
    await person.send("/start")
    status, _ = await call(
        stretchbot, "sendMessage", chat_id=person.id, text="Ready?", reply_markup=KEYBOARD
    )
    assert status == 200
    return (await person.tap("Go")).query_id
"""

# The inner tests, each one file. A `{declare}` line is empty or the test's declaration.
REFUSED_EDIT = """
async def test_inner(stretchbot: RunningBot, person: SimUser) -> None:
    {declare}
    status, body = await call(
        stretchbot, "editMessageText", chat_id=person.id, message_id=424242, text="Well done"
    )
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
"""

REFUSED_SEND_TO_BLOCKED = """
async def test_inner(stretchbot: RunningBot, person: SimUser) -> None:
    {declare}
    await person.send("/start")
    await person.next_message()
    await person.block()
    status, body = await call(stretchbot, "sendMessage", chat_id=person.id, text="Still there?")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
"""

TRACEBACK = """
async def test_inner(stretchbot: RunningBot, person: SimUser) -> None:
    {declare}
    try:
        raise ValueError("no such routine")
    except ValueError:
        logging.getLogger("x").exception("a handler failed")
"""


def run_inner(pytester: pytest.Pytester, body: str) -> dict[str, pytest.TestReport]:
    """Run one inner test file in process; its reports by phase (setup, call, teardown)."""
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    pytester.makepyfile(test_inner=PRELUDE + textwrap.dedent(body))
    recorder = pytester.inline_run("-p", "no:cacheprovider", "-q")
    reports = recorder.getreports("pytest_runtest_logreport")
    by_phase: dict[str, pytest.TestReport] = {report.when: report for report in reports}
    assert set(by_phase) == {"setup", "call", "teardown"}, reports
    assert by_phase["setup"].passed, by_phase["setup"].longreprtext
    return by_phase


def assert_passed(reports: dict[str, pytest.TestReport]) -> None:
    for phase in ("call", "teardown"):
        assert reports[phase].passed, reports[phase].longreprtext


def teardown_error(reports: dict[str, pytest.TestReport]) -> str:
    """The test body passed and the gate failed it at teardown: the gate's message."""
    assert reports["call"].passed, reports["call"].longreprtext
    teardown = reports["teardown"]
    assert teardown.failed, "the gate let the test pass"
    text = teardown.longreprtext
    assert "TelegramWouldRefuse" in text, text
    return text


def declared(body: str, declaration: str = "") -> str:
    return body.replace("{declare}", declaration or "pass")


def test_a_clean_test_passes(pytester: pytest.Pytester) -> None:
    reports = run_inner(
        pytester,
        """
        async def test_inner(stretchbot: RunningBot, person: SimUser) -> None:
            await person.send("/start")
            await person.next_message()
        """,
    )
    assert_passed(reports)


@pytest.mark.parametrize(
    ("body", "declaration", "names"),
    [
        (
            REFUSED_EDIT,
            'stretchbot.sandbox.expect_refusal("editMessageText", description="to edit not found")',
            ["refused by Telegram: editMessageText in chat", "'Bad Request: message to edit not"],
        ),
        (
            REFUSED_SEND_TO_BLOCKED,
            "stretchbot.sandbox.expect_blocked(person)",
            ["refused by Telegram: sendMessage in chat", "403 'Forbidden: bot was blocked by"],
        ),
    ],
    ids=["edit-of-a-missing-message", "send-to-a-person-who-blocked"],
)
def test_an_undeclared_refusal_errors_at_teardown_and_a_declared_one_passes(
    pytester: pytest.Pytester, body: str, declaration: str, names: list[str]
) -> None:
    text = teardown_error(run_inner(pytester, declared(body)))
    for name in names:
        assert name in text, text
    assert_passed(run_inner(pytester, declared(body, declaration)))


def test_a_tap_never_answered_errors_at_teardown(pytester: pytest.Pytester) -> None:
    text = teardown_error(
        run_inner(
            pytester,
            """
            async def test_inner(stretchbot: RunningBot, person: SimUser) -> None:
                await tap_with_the_bot_stopped(stretchbot, person)
            """,
        )
    )
    assert "callback query never answered: 'go' from" in text, text
    assert "to: callback_query" in text, text


def test_a_tap_answered_once_passes(pytester: pytest.Pytester) -> None:
    reports = run_inner(
        pytester,
        """
        async def test_inner(stretchbot: RunningBot, person: SimUser) -> None:
            query_id = await tap_with_the_bot_stopped(stretchbot, person)
            status, _ = await call(stretchbot, "answerCallbackQuery", callback_query_id=query_id)
            assert status == 200
        """,
    )
    assert_passed(reports)


def test_a_tap_answered_twice_errors_at_teardown(pytester: pytest.Pytester) -> None:
    text = teardown_error(
        run_inner(
            pytester,
            """
            async def test_inner(stretchbot: RunningBot, person: SimUser) -> None:
                query_id = await tap_with_the_bot_stopped(stretchbot, person)
                for status in (200, 400):
                    answered = await call(
                        stretchbot, "answerCallbackQuery", callback_query_id=query_id
                    )
                    assert answered[0] == status
            """,
        )
    )
    assert "refused by Telegram: answerCallbackQuery -> 400" in text, text
    assert "query is too old" in text, text
    assert "never answered" not in text, text


def test_an_undeclared_traceback_errors_at_teardown_and_a_declared_one_passes(
    pytester: pytest.Pytester,
) -> None:
    text = teardown_error(run_inner(pytester, declared(TRACEBACK)))
    assert "traceback logged by x: a handler failed (ValueError: no such routine)" in text, text
    declaration = 'stretchbot.sandbox.referee.expect_traceback(ValueError, logger="x")'
    assert_passed(run_inner(pytester, declared(TRACEBACK, declaration)))


def test_a_failed_test_is_not_judged_again_at_teardown(pytester: pytest.Pytester) -> None:
    body = declared(REFUSED_EDIT) + "    assert False, 'the test failed on its own'\n"
    reports = run_inner(pytester, body)
    assert reports["call"].failed
    assert "the test failed on its own" in reports["call"].longreprtext
    assert reports["teardown"].passed, reports["teardown"].longreprtext
