"""The onboarding screens: one per step, the preference pickers, and the closing summary."""

from __future__ import annotations

from collections.abc import Callable

from bot.chat.keyboards import Buttons
from bot.chat.keyboards import onboarding as keyboards
from bot.chat.screens import Screen
from bot.chat.services import Services
from bot.chat.texts import onboarding as texts
from bot.content.models import Level
from bot.db.models import Subscriber
from bot.domain import onboarding as signup
from bot.domain.onboarding import Mode, Step
from bot.domain.parsing import COMMON_ZONES
from bot.domain.triage import Ask, screen
from bot.domain.zones import zone_of
from bot.i18n.content import content_text
from bot.i18n.dates import zone_name

# Each picker's title and question, rendered when shown (in the person's language).
_TITLES: dict[Step, tuple[Callable[[], str], Callable[[], str]]] = {
    Step.ZONE: (texts.zone_title, texts.zone_prompt),
    Step.TIME: (texts.time_title, texts.time_prompt),
    Step.DAYS: (texts.days_title, texts.days_prompt),
    Step.FOCUS: (texts.focus_title, texts.focus_prompt),
    Step.LEVEL: (texts.level_title, texts.level_prompt),
    Step.LENGTH: (texts.length_title, texts.length_prompt),
}


def buttons_for(services: Services, subscriber: Subscriber) -> Buttons:
    return Buttons(services.codec, subscriber.telegram_user_id)


def step_screen(
    services: Services, subscriber: Subscriber, step: Step, flag: int | None = None
) -> Screen:
    """The screen that asks the question of `step`. `flag`: at a held step, the open red flag
    its "I've been checked" button names (`bot.chat.onboarding.step_view` finds it)."""
    safety = services.content.safety
    buttons = buttons_for(services, subscriber)
    if step is Step.SAFETY:
        return Screen(
            texts.welcome(subscriber.first_name, content_text(safety.safety_note)),
            keyboards.safety(buttons),
        )
    if step is Step.SCREENING:
        return screening_screen(services, subscriber)
    if step is Step.URGENT:
        outcome, confirm = safety.outcomes.urgent, safety.outcomes.confirm_checked
        return Screen(
            texts.urgent(
                content_text(outcome.title),
                content_text(outcome.text),
                content_text(confirm.question),
            ),
            keyboards.urgent(
                buttons,
                content_text(confirm.checked_label),
                content_text(confirm.not_yet_label),
                flag,
            ),
        )
    if step is Step.PROFESSIONAL:
        outcome = safety.outcomes.professional
        return Screen(
            texts.professional(content_text(outcome.title), content_text(outcome.text)),
            keyboards.professional(buttons, flag),
        )
    return picker_screen(services, subscriber, step, Mode.ONBOARDING)


def screening_screen(services: Services, subscriber: Subscriber) -> Screen:
    """The first unanswered screening question (the handler moves on once none is left)."""
    content = services.content.safety.screening
    result = screen(content, signup.screening_answers(subscriber.screening))
    question = result.question if isinstance(result, Ask) else content.questions[-1]
    number = [q.id for q in content.questions].index(question.id) + 1
    return Screen(
        texts.screening_question(
            content_text(content.intro), number, len(content.questions), content_text(question.text)
        ),
        keyboards.screening(buttons_for(services, subscriber), content, question),
    )


def picker_screen(
    services: Services,
    subscriber: Subscriber,
    step: Step,
    mode: Mode,
    *,
    mask: int | None = None,
) -> Screen:
    """A preference picker; `mask` is the days or focus choice in progress, if any."""
    title, prompt = _TITLES[step]
    number, total = signup.progress(step) if mode is Mode.ONBOARDING else (0, 0)
    text = f"{texts.step_heading(number, total, title())}\n{prompt()}"
    buttons = buttons_for(services, subscriber)
    preferences = subscriber.preferences
    if step is Step.ZONE:
        markup = keyboards.zones(buttons, mode, COMMON_ZONES)
    elif step is Step.TIME:
        markup = keyboards.times(buttons, mode)
    elif step is Step.DAYS:
        markup = keyboards.days(buttons, mode, preferences.weekdays if mask is None else mask)
    elif step is Step.FOCUS:
        chosen = signup.focus_mask(preferences.focus_areas) if mask is None else mask
        markup = keyboards.focus(buttons, mode, chosen)
    elif step is Step.LEVEL:
        markup = keyboards.levels(buttons, mode)
    else:
        markup = keyboards.lengths(buttons, mode)
    return Screen(text, markup)


def zone_confirmation(services: Services, key: str) -> str:
    """ "✓ Time zone: Berlin (Europe/Berlin). It's 14:05 there right now." """
    zone = zone_of(key)
    if zone is None:
        raise ValueError(f"not a stored zone key: {key!r}")
    return texts.zone_confirmed(zone_name(zone), key, signup.local_clock(services.now(), zone))


def next_reminder_label(services: Services, subscriber: Subscriber) -> str | None:
    """ "Tuesday 07:30 (Europe/Berlin)" for the next reminder, or None if none is due."""
    upcoming = subscriber.preferences.next_reminder_at
    zone = zone_of(subscriber.timezone)
    if upcoming is None or zone is None or subscriber.timezone is None:
        return None
    return texts.when_label(signup.local_when(upcoming, zone, services.now()), subscriber.timezone)


def summary_screen(services: Services, subscriber: Subscriber) -> Screen:
    preferences = subscriber.preferences
    level = signup.parse_level(preferences.level)
    return Screen(
        texts.summary(
            next_reminder_label(services, subscriber) or "-",
            texts.days_label(signup.days_of(preferences.weekdays)),
            texts.focus_label(preferences.focus_areas),
            level if level is not None else Level.BEGINNER,
            preferences.session_minutes,
        ),
        keyboards.summary(buttons_for(services, subscriber)),
    )
