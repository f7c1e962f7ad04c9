"""Routine of the day: level, prerequisites, length, variety and determinism, as properties.

Run against the shipped library (what subscribers really get) and against generated libraries
(so the rules hold for whatever authors put in `content/`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.duration import routine_duration_seconds
from bot.content.loader import load_content
from bot.content.models import FocusArea, Level, Position, Range, Routine, RoutineStep, Stretch
from bot.domain.routines import (
    NoRoutineError,
    Preferences,
    candidates,
    fits_minutes,
    is_unlocked,
    pick_routine,
)

SHIPPED = load_content(Path(__file__).resolve().parents[2] / "content")
CHAIR_STAGES = [f"chair_hamstring_stage_{n}" for n in range(1, 6)]

focus_sets = st.frozensets(st.sampled_from(list(FocusArea)), max_size=3)
levels = st.sampled_from(list(Level))
minutes = st.sampled_from([5, 10, 15])
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
preferences = st.builds(Preferences, focus=focus_sets, level=levels, minutes=minutes)
completed = st.frozensets(st.sampled_from([*CHAIR_STAGES, "cat_cow", "low_lunge"]))
recents = st.lists(st.sampled_from(sorted(SHIPPED.routines)), max_size=8)


@given(prefs=preferences, day=days, recent=recents, done=completed)
def test_shipped_pick_respects_every_rule(
    prefs: Preferences, day: date, recent: list[str], done: frozenset[str]
) -> None:
    routine = pick_routine(SHIPPED, prefs, day, recent, done)
    assert routine.rotation
    assert routine.level.rank <= prefs.level.rank
    assert is_unlocked(routine, SHIPPED.stretches, done)
    assert not prefs.focus or prefs.focus & set(routine.focus)
    seconds = routine_duration_seconds(routine, SHIPPED.stretches)
    assert fits_minutes(seconds, prefs.minutes)
    assert 0.8 * prefs.minutes * 60 <= seconds <= 1.2 * prefs.minutes * 60
    assert pick_routine(SHIPPED, prefs, day, recent, done) == routine  # deterministic


@given(prefs=preferences, day=days, done=completed)
def test_consecutive_days_differ(prefs: Preferences, day: date, done: frozenset[str]) -> None:
    today = pick_routine(SHIPPED, prefs, day, (), done)
    # With history, and also without any (the date alone rotates).
    assert pick_routine(SHIPPED, prefs, day + timedelta(days=1), (today.id,), done) != today
    assert pick_routine(SHIPPED, prefs, day + timedelta(days=1), (), done) != today


@given(prefs=preferences, day=days)
def test_no_repeat_until_every_candidate_was_used(prefs: Preferences, day: date) -> None:
    pool = candidates(SHIPPED, prefs, frozenset())
    history: list[str] = []
    for offset in range(2 * len(pool)):
        routine = pick_routine(SHIPPED, prefs, day + timedelta(days=offset), history)
        history.insert(0, routine.id)
    first_round, second_round = history[len(pool) :], history[: len(pool)]
    assert sorted(first_round) == sorted(r.id for r in pool)
    assert sorted(second_round) == sorted(r.id for r in pool)


@given(day=days, level=levels)
def test_advanced_chair_stages_need_the_stage_before(day: date, level: Level) -> None:
    prefs = Preferences(focus=frozenset({FocusArea.HAMSTRINGS}), level=level, minutes=5)
    locked = {r.id for r in candidates(SHIPPED, prefs, frozenset())}
    assert not locked & {"seated_progression_chin", "seated_progression_slump"}
    unlocked = {r.id for r in candidates(SHIPPED, prefs, frozenset(CHAIR_STAGES[:4]))}
    has_both = {"seated_progression_chin", "seated_progression_slump"} <= unlocked
    assert has_both == (level is Level.ADVANCED)


def test_beginner_never_gets_intermediate_or_advanced() -> None:
    for area in FocusArea:
        for length in (5, 10, 15):
            prefs = Preferences(focus=frozenset({area}), level=Level.BEGINNER, minutes=length)
            pool = candidates(SHIPPED, prefs, frozenset(CHAIR_STAGES))
            assert {r.level for r in pool} == {Level.BEGINNER}


def test_preferences_need_positive_minutes() -> None:
    with pytest.raises(ValueError, match="minutes"):
        Preferences(focus=frozenset(), level=Level.BEGINNER, minutes=0)


# --- Generated libraries ------------------------------------------------------------------


def _stretch(
    stretch_id: str, area: FocusArea, level: Level, prerequisites: tuple[str, ...]
) -> Stretch:
    return Stretch(
        id=stretch_id,
        name=stretch_id,
        focus=(area,),
        muscles=("muscle",),
        position=Position.STANDING,
        per_side=area in (FocusArea.CALVES, FocusArea.HIPS_GLUTES),
        hold=Range(min=10, default=30, max=120),
        repetitions=Range(min=1, default=1, max=5),
        steps=("Do it.",),
        cues=("Breathe.",),
        cautions=("Gently.",),
        level=level,
        prerequisites=prerequisites,
        warning="Careful." if level is Level.ADVANCED else None,
    )


GENERATED_STRETCHES = {
    **{f"{a.value}_easy": _stretch(f"{a.value}_easy", a, Level.BEGINNER, ()) for a in FocusArea},
    **{f"{a.value}_mid": _stretch(f"{a.value}_mid", a, Level.INTERMEDIATE, ()) for a in FocusArea},
    "nerve_hard": _stretch(
        "nerve_hard", FocusArea.HAMSTRINGS, Level.ADVANCED, ("hamstrings_easy",)
    ),
}


@dataclass(frozen=True)
class _Library:
    stretches: dict[str, Stretch]
    routines: dict[str, Routine] = field(default_factory=dict)


@st.composite
def routines(draw: st.DrawFn, index: int) -> Routine:
    ids = draw(st.lists(st.sampled_from(sorted(GENERATED_STRETCHES)), min_size=1, max_size=8))
    steps = tuple(
        RoutineStep(
            stretch=stretch_id,
            hold=draw(st.sampled_from([10, 30, 60, 120])),
            repetitions=draw(st.integers(1, 5)),
        )
        for stretch_id in ids
    )
    chosen = [GENERATED_STRETCHES[i] for i in ids]
    top = max(s.level.rank for s in chosen)
    level = list(Level)[draw(st.integers(top, 2))]
    areas = tuple(dict.fromkeys(a for s in chosen for a in s.focus))
    return Routine(
        id=f"r{index}",
        title="T",
        description="D",
        focus=areas,
        level=level,
        warm_up="Walk.",
        steps=steps,
        rotation=draw(st.booleans()),
    )


@st.composite
def libraries(draw: st.DrawFn) -> _Library:
    count = draw(st.integers(1, 12))
    made = [draw(routines(i)) for i in range(count)]
    return _Library(GENERATED_STRETCHES, {r.id: r for r in made})


@settings(max_examples=150)
@given(
    library=libraries(),
    prefs=preferences,
    day=days,
    recent=st.lists(st.sampled_from([f"r{i}" for i in range(12)]), max_size=6),
    done=st.frozensets(st.sampled_from(sorted(GENERATED_STRETCHES))),
)
def test_generated_library_rules(
    library: _Library, prefs: Preferences, day: date, recent: list[str], done: frozenset[str]
) -> None:
    allowed = [
        r
        for r in library.routines.values()
        if r.rotation
        and r.level.rank <= prefs.level.rank
        and is_unlocked(r, library.stretches, done)
    ]
    if not allowed:
        with pytest.raises(NoRoutineError):
            pick_routine(library, prefs, day, recent, done)
        return
    routine = pick_routine(library, prefs, day, recent, done)
    assert routine in allowed
    focused = [r for r in allowed if not prefs.focus or prefs.focus & set(r.focus)]
    if focused:
        assert routine in focused
    fitting = [
        r
        for r in (focused or allowed)
        if fits_minutes(routine_duration_seconds(r, library.stretches), prefs.minutes)
    ]
    if fitting:
        assert routine in fitting
    pool = candidates(library, prefs, done)
    tomorrow = pick_routine(library, prefs, day + timedelta(days=1), [routine.id, *recent], done)
    assert (tomorrow != routine) == (len(pool) >= 2)
    assert pick_routine(library, prefs, day, recent, done) == routine
