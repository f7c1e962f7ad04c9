"""Content texts in the person's language, through the local Telegram (issue 16 item 1).

A German speaker's /now card and first stretch are German, down to the routine's title and
warm-up, the stretch's name and steps; a Russian speaker goes through a stretch done on each
side (the check-in comes only after the second side is held; the cue between the sides is
Russian) to its check-in question and answers, and on to the next stretch, all in Russian.
Every expected text comes from the content catalogs and is checked to differ from the
English, so a view that shows the YAML's English fails here (it did on old main).
"""

from __future__ import annotations

import pytest

from bot import i18n
from bot.chat.texts import session as session_texts
from bot.content.loader import Content
from bot.i18n.content import content_text
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, subscribe

pytestmark = pytest.mark.e2e

SCALE = 0.05  # a 30 s hold lasts 1.5 s


@pytest.fixture
def bot_hold_scale() -> float:
    return SCALE


def translated(text: str, language: str) -> str:
    shown = content_text(text, language)
    assert shown != text, f"no {language} translation of {text[:40]!r}"
    return shown


def seen(person: SimUser) -> set[int]:
    return {m.message_id for m in person.bot_messages()}


async def new_message_with(person: SimUser, before: set[int], starts: str) -> ChatMessage:
    """The first bot message not in `before` with a button whose label starts with `starts`."""

    def wanted(message: ChatMessage) -> bool:
        return message.message_id not in before and any(
            label.startswith(starts) for label in message.button_labels
        )

    return await person.wait_for_message(wanted, timeout=TIMEOUT)


def button(message: ChatMessage, starts: str) -> str:
    return next(label for label in message.button_labels if label.startswith(starts))


async def open_and_start(person: SimUser, language: str) -> tuple[ChatMessage, ChatMessage]:
    """/now, then Start: the card and the first step."""
    start = i18n.translator(language).gettext(session_texts.start())
    before = seen(person)
    await person.send("/now")
    card = await new_message_with(person, before, start)
    before = seen(person)
    tapped = await person.tap(start, message=card)
    await tapped.answered(TIMEOUT)
    step = await new_message_with(person, before, "▶️")
    return card, step


async def hold_through(person: SimUser, step: ChatMessage) -> ChatMessage:
    """Start the step's hold and wait for the timer's new message."""
    before = seen(person)
    tapped = await person.tap(button(step, "▶️"), message=step)
    await tapped.answered(TIMEOUT)
    return await person.wait_for_message(
        lambda m: m.message_id not in before and bool(m.buttons), timeout=TIMEOUT
    )


async def test_a_german_card_and_first_stretch_are_german(
    stretchbot: RunningBot, content: Content
) -> None:
    person = stretchbot.sandbox.user("Lena", language_code="de")
    await subscribe(stretchbot, person, "seated_progression", language="de")
    routine = content.routines["seated_progression"]
    first = content.stretches[routine.steps[0].stretch]

    card, step = await open_and_start(person, "de")
    card_text = card.text or ""
    assert translated(routine.title, "de") in card_text
    assert translated(routine.warm_up, "de") in card_text
    assert routine.title not in card_text
    text = step.text or ""
    assert translated(first.name, "de") in text
    assert all(content_text(line, "de") in text for line in first.steps)
    assert first.name not in text and first.steps[0] not in text


async def test_a_russian_stretch_on_each_side_its_check_in_and_the_next_stretch(
    stretchbot: RunningBot, content: Content
) -> None:
    person = stretchbot.sandbox.user("Olga", language_code="ru")
    await subscribe(stretchbot, person, "hamstrings_short_easy", language="ru")
    routine = content.routines["hamstrings_short_easy"]
    first = content.stretches[routine.steps[0].stretch]
    second = content.stretches[routine.steps[1].stretch]
    assert first.per_side

    card, step = await open_and_start(person, "ru")
    assert translated(routine.title, "ru") in (card.text or "")
    assert translated(first.name, "ru") in (step.text or "")

    other_side = await hold_through(person, step)  # first side held: the second side is next
    cues = [translated(cue, "ru") for cue in first.cues]
    assert any(cue in (other_side.text or "") for cue in cues), "the hold's cue is Russian"
    assert not any(cue in (other_side.text or "") for cue in first.cues)
    check = await hold_through(person, other_side)  # second side held: now the check-in
    checkin = content.safety.checkin
    question = checkin.question_for(first.nerve_tension)
    assert translated(question, "ru") in (check.text or "")
    labels = [translated(answer.label, "ru") for answer in checkin.answers]
    assert labels == check.button_labels[: len(labels)]
    assert checkin.answers[0].label not in check.button_labels

    tapped = await person.tap(labels[0], message=check)
    await tapped.answered(TIMEOUT)
    nxt = person.message(check.message_id)
    assert nxt is not None
    assert translated(second.name, "ru") in (nxt.text or "")
    assert second.name not in (nxt.text or "")
