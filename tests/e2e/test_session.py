"""A guided session through the local Telegram: card, steps with sides and repetitions, real
(shortened) hold timers, skips, check-ins, red flags, a restart mid-hold, and stale taps."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import reminders as reminder_texts
from bot.chat.texts import session as texts
from bot.db.models import SessionStatus, SubscriberStatus
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    event_kinds,
    has,
    hold,
    hold_label,
    lift_hold,
    open_card,
    pain_reports,
    practice_sessions,
    start_session,
    subscribe,
    subscriber,
    tap,
)

pytestmark = pytest.mark.e2e

SCALE = 0.01  # a 30 s hold lasts 0.3 s
PROGRESSION = "seated_progression"  # stage 1 once; stage 2 both legs; stage 3 both legs twice
GENTLE = "Gentle stretch 👍"


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


async def test_a_whole_routine_with_sides_repetitions_and_real_timers(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    card = await open_card(person)
    assert "Warm up first" in (card.text or "") and "min" in (card.text or "")
    assert card.button_labels == [
        texts.start(),
        texts.preview_button(),
        texts.not_today(),
        common_texts.in_pain(),
    ]

    step = await start_session(person, card)
    assert not (await current(person, card)).buttons, "the card lost its buttons"
    assert "1/3 · Chair progression, stage 1" in (step.text or "")
    assert step.button_labels == ["▶️ Start 20 s hold", texts.skip(), common_texts.in_pain()]

    check = await hold(person, step)
    assert "numbness, tingling" in (check.text or ""), "nerve-tension stretches ask by name"
    assert await tap(person, GENTLE, check) is None
    step = await current(person, check)
    assert "2/3" in (step.text or "") and "Left leg" in (step.text or "")

    released = await hold(person, step)
    assert "Next: Right leg" in (released.text or "")
    check = await hold(person, released)
    assert await tap(person, GENTLE, check) is None

    step = await current(person, check)
    assert "Left leg · hold 1 of 2" in (step.text or "")
    seen = []
    for _ in range(3):
        step = await hold(person, step)
        seen.append((step.text or "").split("Next: ")[1].split("\n")[0])
    assert seen == ["Right leg · hold 1 of 2", "Left leg · hold 2 of 2", "Right leg · hold 2 of 2"]
    check = await hold(person, step)
    assert await tap(person, GENTLE, check) is None

    summary = await current(person, check)
    text = summary.text or ""
    assert "Session done!" in text and "Stretches done: 3 of 3" in text
    assert "Time held: 3 min 20 s" in text and "Streak: 1 day" in text
    assert await tap(person, "2", summary) is None
    assert "Pain now: 2/10" in ((await current(person, summary)).text or "")

    (row,) = await practice_sessions(stretchbot, me)
    assert (row.status, row.pain_rating, row.hold_ends_at) == (SessionStatus.COMPLETED, 2, None)
    kinds = [kind for kind, _, _ in await event_kinds(stretchbot, row.id)]
    assert kinds.count("hold") == 7 and kinds.count("done") == 3 and "skipped" not in kinds


@pytest.mark.parametrize("answer", ["Sharp pain", "Numbness / tingling"])
async def test_a_red_flag_check_in_stops_the_session_and_pauses_reminders(
    stretchbot: RunningBot, person: SimUser, answer: str
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is not None
    check = await hold(person, await start_session(person, await open_card(person)))
    assert await tap(person, answer, check) is None

    assert (await current(person, check)).text == texts.stopped_for_safety()
    # The urgent question comes first; until it is answered the open triage holds the person.
    urgent = await person.wait_for_message(has("groin, bottom or inner thighs"), timeout=TIMEOUT)
    assert "One important question first" in (urgent.text or "")
    assert "Numb groin / saddle area" in urgent.button_labels
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is None
    assert await tap(person, "None of these", urgent) is None
    advice = await current(person, urgent)
    assert "Stop and get it checked" in (advice.text or "")
    assert "doctor or physiotherapist" in (advice.text or "")
    assert "numb around your groin" in (advice.text or ""), "saddle numbness is named as urgent"
    assert "reminders wait until someone has checked you" in (advice.text or "")
    assert advice.button_labels == ["Yes, I've been checked", "Not yet"]

    (row,) = await practice_sessions(stretchbot, me)
    assert row.status is SessionStatus.STOPPED
    kinds = [kind for kind, _, _ in await event_kinds(stretchbot, row.id)]
    assert kinds == ["hold", "checkin", "stopped"]
    person_now = await subscriber(stretchbot, me)
    assert person_now.status is SubscriberStatus.ACTIVE, "a hold is on the person, not a pause"
    assert person_now.preferences.next_reminder_at is None
    (report,) = await pain_reports(stretchbot, me)
    assert report.outcome == "professional" and report.source == "checkin"

    # No new session while the red flag is open; saying who cleared them lifts it.
    await person.send("/now")
    held = await person.wait_for_message(has("on hold"), timeout=TIMEOUT)
    assert "The hold is lifted" in ((await lift_hold(person, held)).text or "")
    lifted = await subscriber(stretchbot, me)
    assert lifted.status is SubscriberStatus.ACTIVE and lifted.pause_reason is None
    assert lifted.preferences.next_reminder_at is not None


@pytest.mark.parametrize("answer", ["Sharp pain", "Numbness / tingling"])
async def test_a_red_flag_check_in_with_saddle_numbness_is_urgent(
    stretchbot: RunningBot, person: SimUser, answer: str
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    check = await hold(person, await start_session(person, await open_card(person)))
    assert await tap(person, answer, check) is None
    urgent = await person.wait_for_message(has("One important question first"), timeout=TIMEOUT)
    assert await tap(person, "Numb groin / saddle area", urgent) is None
    advice = await current(person, urgent)
    assert "urgent help now" in (advice.text or "")
    (report,) = await pain_reports(stretchbot, me)
    assert report.outcome == "urgent" and report.source == "checkin"
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is None


async def test_uncomfortable_offers_ease_off_and_a_gentle_repeat(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    check = await hold(person, await start_session(person, await open_card(person)))
    assert await tap(person, "Uncomfortable 😣", check) is None
    eased = await current(person, check)
    assert "first light pull" in (eased.text or "")
    assert eased.button_labels == ["Try it again, gently", "Skip this one", common_texts.in_pain()]
    assert (await subscriber(stretchbot, me)).status is SubscriberStatus.ACTIVE
    assert await tap(person, "Try it again, gently", eased) is None
    gentle = await current(person, eased)
    assert "Gently this time" in (gentle.text or "")
    assert hold_label(gentle) == "▶️ Start 13 s hold"
    check = await hold(person, gentle)
    assert await tap(person, GENTLE, check) is None
    (row,) = await practice_sessions(stretchbot, me)
    kinds = [kind for kind, _, _ in await event_kinds(stretchbot, row.id)]
    assert kinds == ["hold", "checkin", "hold", "checkin", "done_eased"]


async def test_done_early_ends_the_hold_and_its_timer_never_fires(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    step = await start_session(person, await open_card(person))
    assert await tap(person, hold_label(step), step) is None
    holding = await current(person, step)
    assert await tap(person, texts.done_early(), holding) is None
    check = await current(person, holding)
    assert "Good. Release slowly" in (check.text or "")
    await asyncio.sleep(20 * SCALE + 0.3)  # past the moment the timer would have rung
    assert person.unread() == [], "no second message from a cancelled timer"
    (row,) = await practice_sessions(stretchbot, me)
    assert [kind for kind, _, _ in await event_kinds(stretchbot, row.id)] == ["hold_early"]


async def test_a_restart_in_the_middle_of_a_hold_resumes_it(
    stretchbot: RunningBot, person: SimUser
) -> None:
    stretchbot.hold_scale = 0.05  # 20 s -> 1 s: long enough to restart inside
    stretchbot.services.hold_scale = 0.05
    me = await subscribe(stretchbot, person, PROGRESSION)
    step = await start_session(person, await open_card(person))
    assert await tap(person, hold_label(step), step) is None
    await stretchbot.restart()
    released = await person.wait_for_message(has("Time!"), timeout=TIMEOUT)
    assert "How did that one feel?" in (released.text or "")
    await asyncio.sleep(0.3)
    assert person.unread() == [], "the hold ended exactly once"
    (row,) = await practice_sessions(stretchbot, me)
    assert row.hold_ends_at is None
    assert [kind for kind, _, _ in await event_kinds(stretchbot, row.id)] == ["hold"]


async def test_a_hold_that_ended_while_the_bot_was_down_closes_at_start_up(
    stretchbot: RunningBot, person: SimUser
) -> None:
    stretchbot.hold_scale = 1.0  # a real 20 s hold: only the restart can end it
    stretchbot.services.hold_scale = 1.0
    await subscribe(stretchbot, person, PROGRESSION)
    step = await start_session(person, await open_card(person))
    assert await tap(person, hold_label(step), step) is None
    await stretchbot.stop()
    stretchbot.clock.advance(minutes=5)
    await stretchbot.start()
    released = await person.wait_for_message(has("Time!"), timeout=TIMEOUT)
    assert "How did that one feel?" in (released.text or "")


async def test_a_hold_is_ended_from_the_database_whichever_process_started_it(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """The hold clock: the process that started the hold is gone and the new one's own alarm
    is 20 real seconds away, yet the stored end, once reached, is rung within about a second."""
    stretchbot.hold_scale = 1.0
    stretchbot.services.hold_scale = 1.0
    me = await subscribe(stretchbot, person, PROGRESSION)
    step = await start_session(person, await open_card(person))
    assert await tap(person, hold_label(step), step) is None
    await stretchbot.restart()
    stretchbot.clock.advance(seconds=21)  # the stored end has passed
    began = time.monotonic()
    released = await person.wait_for_message(has("Time!"), timeout=TIMEOUT)
    waited = time.monotonic() - began
    assert waited < 2.0, f"rung {waited:.2f}s after its end"
    assert "How did that one feel?" in (released.text or "")
    await asyncio.sleep(0.3)
    assert person.unread() == [], "the hold ended exactly once"
    (row,) = await practice_sessions(stretchbot, me)
    assert (row.hold_ends_at, row.hold_claimed_at) == (None, None)
    assert [kind for kind, _, _ in await event_kinds(stretchbot, row.id)] == ["hold"]


async def test_skips_are_recorded_and_a_double_tap_counts_once(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    step = await start_session(person, await open_card(person))
    # A double tap: both arrive before the first is handled; the second, made on the step as
    # it looked before, is absorbed as the same tap (answered without a notice).
    first, second = await asyncio.gather(
        person.tap(texts.skip(), message=step), person.tap(texts.skip(), message=step)
    )
    assert (await first.answered(TIMEOUT)).text is None
    assert (await second.answered(TIMEOUT)).text is None
    step = await current(person, step)
    assert "2/3" in (step.text or ""), "the second tap skipped nothing more"
    assert await tap(person, texts.skip(), step) is None
    assert await tap(person, texts.skip(), await current(person, step)) is None
    summary = await current(person, step)
    assert "Stretches done: 0 of 3" in (summary.text or "")
    assert "Skipped: 3" in (summary.text or "")
    (row,) = await practice_sessions(stretchbot, me)
    assert row.status is SessionStatus.COMPLETED
    events = await event_kinds(stretchbot, row.id)
    assert [kind for kind, _, _ in events] == ["skipped", "skipped", "skipped"]


async def test_start_twice_end_early_and_replace_from_a_reminder(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    card = await open_card(person)
    first, second = await asyncio.gather(
        person.tap(texts.start(), message=card), person.tap(texts.start(), message=card)
    )
    assert (await first.answered(TIMEOUT)).text is None
    assert (await second.answered(TIMEOUT)).text is None, "absorbed as the same tap"
    assert len(await practice_sessions(stretchbot, me)) == 1

    await person.send("/now")
    running = await person.wait_for_message(has("middle of"), timeout=TIMEOUT)
    assert await tap(person, texts.end_session(), running) is None
    ended = await start_session(person, await open_card(person))

    # The next reminder's [Start] replaces the unfinished session: abandoned, not done.
    stretchbot.clock.advance(hours=1, minutes=1)
    reminder = await person.wait_for_message(
        lambda m: common_texts.in_pain() in m.button_labels, timeout=TIMEOUT
    )
    assert await tap(person, reminder_texts.start(), reminder) is None
    await person.wait_for_message(has("1/"), timeout=TIMEOUT)
    assert (await current(person, ended)).text == texts.abandoned()
    statuses = [row.status for row in await practice_sessions(stretchbot, me)]
    assert statuses == [SessionStatus.STOPPED, SessionStatus.ABANDONED, SessionStatus.ACTIVE]


# The advanced stages (gate, warning, no repeat, step back) are in test_progression.py.


async def test_continue_from_now_shows_the_running_hold_again(
    stretchbot: RunningBot, person: SimUser
) -> None:
    stretchbot.services.hold_scale = 0.03  # 20 s -> 0.6 s
    await subscribe(stretchbot, person, PROGRESSION)
    step = await start_session(person, await open_card(person))
    assert await tap(person, hold_label(step), step) is None
    await person.send("/now")
    running = await person.wait_for_message(has("middle of"), timeout=TIMEOUT)
    assert running.button_labels == [
        texts.continue_button(),
        texts.end_session(),
        common_texts.in_pain(),
    ]
    assert await tap(person, texts.continue_button(), running) is None
    again = await person.wait_for_message(has("Hold — 20 s"), timeout=TIMEOUT)
    assert again.button_labels == [texts.done_early(), common_texts.in_pain()]
    old = await current(person, step)
    assert "Hold — 20 s" in (old.text or "") and not old.buttons
    assert await tap(person, texts.end_session(), running) == common_texts.button_expired()
    released = await person.wait_for_message(has("Time!"), timeout=TIMEOUT)
    assert "How did that one feel?" in (released.text or "")


async def test_preview_and_not_today(stretchbot: RunningBot, person: SimUser) -> None:
    await subscribe(stretchbot, person, PROGRESSION)
    card = await open_card(person)
    assert await tap(person, texts.preview_button(), card) is None
    preview = await current(person, card)
    assert "1. Chair progression, stage 1" in (preview.text or "")
    assert "each side: 2 × 30 s" in (preview.text or "")
    assert texts.preview_button() not in preview.button_labels
    assert await tap(person, texts.not_today(), preview) is None
    assert (await current(person, card)).text == texts.not_today_reply()
