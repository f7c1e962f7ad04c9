"""Kinder reminders, the person's side: the quiet switch and quiet hours in /settings.

The rules are `bot.domain.kindness`; this writes the person's choices, and refuses quiet hours
that would cover their daily reminder (it would never come). The dispatcher reads them back
(`Rendered.silent`, `kindness.place_snooze`). Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import subscribers
from bot.db.models import Subscriber
from bot.domain.kindness import QuietHours

__all__ = ["SwallowsReminder", "set_quiet_hours", "switch_quiet"]


async def switch_quiet(db: AsyncSession, person: Subscriber) -> bool:
    """Quiet reminders on when they were off, off when on; returns the new state."""
    preferences = await subscribers.preferences_of(db, person)
    preferences.quiet = not preferences.quiet
    return preferences.quiet


@dataclass(frozen=True, slots=True)
class SwallowsReminder:
    """Quiet hours refused: they cover the daily reminder's time."""

    hours: QuietHours
    reminder: time


async def set_quiet_hours(
    db: AsyncSession, person: Subscriber, start: time | None, end: time | None
) -> SwallowsReminder | None:
    """Store quiet hours from `start` to `end` (None: none), unless they would swallow the
    daily reminder; then nothing changes and the refusal says why."""
    preferences = await subscribers.preferences_of(db, person)
    chosen = QuietHours.of(start, end)
    reminder = preferences.reminder_time
    if chosen is not None and reminder is not None and chosen.covers(reminder):
        return SwallowsReminder(chosen, reminder)
    preferences.quiet_from, preferences.quiet_until = start, end
    return None
