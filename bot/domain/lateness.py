"""How late reminders get when more fall due than the send budget can carry in time.

Reminders take the turns people leave (`bot.net.budget`): with `rate` turns a second and people
using `people_rate` of them, reminders go at `rate - people_rate`. N reminders due evenly over
`spread` seconds arrive at N / spread a second; while that is no more than what is left, each
goes out in its own second. Beyond it a queue builds up, the k-th (due at k·spread/N) goes at
k / (rate - people_rate), and the last is the latest: N / (rate - people_rate) - spread seconds
after its due time. Pure arithmetic, for the README, the benchmark and operators sizing a
broadcast (paid broadcasts raise `rate` to 1,000).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Forecast:
    """What `forecast` expects for one burst of reminders."""

    reminder_rate: float
    """Reminders a second: what people leave of the budget."""
    drain_seconds: float
    """From the first due second until the last reminder is sent."""
    last_late_seconds: float
    """How long after its due time the last reminder goes (0: each in its own second)."""

    @property
    def keeps_up(self) -> bool:
        return self.last_late_seconds == 0.0


def forecast(due: int, spread: float, rate: float, people_rate: float = 0.0) -> Forecast:
    """The drain time and the last reminder's lateness for `due` reminders due over `spread`
    seconds (0: all at once), with `rate` sends a second of which people take `people_rate`."""
    if due < 0 or spread < 0 or rate <= 0 or people_rate < 0:
        raise ValueError("counts, seconds and rates must not be negative; the rate positive")
    if people_rate >= rate:
        raise ValueError("people take the whole budget: reminders would never go")
    left = rate - people_rate
    queue_seconds = due / left
    late = max(0.0, queue_seconds - spread)
    return Forecast(left, max(spread, queue_seconds), late)
