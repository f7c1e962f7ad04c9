"""The screens the chat shows, built from rows without a database or Telegram: what each one
says and which buttons sit under it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from html import escape
from typing import Any

import pytest

from bot.chat.codec import CallbackCodec
from bot.chat.keyboards import onboarding as onboarding_kb
from bot.chat.keyboards import pain as pain_kb
from bot.chat.keyboards import rescreening as rescreening_kb
from bot.chat.keyboards import settings as settings_kb
from bot.chat.services import Services
from bot.chat.texts import settings as settings_texts
from bot.chat.views import onboarding as views
from bot.chat.views import rescreening as rescreening_views
from bot.chat.views import settings as settings_views
from bot.chat.views.pain import triage_question_screen
from bot.config import Settings
from bot.db.models import PainReport, Preferences, Subscriber, SubscriberStatus
from bot.domain.onboarding import Mode, Prompt, Step, progress
from bot.domain.rescreening import Why
from tests.chat.markup import USER, actions, read
from tests.support.clock import TestClock
from tests.support.content import shipped_content

CONTENT = shipped_content()
TOKEN = "123456:test-token"
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # Tuesday, 07:00 in Berlin


@pytest.fixture
def services() -> Services:
    settings = Settings(telegram_bot_token=TOKEN, database_url="sqlite+aiosqlite://")
    session_factory: Any = None  # views never touch the database
    return Services(settings, CONTENT, session_factory, CallbackCodec(TOKEN), TestClock(NOW))


def person(**changes: Any) -> Subscriber:
    """A signed-up person in Berlin, reminded 07:30 on weekdays, as rows not yet stored."""
    preferences = Preferences(
        reminder_time=time(7, 30),
        weekdays=0b0011111,
        focus_areas=["hamstrings"],
        level="beginner",
        session_minutes=10,
        next_reminder_at=datetime(2026, 11, 24, 6, 30, tzinfo=UTC),
        quiet=False,
    )
    fields: dict[str, Any] = {
        "telegram_user_id": USER,
        "chat_id": USER,
        "first_name": "Alex",
        "timezone": "Europe/Berlin",
        "status": SubscriberStatus.ACTIVE,
        "screening": None,
        "paused_until": None,
        "preferences": preferences,
    }
    return Subscriber(**(fields | changes))


# --- onboarding -----------------------------------------------------------------------------


def test_the_welcome_greets_by_name_and_asks_to_acknowledge(services: Services) -> None:
    screen = views.step_screen(services, person(), Step.SAFETY)
    assert "Alex" in screen.text
    assert actions(screen.markup) == [[onboarding_kb.SAFETY_OK]]


def test_the_urgent_step_offers_the_lifting_of_its_flag(services: Services) -> None:
    screen = views.step_screen(services, person(), Step.URGENT, flag=12)
    assert read(screen.markup)[0][0][1:] == (pain_kb.CHECKED, ("12",))
    without = views.step_screen(services, person(), Step.URGENT)
    assert actions(without.markup) == [[onboarding_kb.URGENT]]


def test_the_professional_step_waits_or_lifts(services: Services) -> None:
    screen = views.step_screen(services, person(), Step.PROFESSIONAL, flag=3)
    assert actions(screen.markup) == [[pain_kb.CHECKED], [onboarding_kb.PROFESSIONAL]]


def test_screening_asks_the_first_unanswered_question(services: Services) -> None:
    questions = CONTENT.safety.screening.questions
    first = views.screening_screen(services, person())
    assert read(first.markup)[0][0][2] == (questions[0].id, "y")
    answered = {"answers": {questions[0].id: "no"}}
    second = views.screening_screen(services, person(screening=answered))
    assert read(second.markup)[0][0][2] == (questions[1].id, "y")
    assert f"2/{len(questions)}" in second.text or str(len(questions)) in second.text


@pytest.mark.parametrize("step", [Step.ZONE, Step.TIME, Step.DAYS, Step.FOCUS, Step.LEVEL])
def test_a_picker_in_onboarding_says_which_step_it_is(services: Services, step: Step) -> None:
    number, total = progress(step)
    screen = views.picker_screen(services, person(), step, Mode.ONBOARDING)
    assert f"{number} of {total}" in screen.text
    assert settings_kb.MENU not in actions(screen.markup)[-1]


def test_a_picker_from_settings_has_no_step_number_and_goes_back(services: Services) -> None:
    screen = views.picker_screen(services, person(), Step.LENGTH, Mode.SETTINGS)
    assert " of " not in screen.text.split("\n")[0]
    assert actions(screen.markup)[-1] == [settings_kb.MENU]


def test_the_days_picker_shows_the_choice_in_progress(services: Services) -> None:
    screen = views.picker_screen(services, person(), Step.DAYS, Mode.SETTINGS, mask=0b1000000)
    assert read(screen.markup)[2][0][2] == ("s", str(0b1000000))


def test_the_zone_confirmation_names_the_zone_and_its_clock(services: Services) -> None:
    text = views.zone_confirmation(services, "Europe/Berlin")
    assert "Europe/Berlin" in text and "07:00" in text
    with pytest.raises(ValueError, match="not a stored zone key"):
        views.zone_confirmation(services, "Mars/Olympus")


def test_the_next_reminder_reads_as_the_persons_local_time(services: Services) -> None:
    label = views.next_reminder_label(services, person())
    assert label is not None and "07:30" in label and "Europe/Berlin" in label
    none_due = person()
    none_due.preferences.next_reminder_at = None
    assert views.next_reminder_label(services, none_due) is None
    assert views.next_reminder_label(services, person(timezone=None)) is None


def test_the_summary_starts_a_session_or_opens_settings(services: Services) -> None:
    screen = views.summary_screen(services, person())
    assert "07:30" in screen.text
    assert actions(screen.markup) == [[onboarding_kb.NOW], [settings_kb.MENU]]


# --- settings -------------------------------------------------------------------------------


def test_a_red_flag_outranks_any_pause_in_the_status(services: Services) -> None:
    paused = person(status=SubscriberStatus.PAUSED)
    assert settings_views.status_line(services, paused, held=True) == (
        settings_texts.paused_red_flag()
    )


def test_the_status_says_how_long_a_pause_lasts(services: Services) -> None:
    open_ended = person(status=SubscriberStatus.PAUSED)
    assert settings_views.status_line(services, open_ended) == settings_texts.paused_open()
    until = person(status=SubscriberStatus.PAUSED, paused_until=date(2026, 12, 1))
    assert settings_views.status_line(services, until) == settings_texts.paused_until(
        date(2026, 12, 1)
    )


def test_the_status_names_the_next_reminder_or_none(services: Services) -> None:
    assert "07:30" in settings_views.status_line(services, person())
    none_due = person()
    none_due.preferences.next_reminder_at = None
    assert settings_views.status_line(services, none_due) == settings_texts.no_next_reminder()


@pytest.mark.parametrize("paused", [False, True])
def test_the_menu_offers_pause_or_resume(services: Services, paused: bool) -> None:
    status = SubscriberStatus.PAUSED if paused else SubscriberStatus.ACTIVE
    screen = settings_views.menu_screen(services, person(status=status))
    toggle = settings_kb.RESUME if paused else settings_kb.PAUSE_MENU
    assert actions(screen.markup)[-1] == [toggle, settings_kb.CLOSE]
    assert "Europe/Berlin" in screen.text and "07:30" in screen.text


def test_the_menu_shows_a_dash_for_what_is_not_set(services: Services) -> None:
    unset = person(timezone=None)
    unset.preferences.reminder_time = None
    assert "-" in settings_views.menu_screen(services, unset).text


# --- triage and rescreening -----------------------------------------------------------------


def test_a_new_report_asks_the_first_triage_question(services: Services) -> None:
    triage = CONTENT.safety.triage
    screen = triage_question_screen(services, USER, PainReport(id=5, answers={}))
    assert escape(triage.first.text) in screen.text
    assert read(screen.markup)[0][0][2] == ("5", str(triage.questions.index(triage.first)), "0")


def test_an_answer_the_content_no_longer_knows_starts_again(services: Services) -> None:
    triage = CONTENT.safety.triage
    stale = PainReport(id=5, answers={triage.first.id: "an_answer_that_was_removed"})
    screen = triage_question_screen(services, USER, stale)
    assert escape(triage.first.text) in screen.text


def test_rescreening_asks_whether_anything_changed(services: Services) -> None:
    someone = person()
    screen = rescreening_views.ask(services, someone, Why.AWAY, "seated_progression")
    assert someone.awaiting_input == Prompt.RESCREEN.value
    assert actions(screen.markup) == [[rescreening_kb.CHOICE], [rescreening_kb.CHOICE]]


def test_someone_never_screened_gets_the_first_question_at_once(services: Services) -> None:
    screen = rescreening_views.ask(services, person(), Why.NEVER, "seated_progression")
    assert [args for _, _, args in read(screen.markup)[0]] == [
        ("", "y", "seated_progression"),
        ("", "n", "seated_progression"),
    ]
