"""Queries about pain reports: answer ids and the outcome only, never free text.

A report is opened when someone says it hurts, collects one answer id per question while the
triage runs, and keeps only the answers on the path that decided once triage is over. A red
flag (urgent or see a professional) stays "unresolved" until the person says who checked them
and that they were cleared; until then, and while a triage is unanswered, the report holds the
person (`bot.domain.lifecycle`): no session starts and the dispatcher's claim skips them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

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


async def restart(session: AsyncSession, report: PainReport) -> None:
    """Forget an unanswered triage's answers: its walk starts again at the first question."""
    report.answers = {}
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


def _holding() -> ColumnElement[bool]:
    """An open report that holds its person: a red flag, or a triage not answered yet."""
    return and_(
        PainReport.resolved_at.is_(None),
        or_(PainReport.outcome.is_(None), PainReport.outcome.in_(RED_FLAG_OUTCOMES)),
    )


def holds_person(
    subscriber_id: ColumnElement[int] | InstrumentedAttribute[int],
) -> ColumnElement[bool]:
    """SQL: the person `subscriber_id` has an open hold (for the dispatcher's claim)."""
    return (
        select(PainReport.id).where(PainReport.subscriber_id == subscriber_id, _holding()).exists()
    )


async def open_holds(session: AsyncSession, subscriber_id: int) -> list[PainReport]:
    """Every report that holds the person now, oldest first."""
    result = await session.execute(
        select(PainReport)
        .where(PainReport.subscriber_id == subscriber_id, _holding())
        .order_by(PainReport.id)
    )
    return list(result.scalars().all())


SCREENING_SOURCE = "screening"
"""Source of a red flag raised by a sign-up (or later) screening answer."""


async def record_screening_flag(
    session: AsyncSession,
    subscriber_id: int,
    answered: Iterable[tuple[str, str]],
    outcome: Outcome,
    now: datetime,
) -> PainReport:
    """A screening "yes" that needs care is a hold like any other red flag (interface A): the
    same row /pain writes, with only the question ids answered "yes"."""
    report = await open_report(session, subscriber_id, SCREENING_SOURCE, now)
    await decide(session, report, outcome, answered)
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


async def resolve(
    session: AsyncSession, report_ids: Iterable[int], checked_by: str, clearance: str, now: datetime
) -> None:
    """Close these reports with who checked the person and what they said."""
    for report_id in report_ids:
        report = await session.get(PainReport, report_id)
        if report is not None:
            report.resolved_at = now
            report.checked_by = checked_by
            report.clearance = clearance
    await session.flush()


async def record_clearance(
    session: AsyncSession, report_id: int, checked_by: str, clearance: str
) -> None:
    """Keep an answer that does not lift the report ("not cleared yet"); it stays open."""
    report = await session.get(PainReport, report_id)
    if report is not None:
        report.checked_by = checked_by
        report.clearance = clearance
        await session.flush()


async def latest_clearances(session: AsyncSession, subscriber_ids: Sequence[int]) -> dict[int, str]:
    """`latest_clearance` for a batch of people at once (the dispatcher's claim)."""
    latest: dict[int, str] = {}
    if not subscriber_ids:
        return latest
    result = await session.execute(
        select(PainReport.subscriber_id, PainReport.clearance)
        .where(
            PainReport.subscriber_id.in_(subscriber_ids),
            PainReport.resolved_at.is_not(None),
            PainReport.clearance.is_not(None),
        )
        .order_by(PainReport.subscriber_id, PainReport.resolved_at, PainReport.id)
    )
    for subscriber_id, clearance in result:
        if clearance is not None:  # ordered oldest first: the last one stands
            latest[subscriber_id] = clearance
    return latest


async def latest_clearance(session: AsyncSession, subscriber_id: int) -> str | None:
    """What the professional said at the person's latest lift (their current limits)."""
    result = await session.execute(
        select(PainReport.clearance)
        .where(
            PainReport.subscriber_id == subscriber_id,
            PainReport.resolved_at.is_not(None),
            PainReport.clearance.is_not(None),
        )
        .order_by(PainReport.resolved_at.desc(), PainReport.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def set_outcome(session: AsyncSession, report: PainReport, outcome: str) -> None:
    """The hold tier that the outcome means (a content "pauses" outcome holds as professional)."""
    report.outcome = outcome
    await session.flush()


async def all_reports(session: AsyncSession, subscriber_id: int) -> Sequence[PainReport]:
    """Every pain report of a person, oldest first (for /report: every triage it lists)."""
    result = await session.execute(
        select(PainReport)
        .where(PainReport.subscriber_id == subscriber_id)
        .order_by(PainReport.created_at, PainReport.id)
    )
    return result.scalars().all()
