"""Two copies of the day or focus picker, each toggled differently, and "Done" tapped on each:
a toggle stores nothing, "Done" stores what its own message showed, never a mix of the two,
and a "Done" whose step has passed changes nothing. The strict sandbox fails each test on any
refusal or traceback."""

from __future__ import annotations

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import settings as settings_texts
from bot.db import subscribers
from bot.domain import onboarding as signup
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, current, has, subscribe
from tests.e2e.test_every_button_signup import DAYS, FOCUS, by_taps

pytestmark = pytest.mark.e2e

ALL_DAYS = (1 << signup.WEEKDAY_COUNT) - 1
DONE = "Done ✓"
EXPIRED = common_texts.button_expired()


async def stored(bot: RunningBot, person: SimUser) -> tuple[int, list[str], str | None]:
    """(weekdays mask, focus areas, onboarding step) as stored now."""
    async with bot.services.db() as db:
        row = await subscribers.get_by_user_id(db, person.id)
        assert row is not None
        preferences = await subscribers.preferences_of(db, row)
        return preferences.weekdays, list(preferences.focus_areas), row.onboarding_step


def button_ending(message: ChatMessage, name: str) -> str:
    (label,) = [label for label in message.button_labels if label.endswith(f" {name}")]
    return label


async def toggle(bot: RunningBot, person: SimUser, message: ChatMessage, name: str) -> ChatMessage:
    tap = await person.tap(button_ending(message, name), message=message)
    assert (await tap.answered(TIMEOUT)).text is None
    assert await bot.sandbox.settle(TIMEOUT)
    return await current(person, message)


async def done(bot: RunningBot, person: SimUser, message: ChatMessage) -> str | None:
    tap = await person.tap(DONE, message=message)
    answer = (await tap.answered(TIMEOUT)).text
    assert await bot.sandbox.settle(TIMEOUT)
    return answer


async def settings_picker(bot: RunningBot, person: SimUser, edit: str) -> ChatMessage:
    await person.send("/settings")
    menu = await person.wait_for_message(lambda m: edit in m.button_labels, timeout=TIMEOUT)
    tap = await person.tap(edit, message=menu)
    await tap.answered(TIMEOUT)
    assert await bot.sandbox.settle(TIMEOUT)
    return await current(person, menu)


async def test_days_in_settings_store_what_each_done_showed(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await subscribe(stretchbot, person)
    first = await settings_picker(stretchbot, person, settings_texts.edit_days())
    second = await settings_picker(stretchbot, person, settings_texts.edit_days())
    first = await toggle(stretchbot, person, first, "Mon")
    second = await toggle(stretchbot, person, second, "Sun")
    assert (await stored(stretchbot, person))[0] == ALL_DAYS, "a toggle stores nothing"
    assert await done(stretchbot, person, first) is None
    assert (await stored(stretchbot, person))[0] == signup.toggle_day(ALL_DAYS, 0)
    # The edit is over once one Done was taken: the other copy's Done expired.
    assert await done(stretchbot, person, second) == EXPIRED
    assert (await stored(stretchbot, person))[0] == signup.toggle_day(ALL_DAYS, 0), "not a mix"


async def test_focus_in_settings_stores_what_each_done_showed(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await subscribe(stretchbot, person)
    first = await settings_picker(stretchbot, person, settings_texts.edit_focus())
    second = await settings_picker(stretchbot, person, settings_texts.edit_focus())
    before = (await stored(stretchbot, person))[1]
    first = await toggle(stretchbot, person, first, "Calves")
    second = await toggle(stretchbot, person, second, "Spine")
    second = await toggle(stretchbot, person, second, "Hamstrings")
    assert (await stored(stretchbot, person))[1] == before, "a toggle stores nothing"
    assert await done(stretchbot, person, second) is None
    chosen = (await stored(stretchbot, person))[1]
    assert "spine" in chosen and "calves" not in chosen, chosen
    assert await done(stretchbot, person, first) == EXPIRED
    assert (await stored(stretchbot, person))[1] == chosen, "not a mix"


async def test_days_in_sign_up_a_passed_done_changes_nothing(
    stretchbot: RunningBot, person: SimUser
) -> None:
    first = await by_taps(*DAYS)(stretchbot, person)
    await person.send("/start")  # the same step again, as a second copy
    second = await person.wait_for_message(has("Welcome back"), timeout=TIMEOUT)
    weekdays = (await stored(stretchbot, person))[0]
    first = await toggle(stretchbot, person, first, "Sat")
    second = await toggle(stretchbot, person, second, "Mon")
    assert (await stored(stretchbot, person))[0] == weekdays, "a toggle stores nothing"
    assert await done(stretchbot, person, second) is None
    chosen = signup.toggle_day(weekdays, 0)
    assert (await stored(stretchbot, person))[:3:2] == (chosen, "focus")
    assert await done(stretchbot, person, first) == EXPIRED  # its step has passed
    assert (await stored(stretchbot, person))[:3:2] == (chosen, "focus"), "not a mix"
    assert "Hamstrings" in " ".join(person.last_bot_message().button_labels), "focus is next"


async def test_focus_in_sign_up_a_passed_done_changes_nothing(
    stretchbot: RunningBot, person: SimUser
) -> None:
    first = await by_taps(*FOCUS)(stretchbot, person)
    await person.send("/start")
    second = await person.wait_for_message(has("Welcome back"), timeout=TIMEOUT)
    first = await toggle(stretchbot, person, first, "Calves")
    second = await toggle(stretchbot, person, second, "Spine")
    assert await done(stretchbot, person, second) is None
    _, focus, step = await stored(stretchbot, person)
    assert (focus, step) == (["spine"], "level"), focus
    assert await done(stretchbot, person, first) == EXPIRED
    assert (await stored(stretchbot, person))[1:] == (["spine"], "level"), "not a mix"
