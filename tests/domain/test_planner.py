"""The dispatcher's planner gives exactly `plan_day`'s answers, however often it is asked."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.planner import Planner, standing_key
from bot.domain.progression import GENTLE_ONLY, Standing, compile_rules
from bot.domain.routines import Preferences, plan_day
from tests.support.planning import SHIPPED, days, preferences, recents
from tests.support.planning import standings as any_standings

RULES = compile_rules(SHIPPED, (), ())
standings = any_standings()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(preferences, min_size=1, max_size=2),
    st.lists(st.tuples(st.integers(0, 1), days, recents, standings), min_size=1, max_size=12),
    st.integers(1, 5),
)
def test_the_planner_answers_as_plan_day_does(
    people: list[Preferences],
    questions: list[tuple[int, date, list[str], Standing]],
    memory: int,
) -> None:
    """Few preferences and many standings, so remembered answers are asked for again."""
    planner = Planner(SHIPPED, RULES, memory=memory)  # small memories start afresh often
    for which, day, recent, standing in [*questions, *questions]:
        prefs = people[which % len(people)]
        assert planner.plan(prefs, day, recent, standing) == plan_day(
            SHIPPED, prefs, day, recent, standing, RULES
        )


def test_equal_standings_share_a_key_and_every_field_counts() -> None:
    assert standing_key(Standing(comfortable_runs={"a": 1})) == standing_key(
        Standing(comfortable_runs={"a": 1})
    )
    differing = [
        Standing(open_gates=frozenset({"x"})),
        Standing(stepped_back=frozenset({"x"})),
        Standing(easier=frozenset({"x"})),
        Standing(uneasy_lately=frozenset({"x"})),
        Standing(comfortable_runs={"x": 5}),
        Standing(limits=frozenset({GENTLE_ONLY})),
    ]
    keys = {standing_key(s) for s in [Standing(), *differing]}
    assert len(keys) == len(differing) + 1


def test_stored_choices_are_read_once_and_leniently() -> None:
    planner = Planner(SHIPPED, RULES)
    first = planner.preferences(("hamstrings", "no_such_area"), "wizard", 0)
    assert first == Preferences.from_stored(("hamstrings", "no_such_area"), "wizard", 0)
    assert planner.preferences(("hamstrings", "no_such_area"), "wizard", 0) is first
