"""Models: what a single stretch or routine must satisfy on its own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.content.models import FocusArea, Level, Range, Stretch


def test_range_contains_its_bounds_only() -> None:
    hold = Range(min=20, default=30, max=120)
    assert 20 in hold and 120 in hold and 30 in hold
    assert 19 not in hold and 121 not in hold and "30" not in hold


@pytest.mark.parametrize(("low", "default", "high"), [(40, 30, 60), (10, 70, 60), (0, 1, 2)])
def test_range_rejects_bad_bounds(low: int, default: int, high: int) -> None:
    with pytest.raises(ValidationError):
        Range(min=low, default=default, max=high)


def test_levels_are_ordered() -> None:
    assert [level.rank for level in Level] == [0, 1, 2]


def test_focus_ids_are_the_shared_ones() -> None:
    assert {area.value for area in FocusArea} == {
        "hamstrings",
        "calves",
        "hips_glutes",
        "lower_back",
        "spine",
    }
    assert not hasattr(FocusArea.HIPS_GLUTES, "label"), "names a person reads are translated"
    assert not hasattr(Level.ADVANCED, "label"), "names a person reads are translated"


def _stretch(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": "calf_wall",
        "name": "Wall calf stretch",
        "focus": ["calves"],
        "muscles": ["calves"],
        "position": "standing",
        "per_side": True,
        "hold": {"min": 20, "default": 30, "max": 30},
        "repetitions": {"min": 1, "default": 1, "max": 3},
        "steps": ["  Face a wall.  "],
        "cues": ["Heel down."],
        "cautions": ["Ease off."],
        "level": "beginner",
    }
    raw.update(changes)
    return raw


def test_texts_are_trimmed_and_stretch_is_frozen() -> None:
    stretch = Stretch.model_validate(_stretch())
    assert stretch.steps == ("Face a wall.",)
    with pytest.raises(ValidationError):
        stretch.name = "Other"  # type: ignore[misc]


def test_advanced_stretch_with_warning_is_fine() -> None:
    stretch = Stretch.model_validate(_stretch(level="advanced", warning="Go gently."))
    assert stretch.warning == "Go gently."


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "x" * 33), ("name", "n" * 61), ("steps", ["s" * 301]), ("cues", [])],
)
def test_phone_sized_limits(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Stretch.model_validate(_stretch(**{field: value}))
