"""`content check` / `content show`: exit codes and what an author reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.commands import check, show


def test_check_shipped_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert check(None) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("content OK: ")
    assert out.endswith(" routines")


def test_check_prints_every_issue(
    case_dir: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(case_dir("duplicate_ids")) == 1
    assert capsys.readouterr().out.splitlines() == [
        "stretches.yaml: stretches[2].id: duplicate id 'cat_cow' (first at stretches[0])",
        "routines.yaml: routines[1].id: duplicate id 'easy_day' (first at routines[0])",
    ]


def test_show_reads_like_a_routine(capsys: pytest.CaptureFixture[str]) -> None:
    assert show("seated_progression_slump", None) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Chair hamstring stretch, all five stages"
    assert lines[1].startswith("about ") and "Advanced" in lines[1]
    assert any(line.startswith("Warm-up: ") for line in lines)
    assert "1. Chair progression, stage 1 – set up — hold 20 s" in lines
    assert "4. Chair progression, stage 4 – chin down — each side: hold 30 s" in lines
    assert sum(line.strip().startswith("Warning: ") for line in lines) == 2
    assert any(line.strip().startswith("Careful: ") for line in lines)


def test_show_repetitions_and_flow(capsys: pytest.CaptureFixture[str]) -> None:
    assert show("sore_back_of_legs", None) == 0
    out = capsys.readouterr().out
    assert "Wall calf stretch, straight knee — each side: 2 × 25 s" in out
    assert "Cat–cow — 6 slow rounds of about 10 s" in out


def test_show_unknown_routine(capsys: pytest.CaptureFixture[str]) -> None:
    assert show("sore_legs", None) == 1
    assert capsys.readouterr().out.strip() == (
        "unknown routine 'sore_legs' (did you mean: sore_back_of_legs?)"
    )


def test_show_on_broken_content_lists_issues(
    case_dir: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert show("easy_day", case_dir("unknown_stretch")) == 1
    assert "unknown stretch 'foo'" in capsys.readouterr().out
