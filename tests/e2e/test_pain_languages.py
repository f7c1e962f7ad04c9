"""A pain report in German and in Russian, through the local Telegram: the urgent question
first, each route's outcome, and lifting the hold, every word the bot frames in the person's
language (the medical wording itself comes from the content catalogs).

Expected texts are rendered with `using(language)`, and each is checked to differ from the
English, so a message that forgot `_()` fails here."""

from __future__ import annotations

import pytest

from bot.chat.texts import pain as pain_texts
from bot.domain.lifecycle import CheckedBy, Verdict
from bot.i18n import using
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.language_helpers import label, plain, said
from tests.e2e.practice_helpers import TIMEOUT, current, pain_reports, subscribe, tap

pytestmark = pytest.mark.e2e

URGENT = "Bladder or bowel changes"
NONE = "None of these"
SHARP = "Sharp or shooting pain"
CHECKED = "Yes, I've been checked"
NOT_YET = "Not yet"


async def answer(person: SimUser, message: ChatMessage, english: str, language: str) -> ChatMessage:
    assert await tap(person, label(message, english, language), message) is None
    return await current(person, message)


async def ask(person: SimUser) -> ChatMessage:
    await person.send("/pain")
    question = await person.next_message(TIMEOUT)
    assert question.buttons, "the first triage question comes with its answers"
    return question


@pytest.mark.parametrize("language", ["de", "ru"])
async def test_urgent_route_and_lifting_speak_the_persons_language(
    stretchbot: RunningBot, language: str
) -> None:
    person = stretchbot.sandbox.user("Mira", language_code=language)
    me = await subscribe(stretchbot, person, language=language)
    question = await ask(person)
    assert label(question, URGENT, language), "the urgent question is asked first"

    result = await answer(person, question, URGENT, language)
    assert said(language, pain_texts.hold_line) in (result.text or "")
    assert "⏸ Sessions and reminders wait" not in (result.text or "")
    (report,) = await pain_reports(stretchbot, me)
    assert report.outcome == "urgent"

    asked = await answer(person, result, CHECKED, language)
    assert said(language, pain_texts.who_question) in (asked.text or "")
    with using(language):
        assert asked.button_labels == [pain_texts.who(who) for who in CheckedBy]
    physio = said(language, pain_texts.who, CheckedBy.PHYSIO)
    assert await tap(person, physio, asked) is None

    verdicts = await current(person, asked)
    assert said(language, pain_texts.verdict_question) in (verdicts.text or "")
    no_nerves = said(language, pain_texts.verdict, Verdict.NO_NERVE_TENSION)
    assert no_nerves in verdicts.button_labels
    assert await tap(person, no_nerves, verdicts) is None

    lifted = (await current(person, verdicts)).text or ""
    with using(language):
        expected = pain_texts.lifted(Verdict.NO_NERVE_TENSION, None)
    assert lifted.startswith(plain(expected)), lifted
    assert "hold is lifted" not in lifted
    (report,) = await pain_reports(stretchbot, me)
    assert (report.checked_by, report.clearance) == ("physio", "no_nerve_tension")


async def test_a_german_professional_route_holds_and_is_not_yet_cleared(
    stretchbot: RunningBot,
) -> None:
    person = stretchbot.sandbox.user("Jonas", language_code="de")
    me = await subscribe(stretchbot, person, language="de")
    first = await ask(person)
    second = await answer(person, first, NONE, "de")
    result = await answer(person, second, SHARP, "de")
    assert "⏸ Einheiten und Erinnerungen warten, bis dich jemand untersucht hat." in (
        result.text or ""
    )

    waiting = await answer(person, result, NOT_YET, "de")
    assert "Tippe auf den Knopf unten, sobald dich jemand untersucht hat." in (waiting.text or "")

    await person.send("/now")  # nothing starts while the hold is open
    held = await person.next_message(TIMEOUT)
    assert (held.text or "").startswith("⏸ Das Dehnen ruht vorerst")

    asked = await answer(person, held, CHECKED, "de")
    assert await tap(person, "Hausärztin oder Hausarzt", asked) is None
    verdicts = await current(person, asked)
    assert await tap(person, "Noch nicht freigegeben", verdicts) is None
    not_cleared = await current(person, verdicts)
    assert (not_cleared.text or "").startswith("Danke, dass du es mir sagst.")
    (report,) = await pain_reports(stretchbot, me)
    assert report.outcome == "professional" and report.resolved_at is None
