"""Routine of the day: level, gates, limits, length, variety and determinism, as properties.

Run against the shipped library (what subscribers really get) and against generated libraries
(so the rules hold for whatever authors put in `content/`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.duration import routine_duration_seconds
from bot.content.models import FocusArea, Level, Position, Range, Routine, RoutineStep, Stretch
from bot.domain.progression import (
    GENTLE_ONLY,
    NO_NERVE_TENSION,
    Standing,
    adapt,
    compile_rules,
    off_limits,
)
from bot.domain.routines import (
    NoRoutineError,
    Preferences,
    candidates,
    fits_minutes,
    pick_routine,
    plan_day,
    recent_of,
)
from tests.support.planning import (
    CHAIR_STAGES,
    SHIPPED,
    days,
    levels,
    preferences,
    recents,
    standings,
)

SHIPPED_RULES = compile_rules(SHIPPED, (), ())
completed = standings(with_history=False)


def allowed_in(stretch_id: str, standing: Standing) -> bool:
    stretch = SHIPPED.stretches[stretch_id]
    gated_shut = bool(stretch.prerequisites) and stretch_id not in standing.open_gates
    return not (
        gated_shut or stretch_id in standing.stepped_back or off_limits(stretch, standing.limits)
    )


@given(prefs=preferences, day=days, recent=recents, done=completed)
def test_shipped_pick_respects_every_rule(
    prefs: Preferences, day: date, recent: list[str], done: Standing
) -> None:
    routine = pick_routine(SHIPPED, prefs, day, recent, done)
    plan = plan_day(SHIPPED, prefs, day, recent, done)
    assert plan.routine_id == routine.id and plan.routine.steps
    assert routine.rotation
    assert routine.level.rank <= prefs.level.rank
    if GENTLE_ONLY in done.limits:
        assert routine.level is Level.BEGINNER
    assert all(allowed_in(step.stretch, done) for step in plan.routine.steps)
    assert not prefs.focus or prefs.focus & set(routine.focus)
    seconds = routine_duration_seconds(routine, SHIPPED.stretches)
    assert fits_minutes(seconds, prefs.minutes)
    assert 0.8 * prefs.minutes * 60 <= seconds <= 1.2 * prefs.minutes * 60
    assert pick_routine(SHIPPED, prefs, day, recent, done) == routine  # deterministic


@given(prefs=preferences, day=days, done=completed)
def test_consecutive_days_differ(prefs: Preferences, day: date, done: Standing) -> None:
    today = pick_routine(SHIPPED, prefs, day, (), done)
    # With history, and also without any (the date alone rotates).
    assert pick_routine(SHIPPED, prefs, day + timedelta(days=1), (today.id,), done) != today
    assert pick_routine(SHIPPED, prefs, day + timedelta(days=1), (), done) != today


@settings(deadline=None)  # walks a whole rotation per example: slow on a loaded 2-core machine
@given(prefs=preferences, day=days)
def test_no_repeat_until_every_candidate_was_used(prefs: Preferences, day: date) -> None:
    pool = candidates(SHIPPED, prefs)
    history: list[str] = []
    for offset in range(2 * len(pool)):
        routine = pick_routine(SHIPPED, prefs, day + timedelta(days=offset), history)
        history.insert(0, routine.id)
    first_round, second_round = history[len(pool) :], history[: len(pool)]
    assert sorted(first_round) == sorted(r.id for r in pool)
    assert sorted(second_round) == sorted(r.id for r in pool)


ADVANCED_CHAIR = {"seated_progression_chin", "seated_progression_slump"}


@given(level=levels)
def test_advanced_chair_routines_serve_the_earlier_stages_until_the_gate_opens(
    level: Level,
) -> None:
    prefs = Preferences(focus=frozenset({FocusArea.HAMSTRINGS}), level=level, minutes=5)
    pool = {r.id for r in candidates(SHIPPED, prefs)}
    assert (pool >= ADVANCED_CHAIR) == (level is Level.ADVANCED)
    for routine_id in ADVANCED_CHAIR:
        shut = adapt(SHIPPED.routines[routine_id], SHIPPED_RULES, Standing())
        assert shut.routine.stretch_ids == tuple(CHAIR_STAGES[:3])
        assert {s.original for s in shut.swaps} <= set(CHAIR_STAGES[3:])
    stage_4_open = Standing(open_gates=frozenset({CHAIR_STAGES[3]}))
    slump = adapt(SHIPPED.routines["seated_progression_slump"], SHIPPED_RULES, stage_4_open)
    assert slump.routine.stretch_ids == tuple(CHAIR_STAGES[:4]), "stage 5 waits for its own gate"


def test_no_nerve_tension_leaves_every_chair_routine_out() -> None:
    standing = Standing(limits=frozenset({NO_NERVE_TENSION}), open_gates=frozenset(CHAIR_STAGES))
    for level in Level:
        prefs = Preferences(focus=frozenset({FocusArea.HAMSTRINGS}), level=level, minutes=5)
        pool = candidates(SHIPPED, prefs, standing)
        assert pool
        assert not {r.id for r in pool} & {"seated_progression", *ADVANCED_CHAIR}


def test_beginner_never_gets_intermediate_or_advanced() -> None:
    everything_open = Standing(open_gates=frozenset(CHAIR_STAGES))
    for area in FocusArea:
        for length in (5, 10, 15):
            prefs = Preferences(focus=frozenset({area}), level=Level.BEGINNER, minutes=length)
            pool = candidates(SHIPPED, prefs, everything_open)
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
    done=st.builds(
        Standing,
        open_gates=st.frozensets(st.just("nerve_hard")),
        stepped_back=st.frozensets(st.sampled_from(sorted(GENERATED_STRETCHES))),
    ),
)
def test_generated_library_rules(
    library: _Library, prefs: Preferences, day: date, recent: list[str], done: Standing
) -> None:
    rules = compile_rules(library, (), ())
    allowed = [
        r
        for r in library.routines.values()
        if r.rotation and r.level.rank <= prefs.level.rank and adapt(r, rules, done).routine.steps
    ]
    if not allowed:
        with pytest.raises(NoRoutineError):
            pick_routine(library, prefs, day, recent, done)
        return
    routine = pick_routine(library, prefs, day, recent, done)
    assert routine in allowed
    for step in plan_day(library, prefs, day, recent, done).routine.steps:
        assert step.stretch not in done.stepped_back
        assert step.stretch != "nerve_hard" or "nerve_hard" in done.open_gates
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


def test_stored_choices_are_read_leniently() -> None:
    # The reminder and /now both read stored choices through this one rule.
    prefs = Preferences.from_stored(["calves", "retired_area"], "intermediate", 10)
    assert prefs == Preferences(frozenset({FocusArea.CALVES}), Level.INTERMEDIATE, 10)
    fallback = Preferences.from_stored([], "expert", 0)
    assert fallback == Preferences(frozenset(), Level.BEGINNER, 1)


def test_recent_routines_are_newest_first_each_once_and_few() -> None:
    assert recent_of(["c", "a", "c", "b", "a"]) == ("c", "a", "b")
    assert recent_of(["a", "b", "c", "d", "e", "f", "g"]) == ("a", "b", "c", "d", "e")
    assert recent_of([]) == ()
