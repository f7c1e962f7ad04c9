"""The lateness forecast: how long a burst of reminders takes and how late its last one is."""

from __future__ import annotations

import pytest

from bot.domain.lateness import forecast


def test_a_burst_the_budget_carries_goes_each_in_its_own_second() -> None:
    result = forecast(due=1_200, spread=60, rate=30)  # 20 a second due, 30 a second free
    assert result.keeps_up and result.drain_seconds == 60 and result.reminder_rate == 30


def test_3000_due_in_a_minute_at_30_per_second_end_100_seconds_in() -> None:
    result = forecast(due=3_000, spread=60, rate=30)
    assert result.drain_seconds == pytest.approx(100.0)
    assert result.last_late_seconds == pytest.approx(40.0)


def test_people_taking_half_the_budget_double_the_drain() -> None:
    result = forecast(due=3_000, spread=60, rate=30, people_rate=15)
    assert result.reminder_rate == 15
    assert result.drain_seconds == pytest.approx(200.0)
    assert result.last_late_seconds == pytest.approx(140.0)


def test_paid_broadcasts_send_10000_at_once_in_ten_seconds() -> None:
    result = forecast(due=10_000, spread=0, rate=1_000)
    assert result.drain_seconds == pytest.approx(10.0)
    assert result.last_late_seconds == pytest.approx(10.0)
    assert forecast(due=10_000, spread=0, rate=30).last_late_seconds == pytest.approx(333.3, 0.01)


def test_nothing_due_is_never_late() -> None:
    assert forecast(due=0, spread=0, rate=30).keeps_up


@pytest.mark.parametrize(
    ("due", "spread", "rate", "people"),
    [(-1, 60, 30, 0), (10, -1, 30, 0), (10, 60, 0, 0), (10, 60, 30, -1), (10, 60, 30, 30)],
)
def test_rejects_nonsense(due: int, spread: float, rate: float, people: float) -> None:
    with pytest.raises(ValueError):
        forecast(due, spread, rate, people)
