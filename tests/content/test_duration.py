"""Durations are computed from holds, sides and repetitions plus documented allowances."""

from __future__ import annotations

from bot.content.duration import (
    SETUP_SECONDS,
    SWITCH_SECONDS,
    plan_step,
    routine_duration_seconds,
)
from bot.content.models import Kind, Level, Position, Range, Routine, RoutineStep, Stretch


def _stretch(stretch_id: str, per_side: bool, kind: Kind = Kind.HOLD) -> Stretch:
    return Stretch(
        id=stretch_id,
        name=stretch_id,
        focus=("spine",),
        muscles=("spine",),
        position=Position.STANDING,
        per_side=per_side,
        kind=kind,
        hold=Range(min=5, default=30, max=120),
        repetitions=Range(min=1, default=2, max=9),
        steps=("Do it.",),
        cues=("Breathe.",),
        cautions=("Gently.",),
        level=Level.BEGINNER,
    )


STRETCHES = {
    "one_side": _stretch("one_side", per_side=False),
    "two_sides": _stretch("two_sides", per_side=True),
    "flowing": _stretch("flowing", per_side=True, kind=Kind.FLOW),
}


def test_defaults_come_from_the_stretch() -> None:
    plan = plan_step(RoutineStep(stretch="two_sides"), STRETCHES)
    assert (plan.hold_seconds, plan.repetitions, plan.sides) == (30, 2, 2)
    # 4 holds of 30 s, 3 changes between them, one setup.
    assert plan.seconds == SETUP_SECONDS + 4 * 30 + 3 * SWITCH_SECONDS


def test_overrides_win() -> None:
    plan = plan_step(RoutineStep(stretch="one_side", hold=60, repetitions=1), STRETCHES)
    assert plan.seconds == SETUP_SECONDS + 60


def test_flow_only_pauses_to_switch_sides() -> None:
    plan = plan_step(RoutineStep(stretch="flowing", hold=10, repetitions=9), STRETCHES)
    assert plan.seconds == SETUP_SECONDS + 2 * 9 * 10 + 1 * SWITCH_SECONDS


def test_routine_duration_is_the_sum_of_its_steps() -> None:
    routine = Routine(
        id="r",
        title="R",
        description="D",
        focus=("spine",),
        level=Level.BEGINNER,
        warm_up="Walk.",
        steps=(RoutineStep(stretch="one_side"), RoutineStep(stretch="two_sides", hold=20)),
    )
    expected = (SETUP_SECONDS + 2 * 30 + SWITCH_SECONDS) + (
        SETUP_SECONDS + 4 * 20 + 3 * SWITCH_SECONDS
    )
    assert routine_duration_seconds(routine, STRETCHES) == expected
