"""The content we ship: it validates, has everything the articles describe, covers every
daily choice with variety, and is written in our own words."""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator

import pytest
import yaml

from bot.content.duration import routine_duration_seconds
from bot.content.loader import Content
from bot.content.models import FocusArea, Level
from bot.domain.routines import Preferences, candidates, fits_minutes

from .paths import REPO, SEEDS, SHIPPED

STRETCH_IDS = {
    "seated_forward_fold",
    "low_lunge",
    "figure_four_lying",
    "figure_four_seated",
    "childs_pose",
    "reclining_spinal_twist",
    "standing_forward_fold",
    "downward_dog",
    "standing_hamstring_raised_heel",
    "supine_hamstring_strap",
    "seated_single_leg_hamstring",
    "standing_calf_straight_knee",
    "standing_calf_bent_knee",
    "seated_calf_strap",
    "cat_cow",
    "knees_to_chest",
    "lying_knee_twist",
    "knee_drops",
    "prone_press_up",
    "glute_bridge",
    "cow_face_pose",
    "happy_baby",
    "supine_big_toe_hold",
    "half_lord_of_the_fishes",
    "standing_side_bend",
    *(f"chair_hamstring_stage_{n}" for n in range(1, 6)),
}
ARTICLE_ROUTINES = {
    "deep_stretch_legs_back",
    "hamstrings_for_back_pain",
    "back_stretches_for_beginners",
    "sore_back_of_legs",
    "seated_progression",
    "seated_progression_chin",
    "seated_progression_slump",
}


def test_every_described_stretch_and_routine_exists(content: Content) -> None:
    assert set(content.stretches) >= STRETCH_IDS
    assert set(content.routines) >= ARTICLE_ROUTINES


def test_chair_progression(content: Content) -> None:
    stages = [content.stretches[f"chair_hamstring_stage_{n}"] for n in range(1, 6)]
    assert all(stage.nerve_tension for stage in stages)
    assert [stage.level for stage in stages] == [Level.BEGINNER] * 3 + [Level.ADVANCED] * 2
    assert [stage.prerequisites for stage in stages] == [
        (),
        (),
        (),
        ("chair_hamstring_stage_3",),
        ("chair_hamstring_stage_4",),
    ]
    assert all(stage.warning for stage in stages[3:])


def test_article_facts_are_kept(content: Content) -> None:
    # The twelve beginner back stretches: 9 repetitions where the article gives them.
    twelve = content.routines["back_stretches_for_beginners"]
    assert len(twelve.steps) == 12
    assert {s.stretch: s.repetitions for s in twelve.steps}["knees_to_chest"] == 9
    # Sore legs: 2 holds a side of 20-30 s.
    sore = content.routines["sore_back_of_legs"]
    assert {s.repetitions for s in sore.steps if content.stretches[s.stretch].per_side} == {2}
    # Deep stretch: holds between 30 s and 2 min; the ranges keep both articles' values.
    assert all(30 <= (s.hold or 0) <= 120 for s in content.routines["deep_stretch_legs_back"].steps)
    assert content.stretches["seated_forward_fold"].hold.min == 20
    assert content.stretches["seated_forward_fold"].hold.max == 120


def test_every_focus_level_and_length_has_variety(content: Content) -> None:
    """Each daily choice has at least two fitting routines, so consecutive days can differ."""
    for area, level, minutes in itertools.product(FocusArea, Level, (5, 10, 15)):
        prefs = Preferences(focus=frozenset({area}), level=level, minutes=minutes)
        pool = candidates(content, prefs)
        assert len(pool) >= 2, (area, level, minutes)
        for routine in pool:
            assert area in routine.focus
            assert fits_minutes(routine_duration_seconds(routine, content.stretches), minutes)


def _texts(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles not available here")
def test_no_sentence_is_copied_from_the_articles() -> None:
    """No six words in a row taken from a source article (facts yes, sentences no)."""
    size = 6
    seen: set[tuple[str, ...]] = set()
    for article in SEEDS.glob("*.txt"):
        words = _words(article.read_text(encoding="utf-8", errors="ignore"))
        seen.update(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    copied = []
    for text in _everything_people_read():
        words = _words(text)
        if any(tuple(words[i : i + size]) in seen for i in range(len(words) - size + 1)):
            copied.append(text)
    assert copied == []


def _everything_people_read() -> Iterator[str]:
    """Every sentence the bot can show: the YAML content, every string literal in `bot/` and
    `sandbox/` (f-string parts included), and the demo page's own files."""
    for name in ("stretches.yaml", "routines.yaml", "safety.yaml", "symptoms.yaml"):
        yield from _texts(yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8")))
    for package in ("bot", "sandbox"):
        for path in sorted((REPO / package).rglob("*")):
            if path.suffix in {".html", ".js", ".css", ".md", ".txt"}:
                yield path.read_text(encoding="utf-8")
    for module in sorted([*(REPO / "bot").rglob("*.py"), *(REPO / "sandbox").rglob("*.py")]):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.value
