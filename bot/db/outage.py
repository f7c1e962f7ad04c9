"""Tell a database outage from a bug, and report it once instead of once per failure.

When PostgreSQL goes away, every update and every dispatcher tick fails the same way. A traceback
for each (819 lines in 8 s, measured) buries the one fact an operator needs, so `DatabaseWatch`
logs one WARNING when the outage starts, counts the failures while it lasts, probes the database
every second, and logs one INFO with the count when it answers again. Whoever parked work
during the outage (updates to replay) registers a callback for that moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics

logger = logging.getLogger(__name__)

_CONNECTION_WORDS = (
    "connection refused",
    "connection reset",
    "connection was closed",
    "connection is closed",
    "connection lost",
    "server closed the connection",
    "could not connect",
    "cannot connect",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
)


def is_outage(error: BaseException) -> bool:
    """True when `error` (or what caused it) says the database cannot be reached.

    asyncpg raises OSError (refused), ConnectionDoesNotExistError (closed under us) or
    CannotConnectNowError; SQLAlchemy wraps some as InterfaceError or OperationalError, marks
    others `connection_invalidated`. A constraint violation or a bad query is not an outage.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError | ConnectionError | DisconnectionError | PoolTimeoutError):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, InterfaceError | OperationalError):
            message = str(current).lower()
            if any(words in message for words in _CONNECTION_WORDS) or isinstance(
                current, InterfaceError
            ):
                return True
        name = type(current).__name__
        if name in {
            "ConnectionDoesNotExistError",
            "CannotConnectNowError",
            "ConnectionFailureError",
            "InterfaceError",
            "PostgresConnectionError",
            "TooManyConnectionsError",
        }:
            return True
        current = current.__cause__ or current.__context__
    return False


Recovered = Callable[[], Awaitable[None]]


class DatabaseWatch:
    """One outage at a time: started by the first failure, ended by the first good probe."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        probe_every_seconds: float = 1.0,
        probe_timeout_seconds: float = 3.0,
    ) -> None:
        self._session_factory = session_factory
        self._probe_every = probe_every_seconds
        self._probe_timeout = probe_timeout_seconds
        self._since: float | None = None
        self._failures = 0
        self._probe: asyncio.Task[None] | None = None
        self._on_recovery: list[Recovered] = []

    @property
    def down(self) -> bool:
        return self._since is not None

    @property
    def failures(self) -> int:
        """Failures counted during the current outage (0 when the database answers)."""
        return self._failures

    def on_recovery(self, callback: Recovered) -> None:
        self._on_recovery.append(callback)

    def failed(self, where: str, error: BaseException) -> None:
        """Count one failure; the first of an outage logs a WARNING and starts the probe."""
        metrics.DATABASE_ERRORS.inc()
        self._failures += 1
        if self._since is not None:
            logger.debug("database still unreachable (%s, %d failures)", where, self._failures)
            return
        self._since = time.monotonic()
        metrics.DATABASE_UP.set(0)
        metrics.DATABASE_OUTAGES.inc()
        logger.warning(
            "database unreachable (%s: %s); answering people with an apology and retrying "
            "every %.0fs",
            where,
            type(error).__name__,
            self._probe_every,
        )
        with contextlib.suppress(RuntimeError):  # no running loop: nothing to probe from
            self._probe = asyncio.get_running_loop().create_task(
                self._probe_until_back(), name="stretchbot-db-probe"
            )

    async def check(self) -> bool:
        """One `SELECT 1` with a timeout: does the database answer right now?"""
        try:
            async with asyncio.timeout(self._probe_timeout), self._session_factory() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def _probe_until_back(self) -> None:
        while True:
            if await self.check():
                break
            await asyncio.sleep(self._probe_every)
        await self._recovered()

    async def _recovered(self) -> None:
        since, self._since = self._since, None
        failures, self._failures = self._failures, 0
        self._probe = None
        metrics.DATABASE_UP.set(1)
        lasted = time.monotonic() - since if since is not None else 0.0
        logger.info(
            "database reachable again after %.1fs; %d operations failed meanwhile",
            lasted,
            failures,
        )
        for callback in list(self._on_recovery):
            try:
                await callback()
            except Exception:
                logger.exception("work parked during the database outage could not resume")

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
