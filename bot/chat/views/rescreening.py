"""The screens of the safety questions asked again before a session (`bot.chat.rescreening`)."""

from __future__ import annotations

from bot.chat.keyboards import Buttons
from bot.chat.keyboards import rescreening as keyboards
from bot.chat.screens import Screen
from bot.chat.services import Services
from bot.chat.texts import rescreening as texts
from bot.db.models import Subscriber
from bot.domain.onboarding import Prompt
from bot.domain.rescreening import Why
from bot.i18n.content import content_text


def ask(services: Services, person: Subscriber, why: Why, routine_id: str) -> Screen:
    """Open the questions as the person's prompt (older prompts' buttons expire) and show the
    first screen: "anything changed?", or for someone who never answered, the first question."""
    person.awaiting_input = Prompt.RESCREEN.value
    if why is Why.NEVER:
        return question_screen(services, person, "", routine_id, texts.first_time())
    buttons = Buttons(services.codec, person.telegram_user_id)
    return Screen(texts.prompt(why), keyboards.prompt(buttons, routine_id))


def question_screen(
    services: Services, person: Subscriber, so_far: str, routine_id: str, intro: str = ""
) -> Screen:
    """The question after the `so_far` answers, with the sign-up's words and Yes / No."""
    content = services.content.safety.screening
    number = len(so_far) + 1
    question = content.questions[number - 1]
    buttons = Buttons(services.codec, person.telegram_user_id)
    return Screen(
        texts.question(intro, number, len(content.questions), content_text(question.text)),
        keyboards.question(buttons, content, so_far, routine_id),
    )
