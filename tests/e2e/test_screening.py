"""The sign-up screening as a person meets it: every red flag asked, urgent first, and a "yes"
that needs care is a hold (a pain_reports row, interface A) until a professional cleared them.

Set STRETCHBOT_TRANSCRIPT=<path> to save the screening conversation as a transcript.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import select

from bot.db.models import PainReport
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import CLEARED, WHO_GP
from tests.e2e.walkthrough import Walkthrough, subscriber_of, text_of

# What the questions must name, in the order a person reads them (urgent ones first).
MUST_ASK = (
    ("Question 1 of 4", ("bladder or bowels", "saddle", "trouble walking in one leg or both")),
    ("Question 2 of 4", ("serious pain right now", "more than two weeks ago and is still there")),
    ("Question 3 of 4", ("a fall, an accident", "an operation")),
    (
        "Question 4 of 4",
        ("fever together with back pain", "weight loss", "cancer", "chest", "pain at night"),
    ),
)


async def reports_of(bot: RunningBot, person: SimUser) -> list[PainReport]:
    subscriber = await subscriber_of(bot, person)
    assert subscriber is not None
    async with bot.services.db() as db:
        rows = await db.execute(select(PainReport).where(PainReport.subscriber_id == subscriber.id))
        return list(rows.scalars().all())


async def test_the_screening_names_every_red_flag_urgent_first(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    for heading, phrases in MUST_ASK:
        text = text_of(walk.screen)
        assert heading in text
        for phrase in phrases:
            assert phrase in text, (heading, phrase)
        await walk.tap("No")
    assert "Time zone" in text_of(walk.screen)
    assert await reports_of(stretchbot, person) == []
    if path := os.environ.get("STRETCHBOT_TRANSCRIPT"):
        walk.save(Path(path), "Sign-up screening, all answers No")


async def test_an_urgent_screening_answer_is_a_hold_on_the_person(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    await walk.tap("Yes")  # bladder, saddle or legs
    assert "Please get urgent help now" in text_of(walk.screen)
    [report] = await reports_of(stretchbot, person)
    assert (report.source, report.outcome, report.resolved_at) == ("screening", "urgent", None)
    assert report.answers == {"urgent_signs": "yes"}
    await walk.tap("Not yet")
    [report] = await reports_of(stretchbot, person)
    assert report.resolved_at is None
    if path := os.environ.get("STRETCHBOT_TRANSCRIPT_URGENT"):
        walk.save(Path(path), "Sign-up screening, an urgent answer")


async def test_a_professional_screening_answer_holds_until_cleared(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    for answer in ("No", "No", "No", "Yes"):  # fever, weight loss, cancer, chest or night pain
        await walk.tap(answer)
    assert "Stop and get it checked" in text_of(walk.screen)
    assert "I understand, continue" not in walk.screen.button_labels
    [report] = await reports_of(stretchbot, person)
    assert (report.source, report.outcome, report.resolved_at) == (
        "screening",
        "professional",
        None,
    )
    assert report.answers == {"see_first": "yes"}
    await walk.tap("I'll check first")
    await walk.send("/start")
    assert "Stop and get it checked" in text_of(walk.screen)
    [report] = await reports_of(stretchbot, person)
    assert report.resolved_at is None
    await clear(walk, WHO_GP, CLEARED)
    assert "Time zone" in text_of(walk.screen)
    [report] = await reports_of(stretchbot, person)
    assert report.resolved_at is not None


async def clear(walk: Walkthrough, who: str, said: str) -> None:
    """ "A professional cleared me", then who checked and what they said, as a person taps it."""
    await walk.tap("A professional cleared me")
    assert "Who checked you?" in text_of(walk.screen), "one tap must not lift a screening hold"
    await walk.tap(who)
    assert "what did they say" in text_of(walk.screen)
    await walk.tap(said)


async def test_a_screening_clearance_asks_who_checked_and_is_exported(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """Failed on main before the held step used the lifting path: one tap went on to Time
    zone, and nothing said who checked the person or what they said."""
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    for answer in ("No", "Yes", "No", "No"):  # pain for more than two weeks, still there
        await walk.tap(answer)
    assert "Stop and get it checked" in text_of(walk.screen)

    await clear(walk, "A physiotherapist", "Not cleared yet")  # the hold stays
    assert "stays on hold" in text_of(walk.screen)
    [report] = await reports_of(stretchbot, person)
    assert report.resolved_at is None
    assert (report.checked_by, report.clearance) == ("physio", "not_cleared")
    me = await subscriber_of(stretchbot, person)
    assert me is not None and me.onboarding_step == "professional"

    await walk.send("/start")
    await clear(walk, "A physiotherapist", "Fine, but no nerve stretches")
    assert "The hold is lifted" in text_of(walk.screen)
    assert "Time zone" in text_of(walk.screen), "sign-up goes on where it waited"
    [report] = await reports_of(stretchbot, person)
    assert report.resolved_at is not None
    assert (report.checked_by, report.clearance) == ("physio", "no_nerve_tension")

    (exported,) = await walk.send("/export")
    assert exported.document is not None
    [shown] = json.loads(exported.document)["pain_reports"]
    assert shown["number"] == report.id
    assert shown["checked_by"] == "a physiotherapist"
    assert shown["what_they_said"] == "cleared, but no nerve-tension stretches"
    assert json.loads(exported.document)["person"]["safety_questions"]["went_on_after_advice"]
    if path := os.environ.get("STRETCHBOT_TRANSCRIPT_CLEARANCE"):
        walk.save(Path(path), "Sign-up screening, a see-a-professional answer cleared")


async def test_a_screening_button_names_its_report_and_expires(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """A held step's button lifts only its own report: after a newer red flag (a typed /pain
    while sign-up waits) it says it has expired, and the newer flag's button lifts both."""
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    for answer in ("No", "No", "Yes", "No"):  # a fall, an accident, an operation
        await walk.tap(answer)
    held_step = walk.screen
    assert "A professional cleared me" in held_step.button_labels

    (question,) = await walk.send("/pain")
    await walk.tap("Bladder or bowel changes", question)
    assert "Please get urgent help now" in text_of(walk.screen)
    answer = await walk.tap("A professional cleared me", held_step)
    assert answer.text is not None and "expired" in answer.text
    assert len([r for r in await reports_of(stretchbot, person) if r.resolved_at is None]) == 2

    await walk.tap("Yes, I've been checked", question)
    await walk.tap("Urgent care or A&E", question)
    await walk.tap("✅ Stretching is fine", question)
    assert "Time zone" in text_of(walk.screen)
    reports = await reports_of(stretchbot, person)
    assert all(r.resolved_at is not None for r in reports)
    assert {(r.checked_by, r.clearance) for r in reports} == {("urgent_care", "cleared")}


async def test_an_old_one_tap_clearance_button_has_expired(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """The one-tap button of the bot before this change (signed for this person, no report
    in it) changes nothing."""
    walk = Walkthrough(person)
    await walk.send("/start")
    await walk.tap("✅ I understand")
    await walk.tap("Yes")  # urgent
    old = stretchbot.services.codec.encode(person.id, "ob_urg", "y")
    answer = await (await person.tap_data(old, message=walk.screen)).answered()
    assert answer.text is not None and "expired" in answer.text
    [report] = await reports_of(stretchbot, person)
    assert report.resolved_at is None
