"""The pain rating after a session: a high one opens the pain questions, not a plain "noted"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db.models import PracticeSession
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    current,
    has,
    hold,
    open_card,
    pain_reports,
    start_session,
    subscribe,
    subscriber,
    tap,
)
from tests.support import factories

pytestmark = pytest.mark.e2e

PROGRESSION = "seated_progression"
GENTLE = "Gentle stretch 👍"


@pytest.fixture
def bot_hold_scale() -> float:
    return 0.01


async def finish_session(person: SimUser) -> ChatMessage:
    """Hold every stretch and answer "gentle" until the summary asks for a rating."""
    step = await start_session(person, await open_card(person))
    while "Session done!" not in (step.text or ""):
        check = await hold(person, step)
        if GENTLE not in check.button_labels:  # a two-sided or repeated hold: hold again
            step = check
            continue
        assert await tap(person, GENTLE, check) is None
        step = await current(person, check)
    return step


async def test_a_rating_of_eight_opens_the_triage_and_holds(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    summary = await finish_session(person)
    assert await tap(person, "8", summary) is None
    assert "Thanks, noted" not in ((await current(person, summary)).text or "")
    asked = await person.wait_for_message(has("groin, bottom or inner thighs"), timeout=TIMEOUT)
    assert "higher than in your last sessions" in (asked.text or "")
    assert "Numb groin / saddle area" in asked.button_labels
    (report,) = await pain_reports(stretchbot, me)
    assert report.source == "rating" and report.outcome is None
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is None, (
        "an unanswered triage holds reminders"
    )
    assert await tap(person, "None of these", asked) is None


async def test_a_low_first_rating_is_only_saved(stretchbot: RunningBot, person: SimUser) -> None:
    me = await subscribe(stretchbot, person, PROGRESSION)
    summary = await finish_session(person)
    assert await tap(person, "2", summary) is None
    assert "Pain now: 2/10, saved for /stats" in ((await current(person, summary)).text or "")
    assert await pain_reports(stretchbot, me) == []
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is not None


@pytest.mark.parametrize(("rating", "opens"), [(4, True), (3, False)])
async def test_a_rise_of_three_over_the_last_three_ratings_opens_the_triage(
    stretchbot: RunningBot, person: SimUser, rating: int, opens: bool
) -> None:
    """Earlier ratings 6, then 1, 1, 1: only the last three count, so 4 is a rise of 3 and
    asks the pain questions, and 3 is only saved."""
    me = await subscribe(stretchbot, person, PROGRESSION)
    now = stretchbot.clock()
    async with stretchbot.services.session_factory() as db:
        for days_ago, earlier in ((9, 6), (3, 1), (2, 1), (1, 1)):
            number = await factories.practice_session(
                db, me, now - timedelta(days=days_ago), routine_id="hips_medium_easy"
            )
            row = await db.get(PracticeSession, number)
            assert row is not None
            row.pain_rating = earlier
        await db.commit()
    summary = await finish_session(person)
    assert await tap(person, str(rating), summary) is None
    if not opens:
        assert f"Pain now: {rating}/10, saved for /stats" in (
            (await current(person, summary)).text or ""
        )
        assert await pain_reports(stretchbot, me) == []
        return
    asked = await person.wait_for_message(has("groin, bottom or inner thighs"), timeout=TIMEOUT)
    assert "higher than in your last sessions" in (asked.text or "")
    (report,) = await pain_reports(stretchbot, me)
    assert report.source == "rating"
    assert (await subscriber(stretchbot, me)).preferences.next_reminder_at is None
    assert await tap(person, "None of these", asked) is None
