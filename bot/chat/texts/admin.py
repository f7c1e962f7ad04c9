"""What operators read from /admin: counts only, never anything about one person."""

from __future__ import annotations

from html import escape

from bot.db.overview import DayOfReminders

STATUS_ORDER = ("active", "onboarding", "paused", "stopped", "blocked")
USAGE = (
    "Operator commands:\n"
    "/admin: subscribers, today's reminders, open holds, content version\n"
    "/admin content reload: check content/ and switch to it without a restart"
)


def _lateness(seconds: float | None) -> str:
    if seconds is None:
        return "no reminder sent yet"
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min"


def overview(
    by_status: dict[str, int],
    today: DayOfReminders,
    holds: int,
    version: str,
    routines: int,
    stretches: int,
) -> str:
    known = [status for status in STATUS_ORDER if status in by_status or status == "active"]
    others = sorted(set(by_status) - set(STATUS_ORDER))
    counts = ", ".join(f"{by_status.get(status, 0)} {status}" for status in (*known, *others))
    total = sum(by_status.values())
    return (
        "<b>Stretchbot, operator view</b>\n"
        f"Subscribers: {total} ({counts})\n"
        f"Reminders due today (UTC): {today.sent} sent, {today.failed} failed; "
        f"median lateness {_lateness(today.median_lateness_seconds)}\n"
        f"Open red-flag holds: {holds}\n"
        f"Content: version <code>{escape(version)}</code> "
        f"({routines} routines, {stretches} stretches)"
    )


def reloaded(old: str, new: str, routines: int, stretches: int) -> str:
    if old == new:
        return f"Content checked and reloaded; it had not changed (version <code>{new}</code>)."
    return (
        f"Content reloaded: version <code>{escape(old)}</code> is now <code>{escape(new)}</code> "
        f"({routines} routines, {stretches} stretches)."
    )


def refused(problems: str) -> str:
    return (
        "Content not reloaded: the folder has problems, so the current content stays live.\n"
        f"<pre>{escape(problems[:3500])}</pre>"
    )
