"""The demo clock: real time plus a jump forward, never backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.demo import DemoClock

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def test_it_follows_its_source_until_it_jumps() -> None:
    source = [NOW]
    clock = DemoClock(lambda: source[0])
    assert clock() == NOW
    source[0] = NOW + timedelta(minutes=5)
    assert clock() == NOW + timedelta(minutes=5)
    assert clock.ahead == timedelta(0)


def test_advancing_jumps_forward_and_time_keeps_flowing() -> None:
    source = [NOW]
    clock = DemoClock(lambda: source[0])
    target = NOW + timedelta(hours=25, minutes=30)
    assert clock.advance_to(target) == timedelta(hours=25, minutes=30)
    assert clock() == target
    source[0] = NOW + timedelta(minutes=1)
    assert clock() == target + timedelta(minutes=1)


def test_it_never_goes_back() -> None:
    clock = DemoClock(lambda: NOW)
    assert clock.advance_to(NOW - timedelta(hours=3)) == timedelta(0)
    assert clock.advance_to(NOW) == timedelta(0)
    assert clock() == NOW


def test_it_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="aware"):
        DemoClock(lambda: NOW).advance_to(datetime(2026, 11, 24, 8, 0))


def test_by_default_it_is_real_time() -> None:
    before = datetime.now(UTC)
    now = DemoClock()()
    assert before <= now <= datetime.now(UTC)
    assert now.tzinfo is not None
