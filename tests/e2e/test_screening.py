"""The sign-up screening as a person meets it: every red flag asked, urgent first, and a "yes"
that needs care is a hold (a pain_reports row, interface A) until a professional cleared them.

Set STRETCHBOT_TRANSCRIPT=<path> to save the screening conversation as a transcript.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from bot.db.models import PainReport
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
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
    await walk.tap("A professional cleared me")
    assert "Time zone" in text_of(walk.screen)
    [report] = await reports_of(stretchbot, person)
    assert report.resolved_at is not None
