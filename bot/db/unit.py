"""One database session per update, opened before the first handler and handed to it.

Every update used to take two connections from the pool: one for the language its texts are
rendered in (`bot.chat.instrumented`), one for the handler's unit of work, and the handler then
read the subscriber again. Now the update opens one session (`for_update`), the language read
loads the whole subscriber into it (`bot.db.subscribers.language_of`), and the handler's first
`Services.db()` block works in that same session and transaction, so its first look-up of the
person costs no statement at all.

The session belongs to the task that handles the update: a task started from it (a hold timer,
a non-blocking handler) inherits the context variable but not the session, and opens its own, as
"one `AsyncSession` per update or job tick, never shared between tasks" requires. A `db()` block
inside another one keeps its own session too, so an inner block still commits or rolls back
only its own work.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@dataclass
class _Held:
    task: asyncio.Task[object] | None
    session: AsyncSession
    busy: bool = False


_CURRENT: ContextVar[_Held | None] = ContextVar("stretchbot_update_session", default=None)


@asynccontextmanager
async def for_update(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """The update's session for the duration of the block; closed (what is left rolled back)
    at its end."""
    held = _Held(asyncio.current_task(), factory())
    token = _CURRENT.set(held)
    try:
        yield held.session
    finally:
        _CURRENT.reset(token)
        await held.session.close()


async def release_idle() -> None:
    """End the update's read-only transaction when no unit of work is using it, so its pooled
    connection goes back while the update waits on something else (a turn of the send budget).
    The objects read stay loaded (`expire_on_commit=False`); the next `unit_of_work` starts a
    new transaction on its first statement."""
    held = _CURRENT.get()
    if held is None or held.busy or held.task is not asyncio.current_task():
        return
    if held.session.in_transaction():
        await held.session.commit()


@asynccontextmanager
async def unit_of_work(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Commit when the block succeeds, roll back when it raises; in the update's own session
    when there is one free in this task, else in a new one."""
    held = _CURRENT.get()
    if held is None or held.busy or held.task is not asyncio.current_task():
        async with factory() as session, _committing(session):
            yield session
        return
    held.busy = True
    try:
        async with _committing(held.session):
            yield held.session
    finally:
        held.busy = False


@asynccontextmanager
async def _committing(session: AsyncSession) -> AsyncIterator[None]:
    try:
        yield
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
