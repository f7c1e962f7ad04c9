"""Queries about pain reports: answer ids and the outcome only, never free text.

A report is opened when someone says it hurts, collects one answer id per question while the
triage runs, and keeps only the answers on the path that decided once triage is over. A red
flag (urgent or see a professional) stays "unresolved" until the person says they were checked;
until then no session starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PainReport
from bot.domain.triage import Outcome

RED_FLAG_OUTCOMES = (Outcome.URGENT.value, Outcome.PROFESSIONAL.value)
CHECKIN_QUESTION = "checkin"
"""The question id under which an after-stretch check-in answer is stored."""


async def open_report(
    session: AsyncSession,
    subscriber_id: int,
    source: str,
    now: datetime,
    session_id: int | None = None,
) -> PainReport:
    report = PainReport(
        subscriber_id=subscriber_id,
        session_id=session_id,
        source=source,
        answers={},
        outcome=None,
        created_at=now,
    )
    session.add(report)
    await session.flush()
    return report


async def get_owned(
    session: AsyncSession, report_id: int, subscriber_id: int, *, lock: bool = False
) -> PainReport | None:
    statement = select(PainReport).where(
        PainReport.id == report_id, PainReport.subscriber_id == subscriber_id
    )
    if lock:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def add_answer(
    session: AsyncSession, report: PainReport, question_id: str, answer_id: str
) -> None:
    # A new dict, so the JSON column sees the change.
    report.answers = {**report.answers, question_id: answer_id}
    await session.flush()


async def decide(
    session: AsyncSession,
    report: PainReport,
    outcome: Outcome,
    answered: Iterable[tuple[str, str]],
) -> None:
    """Close the triage: keep only the answers that led to the outcome."""
    report.answers = dict(answered)
    report.outcome = outcome.value
    await session.flush()


async def record_checkin_flag(
    session: AsyncSession,
    subscriber_id: int,
    session_id: int,
    answer_id: str,
    outcome: Outcome,
    now: datetime,
) -> PainReport:
    """A check-in answer that stopped a session is a red flag like any other pain report."""
    report = await open_report(session, subscriber_id, "checkin", now, session_id=session_id)
    await decide(session, report, outcome, [(CHECKIN_QUESTION, answer_id)])
    return report


async def unresolved_red_flags(session: AsyncSession, subscriber_id: int) -> list[PainReport]:
    result = await session.execute(
        select(PainReport)
        .where(
            PainReport.subscriber_id == subscriber_id,
            PainReport.outcome.in_(RED_FLAG_OUTCOMES),
            PainReport.resolved_at.is_(None),
        )
        .order_by(PainReport.id)
    )
    return list(result.scalars().all())


async def resolve_red_flags(session: AsyncSession, subscriber_id: int, now: datetime) -> int:
    """The person confirmed they were checked (or chose to go on): close every open red flag."""
    reports = await unresolved_red_flags(session, subscriber_id)
    for report in reports:
        report.resolved_at = now
    await session.flush()
    return len(reports)
