"""One owner for a person's state: nothing in `bot/chat/` writes the life-cycle fields.

Status, pause and the next reminder are decided by `bot.domain.lifecycle` and written by
`bot.usecases.lifecycle` only; a handler that assigned them directly could slip past a hold
(as /start and finishing sign-up once did). Read from the source, so a new handler cannot.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OWNED = frozenset({"status", "pause_reason", "paused_until", "next_reminder_at"})


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    return []


def _flatten(target: ast.expr) -> list[ast.expr]:
    if isinstance(target, ast.Tuple | ast.List):
        return [leaf for item in target.elts for leaf in _flatten(item)]
    return [target]


def assignments_of_owned_fields(source: str, filename: str) -> list[str]:
    """`x.status = ...`, `setattr(x, "status", ...)` and `.values(status=...)` in `source`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        for target in _targets(node):
            for leaf in _flatten(target):
                if isinstance(leaf, ast.Attribute) and leaf.attr in OWNED:
                    found.append(f"{filename}:{node.lineno} assigns .{leaf.attr}")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "setattr" and len(node.args) >= 2:
                field = node.args[1]
                if isinstance(field, ast.Constant) and field.value in OWNED:
                    found.append(f"{filename}:{node.lineno} setattr {field.value}")
            if name in ("values", "update"):
                found += [
                    f"{filename}:{node.lineno} {name}({kw.arg}=...)"
                    for kw in node.keywords
                    if kw.arg in OWNED
                ]
    return found


def test_no_handler_writes_status_pause_or_next_reminder() -> None:
    offenders = [
        hit
        for path in sorted((ROOT / "bot" / "chat").rglob("*.py"))
        for hit in assignments_of_owned_fields(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "source",
    [
        "subscriber.status = 'active'",
        "person.preferences.next_reminder_at = None",
        "a.pause_reason, b = None, 1",
        "setattr(subscriber, 'paused_until', None)",
        "stmt = update(Preferences).values(next_reminder_at=None)",
    ],
)
def test_the_check_sees_each_way_of_writing(source: str) -> None:
    assert assignments_of_owned_fields(source, "x.py") != []


def test_reading_the_fields_is_fine() -> None:
    assert assignments_of_owned_fields("ok = subscriber.status == 'active'", "x.py") == []
