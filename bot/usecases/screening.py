"""The sign-up's safety screening once its last question is answered: what is kept of it, and
the report a "yes" that needs care is recorded as.

The questions and what each "yes" means are `bot.domain.triage.screen`'s; which step follows is
`bot.domain.onboarding`'s. Only question ids and the outcome are kept, never anything typed.
The flag is the row /pain writes (`bot.db.pain.record_screening_flag`: source "screening", the
question ids answered "yes"), which holds the person until they say who checked them. Asking
the questions again before a session is `rescreening`'s. Callers commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import pain
from bot.db.models import PainReport, Subscriber
from bot.domain.onboarding import YES, screening_record
from bot.domain.triage import Outcome

__all__ = ["answered"]


async def answered(
    db: AsyncSession,
    subscriber: Subscriber,
    answers: Mapping[str, bool],
    outcome: Outcome | None,
    now: datetime,
) -> PainReport | None:
    """Every question that was asked has its answer (`outcome`: the worst "yes", None for all
    "no"): keep them, start the clock for asking again, and record the flag an outcome
    raises; returns its report."""
    subscriber.screening = screening_record(answers, outcome, finished=True)
    subscriber.last_screened_at = now  # asked again from here on
    if outcome is None:
        return None
    flagged = [(question, YES) for question, said_yes in answers.items() if said_yes]
    return await pain.record_screening_flag(db, subscriber.id, flagged, outcome, now)
