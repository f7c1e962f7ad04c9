"""A German reader never sees an English focus area or level name: in /settings, the onboarding
summary, a routine's card and /export (the places that name them)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat import export_view
from bot.chat.texts import onboarding as choice_texts
from bot.chat.texts import session as session_texts
from bot.chat.texts import settings as settings_texts
from bot.content.duration import plan_routine
from bot.content.loader import Content
from bot.content.models import FocusArea, Level
from bot.i18n import using
from bot.i18n.content import localized

ENGLISH = {
    *(choice_texts.focus_name(area) for area in FocusArea),
    *(choice_texts.level_name(level) for level in Level),
}
"""Rendered outside any `using`: the English names."""
ALL_AREAS = [area.value for area in FocusArea]


def _english_in(text: str) -> list[str]:
    return sorted(name for name in ENGLISH if name in text)


def test_the_names_are_english_outside_a_reader() -> None:
    assert {"Hamstrings", "Hips & glutes", "Beginner", "Advanced"} <= ENGLISH


@pytest.mark.parametrize("level", list(Level))
def test_settings_and_the_summary_name_focus_and_level_in_german(level: Level) -> None:
    with using("de"):
        focus = choice_texts.focus_label(ALL_AREAS)
        menu = settings_texts.menu("Berlin", "07:30", "Mo–Fr", focus, level, 10, "")
        summary = choice_texts.summary("heute", "Mo–Fr", focus, level, 10)
    for text in (menu, summary):
        assert _english_in(text) == [], text
        assert choice_texts.focus_label(ALL_AREAS) not in text


def test_a_routine_card_names_its_focus_in_german(content: Content) -> None:
    for routine in content.routines.values():
        with using("de"):
            shown = localized(routine)
            plans = plan_routine(shown, content.stretches)
            card = session_texts.card(shown, 600, plans, None)
        english = [choice_texts.focus_name(area) for area in routine.focus]
        assert not [name for name in english if name in card], card


def test_an_export_names_focus_and_level_in_german(content: Content) -> None:
    rows = {
        "subscriber": {
            "id": 1,
            "telegram_user_id": 1,
            "chat_id": 1,
            "first_name": "Lena",
            "language_code": "de",
            "timezone": "Europe/Berlin",
            "status": "active",
            "pause_reason": None,
            "paused_until": None,
            "onboarding_step": None,
            "awaiting_input": None,
            "safety_acknowledged_at": None,
            "screening": None,
            "last_screened_at": None,
            "nerve_check": None,
            "created_at": datetime(2026, 11, 24, tzinfo=UTC),
            "updated_at": datetime(2026, 11, 24, tzinfo=UTC),
        },
        "preferences": {
            "reminder_time": None,
            "weekdays": None,
            "focus_areas": ALL_AREAS,
            "level": "intermediate",
            "session_minutes": 10,
            "next_reminder_at": None,
        },
        "session_events": [],
        "practice_sessions": [],
        "pain_reports": [],
        "reminder_deliveries": [],
    }
    with using("de"):
        data = export_view.readable(rows, content, UTC, datetime(2026, 11, 24, tzinfo=UTC))
    settings = data["settings"]
    assert _english_in(" ".join([*settings["focus_areas"], settings["level"]])) == []
    with using("de"):
        assert settings["level"] == choice_texts.level_name(Level.INTERMEDIATE)
