"""Kinder reminders (issue 16, item 4) end to end, through the sandbox Telegram.

Same set-up as `test_reminders.py`: Alex signs up for 07:30 in Berlin, Monday to Friday, and
the clock starts on Tuesday 24 November 2026 at 07:00 in Berlin.
"""

from __future__ import annotations

import pytest

from sandbox.people import SimUser
from tests.e2e.conftest import FakeClock, RunningBot
from tests.e2e.practice_helpers import TIMEOUT, has
from tests.e2e.test_reminders import FIRST_DUE, REMINDER_BUTTONS, reminder_at, signed_up

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


# --- After Start, the reminder's buttons go -------------------------------------------------


async def test_start_on_a_reminder_takes_its_buttons_away(
    stretchbot: RunningBot, clock: FakeClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)
    reminder = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    assert reminder.button_labels == REMINDER_BUTTONS

    tap = await person.tap("▶️ Start", message=reminder)

    assert (await tap.answered(TIMEOUT)).text is None

    bare = await person.wait_for_edit(reminder)
    assert bare.buttons == ()
    assert bare.text == reminder.text, "only the buttons change, the words stay"
    await person.wait_for_message(has("1/"), timeout=TIMEOUT)
    (edit,) = stretchbot.sandbox.calls_of("editMessageReplyMarkup")
    assert edit.ok and edit.params["message_id"] == str(reminder.message_id)


async def test_start_on_a_reminder_that_is_gone_still_starts(
    stretchbot: RunningBot, clock: FakeClock, person: SimUser
) -> None:
    await signed_up(stretchbot, person)
    reminder = await reminder_at(stretchbot, clock, person, FIRST_DUE)
    stretchbot.sandbox.expect_refusal(
        "editMessageReplyMarkup", description="message to edit not found"
    )

    tap = await person.tap_then_delete("▶️ Start", message=reminder)

    assert (await tap.answered(TIMEOUT)).text is None
    await person.wait_for_message(has("1/"), timeout=TIMEOUT)
    assert person.message(reminder.message_id) is None
