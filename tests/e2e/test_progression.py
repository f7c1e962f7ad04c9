"""Progression through the local Telegram: the dose rule, the nerve-tension gate, stepping back
after symptoms, and cards that say why a stretch was changed.

Earlier days are put straight into the database by running the real session flow (full holds,
given check-in answers) the way a factory would; today happens through the stand-in Telegram.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import session as texts
from bot.content.duration import plan_routine
from bot.db import sessions, subscribers
from bot.db.models import DeliveryStatus, PainReport, ReminderDelivery
from bot.domain import flow, progression, routines
from bot.domain.flow import AcceptWarning, CheckIn, HoldElapsed, Phase, Skip, StartHold
from bot.domain.progression import Standing
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    event_kinds,
    has,
    hold,
    hold_briefly,
    open_card,
    practice_sessions,
    start_session,
    subscribe,
    tap,
)
from tests.support.content import shipped_content

pytestmark = pytest.mark.e2e

CONTENT = shipped_content()
SCALE = 0.01
GENTLE = "Gentle stretch 👍"
UNCOMFORTABLE = "Uncomfortable 😣"
STAGE = "chair_hamstring_stage_{}".format


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


async def practised(
    bot: RunningBot,
    subscriber_id: int,
    routine_id: str,
    when: datetime,
    answers: Mapping[str, str] | None = None,
    open_gates: frozenset[str] = frozenset(),
) -> None:
    """A session of `routine_id` started at `when`: every hold in full, every check-in "gentle"
    unless `answers` says otherwise for that stretch; a red-flag answer files its pain report
    the way the check-in does (and the hold is taken as lifted since)."""
    routine = CONTENT.routines[routine_id]
    steps = flow.plan_steps(plan_routine(routine, CONTENT.stretches))
    checkin = CONTENT.safety.checkin
    async with bot.services.session_factory() as db:
        first = flow.start(routine_id, steps, open_gates)
        row = await sessions.create(db, subscriber_id, first, when)
        state = first.state
        while not state.is_over:
            step = state.current
            assert step is not None
            event: flow.Event
            if state.phase is Phase.WARNING:
                event = AcceptWarning(state.seq)
            elif state.phase is Phase.READY:
                event = StartHold(state.seq, when)
            elif state.phase is Phase.HOLDING:
                event = HoldElapsed(state.hold_no)
            elif state.phase is Phase.CHECKIN:
                event = CheckIn(state.seq, (answers or {}).get(step.stretch_id, "gentle"))
            else:
                event = Skip(state.seq)
            result = flow.apply(state, event, checkin)
            assert isinstance(result, flow.Transition), (event, result)
            await sessions.save(db, row, result, when)
            for effect in result.effects:
                if isinstance(effect, flow.RedFlag):
                    db.add(
                        PainReport(
                            subscriber_id=subscriber_id,
                            session_id=row.id,
                            source="checkin",
                            answers={"checkin": effect.answer_id},
                            outcome=effect.outcome.value,
                            created_at=when,
                            resolved_at=when + timedelta(hours=1),
                        )
                    )
            state = result.state
        await db.commit()


async def test_done_early_at_zero_seconds_no_longer_counts_as_done(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """The bot's clock stands still, so every [Done early] here ends a hold at 0 s."""
    me = await subscribe(stretchbot, person, "seated_progression")
    message = await start_session(person, await open_card(person))
    for holds in (1, 2, 4):
        for _ in range(holds):
            message = await hold_briefly(person, message)
        assert await tap(person, GENTLE, message) is None
        message = await current(person, message)
    text = message.text or ""
    assert "Stretches done: 0 of 3" in text and "Cut short, not counted: 3" in text
    assert "Streak: 0 days" in text
    (row,) = await practice_sessions(stretchbot, me)
    kinds = [kind for kind, _, _ in await event_kinds(stretchbot, row.id)]
    assert kinds.count("done_short") == 3 and "done" not in kinds

    await person.send("/stats")
    stats = await person.next_message(TIMEOUT)
    assert "Streak: 0 days" in (stats.text or "")


async def test_stage_4_waits_for_two_clean_days_and_then_shows_its_warning(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression_chin")
    card = await open_card(person)
    assert "3 stretches" in (card.text or "") and "opens once the stage before" in (card.text or "")

    now = stretchbot.clock()
    for days_ago in (3, 2):
        await practised(stretchbot, me, "seated_progression", now - timedelta(days=days_ago))
    card = await open_card(person)
    assert "4 stretches" in (card.text or "") and "opens once" not in (card.text or "")
    message = await start_session(person, card)
    for _ in (1, 2, 2):
        while hold_label_in(message):
            message = await hold(person, message)
        assert await tap(person, GENTLE, message) is None
        message = await current(person, message)
    assert "4/4 · Chair progression, stage 4" in (message.text or "")
    assert "Before you start" in (message.text or "") and "nerves" in (message.text or "")
    assert message.button_labels == [texts.warning_ok(), texts.skip(), common_texts.in_pain()]


async def test_an_open_stage_4_is_still_passed_over_when_stage_3_is_skipped_today(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression_chin")
    now = stretchbot.clock()
    for days_ago in (3, 2):
        await practised(stretchbot, me, "seated_progression", now - timedelta(days=days_ago))
    message = await start_session(person, await open_card(person))
    for _ in range(3):
        assert await tap(person, texts.skip(), message) is None
        message = await current(person, message)
    assert "Saved for another day: 1" in (message.text or "")
    (*_, row) = await practice_sessions(stretchbot, me)
    kinds = [(k, stretch) for k, stretch, _ in await event_kinds(stretchbot, row.id)]
    assert kinds[-1] == ("locked", STAGE(4))


def hold_label_in(message: Any) -> bool:
    return any(label.startswith("▶️ Start") for label in message.button_labels)


async def test_a_pain_report_the_day_after_keeps_stage_4_shut(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression_chin")
    now = stretchbot.clock()
    for days_ago in (4, 2):
        await practised(stretchbot, me, "seated_progression", now - timedelta(days=days_ago))
    async with stretchbot.services.session_factory() as db:
        db.add(
            PainReport(
                subscriber_id=me,
                source="command",
                answers={},
                outcome="ease_off",
                created_at=now - timedelta(days=2) + timedelta(hours=5),
            )
        )
        await db.commit()
    card = await open_card(person)
    assert "3 stretches" in (card.text or "") and "opens once the stage before" in (card.text or "")


async def test_uncomfortable_on_stage_4_ends_it_and_offers_no_repeat(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression_chin")
    now = stretchbot.clock()
    for days_ago in (3, 2):
        await practised(stretchbot, me, "seated_progression", now - timedelta(days=days_ago))
    message = await start_session(person, await open_card(person))
    for _ in range(3):
        while hold_label_in(message):
            message = await hold(person, message)
        assert await tap(person, GENTLE, message) is None
        message = await current(person, message)
    assert await tap(person, texts.warning_ok(), message) is None
    message = await current(person, message)
    for _ in range(2):
        message = await hold(person, message)
    assert await tap(person, UNCOMFORTABLE, message) is None
    eased = await current(person, message)
    assert "Try it again, gently" not in eased.button_labels
    assert eased.button_labels == ["Skip this one", common_texts.in_pain()]
    assert "stage before it" in (eased.text or "")

    assert await tap(person, "Skip this one", eased) is None
    await person.send("/now")  # the next card goes back to stage 3
    later = await person.wait_for_message(has("Today:"), timeout=TIMEOUT)
    assert "3 stretches" in (later.text or "")
    # Stage 3 is already in the routine: stage 4 is left out, not promised in a kinder form.
    assert "Chair progression, stage 4 – chin down is left out today" in (later.text or "")
    assert "kinder version" not in (later.text or "")


async def test_numbness_on_stage_4_steps_back_for_a_week(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """Stage 4 was open (two clean days of stage 3); tingling on it yesterday closes it again."""
    me = await subscribe(stretchbot, person, "seated_progression_chin")
    now = stretchbot.clock()
    for days_ago in (5, 4):
        await practised(stretchbot, me, "seated_progression", now - timedelta(days=days_ago))
    await practised(
        stretchbot,
        me,
        "seated_progression_chin",
        now - timedelta(days=1),
        answers={STAGE(4): "numbness"},
        open_gates=frozenset({STAGE(4)}),
    )
    card = await open_card(person)
    text = card.text or ""
    assert "3 stretches" in text and "One stage back from Chair progression, stage 4" in text
    message = await start_session(person, card)
    assert "1/3" in (message.text or "")

    await tap(person, texts.end_session(), await running(person))
    later = stretchbot.clock.advance(days=7)
    async with stretchbot.services.session_factory() as db:
        db.add(
            ReminderDelivery(
                subscriber_id=me,
                due_at=later,
                status=DeliveryStatus.SENT,
                routine_id="seated_progression_chin",
                sent_at=later,
            )
        )
        await db.commit()
    assert "4 stretches" in ((await open_card(person)).text or ""), "a week later it opens again"


async def running(person: SimUser) -> Any:
    await person.send("/now")
    return await person.wait_for_message(has("middle of"), timeout=TIMEOUT)


async def test_numbness_on_stage_3_steps_back_to_stage_2(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "seated_progression")
    now = stretchbot.clock()
    await practised(
        stretchbot,
        me,
        "seated_progression",
        now - timedelta(days=2),
        answers={STAGE(3): "numbness"},
    )
    card = await open_card(person)
    assert "2 stretches" in (card.text or "")
    assert "One stage back from Chair progression, stage 3" in (card.text or "")


async def test_an_uncomfortable_stretch_is_swapped_for_an_easier_one_and_the_card_says_why(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, "hamstrings_for_back_pain")
    now = stretchbot.clock()
    await practised(
        stretchbot,
        me,
        "hamstrings_for_back_pain",
        now - timedelta(days=1),
        answers={"seated_forward_fold": "uncomfortable"},
    )
    card = await open_card(person)
    text = card.text or ""
    assert "A kinder version of Seated forward fold" in text
    message = await start_session(person, card)
    for _ in range(2):
        while hold_label_in(message):
            message = await hold(person, message)
        assert await tap(person, GENTLE, message) is None
        message = await current(person, message)
    step = message.text or ""
    assert "3/3 · Single-leg seated hamstring stretch" in step
    assert "A kinder version of Seated forward fold" in step


async def test_the_same_stretch_uncomfortable_twice_in_a_week_offers_the_pain_questions(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """The lying strap stretch has no easier variant, so it comes back as it is."""
    me = await subscribe(stretchbot, person, "hamstrings_for_back_pain")
    now = stretchbot.clock()
    await practised(
        stretchbot,
        me,
        "hamstrings_for_back_pain",
        now - timedelta(days=3),
        answers={"supine_hamstring_strap": "uncomfortable"},
    )
    message = await start_session(person, await open_card(person))
    while hold_label_in(message):
        message = await hold(person, message)
    assert await tap(person, GENTLE, message) is None
    message = await current(person, message)
    while hold_label_in(message):
        message = await hold(person, message)
    assert await tap(person, UNCOMFORTABLE, message) is None
    eased = await current(person, message)
    assert "more than once lately" in (eased.text or "")
    assert texts.ask_professional_button() in eased.button_labels
    assert await tap(person, texts.ask_professional_button(), eased) is None
    await person.wait_for_message(has("A few quick questions"), timeout=TIMEOUT)


async def test_the_daily_reminder_says_why_a_stretch_was_swapped_as_the_card_does(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    async with stretchbot.services.session_factory() as db:
        found = await subscribers.get_by_id(db, me)
        assert found is not None
        stored = await subscribers.preferences_of(db, found)
        due = stored.next_reminder_at
        prefs = routines.Preferences.from_stored(
            stored.focus_areas, stored.level, stored.session_minutes
        )
    assert due is not None
    # The routine the reminder will carry, and a stretch in it that has a kinder version.
    routine = routines.plan_day(CONTENT, prefs, due.date()).routine
    rules = routines.rules_of(CONTENT)
    eased = next(
        s.stretch
        for s in routine.steps
        if progression.adapt(routine, rules, Standing(easier=frozenset({s.stretch}))).swaps
    )
    await practised(
        stretchbot, me, routine.id, due - timedelta(days=1), answers={eased: "uncomfortable"}
    )
    why = f"A kinder version of {CONTENT.stretches[eased].name}"
    await person.send("/help")  # the person has written to the bot, so it may write to them
    await person.next_message(timeout=TIMEOUT)
    stretchbot.clock.set(due)
    reminder = await person.wait_for_message(has("Time to stretch"), timeout=TIMEOUT)
    assert why in (reminder.text or ""), reminder.text
    assert "Made for you today" in (reminder.text or "")
    # The session started from the reminder serves the kinder version and says so too.
