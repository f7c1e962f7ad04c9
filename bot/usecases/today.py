"""Today's routine for one person: their preferences and standing, read from the database and
put through the domain's planner. Telegram-free, so /now's card and whatever else asks "what
would they do today" read the same answer (it used to live in the chat's session module).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import Content
from bot.db import deliveries, progress, subscribers
from bot.db.models import Subscriber
from bot.domain import progression, routines
from bot.domain.progression import Plan, Rules, Standing
from bot.domain.schedule import local_date
from bot.domain.zones import local_zone
from bot.usecases import holds


def _zone(person: Subscriber, default_timezone: str) -> tzinfo:
    return local_zone(person.timezone, default_timezone)


async def preferences_of(db: AsyncSession, person: Subscriber) -> routines.Preferences:
    """The person's stored choices as the planner reads them."""
    stored = await subscribers.preferences_of(db, person)
    return routines.Preferences.from_stored(
        stored.focus_areas, stored.level, stored.session_minutes
    )


async def standing_of(
    db: AsyncSession,
    rules: Rules,
    person: Subscriber,
    now: datetime,
    default_timezone: str,
    limits: frozenset[str] = frozenset(),
) -> Standing:
    """Where the person stands now: their history read through the progression rules.
    `limits`: what a lifted red flag allowed; the person's current ones (`holds.current_limits`,
    from what the professional said at the latest lift) are always added."""
    limits = limits | await holds.current_limits(db, person.id)
    since = now - timedelta(days=progression.HISTORY_DAYS)
    history = await progress.history_of(db, person.id, since, rules)
    return progression.assess(rules, history, now, _zone(person, default_timezone), limits)


async def routine_for_today(
    db: AsyncSession,
    content: Content,
    rules: Rules,
    person: Subscriber,
    now: datetime,
    default_timezone: str,
) -> Plan | None:
    """The routine of today's reminder if one was sent today, else the routine of the day,
    adapted to where the person stands."""
    zone = _zone(person, default_timezone)
    today = local_date(now, zone)
    preferences = await preferences_of(db, person)
    standing = await standing_of(db, rules, person, now, default_timezone)
    reminder = await deliveries.latest_sent(db, person.id)
    if reminder is not None and local_date(reminder.due_at, zone) == today:
        reminded = content.routines.get(reminder.routine_id or "")
        if reminded is not None:
            plan = progression.adapt(reminded, rules, standing, preferences.level)
            if plan.routine.steps:
                return plan
    try:
        return routines.plan_day(
            content,
            preferences,
            today,
            # What the reminder reads (`bot.db.deliveries.recent_of`), so both agree.
            recent=await deliveries.recent_routines(db, person.id, now),
            standing=standing,
            rules=rules,
        )
    except routines.NoRoutineError:
        return None
