"""One session per update (`bot.db.unit`): the language read hands the person to the handler,
the handler's unit of work shares the update's transaction, and other tasks or nested blocks
keep sessions of their own."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import subscribers, unit
from bot.db.models import Subscriber


def _count_checkouts(factory: async_sessionmaker[AsyncSession]) -> list[int]:
    engine = factory.kw["bind"]
    counted = [0]

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _out(*_args: Any) -> None:
        counted[0] += 1

    return counted


async def test_an_update_takes_one_connection_and_reads_the_person_once(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit.unit_of_work(session_factory) as db:
        await subscribers.get_or_create(
            db, telegram_user_id=5, chat_id=50, first_name="A", language_code="de"
        )
    checkouts = _count_checkouts(session_factory)
    statements: list[str] = []
    engine = session_factory.kw["bind"]
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    async with unit.for_update(session_factory) as update_db:
        assert await subscribers.language_of(update_db, 5) == "de"
        async with unit.unit_of_work(session_factory) as db:
            assert db is update_db
            person = await subscribers.get_by_user_id(db, 5)
            assert person is not None and person.preferences is not None
            person.first_name = "B"
        async with unit.unit_of_work(session_factory) as db:
            again = await subscribers.get_by_user_id(db, 5)  # a new transaction: read again
            assert again is person
    assert checkouts[0] == 2  # the first block's transaction, then the second's
    assert sum("FROM subscribers" in s for s in statements) == 2
    async with session_factory() as fresh:
        assert (await fresh.scalar(select(Subscriber.first_name))) == "B"


async def test_a_new_person_is_not_looked_for_twice(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit.for_update(session_factory) as update_db:
        assert await subscribers.language_of(update_db, 9) is None
        async with unit.unit_of_work(session_factory) as db:
            _, created = await subscribers.get_or_create(
                db, telegram_user_id=9, chat_id=90, first_name="N", language_code="es"
            )
    assert created
    async with session_factory() as fresh:
        assert (await fresh.scalar(select(Subscriber.language_code))) == "es"


async def test_other_tasks_and_nested_blocks_keep_their_own_sessions(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit.for_update(session_factory) as update_db:

        async def in_a_task() -> AsyncSession:
            async with unit.unit_of_work(session_factory) as db:
                return db

        assert await asyncio.create_task(in_a_task()) is not update_db
        async with unit.unit_of_work(session_factory) as outer:
            assert outer is update_db
            async with unit.unit_of_work(session_factory) as inner:
                assert inner is not outer


async def test_a_failed_block_rolls_back_and_the_update_session_goes_on(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit.for_update(session_factory):
        try:
            async with unit.unit_of_work(session_factory) as db:
                await subscribers.get_or_create(
                    db, telegram_user_id=3, chat_id=30, first_name="X", language_code=None
                )
                raise RuntimeError("the handler failed")
        except RuntimeError:
            pass
        async with unit.unit_of_work(session_factory) as db:
            assert await subscribers.get_by_user_id(db, 3) is None


async def test_an_idle_update_gives_its_connection_back_and_reads_the_person_afresh(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """A handler that talks to Telegram before its first unit of work (the send may wait
    seconds for a budget turn) must not keep a pooled connection meanwhile."""
    async with unit.unit_of_work(session_factory) as db:
        await subscribers.get_or_create(
            db, telegram_user_id=7, chat_id=70, first_name="A", language_code="ru"
        )
    engine = session_factory.kw["bind"]
    returned = [0]

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _in(*_args: Any) -> None:
        returned[0] += 1

    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    async with unit.for_update(session_factory) as update_db:
        assert await subscribers.language_of(update_db, 7) == "ru"
        await unit.release_idle()
        assert returned[0] == 1 and not update_db.in_transaction()
        async with session_factory() as other:  # meanwhile, someone else changes the person
            person = await subscribers.get_by_user_id(other, 7)
            assert person is not None
            person.first_name = "Changed"
            await other.commit()
        async with unit.unit_of_work(session_factory) as db:
            assert db is update_db
            await unit.release_idle()  # inside a unit of work: nothing is given back
            assert db.in_transaction() or returned[0] == 2
            again = await subscribers.get_by_user_id(db, 7)
            assert again is not None and again.first_name == "Changed"
    assert sum("FROM subscribers" in s for s in statements) == 3  # language, other, afresh
