"""A routine as plain text, the way a person would read it: for authors previewing their YAML.

Plain text on purpose (no HTML): it is printed in a terminal by `stretchbot content show`.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.duration import StepPlan, plan_routine, routine_duration_seconds
from bot.content.models import Kind, Routine, Stretch


def format_minutes(seconds: int) -> str:
    """Round to what a person cares about: 'about 9 min' (or seconds when under a minute)."""
    if seconds < 60:
        return f"about {seconds} s"
    return f"about {round(seconds / 60)} min"


def dose(plan: StepPlan) -> str:
    """'each side: 2 × 30 s', '9 slow rounds of about 10 s', 'hold 60 s'."""
    if plan.stretch.kind is Kind.FLOW:
        text = f"{plan.repetitions} slow rounds of about {plan.hold_seconds} s"
    elif plan.repetitions == 1:
        text = f"hold {plan.hold_seconds} s"
    else:
        text = f"{plan.repetitions} × {plan.hold_seconds} s"
    return f"each side: {text}" if plan.sides == 2 else text


def render_routine(routine: Routine, stretches: Mapping[str, Stretch]) -> str:
    """Title, computed length, warm-up, then each stretch with its dose, cautions and warning."""
    focus = ", ".join(area.value.replace("_", " ") for area in routine.focus)
    length = format_minutes(routine_duration_seconds(routine, stretches))
    lines = [
        routine.title,
        f"{length} · {routine.level.value.capitalize()} · {focus}",
        routine.description,
        "",
        f"Warm-up: {routine.warm_up}",
        "",
    ]
    for number, plan in enumerate(plan_routine(routine, stretches), start=1):
        lines.append(f"{number}. {plan.stretch.name} — {dose(plan)}")
        if plan.note:
            lines.append(f"   Note: {plan.note}")
        if plan.stretch.warning:
            lines.append(f"   Warning: {plan.stretch.warning}")
        lines.extend(f"   Careful: {caution}" for caution in plan.stretch.cautions)
    return "\n".join(lines)
