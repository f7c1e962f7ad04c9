"""The direction of imports that DESIGN.md agrees on, read from the source itself.

Parallel work on many rooms is only safe while these arrows hold, so they are checked here rather
than remembered: the stand-in Telegram knows nothing of the bot, the domain knows nothing of
Telegram or the database, and only the demo inside the bot may start the stand-in.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def imports_under(folder: str) -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / folder).rglob("*.py")):
        for module in imported_modules(path):
            yield str(path.relative_to(ROOT)), module


def _is(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_stand_in_telegram_imports_nothing_of_the_bot() -> None:
    offenders = [(where, what) for where, what in imports_under("sandbox") if _is(what, "bot")]
    assert offenders == []


def test_the_stand_in_telegram_does_not_import_pytest() -> None:
    offenders = [(where, what) for where, what in imports_under("sandbox") if _is(what, "pytest")]
    assert offenders == []


def test_only_the_demo_starts_the_stand_in_telegram() -> None:
    offenders = [
        (where, what)
        for where, what in imports_under("bot")
        if _is(what, "sandbox") and not where.startswith("bot/demo/")
    ]
    assert offenders == []


@pytest.mark.parametrize("forbidden", ["telegram", "sqlalchemy", "bot.chat", "bot.db", "aiohttp"])
def test_the_domain_stays_pure(forbidden: str) -> None:
    offenders = [
        (where, what) for where, what in imports_under("bot/domain") if _is(what, forbidden)
    ]
    assert offenders == []


def test_nothing_but_the_entry_points_imports_the_telegram_side() -> None:
    allowed = ("bot/chat/", "bot/cli.py", "bot/boot.py", "bot/runner.py", "bot/demo/")
    offenders = [
        (where, what)
        for where, what in imports_under("bot")
        if _is(what, "bot.chat") and not where.startswith(allowed)
    ]
    assert offenders == []


@pytest.mark.parametrize("forbidden", ["telegram", "bot.chat", "aiohttp"])
def test_the_use_cases_know_nothing_of_telegram(forbidden: str) -> None:
    offenders = [
        (where, what) for where, what in imports_under("bot/usecases") if _is(what, forbidden)
    ]
    assert offenders == []
