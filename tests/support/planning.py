"""Hypothesis strategies for routine planning over the shipped library, shared by the routine and
planner properties so both explore the same space of people and histories."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import strategies as st

from bot.content.loader import load_content
from bot.content.models import FocusArea, Level
from bot.domain.progression import GENTLE_ONLY, NO_NERVE_TENSION, Standing
from bot.domain.routines import Preferences

SHIPPED = load_content(Path(__file__).resolve().parents[2] / "content")
CHAIR_STAGES = [f"chair_hamstring_stage_{n}" for n in range(1, 6)]

levels = st.sampled_from(list(Level))
preferences = st.builds(
    Preferences,
    focus=st.frozensets(st.sampled_from(list(FocusArea)), max_size=3),
    level=levels,
    minutes=st.sampled_from([5, 10, 15]),
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
recents = st.lists(st.sampled_from(sorted(SHIPPED.routines)), max_size=8)
limit_sets = st.frozensets(st.sampled_from([NO_NERVE_TENSION, GENTLE_ONLY]))
some_stretches = st.frozensets(st.sampled_from([*CHAIR_STAGES, "cat_cow", "seated_forward_fold"]))


def standings(*, with_history: bool = True) -> st.SearchStrategy[Standing]:
    """Gates, step-backs, swaps, limits; `with_history` adds recent unease and comfortable runs."""
    history: dict[str, st.SearchStrategy[object]] = {}
    if with_history:
        history = {
            "uneasy_lately": some_stretches,
            "comfortable_runs": st.dictionaries(
                st.sampled_from(sorted(SHIPPED.routines)), st.integers(0, 9)
            ),
        }
    return st.builds(
        Standing,
        open_gates=st.frozensets(st.sampled_from(CHAIR_STAGES[3:])),
        stepped_back=some_stretches,
        easier=some_stretches,
        limits=limit_sets,
        **history,
    )
