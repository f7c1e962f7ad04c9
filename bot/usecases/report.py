"""Assemble /report for one person: read their rows, let `bot.domain.report` do the figures.

Read only: nothing is written, and the report is never stored; the caller renders and sends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import Content
from bot.db import pain, progress, sessions
from bot.db.models import Subscriber
from bot.domain import progression, report
from bot.domain.progression import Rules
from bot.usecases import holds


async def build(
    db: AsyncSession,
    person: Subscriber,
    content: Content,
    rules: Rules,
    now: datetime,
    zone: tzinfo,
) -> report.Report:
    """The report as it stands at `now`, in the person's zone."""
    since = report.since(now)
    records = await sessions.history(db, person.id, since)
    events = [
        report.StretchEvent(stretch_id, kind, at)
        for stretch_id, kind, at in await sessions.stretch_events(db, person.id, since)
    ]
    triages = [
        report.TriageRecord(
            created_at=row.created_at,
            source=row.source,
            outcome=row.outcome,
            resolved_at=row.resolved_at,
            checked_by=row.checked_by,
            clearance=row.clearance,
        )
        for row in await pain.all_reports(db, person.id)
    ]
    limits = await holds.current_limits(db, person.id)
    history = await progress.history_of(
        db, person.id, now - timedelta(days=progression.HISTORY_DAYS), rules
    )
    standing = progression.assess(rules, history, now, zone, limits)
    return report.assemble(
        first_name=person.first_name,
        zone_name=person.timezone or str(zone),
        zone=zone,
        now=now,
        sessions=records,
        events=events,
        triages=triages,
        names={stretch.id: stretch.name for stretch in content.stretches.values()},
        stage_lines=report.stages(rules, standing),
        limits=limits,
    )
