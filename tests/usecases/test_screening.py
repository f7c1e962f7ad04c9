"""The sign-up screening's last answer (`bot.usecases.screening`), on real rows (SQLite and
PostgreSQL): the answers and outcome are kept, the clock for asking again starts, and a "yes"
that needs care is a report with only the question ids answered "yes" that holds the person."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PainReport
from bot.domain.onboarding import YES, screening_record
from bot.domain.triage import Outcome
from bot.usecases import lifecycle as life
from bot.usecases import screening
from tests.support import factories

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def _reports(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(PainReport)) or 0)


async def test_all_no_is_kept_and_raises_nothing(db: AsyncSession) -> None:
    person = await factories.person(db)
    answers = {"urgent_signs": False, "pain_now": False}
    assert await screening.answered(db, person, answers, None, NOW) is None
    assert person.screening == screening_record(answers, None, finished=True)
    assert person.last_screened_at == NOW
    assert await _reports(db) == 0
    assert not (await life.life_of(db, person)).held


async def test_a_yes_that_needs_care_is_a_report_that_holds(db: AsyncSession) -> None:
    person = await factories.person(db)
    answers = {"urgent_signs": False, "pain_now": True, "recent_injury": True}
    report = await screening.answered(db, person, answers, Outcome.PROFESSIONAL, NOW)
    assert report is not None
    assert person.screening == screening_record(answers, Outcome.PROFESSIONAL, finished=True)
    assert person.screening["finished"] is True
    assert person.last_screened_at == NOW
    await db.commit()
    stored = await db.get(PainReport, report.id)
    assert stored is not None and await _reports(db) == 1
    assert (stored.subscriber_id, stored.source, stored.outcome) == (
        person.id,
        "screening",
        "professional",
    )
    assert stored.answers == {"pain_now": YES, "recent_injury": YES}
    assert stored.created_at == NOW and stored.resolved_at is None
    flag = (await life.life_of(db, person)).red_flag
    assert flag is not None and flag.report_id == report.id
