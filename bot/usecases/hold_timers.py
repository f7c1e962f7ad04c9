"""Hold timers' claims: which process rings a hold that has ended, and what to re-arm.

A running hold is a session row with its stored end; a process rings it only after claiming it
(`bot.db.holds`: one `UPDATE ... RETURNING` with a lease), so whichever process is alive rings
it exactly once. The chat's timer jobs (`bot.chat.timers`) are only alarm clocks that call these.
Not to be confused with `holds`, the holds a pain report puts on a person. Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import holds, sessions
from bot.db.holds import DueHold
from bot.domain.flow import FlowState

__all__ = ["DueHold", "Running", "claim_alarm", "claim_ended", "give_back", "running"]


@dataclass(frozen=True, slots=True)
class Running:
    """Every running hold, for re-arming its alarm and its countdown after a restart."""

    alarms: list[tuple[int, int, datetime]]
    """(session id, hold number, hold end), soonest end first."""
    countdowns: list[tuple[int, FlowState]]
    """(session id, flow state): empty unless asked for."""


async def claim_ended(db: AsyncSession, now: datetime, limit: int) -> list[DueHold]:
    """Up to `limit` holds that ended by `now` and nobody has a live lease on: now ours."""
    return await holds.claim_due(db, now, limit)


async def claim_alarm(
    db: AsyncSession, session_id: int, hold_no: int, now: datetime
) -> DueHold | None:
    """A local alarm for hold `hold_no` of this session rang: the hold, claimed, if it is still
    that one and nobody has it. A newer hold is given back at once: it has its own alarm."""
    due = await holds.claim_one(db, session_id, now)
    if due is not None and due.hold_no != hold_no:
        await holds.release(db, session_id)
        return None
    return due


async def give_back(db: AsyncSession, session_id: int) -> None:
    """A claimed hold was not rung (ringing failed, or it was no longer current): the next
    claim takes it again instead of waiting for the lease to lapse."""
    await holds.release(db, session_id)


async def running(db: AsyncSession, *, countdowns: bool) -> Running:
    """Every running hold, whoever started it; with their states when `countdowns` is asked
    for (a second read, skipped otherwise)."""
    alarms = await sessions.running_holds(db)
    states = await sessions.running_hold_states(db) if countdowns else []
    return Running(alarms, states)
