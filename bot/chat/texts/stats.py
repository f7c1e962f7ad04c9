"""What /stats says: progress in plain words, and the words on the weekly chart."""

from __future__ import annotations

from datetime import date

from bot.domain.stats import GOAL_MAX_PER_WEEK, GOAL_MIN_PER_WEEK, GoalStatus, Stats, Trend
from bot.i18n import N_, _, dates, ngettext


def no_sessions_yet() -> str:
    return _(
        "📊 No sessions yet, so nothing to show.\nTap below (or send /now) to do your first one."
    )


def chart_title() -> str:
    return _("Sessions per week")


def chart_goal() -> str:
    return _("goal {low}–{high}").format(low=GOAL_MIN_PER_WEEK, high=GOAL_MAX_PER_WEEK)


def chart_week(monday: date) -> str:
    """A week's label under its bar: the day and month of its Monday ("24 Nov", "24. Nov.")."""
    return dates.short_date(monday)


_GOAL = {
    GoalStatus.WITHIN: N_("On target: the goal is {low}–{high}. 👏"),
    GoalStatus.ABOVE: N_("Above the goal of {low}–{high}: remember rest days help too."),
}
_TREND = {
    Trend.NOT_ENOUGH: N_("Rate your pain at the end of a few sessions to see a trend."),
    Trend.EASING: N_("Pain ratings are easing. 📉"),
    Trend.STEADY: N_("Pain ratings are steady."),
    Trend.RISING: N_(
        "Pain ratings are going up. Go gentler, and if it keeps rising, see a doctor "
        "or physiotherapist."
    ),
}


def _minutes(value: float) -> str:
    if value >= 1 or value == 0:
        return _("{minutes} min").format(minutes=f"{value:.0f}")
    return _("under a minute")


def _goal(stats: Stats) -> str:
    low, high = GOAL_MIN_PER_WEEK, GOAL_MAX_PER_WEEK
    if stats.goal_status is GoalStatus.BELOW:
        missing = GOAL_MIN_PER_WEEK - stats.sessions_this_week
        return ngettext(
            "{count} more to reach the goal of {low}–{high}.",
            "{count} more to reach the goal of {low}–{high}.",
            missing,
        ).format(count=missing, low=low, high=high)
    return _(_GOAL[stats.goal_status]).format(low=low, high=high)


def summary(stats: Stats) -> str:
    count, streak = stats.sessions_this_week, stats.streak_days
    lines = [
        _("📊 <b>Your stretching</b>"),
        "",
        ngettext("🔥 Streak: {count} day", "🔥 Streak: {count} days", streak).format(count=streak),
        ngettext("📅 This week: {count} session.", "📅 This week: {count} sessions.", count).format(
            count=count
        )
        + f" {_goal(stats)}",
        _("⏱ This month: {minutes} of stretching").format(
            minutes=_minutes(stats.minutes_this_month)
        ),
    ]
    ratings = " → ".join(str(r) for r in stats.ratings[-6:])
    trend = _(_TREND[stats.trend])
    if ratings:
        lines.append(_("🩹 Pain: {ratings}. {trend}").format(ratings=ratings, trend=trend))
    else:
        lines.append(f"🩹 {trend}")
    return "\n".join(lines)
