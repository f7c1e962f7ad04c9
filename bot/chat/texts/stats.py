"""What /stats says: progress in plain words, and a caption for the weekly chart."""

from __future__ import annotations

from bot.domain.stats import GOAL_MAX_PER_WEEK, GOAL_MIN_PER_WEEK, GoalStatus, Stats, Trend

NO_SESSIONS_YET = (
    "📊 No sessions yet, so nothing to show.\nTap below (or send /now) to do your first one."
)
CHART_TITLE = "Sessions per week"
CHART_GOAL = f"goal {GOAL_MIN_PER_WEEK}–{GOAL_MAX_PER_WEEK}"

_GOAL = {
    GoalStatus.BELOW: "{missing} more to reach the goal of {low}–{high}.",
    GoalStatus.WITHIN: "On target: the goal is {low}–{high}. 👏",
    GoalStatus.ABOVE: "Above the goal of {low}–{high}: remember rest days help too.",
}
_TREND = {
    Trend.NOT_ENOUGH: "Rate your pain at the end of a few sessions to see a trend.",
    Trend.EASING: "Pain ratings are easing. 📉",
    Trend.STEADY: "Pain ratings are steady.",
    Trend.RISING: "Pain ratings are going up. Go gentler, and if it keeps rising, see a doctor "
    "or physiotherapist.",
}


def _minutes(value: float) -> str:
    return f"{value:.0f} min" if value >= 1 or value == 0 else "under a minute"


def summary(stats: Stats) -> str:
    count = stats.sessions_this_week
    goal = _GOAL[stats.goal_status].format(
        missing=GOAL_MIN_PER_WEEK - count, low=GOAL_MIN_PER_WEEK, high=GOAL_MAX_PER_WEEK
    )
    lines = [
        "📊 <b>Your stretching</b>",
        "",
        f"🔥 Streak: {stats.streak_days} day{'s' if stats.streak_days != 1 else ''}",
        f"📅 This week: {count} session{'s' if count != 1 else ''}. {goal}",
        f"⏱ This month: {_minutes(stats.minutes_this_month)} of stretching",
    ]
    ratings = " → ".join(str(r) for r in stats.ratings[-6:])
    trend = _TREND[stats.trend]
    lines.append(f"🩹 Pain: {ratings}. {trend}" if ratings else f"🩹 {trend}")
    return "\n".join(lines)
