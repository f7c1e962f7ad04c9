"""Every kind of view shows content texts in the reader's language.

The content catalogs (`bot/locale/*/LC_MESSAGES/content.po`) hold German, Spanish and Russian
for every stretch, routine and safety text; these tests render each kind of view (a session
step, the /now card and its preview, a triage question and its lead-in, a triage outcome, a
hold screen, a reminder sent by the dispatcher) as a German, Spanish or Russian speaker and
find the translated texts, never the English ones. A reminder is rendered outside an update,
in the subscriber's stored language, and an English reminder drawn after it stays English.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot import i18n
from bot.chat import reminders, session, session_view
from bot.chat.codec import CallbackCodec
from bot.chat.keyboards import Buttons
from bot.chat.services import Services
from bot.chat.views import outcomes
from bot.chat.views.pain import triage_question_screen
from bot.config import Settings
from bot.content.duration import plan_routine
from bot.content.loader import Content
from bot.content.models import Routine
from bot.content.safety import Outcome
from bot.db.deliveries import Reminder
from bot.db.models import DeliveryKind, PainReport
from bot.domain import flow
from bot.domain.lifecycle import Hold, Tier
from bot.domain.progression import Plan
from bot.i18n.content import content_text, localized, localized_content

LANGUAGES = ("de", "es", "ru")
USER = 42


@pytest.fixture
def services(content: Content) -> Services:
    settings = Settings(
        telegram_bot_token="123456:test-token",
        database_url="sqlite+aiosqlite://",
        default_timezone="UTC",
    )
    return Services(
        settings=settings,
        content=content,
        session_factory=async_sessionmaker(),
        codec=CallbackCodec("secret"),
    )


def _routine(content: Content) -> Routine:
    return next(r for r in content.routines.values() if r.steps and r.warm_up)


def _labels(screen: object) -> list[str]:
    markup = getattr(screen, "markup", None)
    if markup is None:
        return []
    return [button.text for row in markup.inline_keyboard for button in row]


def _translated(text: str, language: str) -> str:
    shown = content_text(text, language)
    assert shown != text, f"no {language} translation of {text[:40]!r}"
    return shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_localized_copy_translates_texts_and_keeps_the_rules(
    content: Content, language: str
) -> None:
    stretch = next(s for s in content.stretches.values() if s.cues and s.steps)
    copy = localized(stretch, language)
    assert copy.name == _translated(stretch.name, language)
    assert copy.steps == tuple(content_text(step, language) for step in stretch.steps)
    assert copy.cues == tuple(content_text(cue, language) for cue in stretch.cues)
    assert (copy.id, copy.hold, copy.focus, copy.prerequisites) == (
        stretch.id,
        stretch.hold,
        stretch.focus,
        stretch.prerequisites,
    )
    assert localized(stretch, language) is copy, "made once per model and language"
    assert localized(stretch, "en") is stretch
    triage = localized(content.safety.triage, language)
    assert [q.id for q in triage.questions] == [q.id for q in content.safety.triage.questions]
    assert triage.first.answers[0].outcome is content.safety.triage.first.answers[0].outcome
    shown = localized_content(content, language)
    assert shown.lexicons is content.lexicons
    assert localized_content(content, language) is shown, "made once per content and language"
    assert localized_content(content, "en") is content


def test_a_kept_copy_belongs_to_the_very_model_it_was_made_from(content: Content) -> None:
    """Two equal stretches are two models: each gets its own copy, never the other's."""
    stretch = next(iter(content.stretches.values()))
    twin = stretch.model_copy(update={"name": stretch.name})
    assert localized(twin, "de") is not localized(stretch, "de")
    assert localized(twin, "de") is localized(twin, "de")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_session_step_shows_the_stretch_in_the_persons_language(
    content: Content, services: Services, language: str
) -> None:
    routine = _routine(content)
    steps = flow.plan_steps(plan_routine(routine, content.stretches), {})
    state = flow.start(routine.id, steps).state
    stretch = content.stretches[state.steps[state.step].stretch_id]
    with i18n.using(language):
        screen = session_view.screen(state, 1, content, Buttons(services.codec, USER))
    assert _translated(stretch.name, language) in screen.text
    assert stretch.name not in screen.text
    assert content_text(stretch.steps[0], language) in screen.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_and_its_preview_show_the_routine_in_the_persons_language(
    content: Content, services: Services, language: str
) -> None:
    routine = _routine(content)
    with i18n.using(language):
        card = session.card_screen(
            services, Plan(routine), Buttons(services.codec, USER), content.safety.safety_note
        )
    assert _translated(routine.title, language) in card.text
    assert _translated(routine.warm_up, language) in card.text
    assert content_text(content.safety.safety_note, language) in card.text
    assert routine.title not in card.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_triage_question_its_answers_and_the_lead_in_are_translated(
    content: Content, services: Services, language: str
) -> None:
    report = PainReport(id=7, subscriber_id=1, source="t", answers={})
    lead_in = content.symptoms.lead_in("legs_failing", Outcome.URGENT)
    with i18n.using(language):
        screen = triage_question_screen(services, USER, report, lead_in)
    first = content.safety.triage.first
    assert _translated(lead_in, language) in screen.text
    assert _translated(first.text, language).splitlines()[0] in screen.text
    assert _labels(screen) == [_translated(a.label, language) for a in first.answers]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_outcome_and_a_hold_are_translated(
    content: Content, services: Services, language: str
) -> None:
    buttons = Buttons(services.codec, USER)
    urgent = content.safety.outcomes.for_outcome(Outcome.URGENT)
    confirm = content.safety.outcomes.confirm_checked
    with i18n.using(language):
        shown = outcomes.outcome_screen(content.safety, Outcome.URGENT, buttons, 3)
        held = outcomes.hold_screen(content.safety, buttons, Hold(Tier.URGENT, 3))
    assert _translated(urgent.title, language) in shown.text
    assert urgent.title not in shown.text
    for screen in (shown, held):
        assert _translated(confirm.question, language) in screen.text
        assert _labels(screen) == [
            _translated(confirm.checked_label, language),
            _translated(confirm.not_yet_label, language),
        ]


def test_a_reminder_is_written_in_the_subscribers_stored_language(
    content: Content, services: Services
) -> None:
    """The dispatcher renders outside any update: the reminder carries the language, and
    each language gets its own card (the English one is not replaced by the Russian)."""
    routine = _routine(content)

    def reminder(language: str | None) -> Reminder:
        return Reminder(
            delivery_id=1,
            subscriber_id=1,
            chat_id=USER,
            telegram_user_id=USER,
            timezone="UTC",
            due_at=datetime(2026, 12, 3, 7, tzinfo=UTC),
            kind=DeliveryKind.DAILY,
            routine_id=routine.id,
            language=language,
        )

    russian = reminders.render_reminder(services, reminder("ru"))
    english = reminders.render_reminder(services, reminder("en"))
    german = reminders.render_reminder(services, reminder("de-AT"))
    assert _translated(routine.title, "ru") in russian.text
    assert routine.title in english.text
    assert _translated(routine.title, "de") in german.text
    assert i18n.current().language == "en", "the job's language does not leak"
