"""The answer to a step-up offer: [Try the harder one] or [Keep], once, by the session's owner.

The offer is recorded when its session begins (`practice.begin`); the answer is a second event
of that session (`bot.db.step_ups`), read back by the progression rules. While a red flag or a
triage holds the person, neither answer counts: pain was reported since the offer, and a step
harder is the last thing to store then. Callers commit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import sessions, step_ups
from bot.db.models import Subscriber
from bot.domain.lifecycle import Hold
from bot.usecases import lifecycle as life

__all__ = ["Answered", "Held", "NotNow", "StepUpAnswer", "answer"]


class NotNow(enum.Enum):
    """Why an answer changes nothing (the button has expired)."""

    NOT_THEIRS = "not_theirs"
    """No session of this person by that id (ids in buttons are checked, not trusted)."""
    NO_OFFER = "no_offer"
    """The session has no offer, or it was answered already (a second tap)."""


@dataclass(frozen=True, slots=True)
class Held:
    hold: Hold
    """The red flag (else the unanswered triage) that holds the person: shown instead."""


@dataclass(frozen=True, slots=True)
class Answered:
    stretch_id: str
    """The stretch the offer was for (the routine's own, not the harder one)."""


StepUpAnswer = NotNow | Held | Answered


async def answer(
    db: AsyncSession, person: Subscriber, session_id: int, taken: bool, now: datetime
) -> StepUpAnswer:
    """Store "Try" (`taken`) or "Keep" for the offer of the person's session `session_id`."""
    if await sessions.get_owned(db, session_id, person.id) is None:
        return NotNow.NOT_THEIRS
    standing = await life.life_of(db, person)
    hold = standing.red_flag or standing.open_triage
    if hold is not None:
        return Held(hold)
    stretch_id = await step_ups.answer(db, session_id, taken, now)
    return NotNow.NO_OFFER if stretch_id is None else Answered(stretch_id)
