"""What operators read from /admin: counts only, never anything about one person.

In the operator's language like every other text (`_()` when rendered); subscriber statuses
keep their stored codes, which is what an operator looks up in the database and the logs.
"""

from __future__ import annotations

from html import escape

from bot.i18n import _
from bot.usecases.operator import DayOfReminders

STATUS_ORDER = ("active", "onboarding", "paused", "stopped", "blocked")


def usage() -> str:
    return _(
        "Operator commands:\n"
        "/admin: subscribers, today's reminders, open holds, content version\n"
        "/admin content reload: check content/ and switch to it without a restart"
    )


def _lateness(seconds: float | None) -> str:
    if seconds is None:
        return _("no reminder sent yet")
    if seconds < 120:
        return _("{seconds} s").format(seconds=f"{seconds:.1f}")
    return _("{minutes} min").format(minutes=f"{seconds / 60:.1f}")


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
    lines = (
        _("<b>Stretchbot, operator view</b>"),
        _("Subscribers: {total} ({counts})").format(total=total, counts=counts),
        _(
            "Reminders due today (UTC): {sent} sent, {failed} failed; median lateness {lateness}"
        ).format(
            sent=today.sent,
            failed=today.failed,
            lateness=_lateness(today.median_lateness_seconds),
        ),
        _("Open red-flag holds: {holds}").format(holds=holds),
        _(
            "Content: version <code>{version}</code> ({routines} routines, {stretches} stretches)"
        ).format(version=escape(version), routines=routines, stretches=stretches),
    )
    return "\n".join(lines)


def reloaded(old: str, new: str, routines: int, stretches: int) -> str:
    if old == new:
        return _(
            "Content checked and reloaded; it had not changed (version <code>{version}</code>)."
        ).format(version=escape(new))
    return _(
        "Content reloaded: version <code>{old}</code> is now <code>{new}</code> "
        "({routines} routines, {stretches} stretches)."
    ).format(old=escape(old), new=escape(new), routines=routines, stretches=stretches)


def refused(problems: str) -> str:
    lead = _("Content not reloaded: the folder has problems, so the current content stays live.")
    return f"{lead}\n<pre>{escape(problems[:3500])}</pre>"
