"""Texts rendered in each language: plural forms, CLDR dates and names, translated parse errors."""

from __future__ import annotations

from datetime import date

import pytest

from bot import i18n
from bot.chat.texts import onboarding, stats
from bot.domain.parsing import InvalidTime, InvalidZone, parse_time, parse_zone
from bot.domain.stats import GoalStatus, Stats, Trend, WeekBar
from bot.i18n import dates


def _stats(streak: int, this_week: int, minutes: float) -> Stats:
    return Stats(
        streak_days=streak,
        sessions_this_week=this_week,
        goal_status=GoalStatus.BELOW if this_week < 3 else GoalStatus.WITHIN,
        minutes_this_month=minutes,
        ratings=(5, 4),
        trend=Trend.EASING,
        weeks=(WeekBar(date(2026, 11, 23), this_week, minutes),),
    )


@pytest.mark.parametrize(
    ("streak", "days"), [(1, "1 день"), (3, "3 дня"), (5, "5 дней"), (21, "21 день")]
)
def test_russian_stats_take_the_plural_form_of_each_number(streak: int, days: str) -> None:
    with i18n.using("ru"):
        text = stats.summary(_stats(streak, 2, 12))
    assert f"🔥 Серия: {days}" in text
    assert "📅 На этой неделе: 2 занятия." in text
    assert "⏱ В этом месяце: 12 мин растяжки" in text
    assert "🩹 Боль: 5 → 4. Боль уменьшается. 📉" in text


def test_english_stats_read_as_before() -> None:
    text = stats.summary(_stats(1, 1, 0.5))
    assert "🔥 Streak: 1 day" in text
    assert "📅 This week: 1 session. 2 more to reach the goal of 3–5." in text
    assert "⏱ This month: under a minute of stretching" in text


def test_dates_and_weekdays_come_from_cldr() -> None:
    day = date(2026, 11, 24)
    assert dates.date_label(day, "en") == "Tuesday 24 November"
    assert dates.date_label(day, "de") == "Dienstag, 24. November"
    assert dates.date_label(day, "es") == "martes, 24 de noviembre"
    assert dates.date_label(day, "ru") == "вторник, 24 ноября"
    assert dates.weekday_names("abbreviated", "de")[:2] == ("Mo", "Di")
    with i18n.using("es"):
        assert stats.chart_week(date(2026, 11, 23)) == "23 nov"
        assert onboarding.days_label(frozenset(range(5))) == "lun–vie"


def test_parse_errors_are_translated_and_filled_in_the_chat_layer() -> None:
    with pytest.raises(InvalidTime) as time_error:
        parse_time("7:61")
    with pytest.raises(InvalidZone) as zone_error:
        parse_zone("Atlantis")
    with i18n.using("es"):
        assert onboarding.unreadable(time_error.value) == (
            "No existe el minuto 61: los minutos van de 00 a 59."
        )
        assert "«Atlantis»" in onboarding.unreadable(zone_error.value)
    with i18n.using("ru"):
        assert onboarding.unreadable(zone_error.value).startswith("Я не знаю места «Atlantis»")


def test_typed_text_in_a_parse_error_is_escaped() -> None:
    with pytest.raises(InvalidZone) as caught:
        parse_zone("<b>Nowhere</b>")
    with i18n.using("de"):
        assert "„&lt;b&gt;Nowhere&lt;/b&gt;“" in onboarding.unreadable(caught.value)
