"""docs/safety.md cannot drift from the content or from the tests it names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.content.safety import Outcome, SafetyContent, load_safety
from bot.content.symptoms import load_symptoms

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "safety.md"
TIERS = {"urgent": Outcome.URGENT, "professional": Outcome.PROFESSIONAL}
CODE = re.compile(r"`([^`]+)`")


def _rows(marker: str = "table") -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split(f"<!-- {marker}: start -->")[1].split(f"<!-- {marker}: end -->")[0]
    lines = [line for line in table.strip().splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def _asking_rows() -> list[list[str]]:
    """When the screening (and the nerve-tension question) is asked, and how it is lifted."""
    return _rows("asking")


def _safety() -> SafetyContent:
    content, issues = load_safety(ROOT / "content" / "safety.yaml")
    assert content is not None, issues
    return content


def _tiers_in_content() -> dict[str, Outcome]:
    """Every reference the doc may use, with the outcome it leads to (red flags only)."""
    safety = _safety()
    found: dict[str, Outcome] = {}
    for question in safety.triage.questions:
        for answer in question.answers:
            if answer.outcome is not None and answer.outcome > Outcome.EASE_OFF:
                found[f"triage:{question.id}.{answer.id}"] = answer.outcome
    for item in safety.screening.questions:
        found[f"screening:{item.id}"] = item.if_yes
    for checkin in safety.checkin.answers:
        if checkin.outcome is not None and checkin.outcome > Outcome.EASE_OFF:
            found[f"checkin:{checkin.id}"] = checkin.outcome
    lexicon, issues = load_symptoms(ROOT / "content" / "symptoms.yaml")
    assert lexicon is not None, issues
    for flag in lexicon.flags:
        if flag.tier > Outcome.EASE_OFF:
            found[f"symptoms:{flag.id}"] = flag.tier
    return found


def test_the_table_has_rows() -> None:
    assert len(_rows()) >= 10
    assert len(_asking_rows()) >= 2


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row[0][:40])
def test_each_reference_exists_with_the_tier_written(row: list[str]) -> None:
    _, _, asked, tier, _ = row
    known = _tiers_in_content()
    refs = CODE.findall(asked)
    assert refs, "a row must name where it is asked"
    for ref in refs:
        assert ref in known, f"{ref} is not a red-flag answer in the content"
        assert known[ref] is TIERS[tier], f"{ref} leads to {known[ref].value}, not {tier}"


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


@pytest.mark.parametrize("row", [*_rows(), *_asking_rows()], ids=lambda row: row[0][:40])
def test_each_named_test_exists(row: list[str]) -> None:
    tests = CODE.findall(row[-1])
    assert tests, "a row must name the test that pins it"
    for name in tests:
        file, _, function = name.partition("::")
        path = ROOT / file
        assert path.is_file(), f"no test file {file}"
        assert function in _test_names(path), f"{file} has no {function}"


def test_every_red_flag_in_the_content_is_in_the_table() -> None:
    listed = {ref for row in _rows() for ref in CODE.findall(row[2])}
    missing = sorted(set(_tiers_in_content()) - listed)
    assert not missing, f"add these to docs/safety.md: {missing}"
