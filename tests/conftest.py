"""Shared fixtures: every database test runs on SQLite and on PostgreSQL, each on a clean schema.

PostgreSQL is `TEST_DATABASE_URL` or the local test server. Each test run creates a database of
its own there (and drops it after), so runs never see each other's rows. When PostgreSQL does not
answer, its tests skip on a laptop but fail in CI (`CI=true`): a green CI means it was exercised.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import Content
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import Base
from tests.support.content import shipped_content

pytest_plugins = ["tests.support.sandbox_plugin"]

POSTGRES_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = ("sqlite", "postgres")


async def _execute_autocommit(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this run's own on the PostgreSQL server; fail in CI if it does not answer."""
    name = f"stretchbot_test_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_execute_autocommit(POSTGRES_URL, f'CREATE DATABASE "{name}"'))
    except Exception as error:
        where = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        message = f"PostgreSQL at {where} does not answer: {type(error).__name__}: {error}"
        if IN_CI:
            pytest.fail(f"CI=true requires PostgreSQL. {message}", pytrace=False)
        pytest.skip(message)
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        asyncio.run(
            _execute_autocommit(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped content, one copy for the whole run (the models are frozen)."""
    return shipped_content()


@pytest.fixture
def empty_database_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A database with no tables at all (for migration tests)."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_drop_everything(url))
    yield url


@pytest.fixture
def empty_postgres_url(postgres_url: str) -> str:
    """The run's PostgreSQL database with no tables (other tests leave theirs behind)."""
    asyncio.run(_drop_everything(postgres_url))
    return postgres_url


async def _drop_everything(url: str) -> None:
    await _execute_autocommit(url, "DROP SCHEMA public CASCADE")
    await _execute_autocommit(url, "CREATE SCHEMA public")


@pytest.fixture
async def database_url(empty_database_url: str) -> AsyncIterator[str]:
    """A database with the current schema (built from the models, which migrations match)."""
    engine = create_engine(empty_database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    await engine.dispose()
    yield empty_database_url


@pytest.fixture
async def session_factory(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def db(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_backend = callspec is not None and callspec.params.get("backend") == "postgres"
        names = getattr(item, "fixturenames", ())
        if on_backend or "postgres_url" in names or "empty_postgres_url" in names:
            item.add_marker(pytest.mark.postgres)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many PostgreSQL tests ran, so a run that silently skipped them is visible."""
    counts = dict.fromkeys(("passed", "failed", "error", "skipped"), 0)
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if "postgres" in getattr(report, "keywords", {}):
                counts[outcome] += 1
    summary = ", ".join(f"{number} {outcome}" for outcome, number in counts.items())
    terminalreporter.write_line(f"PostgreSQL tests: {summary}")
