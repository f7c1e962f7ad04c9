"""Every Prometheus metric of the bot, in one registry that `/metrics` serves.

One module, so an operator reading a dashboard and a developer adding a counter look in the same
place: define the metric here (name, help, labels), import it where the event happens. The
registry is our own, not prometheus-client's global one, so a library that registers metrics of
its own cannot leak into, or clash with, ours.

Counters only ever go up for the life of the process; tests read them before and after a flow and
compare the difference.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

# --- Updates from people ---------------------------------------------------------------------

UPDATES = Counter(
    "stretchbot_updates_total",
    "Updates from Telegram handled, by kind (message, command, callback_query, ...).",
    ["kind"],
    registry=REGISTRY,
)
HANDLER_SECONDS = Histogram(
    "stretchbot_handler_seconds",
    "Time from an update's arrival at the application to the end of its handlers.",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)

# --- Reminders -------------------------------------------------------------------------------

REMINDERS = Counter(
    "stretchbot_reminders_total",
    "Reminder deliveries by event: claimed, sent, failed, missed (too late), blocked.",
    ["event"],
    registry=REGISTRY,
)
REMINDER_EVENTS = ("claimed", "sent", "failed", "missed", "blocked")
for _event in REMINDER_EVENTS:  # every series exists from the start, at zero
    REMINDERS.labels(_event)
REMINDER_LATENESS_SECONDS = Histogram(
    "stretchbot_reminder_lateness_seconds",
    "How late a reminder was sent: sent_at minus due_at.",
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200),
    registry=REGISTRY,
)
DISPATCH_QUEUE_DEPTH = Gauge(
    "stretchbot_dispatch_queue_depth",
    "Claimed reminders waiting in the dispatcher's queue for a worker.",
    registry=REGISTRY,
)

# --- Telegram and the send budget ------------------------------------------------------------

TELEGRAM_429 = Counter(
    "stretchbot_telegram_429_total",
    "Flood-control answers (429 Too Many Requests) received from Telegram.",
    registry=REGISTRY,
)
RATE_LIMIT_WAIT_SECONDS = Histogram(
    "stretchbot_rate_limit_wait_seconds",
    "Time a send waited for the rate limiter before it went out.",
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
SEND_BUDGET_QUEUE_DEPTH = Gauge(
    "stretchbot_send_budget_queue_depth",
    "Sends waiting for a turn in the send budget (queued or waiting for their chat's turn).",
    registry=REGISTRY,
)
TELEGRAM_LAST_CONTACT = Gauge(
    "stretchbot_telegram_last_contact_timestamp_seconds",
    "Unix time of the last answer received from the Bot API (any HTTP status).",
    registry=REGISTRY,
)

# --- Safety and the database -----------------------------------------------------------------

OPEN_RED_FLAG_HOLDS = Gauge(
    "stretchbot_open_red_flag_holds",
    "People on a red-flag hold: open pain reports with outcome urgent or professional.",
    registry=REGISTRY,
)
DATABASE_UP = Gauge(
    "stretchbot_database_up",
    "1 while the database answers, 0 during an outage.",
    registry=REGISTRY,
)
DATABASE_UP.set(1)
DATABASE_OUTAGES = Counter(
    "stretchbot_database_outages_total",
    "Database outages seen (each counted once, when it starts).",
    registry=REGISTRY,
)
DATABASE_ERRORS = Counter(
    "stretchbot_database_errors_total",
    "Operations that failed because the database could not be reached.",
    registry=REGISTRY,
)

# Gauges that need a database query are refreshed just before each scrape, not on a timer.
Refresher = Callable[[], Awaitable[None]]
_REFRESHERS: list[Refresher] = []


def add_refresher(refresh: Refresher) -> None:
    """Run `refresh` before every scrape (e.g. to count open holds in the database)."""
    _REFRESHERS.append(refresh)


def remove_refresher(refresh: Refresher) -> None:
    if refresh in _REFRESHERS:
        _REFRESHERS.remove(refresh)


async def render() -> bytes:
    """The registry in Prometheus' text format, after refreshing the query-backed gauges.

    A refresher that fails (database down) leaves its gauge at the last value: the scrape itself
    must still answer, since it is how an operator sees the outage.
    """
    for refresh in list(_REFRESHERS):
        try:
            await refresh()
        except Exception:
            continue
    return generate_latest(REGISTRY)


def sample(name: str, labels: dict[str, str] | None = None) -> float:
    """The current value of one series (tests and `/admin`); 0.0 when it has no value yet."""
    value = REGISTRY.get_sample_value(name, labels or {})
    return 0.0 if value is None else value
