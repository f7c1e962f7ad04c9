"""YAML reading: file-level problems become one precise issue each."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.content.models import Routine
from bot.content.reading import format_path, read_yaml, validation_issues


def test_format_path() -> None:
    assert format_path(("routines", 3, "steps", 2, "stretch")) == "routines[3].steps[2].stretch"
    assert format_path(()) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "stretches.yaml: the file is empty"),
        ("# only a comment\n", "stretches.yaml: the file is empty"),
        ("a: 1\na: 2\n", "stretches.yaml: line 2, column 1: YAML syntax error: duplicate key 'a'"),
    ],
)
def test_file_level_issues(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "stretches.yaml"
    path.write_text(text, encoding="utf-8")
    data, issues = read_yaml(path)
    assert data is None
    assert [str(issue) for issue in issues] == [expected]


def test_refuses_python_tags(tmp_path: Path) -> None:
    path = tmp_path / "stretches.yaml"
    path.write_text("a: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    data, issues = read_yaml(path)
    assert data is None
    assert "YAML syntax error" in str(issues[0])


def test_empty_list_after_invalid_items_is_not_reported_twice() -> None:
    raw = {
        "id": "r",
        "title": "T",
        "description": "D",
        "focus": ["legs"],
        "level": "beginner",
        "warm_up": "W",
        "steps": [],
    }
    with pytest.raises(ValidationError) as caught:
        Routine.model_validate(raw)
    assert [str(i) for i in validation_issues("routines.yaml", ["routines", 0], caught.value)] == [
        "routines.yaml: routines[0].focus[0]: "
        "should be 'hamstrings', 'calves', 'hips_glutes', 'lower_back' or 'spine'",
        "routines.yaml: routines[0].steps: needs at least one item",
    ]
