"""A reminder's "In 30 min" and "Not today" on real rows (`bot.usecases.reminders`, SQLite and
PostgreSQL): what is stored for the person's newest reminder of today, and that any other
reminder's buttons, or a person with no reminder owed, store nothing. The words and buttons the
chat makes of each result are the e2e tests' business (test_reminders, test_kinder_reminders)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    DeliveryKind,
    DeliveryStatus,
    Preferences,
    ReminderDelivery,
    Subscriber,
    SubscriberStatus,
)
from bot.domain.kindness import Placement
from bot.usecases import lifecycle as life
from bot.usecases import reminders
from bot.usecases.reminders import (
    AlreadySnoozed,
    NoMoreSnoozes,
    NotNow,
    QuietUntilTomorrow,
    Skipped,
    Snoozed,
)
from tests.support import factories

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 23 November 2026, 10:00 UTC (11:00 in Berlin); today's reminder came at 07:30.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY_0730 = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
TUESDAY_0730 = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
USER = 1001


async def _reminded(
    db: AsyncSession,
    person: Subscriber,
    due_at: datetime = TODAY_0730,
    *,
    kind: DeliveryKind = DeliveryKind.DAILY,
    status: DeliveryStatus = DeliveryStatus.SENT,
) -> int:
    """A reminder of `person` due at `due_at`, with a routine."""
    row = ReminderDelivery(
        subscriber_id=person.id,
        due_at=due_at,
        kind=kind,
        status=status,
        routine_id="seated_progression",
    )
    db.add(row)
    await db.flush()
    return row.id


async def _person_reminded_today(db: AsyncSession) -> tuple[Subscriber, int]:
    person = await factories.subscriber(db, USER)
    await life.preferences_changed(db, person, NOW)
    assert person.preferences.next_reminder_at == TUESDAY_0730
    delivery_id = await _reminded(db, person)
    await db.commit()
    return person, delivery_id


async def _snooze(
    db: AsyncSession, delivery_id: int | None, *, minutes: int = 30, limit: int = 2
) -> reminders.SnoozeResult:
    return await reminders.snooze(
        db, USER, delivery_id, NOW, minutes=minutes, daily_limit=limit, default_timezone="UTC"
    )


def _in_berlin(instant: datetime) -> bool:
    """Given on the person's own clock (equal instants compare equal in any zone)."""
    return instant.utcoffset() == timedelta(hours=1)


async def _next_reminder(factory: async_sessionmaker[AsyncSession], person_id: int) -> object:
    """The person's next reminder as committed, read in a session of its own."""
    async with factory() as fresh:
        prefs = await fresh.get(Preferences, person_id)
        assert prefs is not None
        return prefs.next_reminder_at


async def _status(factory: async_sessionmaker[AsyncSession], delivery_id: int) -> object:
    async with factory() as fresh:
        row = await fresh.get(ReminderDelivery, delivery_id)
        assert row is not None
        return row.status


async def test_a_snooze_schedules_one_reminder_later_today(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person, delivery_id = await _person_reminded_today(db)

    result = await _snooze(db, delivery_id)
    await db.commit()

    later = NOW + timedelta(minutes=30)
    assert result == Snoozed(
        "seated_progression", DeliveryKind.DAILY, later.astimezone(BERLIN), Placement.AS_ASKED, None
    )
    assert isinstance(result, Snoozed) and _in_berlin(result.at)
    assert await _next_reminder(session_factory, person.id) == later
    # A second tap while that one waits: nothing moves.
    again = await _snooze(db, delivery_id)
    assert again == AlreadySnoozed(later.astimezone(BERLIN))
    assert isinstance(again, AlreadySnoozed) and _in_berlin(again.at)
    await db.commit()
    assert await _next_reminder(session_factory, person.id) == later


async def test_the_daily_limit_of_snoozes_is_kept(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person, _ = await _person_reminded_today(db)
    # Two snoozes came earlier today; the latest of them is the reminder tapped now.
    await _reminded(db, person, TODAY_0730 + timedelta(minutes=30), kind=DeliveryKind.SNOOZE)
    snoozed = await _reminded(
        db, person, TODAY_0730 + timedelta(minutes=60), kind=DeliveryKind.SNOOZE
    )
    await db.commit()

    assert await _snooze(db, snoozed, limit=2) == NoMoreSnoozes(2)
    await db.commit()
    assert await _next_reminder(session_factory, person.id) == TUESDAY_0730
    assert isinstance(await _snooze(db, snoozed, limit=3), Snoozed)


async def test_a_snooze_never_lands_in_quiet_hours(db: AsyncSession) -> None:
    person, delivery_id = await _person_reminded_today(db)
    wall = datetime(2026, 11, 23, tzinfo=BERLIN)
    cases = [
        # (quiet from, quiet until, what the snooze does)
        (
            time(11, 20),
            time(6, 0),
            Snoozed(
                "seated_progression",
                DeliveryKind.DAILY,
                wall.replace(hour=11, minute=15),
                Placement.BEFORE_QUIET,
                wall.replace(hour=11, minute=20),
            ),
        ),
        (
            time(11, 10),
            time(11, 45),
            Snoozed(
                "seated_progression",
                DeliveryKind.DAILY,
                wall.replace(hour=11, minute=45),
                Placement.AFTER_QUIET,
                wall.replace(hour=11, minute=10),
            ),
        ),
        (time(11, 10), time(9, 0), QuietUntilTomorrow(time(11, 10), time(9, 0))),
    ]
    for quiet_from, quiet_until, expected in cases:
        person.preferences.quiet_from, person.preferences.quiet_until = quiet_from, quiet_until
        person.preferences.next_reminder_at = TUESDAY_0730
        result = await _snooze(db, delivery_id)
        assert result == expected, (quiet_from, quiet_until)
        if isinstance(result, Snoozed):
            assert result.quiet_from is not None and _in_berlin(result.quiet_from)
        at = expected.at if isinstance(expected, Snoozed) else TUESDAY_0730
        assert person.preferences.next_reminder_at == at


async def test_a_daily_reminder_sooner_than_the_snooze_serves(db: AsyncSession) -> None:
    """Even when quiet hours would have moved the snooze: the daily one comes as it is."""
    person, delivery_id = await _person_reminded_today(db)
    # Snoozed to Tuesday 10:00, inside quiet hours that would move it to 09:25; 07:30 is sooner.
    person.preferences.quiet_from, person.preferences.quiet_until = time(9, 30), time(10, 30)
    result = await _snooze(db, delivery_id, minutes=23 * 60)
    assert result == Snoozed(
        "seated_progression",
        DeliveryKind.DAILY,
        TUESDAY_0730.astimezone(BERLIN),
        Placement.AS_ASKED,
        None,
    )
    assert person.preferences.next_reminder_at == TUESDAY_0730


async def test_only_the_newest_reminder_of_today_answers(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person, today = await _person_reminded_today(db)
    older = await _reminded(db, person, TODAY_0730 - timedelta(minutes=30))
    other = await factories.subscriber(db, 2002)
    theirs = await _reminded(db, other, TODAY_0730 + timedelta(minutes=5))
    await db.commit()

    for delivery_id in (older, theirs, None, today + 100):
        assert await _snooze(db, delivery_id) is NotNow.EXPIRED, delivery_id
        result = await reminders.skip(db, USER, delivery_id, NOW, "UTC")
        assert result is NotNow.EXPIRED, delivery_id
    # Yesterday's reminder, still the newest, is over too.
    tomorrow = NOW + timedelta(days=1)
    assert await reminders.skip(db, USER, today, tomorrow, "UTC") is NotNow.EXPIRED
    await db.commit()
    assert await _next_reminder(session_factory, person.id) == TUESDAY_0730
    for delivery_id in (older, theirs, today):
        assert await _status(session_factory, delivery_id) is DeliveryStatus.SENT


async def test_nothing_is_owed_to_a_paused_person(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person, delivery_id = await _person_reminded_today(db)
    await life.pause(db, person, NOW)
    await db.commit()

    assert await _snooze(db, delivery_id) is NotNow.NOT_ACTIVE
    assert await reminders.skip(db, USER, delivery_id, NOW, "UTC") is NotNow.NOT_ACTIVE
    await db.commit()
    assert person.status is SubscriberStatus.PAUSED
    assert await _next_reminder(session_factory, person.id) is None
    assert await _status(session_factory, delivery_id) is DeliveryStatus.SENT


async def test_not_today_records_the_skip_and_drops_the_snooze(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person, delivery_id = await _person_reminded_today(db)
    assert isinstance(await _snooze(db, delivery_id), Snoozed)
    await db.commit()

    result = await reminders.skip(db, USER, delivery_id, NOW, "UTC")
    await db.commit()

    assert result == Skipped(
        "seated_progression", DeliveryKind.DAILY, date(2026, 11, 23), TUESDAY_0730, 0
    )
    assert isinstance(result, Skipped) and result.next_at is not None
    assert _in_berlin(result.next_at)
    assert await _status(session_factory, delivery_id) is DeliveryStatus.SKIPPED
    assert await _next_reminder(session_factory, person.id) == TUESDAY_0730
    # Tapped again: that reminder is answered already.
    assert await reminders.skip(db, USER, delivery_id, NOW, "UTC") is NotNow.EXPIRED


async def test_not_today_counts_the_skips_earlier_in_the_persons_week(db: AsyncSession) -> None:
    person = await factories.subscriber(db, USER)
    await life.preferences_changed(db, person, NOW)
    thursday = NOW + timedelta(days=3)
    skipped = DeliveryStatus.SKIPPED
    await _reminded(db, person, TODAY_0730 - timedelta(days=1), status=skipped)  # last week
    for days in (0, 1):
        await _reminded(db, person, TODAY_0730 + timedelta(days=days), status=skipped)
    await _reminded(db, person, TODAY_0730 + timedelta(days=2))  # Wednesday's, not skipped
    delivery_id = await _reminded(db, person, TODAY_0730 + timedelta(days=3))

    result = await reminders.skip(db, USER, delivery_id, thursday, "UTC")

    assert isinstance(result, Skipped)
    assert (result.today, result.skipped_before) == (date(2026, 11, 26), 2)
