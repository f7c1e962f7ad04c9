"""Onboarding decisions: step order, screening branches, button validity, choices, pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.models import FocusArea, Level
from bot.content.safety import Outcome
from bot.domain import onboarding as ob
from bot.domain.onboarding import DaysAdvice, DaysProblem, FocusProblem, Mode, Step

BERLIN = ZoneInfo("Europe/Berlin")


def test_the_plain_path_visits_every_choice_once_and_ends() -> None:
    path = []
    step: Step | None = ob.FIRST_STEP
    while step is not None:
        path.append(step)
        step = ob.step_after_screening(None) if step is Step.SCREENING else ob.next_step(step)
    assert path == [
        Step.SAFETY,
        Step.SCREENING,
        Step.ZONE,
        Step.TIME,
        Step.DAYS,
        Step.FOCUS,
        Step.LEVEL,
        Step.LENGTH,
    ]


def test_every_step_but_screening_has_a_plain_successor() -> None:
    for step in Step:
        if step is Step.SCREENING:
            with pytest.raises(ValueError):
                ob.next_step(step)
        else:
            assert ob.next_step(step) in {*Step, None}


@pytest.mark.parametrize(
    ("outcome", "step"),
    [(None, Step.ZONE), (Outcome.PROFESSIONAL, Step.PROFESSIONAL), (Outcome.URGENT, Step.URGENT)],
)
def test_screening_branches_on_its_outcome(outcome: Outcome | None, step: Step) -> None:
    assert ob.step_after_screening(outcome) is step


def test_flagged_people_join_the_plain_path_after_confirming() -> None:
    assert ob.next_step(Step.URGENT) is Step.ZONE
    assert ob.next_step(Step.PROFESSIONAL) is Step.ZONE
    assert ob.next_step(Step.LENGTH) is None


def test_parse_step_and_mode_refuse_unknown_values() -> None:
    assert ob.parse_step("days") is Step.DAYS
    assert ob.parse_step(None) is None
    assert ob.parse_step("") is None
    assert ob.parse_step("old_step") is None
    assert ob.parse_mode("o") is Mode.ONBOARDING
    assert ob.parse_mode("x") is None


def test_progress_counts_the_six_choices() -> None:
    assert ob.progress(Step.ZONE) == (1, 6)
    assert ob.progress(Step.LENGTH) == (6, 6)
    assert ob.progress(Step.SAFETY) == (0, 6)


class TestIsCurrent:
    def test_onboarding_buttons_need_their_own_step(self) -> None:
        def current(step: Step, stored: str | None, status: str = "onboarding") -> bool:
            return ob.is_current(
                Mode.ONBOARDING, step, status=status, onboarding_step=stored, awaiting_input=None
            )

        assert current(Step.DAYS, "days")
        assert not current(Step.TIME, "days")  # an older message
        assert not current(Step.DAYS, None)  # onboarding is over
        assert not current(Step.DAYS, "days", status="stopped")
        assert not current(Step.DAYS, "days", status="active")

    def test_settings_buttons_need_the_open_editor_and_a_subscription(self) -> None:
        def current(step: Step, awaiting: str | None, status: str = "active") -> bool:
            return ob.is_current(
                Mode.SETTINGS, step, status=status, onboarding_step=None, awaiting_input=awaiting
            )

        assert current(Step.TIME, "time")
        assert current(Step.TIME, "time", status="paused")
        assert not current(Step.TIME, None)  # the menu was reopened since
        assert not current(Step.TIME, "days")
        assert not current(Step.TIME, "time", status="stopped")
        assert not ob.is_current(
            Mode.SETTINGS, Step.TIME, status="active", onboarding_step="time", awaiting_input="time"
        )

    def test_an_unknown_mode_is_never_current(self) -> None:
        assert not ob.is_current(
            None, Step.TIME, status="onboarding", onboarding_step="time", awaiting_input="time"
        )


def test_screening_record_keeps_only_ids_and_round_trips() -> None:
    answers = {"bladder_bowel": False, "leg_numbness": True}
    record = ob.screening_record(answers, Outcome.PROFESSIONAL, finished=True, confirmed=True)
    assert record == {
        "answers": {"bladder_bowel": "no", "leg_numbness": "yes"},
        "outcome": "professional",
        "finished": True,
        "confirmed": True,
    }
    assert ob.screening_answers(record) == answers
    assert ob.screening_answers(None) == {}
    assert ob.screening_answers({"answers": "garbage"}) == {}
    assert ob.screening_answers({"answers": {"a": "maybe", "b": "yes"}}) == {"b": True}


def test_clock_args_round_trip_and_refuse_impossible_times() -> None:
    for suggested in ob.SUGGESTED_TIMES:
        assert ob.parse_clock_arg(ob.clock_arg(suggested)) == suggested
    for bad in ("2570", "0760", "730", "07:30", "abcd", ""):
        assert ob.parse_clock_arg(bad) is None


@given(st.frozensets(st.integers(0, 6)))
def test_day_masks_round_trip(days: frozenset[int]) -> None:
    assert ob.days_of(ob.mask_of(days)) == days


@given(st.integers(0, ob.ALL_DAYS_MASK), st.integers(0, 6))
def test_toggling_a_day_twice_changes_nothing(mask: int, day: int) -> None:
    once = ob.toggle_day(mask, day)
    assert (day in ob.days_of(once)) != (day in ob.days_of(mask))
    assert ob.toggle_day(once, day) == mask


def test_days_outside_the_week_are_refused() -> None:
    with pytest.raises(ValueError):
        ob.toggle_day(0, 7)
    with pytest.raises(ValueError):
        ob.mask_of([-1])


def test_a_week_needs_at_least_one_day_and_advice_follows_the_articles() -> None:
    assert ob.check_days(0) is DaysProblem.NONE_CHOSEN
    assert ob.check_days(ob.MONDAY_TO_FRIDAY_MASK) is None
    assert ob.days_advice(ob.mask_of([0, 2])) is DaysAdvice.FEW
    assert ob.days_advice(ob.mask_of([0, 2, 4])) is None
    assert ob.days_advice(ob.MONDAY_TO_FRIDAY_MASK) is None
    assert ob.days_advice(ob.mask_of(range(6))) is DaysAdvice.MANY
    assert ob.days_advice(0) is None


def test_focus_masks_keep_the_canonical_order() -> None:
    mask = ob.focus_mask(["spine", "hamstrings", "unknown"])
    assert ob.focus_areas(mask) == ["hamstrings", "spine"]
    assert ob.focus_areas(ob.toggle_focus(mask, 1)) == ["hamstrings", "calves", "spine"]
    assert ob.check_focus(0) is FocusProblem.NONE_CHOSEN
    assert ob.check_focus(mask) is None
    assert ob.focus_areas(ob.ALL_FOCUS_MASK) == [a.value for a in FocusArea]
    with pytest.raises(ValueError):
        ob.toggle_focus(0, len(FocusArea))


def test_masks_from_buttons_are_checked() -> None:
    assert ob.parse_mask("31", 7) == 31
    assert ob.parse_mask("128", 7) is None
    assert ob.parse_mask("-1", 7) is None
    assert ob.parse_mask("", 7) is None
    assert ob.parse_mask("99999", 7) is None


def test_level_and_length_accept_only_what_is_offered() -> None:
    assert ob.parse_level("intermediate") is Level.INTERMEDIATE
    assert ob.parse_level("expert") is None
    assert [ob.parse_minutes(str(m)) for m in (5, 10, 15)] == [5, 10, 15]
    assert ob.parse_minutes("20") is None
    assert ob.parse_minutes("ten") is None


def test_local_when_speaks_in_the_persons_zone() -> None:
    now = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # Monday 23:30 in Berlin
    tuesday = ob.local_when(datetime(2026, 11, 24, 6, 30, tzinfo=UTC), BERLIN, now)
    assert tuesday == ob.LocalWhen(date(2026, 11, 24), 1, "07:30", 1)
    later_today = ob.local_when(datetime(2026, 11, 23, 22, 45, tzinfo=UTC), BERLIN, now)
    assert later_today.days_ahead == 0 and later_today.clock == "23:45"
    assert ob.local_clock(now, BERLIN) == "23:30"
    with pytest.raises(ValueError):
        ob.local_when(datetime(2026, 11, 24, 6, 30), BERLIN, now)


def test_pause_choices_give_dates_or_none() -> None:
    today = date(2026, 11, 23)
    assert ob.pause_end("1w", today) == (True, date(2026, 11, 30))
    assert ob.pause_end("open", today) == (True, None)
    assert ob.pause_end("forever", today) == (False, None)


def test_a_dated_pause_ends_on_its_local_date() -> None:
    until = date(2026, 11, 26)
    evening_before = datetime(2026, 11, 25, 22, 59, tzinfo=UTC)  # 23:59 in Berlin
    assert not ob.pause_is_over(until, evening_before, BERLIN)
    assert ob.pause_is_over(until, evening_before + timedelta(minutes=1), BERLIN)
    assert not ob.pause_is_over(None, evening_before, BERLIN)


def test_the_first_day_back_is_searched_from_its_midnight() -> None:
    until = date(2026, 11, 26)
    checked_late = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)  # 01:30 in Berlin
    start = ob.resume_search_from(until, checked_late, BERLIN)
    assert start < datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    assert start > datetime(2026, 11, 25, 22, 59, tzinfo=UTC)
    days_later = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert ob.resume_search_from(until, days_later, BERLIN) == days_later


def test_a_prompt_is_open_only_while_it_is_the_awaited_one() -> None:
    assert ob.prompt_is_open(ob.Prompt.STOP, "stop")
    assert not ob.prompt_is_open(ob.Prompt.STOP, "delete")
    assert not ob.prompt_is_open(ob.Prompt.STOP, None)
