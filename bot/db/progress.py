"""The history the progression rules read, for one person or a whole claimed batch at once.

One query over sessions (LEFT JOIN only the history rows the rules can use: clean marks of
stretches some gate depends on, uneasy or symptom check-in answers, pain pauses, holds cut
short, step-up offers and their answers) and one over pain reports, per chunk of ids: never a
query per person, so the dispatcher plans a batch of reminders with a constant number of round
trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PainReport, PracticeSession, SessionEvent, SessionStatus
from bot.db.pain import RED_FLAG_OUTCOMES
from bot.domain.flow import EventKind
from bot.domain.progression import (
    History,
    Rules,
    SessionMark,
    StepOffer,
    StretchMark,
    mark_of_event,
)

CHUNK = 1000
"""Ids per IN list: far below SQLite's and asyncpg's bind-parameter limits."""

_FINISHED = (SessionStatus.COMPLETED, SessionStatus.STOPPED)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


async def histories(
    session: AsyncSession, ids: Sequence[int], since: datetime, rules: Rules
) -> dict[int, History]:
    """Each subscriber's `History` since `since` (people without any are absent)."""
    answers = sorted(rules.uneasy_answers | rules.symptom_answers)
    useful = or_(
        and_(
            SessionEvent.kind == EventKind.DONE.value,
            SessionEvent.stretch_id.in_(sorted(rules.prerequisite_ids)),
        ),
        and_(
            SessionEvent.kind == EventKind.CHECKIN.value, SessionEvent.checkin_answer.in_(answers)
        ),
        SessionEvent.kind.in_(
            (
                EventKind.PAUSED.value,
                EventKind.DONE_SHORT.value,
                EventKind.SKIPPED.value,
                EventKind.STEP_OFFERED.value,
                EventKind.STEP_TAKEN.value,
            )
        ),
    )
    sessions: dict[int, list[SessionMark]] = {}
    marks: dict[int, list[StretchMark]] = {}
    pains: dict[int, list[datetime]] = {}
    offers: dict[int, dict[tuple[int, str], StepOffer]] = {}
    flags: dict[int, list[datetime]] = {}
    for chunk in _chunks(list(ids)):
        rows = await session.execute(
            select(
                PracticeSession.id,
                PracticeSession.subscriber_id,
                PracticeSession.routine_id,
                PracticeSession.started_at,
                PracticeSession.status,
                SessionEvent.stretch_id,
                SessionEvent.kind,
                SessionEvent.checkin_answer,
                SessionEvent.at,
            )
            .outerjoin(SessionEvent, and_(SessionEvent.session_id == PracticeSession.id, useful))
            .where(PracticeSession.subscriber_id.in_(chunk), PracticeSession.started_at >= since)
            .order_by(
                PracticeSession.subscriber_id,
                PracticeSession.started_at,
                PracticeSession.id,
                SessionEvent.id,
            )
        )
        for row in rows:
            owned = sessions.setdefault(row.subscriber_id, [])
            if not owned or owned[-1].session_id != row.id:
                owned.append(
                    SessionMark(
                        session_id=row.id,
                        routine_id=row.routine_id,
                        started_at=row.started_at,
                        finished=row.status in _FINISHED,
                        completed=row.status is SessionStatus.COMPLETED,
                    )
                )
            if row.kind is None:
                continue
            if row.kind in (EventKind.STEP_OFFERED, EventKind.STEP_TAKEN):
                own = offers.setdefault(row.subscriber_id, {})
                key = (row.id, row.stretch_id)
                first = own.get(key)
                own[key] = StepOffer(
                    row.id,
                    row.stretch_id,
                    first.at if first is not None else row.at,
                    row.kind == EventKind.STEP_TAKEN or (first is not None and first.taken),
                )
                continue
            mark = mark_of_event(rules, row.kind, row.checkin_answer)
            if mark is not None:
                marks.setdefault(row.subscriber_id, []).append(
                    StretchMark(row.id, row.stretch_id, row.at, mark)
                )
        reports = await session.execute(
            select(PainReport.subscriber_id, PainReport.created_at, PainReport.outcome)
            .where(PainReport.subscriber_id.in_(chunk), PainReport.created_at >= since)
            .order_by(PainReport.subscriber_id, PainReport.created_at)
        )
        for subscriber_id, created_at, outcome in reports:
            pains.setdefault(subscriber_id, []).append(created_at)
            if outcome in RED_FLAG_OUTCOMES:
                flags.setdefault(subscriber_id, []).append(created_at)
    people = set(sessions) | set(pains)
    return {
        person: History(
            sessions=tuple(sessions.get(person, ())),
            marks=tuple(sorted(marks.get(person, ()), key=lambda m: m.at)),
            pain_reports=tuple(pains.get(person, ())),
            offers=tuple(sorted(offers.get(person, {}).values(), key=lambda o: o.at)),
            red_flags=tuple(flags.get(person, ())),
        )
        for person in people
    }


async def history_of(
    session: AsyncSession, subscriber_id: int, since: datetime, rules: Rules
) -> History:
    return (await histories(session, [subscriber_id], since, rules)).get(subscriber_id, History())
