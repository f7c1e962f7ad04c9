"""The weekly nudge: examples for each reason to stay silent, and properties over any week."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.kindness import week_of
from bot.domain.lifecycle import Status
from bot.domain.nudge import RED_FLAG_QUIET_DAYS, Nudge, Week, days_left, nudge_for
from bot.domain.stats import GOAL_MIN_PER_WEEK

BERLIN = ZoneInfo("Europe/Berlin")
ZONES = st.sampled_from(
    [BERLIN, ZoneInfo("Pacific/Auckland"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")]
)
INSTANTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
WEEKDAYS = st.frozensets(st.integers(min_value=0, max_value=6))
EVERY_DAY = frozenset(range(7))


def berlin(day: int, hour: int = 18) -> datetime:
    """December 2026 in Berlin (Monday is the 7th, Thursday the 10th)."""
    return datetime(2026, 12, day, hour, tzinfo=BERLIN).astimezone(UTC)


THURSDAY = berlin(10)
ONE_DONE = Week(THURSDAY, BERLIN, EVERY_DAY, sessions_done=(berlin(8),))


def test_thursday_behind_the_goal_brings_a_nudge_saying_how_far() -> None:
    assert nudge_for(ONE_DONE) == Nudge(done=1)
    assert Nudge(done=1).missing == 2


def test_no_nudge_before_thursday() -> None:
    assert nudge_for(replace(ONE_DONE, now=berlin(9))) is None


def test_no_nudge_when_the_goal_is_met() -> None:
    met = replace(ONE_DONE, sessions_done=(berlin(7), berlin(8), berlin(9)))
    assert nudge_for(met) is None


def test_last_weeks_sessions_do_not_count_for_this_week() -> None:
    last_week = (berlin(1), berlin(2), berlin(3), berlin(8))
    assert nudge_for(replace(ONE_DONE, sessions_done=last_week)) == Nudge(done=1)


def test_at_most_once_a_local_week() -> None:
    assert nudge_for(replace(ONE_DONE, now=berlin(11), last_nudged=THURSDAY)) is None
    # Sunday 23:30 in Berlin is still that week; the next Thursday may nudge again.
    assert nudge_for(replace(ONE_DONE, now=berlin(13, 23), last_nudged=THURSDAY)) is None
    next_week = replace(ONE_DONE, now=berlin(17), sessions_done=(), last_nudged=THURSDAY)
    assert nudge_for(next_week) == Nudge(done=0)


def test_never_in_the_week_of_a_red_flag_nor_two_weeks_after_it_even_once_lifted() -> None:
    assert nudge_for(replace(ONE_DONE, red_flags=(berlin(7, 9),))) is None
    assert nudge_for(replace(ONE_DONE, red_flags=(berlin(6),))) is None, "last Sunday's"
    fifteen_days_before = THURSDAY - timedelta(days=RED_FLAG_QUIET_DAYS, hours=1)
    assert nudge_for(replace(ONE_DONE, red_flags=(fifteen_days_before,))) == Nudge(done=1)


def test_never_while_held_paused_stopped_or_blocked() -> None:
    assert nudge_for(replace(ONE_DONE, held=True)) is None
    for status in (Status.PAUSED, Status.STOPPED, Status.BLOCKED, Status.ONBOARDING):
        assert nudge_for(replace(ONE_DONE, status=status)) is None


def test_no_nudge_toward_a_goal_out_of_reach_on_the_chosen_days() -> None:
    weekdays_only = frozenset(range(5))
    # Thursday, none done, Thursday and Friday left: two more cannot make three.
    assert nudge_for(Week(THURSDAY, BERLIN, weekdays_only)) is None
    assert nudge_for(replace(ONE_DONE, weekdays=weekdays_only)) == Nudge(done=1)


def test_a_session_done_today_takes_today_off_the_days_left() -> None:
    thursday_morning = berlin(10, 8)
    assert days_left(THURSDAY.date(), {3, 4}, done_today=False) == 2
    assert days_left(THURSDAY.date(), {3, 4}, done_today=True) == 1
    # Friday only left after today's session: 1 + 1 < 3.
    week = Week(THURSDAY, BERLIN, frozenset({3, 4}), sessions_done=(thursday_morning,))
    assert nudge_for(week) is None


def test_the_week_is_the_persons_local_week() -> None:
    # Thursday 00:30 in Auckland is still Wednesday in UTC: a nudge there, not in London.
    auckland = ZoneInfo("Pacific/Auckland")
    now = datetime(2026, 12, 10, 0, 30, tzinfo=auckland).astimezone(UTC)
    assert nudge_for(Week(now, auckland, EVERY_DAY)) == Nudge(done=0)
    assert nudge_for(Week(now, ZoneInfo("Europe/London"), EVERY_DAY)) is None


# --- Properties -----------------------------------------------------------------------------


@st.composite
def weeks(draw: st.DrawFn) -> Week:
    now = draw(INSTANTS)
    around = st.builds(lambda days: now - timedelta(hours=days), st.integers(0, 24 * 9))
    long_ago = st.builds(lambda days: now - timedelta(hours=days), st.integers(0, 24 * 30))
    return Week(
        now=now,
        zone=draw(ZONES),
        weekdays=draw(WEEKDAYS),
        sessions_done=tuple(draw(st.lists(around, max_size=6))),
        last_nudged=draw(st.none() | around),
        red_flags=tuple(draw(st.lists(long_ago, max_size=2))),
        status=draw(st.sampled_from(Status)),
        held=draw(st.booleans()),
    )


@given(weeks())
def test_never_while_not_remindable_never_after_a_red_flag_never_with_the_goal_met(
    week: Week,
) -> None:
    nudge = nudge_for(week)
    if nudge is None:
        return
    assert week.status is Status.ACTIVE and not week.held
    monday = week_of(week.now, week.zone)
    assert all(week_of(flag, week.zone) != monday for flag in week.red_flags)
    assert all(week.now - flag >= timedelta(days=RED_FLAG_QUIET_DAYS) for flag in week.red_flags)
    assert 0 <= nudge.done < GOAL_MIN_PER_WEEK
    assert nudge.done == sum(1 for s in week.sessions_done if week_of(s, week.zone) == monday)


@given(weeks(), st.lists(st.integers(min_value=1, max_value=24 * 14), max_size=20))
def test_at_most_once_a_local_week_over_a_run_of_reminders(week: Week, hours: list[int]) -> None:
    """Reminders at increasing instants, each recording the nudge it carried: at most one
    nudge per local week, whatever the days, zone and history."""
    last = None
    nudged_weeks: list[object] = []
    now = week.now
    for step in sorted(hours):
        moment = now + timedelta(hours=step)
        if nudge_for(replace(week, now=moment, last_nudged=last)) is not None:
            nudged_weeks.append(week_of(moment, week.zone))
            last = moment
    assert len(nudged_weeks) == len(set(nudged_weeks))
