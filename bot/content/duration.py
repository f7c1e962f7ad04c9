"""How long a routine takes, computed from its steps so the YAML can never disagree with it.

Time counted for one step:

    SETUP_SECONDS                      getting into position and reading the card, once per step
    + sides x repetitions x hold       the holds themselves (`flow`: the repetitions)
    + SWITCH_SECONDS per change        releasing and switching side, or releasing and
                                       holding again; a `flow` stretch only pauses to switch side

The warm-up is not counted: it is a suggestion made before the routine starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.content.models import Kind, Routine, RoutineStep, Stretch

SETUP_SECONDS = 10
"""Allowance per step to get into the starting position."""

SWITCH_SECONDS = 5
"""Allowance between two holds of the same step (switch side, or release and go again)."""


@dataclass(frozen=True, slots=True)
class StepPlan:
    """A routine step with every default filled in: what the session actually runs."""

    stretch: Stretch
    hold_seconds: int
    repetitions: int
    """Holds per side (repetitions for `flow`)."""
    sides: int
    """2 for a stretch done on each side, else 1."""
    note: str | None

    @property
    def seconds(self) -> int:
        """Duration of this step including its setup and switching allowances."""
        holds = self.sides * self.repetitions
        changes = self.sides - 1 if self.stretch.kind is Kind.FLOW else holds - 1
        return SETUP_SECONDS + holds * self.hold_seconds + changes * SWITCH_SECONDS


def plan_step(step: RoutineStep, stretches: Mapping[str, Stretch]) -> StepPlan:
    """Resolve one step against the library; raises KeyError for an unknown stretch id."""
    stretch = stretches[step.stretch]
    return StepPlan(
        stretch=stretch,
        hold_seconds=step.hold if step.hold is not None else stretch.hold.default,
        repetitions=step.repetitions
        if step.repetitions is not None
        else stretch.repetitions.default,
        sides=2 if stretch.per_side else 1,
        note=step.note,
    )


def plan_routine(routine: Routine, stretches: Mapping[str, Stretch]) -> tuple[StepPlan, ...]:
    """Every step of a routine, resolved, in order."""
    return tuple(plan_step(step, stretches) for step in routine.steps)


def routine_duration_seconds(routine: Routine, stretches: Mapping[str, Stretch]) -> int:
    """Total length of a routine in seconds (see the module docstring for the allowances)."""
    return sum(plan.seconds for plan in plan_routine(routine, stretches))
