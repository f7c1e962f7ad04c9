"""Which language a person gets, and that texts follow it only while it is active."""

from __future__ import annotations

import asyncio

import pytest

from bot import i18n
from bot.chat.texts import common


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("es-419", "es"),
        ("RU", "ru"),
        ("pt_BR", "en"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
        ("en-GB", "en"),
    ],
)
def test_telegram_codes_resolve_to_a_language_we_speak(code: str | None, language: str) -> None:
    assert i18n.resolve(code) == language


def test_texts_are_translated_when_rendered_not_when_imported() -> None:
    english = common.button_expired()
    with i18n.using("de-AT") as words:
        assert words.language == "de"
        assert common.button_expired() == "Dieser Knopf ist abgelaufen. Es wurde nichts geändert."
        with i18n.using("ru"):
            assert common.button_expired() == "Эта кнопка устарела. Ничего не изменилось."
        assert common.button_expired().startswith("Dieser Knopf")
    assert common.button_expired() == english == "This button has expired. Nothing was changed."


async def test_each_task_keeps_its_own_language() -> None:
    """Updates of different people run concurrently; neither sees the other's language."""

    async def speak(language: str) -> str:
        i18n.activate(language)
        await asyncio.sleep(0.01)
        return common.in_pain()

    said = await asyncio.gather(speak("de"), speak("es"), speak("ru"), speak("fr"))
    assert said == ["🆘 Ich habe Schmerzen", "🆘 Tengo dolor", "🆘 Мне больно", "🆘 I'm in pain"]
    assert common.in_pain() == "🆘 I'm in pain"
