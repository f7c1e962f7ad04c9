"""The direction of imports that DESIGN.md agrees on, read from the source itself.

Parallel work on many rooms is only safe while these arrows hold, so they are checked here rather
than remembered: the stand-in Telegram knows nothing of the bot; the domain knows nothing of
Telegram, the database or the floors above it; the use cases know nothing of Telegram; the
database knows nothing of the floors above it; only the demo inside the bot may start the
stand-in; and nothing the bot ships imports pytest.

A failure names each offending module and what it imports. `ALLOWED` is where a known break
would be written down, with its reason, until it is fixed; it is empty and should stay so.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Rule:
    """Modules under `folder` (minus `except_under`) import none of `forbidden`, bar the
    modules `unless` names inside it."""

    name: str
    folder: str
    forbidden: tuple[str, ...]
    except_under: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


RULES = [
    Rule(
        "the domain stays pure",
        "bot/domain",
        ("telegram", "sqlalchemy", "aiohttp", "bot.db", "bot.chat", "bot.usecases", "bot.net"),
    ),
    Rule(
        "the use cases know nothing of Telegram",
        "bot/usecases",
        ("telegram", "aiohttp", "bot.chat"),
    ),
    Rule("the database knows nothing of the floors above", "bot/db", ("bot.chat", "bot.usecases")),
    Rule(
        "only the demo starts the stand-in Telegram",
        "bot",
        ("sandbox",),
        except_under=("bot/demo/",),
    ),
    Rule("the bot does not import pytest", "bot", ("pytest",)),
    Rule(
        "nothing but the entry points imports the Telegram side",
        "bot",
        ("bot.chat",),
        except_under=("bot/chat/", "bot/cli.py", "bot/boot.py", "bot/runner.py", "bot/demo/"),
    ),
    Rule(
        "the chat reaches the database through the use cases",
        "bot/chat",
        ("bot.db",),
        # rows (and a claimed reminder) as types; the update's unit of work, its outage watch
        # and its replay log are the pipeline every update runs through, not a use case
        unless=(
            "bot.db.models",
            "bot.db.deliveries.Reminder",
            "bot.db.unit",
            "bot.db.outage",
            "bot.db.updates",
        ),
    ),
    Rule("the stand-in Telegram imports nothing of the bot", "sandbox", ("bot",)),
    Rule("the stand-in Telegram does not import pytest", "sandbox", ("pytest",)),
]

ALLOWED: dict[tuple[str, str], str] = {}
"""(module path, imported module) -> why it is allowed for now. Empty: every rule holds."""


def modules_in(source: str, path: Path) -> Iterator[str]:
    """Every module the source of `path` imports, relative imports resolved to absolute names
    (`from .. import chat` in bot/domain/x.py is bot.chat). A name imported from a module
    counts as that module's child (`from bot.db import pain` is bot.db.pain), so a rule can
    tell a package's modules apart; `bot.db.models.Subscriber` is still under bot.db.models."""
    package = list(path.relative_to(ROOT).parts[:-1])
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = [*base, node.module] if node.module else base
            yield from (".".join([*module, alias.name]) for alias in node.names)


def imported_modules(path: Path) -> Iterator[str]:
    return modules_in(path.read_text(encoding="utf-8"), path)


def imports_under(folder: str) -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / folder).rglob("*.py")):
        for module in imported_modules(path):
            yield path.relative_to(ROOT).as_posix(), module


def _is(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offenders_of(rule: Rule) -> list[str]:
    return [
        f"{where} imports {what}"
        for where, what in imports_under(rule.folder)
        if any(_is(what, forbidden) for forbidden in rule.forbidden)
        and not any(_is(what, allowed) for allowed in rule.unless)
        and not where.startswith(rule.except_under)
        and (where, what) not in ALLOWED
    ]


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_the_imports_run_one_way(rule: Rule) -> None:
    offenders = offenders_of(rule)
    assert not offenders, f"{rule.name}, but:\n" + "\n".join(offenders)


def test_the_check_sees_an_import_that_breaks_a_rule() -> None:
    """The rules above can fail: relative and absolute imports both count."""
    source = (
        "from ..chat import app\nimport sqlalchemy.orm\nfrom .. import net\nfrom . import flow\n"
        "from bot.db import pain, unit\n"
    )
    found = list(modules_in(source, ROOT / "bot" / "domain" / "x.py"))
    assert found == [
        "bot.chat.app",
        "sqlalchemy.orm",
        "bot.net",
        "bot.domain.flow",
        "bot.db.pain",
        "bot.db.unit",
    ]


def test_a_rule_can_allow_some_modules_of_a_package() -> None:
    """The chat may name rows and the update's pipeline, not the queries."""
    rule = next(rule for rule in RULES if rule.folder == "bot/chat")
    assert any(_is("bot.db.models.Subscriber", allowed) for allowed in rule.unless)
    assert not any(_is("bot.db.pain", allowed) for allowed in rule.unless)
