"""The triage question a report is waiting on, with its answer buttons."""

from __future__ import annotations

from bot.chat.keyboards import Buttons
from bot.chat.keyboards import pain as keyboards
from bot.chat.screens import Screen
from bot.chat.services import Services
from bot.chat.texts import pain as texts
from bot.db.models import PainReport
from bot.domain.triage import UnknownAnswerError, next_question
from bot.i18n.content import content_text, localized


def triage_question_screen(
    services: Services, user_id: int, report: PainReport, intro: str | None = None
) -> Screen:
    """The report's current question (the first for a new one) with its answer buttons, under
    `intro` (by default the triage's own opening words): all in the current person's language
    (`intro` is an English content text too: a lexicon's lead-in, a check-in's stop intro)."""
    content = localized(services.content.safety.triage)
    try:
        asked = next_question(content, report.answers) or content.first
    except UnknownAnswerError:  # the safety content changed since: start again from the top
        asked = content.first
    index = content.questions.index(asked)
    return Screen(
        texts.question(content_text(intro) if intro else content.intro, asked.text),
        keyboards.question(Buttons(services.codec, user_id), report.id, index, asked),
    )
