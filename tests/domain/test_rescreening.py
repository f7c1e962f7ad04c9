"""When the safety questions come back: 28 days away, 84 days since the last answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.rescreening import AWAY, EVERY, Why, due

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("days_since_answers", "expected"),
    [(0, None), (27, None), (28, Why.AWAY), (29, Why.AWAY)],
)
def test_back_after_four_weeks_without_a_session(
    days_since_answers: int, expected: Why | None
) -> None:
    assert due(T0 + days_since_answers * DAY, T0, None) is expected


@pytest.mark.parametrize(("days_away", "expected"), [(27, None), (28, Why.AWAY)])
def test_away_counts_from_the_latest_session(days_away: int, expected: Why | None) -> None:
    last_session = T0 + 10 * DAY
    assert due(last_session + days_away * DAY, T0, last_session) is expected


def test_a_minute_short_of_four_weeks_is_not_away() -> None:
    assert due(T0 + AWAY - timedelta(minutes=1), T0, None) is None


@pytest.mark.parametrize(("days", "expected"), [(83, None), (84, Why.ROUTINE), (85, Why.ROUTINE)])
def test_every_twelve_weeks_even_with_daily_sessions(days: int, expected: Why | None) -> None:
    now = T0 + days * DAY
    yesterday = now - DAY
    assert due(now, T0, yesterday) is expected


def test_never_answered_is_asked_before_a_first_session() -> None:
    assert due(T0, None, None) is Why.NEVER
    assert due(T0, None, T0 - DAY) is Why.NEVER


def test_a_session_before_the_answers_does_not_shorten_the_wait() -> None:
    assert due(T0 + 27 * DAY, T0, T0 - 60 * DAY) is None


instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))


@settings(max_examples=300, deadline=None)
@given(screened=instants, session=st.none() | instants, later=gaps, more=gaps)
def test_once_due_it_stays_due_until_answered(
    screened: datetime, session: datetime | None, later: timedelta, more: timedelta
) -> None:
    now = max(screened, session or screened) + later
    if due(now, screened, session) is not None:
        assert due(now + more, screened, session) is not None


@settings(max_examples=300, deadline=None)
@given(screened=instants, session=st.none() | instants, gap=gaps)
def test_never_within_four_weeks_of_answering_or_stretching(
    screened: datetime, session: datetime | None, gap: timedelta
) -> None:
    last = max(screened, session or screened)
    now = last + gap
    result = due(now, screened, session)
    if gap < AWAY and now - screened < EVERY:
        assert result is None
    if now - screened >= EVERY:
        assert result is Why.ROUTINE


@settings(max_examples=300, deadline=None)
@given(screened=instants, sessions=st.lists(gaps, max_size=30), gap=gaps)
def test_daily_use_is_asked_at_twelve_weeks_and_not_before(
    screened: datetime, sessions: list[timedelta], gap: timedelta
) -> None:
    """However the sessions fall, nobody goes more than 84 days without being asked, and
    answering now always makes it not due."""
    latest = max((screened + s for s in sessions), default=None)
    now = screened + gap
    session = latest if latest is not None and latest <= now else None
    if gap >= EVERY:
        assert due(now, screened, session) is not None
    assert due(now, now, session) is None
