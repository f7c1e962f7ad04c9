"""Alembic owns the schema: upgrade, downgrade and autogenerate agree with the models."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Integer, String, column, insert, inspect, select, table
from sqlalchemy.engine import Connection

from bot.db import migrate
from bot.db.engine import create_engine
from bot.db.models import Base, Subscriber
from bot.db.types import UTCDateTime

TABLES = {
    "subscribers",
    "preferences",
    "practice_sessions",
    "session_events",
    "pain_reports",
    "reminder_deliveries",
    "processed_updates",
    "alembic_version",
}


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()
    return set(names)


async def _differences(url: str) -> list[Any]:
    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def test_upgrade_from_empty_creates_every_table(empty_database_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    assert await _tables(empty_database_url) == TABLES


async def test_downgrade_to_base_and_upgrade_again(empty_database_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    await asyncio.to_thread(migrate.downgrade, empty_database_url, "base")
    assert await _tables(empty_database_url) <= {"alembic_version"}
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    assert await _tables(empty_database_url) == TABLES


async def test_models_and_migrations_agree(empty_database_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    assert await _differences(empty_database_url) == []


async def test_0006_backfills_last_screened_at_from_the_sign_up_answers(
    empty_database_url: str,
) -> None:
    """Whoever finished the sign-up screening answered it right after the safety note; those
    still at the note or half-way through the questions have not answered yet."""
    await asyncio.to_thread(migrate.upgrade, empty_database_url, "0005")
    acked = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)
    rows = [
        (1, "active", None, acked),  # signed up
        (2, "onboarding", "zone", acked),  # screening over, choosing a time zone
        (3, "onboarding", "screening", acked),  # half-way through the questions
        (4, "onboarding", "safety", None),  # not at the questions yet
        (5, "stopped", None, acked),
    ]
    at_0005 = table(
        "subscribers",
        *(column(name, Integer()) for name in ("id", "telegram_user_id", "chat_id")),
        *(column(name, String()) for name in ("status", "onboarding_step")),
        *(column(name, UTCDateTime()) for name in ("safety_acknowledged_at", "created_at")),
        column("updated_at", UTCDateTime()),
    )
    engine = create_engine(empty_database_url)
    try:
        async with engine.begin() as connection:
            for number, status, step, at in rows:
                await connection.execute(
                    insert(at_0005).values(
                        id=number,
                        telegram_user_id=number,
                        chat_id=number,
                        status=status,
                        onboarding_step=step,
                        safety_acknowledged_at=at,
                        created_at=acked,
                        updated_at=acked,
                    )
                )
    finally:
        await engine.dispose()
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                select(Subscriber.id, Subscriber.last_screened_at).order_by(Subscriber.id)
            )
            found = {number: at for number, at in result.all()}
    finally:
        await engine.dispose()
    assert found == {1: acked, 2: acked, 3: None, 4: None, 5: acked}
