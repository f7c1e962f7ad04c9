"""Asking the safety questions again: are they due before this session, and their answers.

The rule is `bot.domain.rescreening`; this reads what it needs (the last answers, the latest
session) and writes what the answers mean. A "yes" that needs care is a red flag like a sign-up
one (source "screening", the question ids answered "yes"), recorded through `holds`, so it
holds the person until they say who checked them. Callers commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.safety import SafetyContent
from bot.db import pain, sessions
from bot.db.models import PainReport, Subscriber
from bot.domain import rescreening
from bot.domain.onboarding import YES
from bot.domain.rescreening import Why
from bot.domain.triage import Outcome
from bot.usecases import holds

__all__ = ["answered", "due"]


async def due(db: AsyncSession, subscriber: Subscriber, now: datetime) -> Why | None:
    """Why the questions must be answered before a session starts now; None: they need not."""
    latest = await sessions.latest_start(db, subscriber.id)
    return rescreening.due(now, subscriber.last_screened_at, latest)


async def answered(
    db: AsyncSession,
    subscriber: Subscriber,
    safety: SafetyContent,
    answers: Mapping[str, bool],
    outcome: Outcome | None,
    now: datetime,
) -> PainReport | None:
    """The questions were answered now ("nothing has changed" is no answers and no outcome).
    An outcome that needs care is recorded as a hold; returns its report."""
    subscriber.last_screened_at = now
    tier = holds.tier_of(safety, outcome) if outcome is not None else None
    if tier is None:
        return None
    flagged = [(question, YES) for question, said_yes in answers.items() if said_yes]
    return await holds.record_red_flag(db, subscriber, pain.SCREENING_SOURCE, tier, flagged, now)
