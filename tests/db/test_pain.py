"""Pain reports store answer ids and the outcome only; red flags stay open until resolved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import pain, sessions
from bot.domain.flow import PlannedStep, start
from bot.domain.triage import Decided, Outcome, triage
from tests.support import factories
from tests.support.content import shipped_content

TRIAGE = shipped_content().safety.triage
T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


async def test_a_report_keeps_only_the_answers_that_decided(db: AsyncSession) -> None:
    owner = (await factories.person(db)).id
    report = await pain.open_report(db, owner, "o", T0)
    await pain.add_answer(db, report, "red_flags", "none_of_these")
    await pain.add_answer(db, report, "warning_signs", "over_two_weeks")
    await pain.add_answer(db, report, "soreness", "mild_soreness")  # left over, off the path
    result = triage(TRIAGE, report.answers)
    assert isinstance(result, Decided)
    await pain.decide(db, report, result.outcome, result.answered)
    await db.commit()
    await db.refresh(report)
    assert report.outcome == "professional"
    assert report.answers == {"red_flags": "none_of_these", "warning_signs": "over_two_weeks"}
    assert [r.id for r in await pain.unresolved_red_flags(db, owner)] == [report.id]


async def test_ease_off_is_not_a_red_flag(db: AsyncSession) -> None:
    owner = (await factories.person(db)).id
    report = await pain.open_report(db, owner, "r", T0)
    await pain.decide(db, report, Outcome.EASE_OFF, [("soreness", "mild_soreness")])
    assert await pain.unresolved_red_flags(db, owner) == []


async def test_resolving_closes_only_the_named_reports(db: AsyncSession) -> None:
    owner, other = (await factories.person(db, 1)).id, (await factories.person(db, 2)).id
    row = await sessions.create(
        db, owner, start("r", (PlannedStep("seated_forward_fold", 30, 1, 1),)), T0
    )
    urgent = await pain.open_report(db, owner, "s", T0, session_id=row.id)
    await pain.decide(db, urgent, Outcome.URGENT, [("red_flags", "leg_weakness")])
    unanswered = await pain.open_report(db, owner, "o", T0)
    theirs = await pain.open_report(db, other, "o", T0)
    await pain.decide(db, theirs, Outcome.URGENT, [("red_flags", "bladder_bowel")])
    assert [r.id for r in await pain.open_holds(db, owner)] == [urgent.id, unanswered.id]

    await pain.resolve(db, [urgent.id], "gp", "cleared", T0 + timedelta(days=3))
    await db.commit()
    assert await pain.unresolved_red_flags(db, owner) == []
    assert [r.id for r in await pain.open_holds(db, owner)] == [unanswered.id]
    assert len(await pain.unresolved_red_flags(db, other)) == 1
    assert urgent.resolved_at == T0 + timedelta(days=3)
    assert (urgent.checked_by, urgent.clearance) == ("gp", "cleared")


async def test_reports_are_only_found_by_their_owner(db: AsyncSession) -> None:
    owner, other = (await factories.person(db, 1)).id, (await factories.person(db, 2)).id
    report = await pain.open_report(db, owner, "o", T0)
    assert await pain.get_owned(db, report.id, other) is None
    assert await pain.get_owned(db, report.id, owner, lock=True) is report
