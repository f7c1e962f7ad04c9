"""The countdown of a running hold: when its message is redrawn and what the line shows."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import countdown
from bot.domain.countdown import BAR_CELLS, EMPTY, FILLED, Tick

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_a_30_second_hold_is_redrawn_every_5_seconds_and_once_in_its_last_5() -> None:
    assert countdown.marks(30) == (25, 20, 15, 10, 5)
    assert countdown.marks(20) == (15, 10, 5)


def test_no_redraw_right_after_the_start_nor_for_very_short_holds() -> None:
    assert countdown.marks(27) == (25, 20, 15, 10, 5)
    assert countdown.marks(26) == (20, 15, 10, 5)  # 25 would land 1 s after the start's edit
    assert countdown.marks(7) == (5,)
    assert countdown.marks(6) == ()
    assert countdown.marks(0) == ()


def test_the_schedule_comes_from_the_stored_start_and_end() -> None:
    ends = T0 + timedelta(seconds=30)
    assert countdown.schedule(30, T0, ends, T0) == tuple(
        Tick(left, 30.0 - left) for left in (25, 20, 15, 10, 5)
    )
    # After a restart 12 s in, only the redraws still to come, timed from now.
    later = countdown.schedule(30, T0, ends, T0 + timedelta(seconds=12))
    assert later == (Tick(15, 3.0), Tick(10, 8.0), Tick(5, 13.0))
    assert countdown.schedule(30, T0, ends, ends) == ()


def test_a_scaled_test_hold_ticks_in_proportion() -> None:
    """End-to-end tests run a 30 s hold in 3 real seconds: the redraws come every 0.5 s."""
    ends = T0 + timedelta(seconds=3)
    delays = [round(t.delay, 6) for t in countdown.schedule(30, T0, ends, T0)]
    assert delays == [0.5, 1.0, 1.5, 2.0, 2.5]


def test_seconds_left_rounds_up_and_never_leaves_the_hold() -> None:
    ends = T0 + timedelta(seconds=30)
    assert countdown.seconds_left(30, T0, ends, T0) == 30
    assert countdown.seconds_left(30, T0, ends, T0 + timedelta(seconds=0.5)) == 30
    assert countdown.seconds_left(30, T0, ends, T0 + timedelta(seconds=5)) == 25
    assert countdown.seconds_left(30, T0, ends, ends + timedelta(seconds=9)) == 0
    assert countdown.seconds_left(30, T0, ends, T0 - timedelta(seconds=9)) == 30


def test_the_bar_fills_as_the_hold_goes_on() -> None:
    assert countdown.bar(30, 30) == EMPTY * BAR_CELLS
    assert countdown.bar(15, 30) == FILLED * 5 + EMPTY * 5
    assert countdown.bar(5, 30) == FILLED * 8 + EMPTY * 2
    assert countdown.bar(0, 30) == FILLED * BAR_CELLS


@given(st.integers(min_value=1, max_value=600))
def test_every_redraw_shows_less_time_than_the_one_before(total: int) -> None:
    """So the text always changes: Telegram never answers "message is not modified"."""
    shown = (total, *countdown.marks(total))
    assert all(a > b for a, b in itertools.pairwise(shown))
    assert all(left % countdown.TICK_SECONDS == 0 and left > 0 for left in shown[1:])
    assert all(total - left >= countdown.MIN_GAP_SECONDS for left in shown[1:])
    assert countdown.marks(total)[-1:] in ((), (5,))  # the last 5 s are drawn once


@given(
    st.integers(min_value=1, max_value=600),
    st.floats(min_value=0.01, max_value=2.0),
    st.floats(min_value=0.0, max_value=1.2),
)
def test_redraws_to_come_are_in_order_at_least_5_s_apart_and_before_the_end(
    total: int, scale: float, into: float
) -> None:
    ends = T0 + timedelta(seconds=total * scale)
    now = T0 + timedelta(seconds=total * scale * into)
    ticks = countdown.schedule(total, T0, ends, now)
    assert all(t.delay > 0 for t in ticks)
    assert all(t.delay < (ends - now).total_seconds() for t in ticks)
    gaps = [b.delay - a.delay for a, b in itertools.pairwise(ticks)]
    assert all(gap >= countdown.TICK_SECONDS * scale * 0.999 for gap in gaps)
    all_marks = countdown.marks(total)
    assert tuple(t.left for t in ticks) == all_marks[len(all_marks) - len(ticks) :]
