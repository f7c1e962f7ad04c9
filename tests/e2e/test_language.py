"""/language and the per-language command menu, against the real app over the sandbox."""

from __future__ import annotations

from bot.i18n import LANGUAGES
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, subscriber_of, text_of


async def test_each_language_gets_its_own_command_menu(stretchbot: RunningBot) -> None:
    assert stretchbot.app is not None
    bot = stretchbot.app.bot
    english = {c.command: c.description for c in await bot.get_my_commands()}
    assert english["language"] == "Change the language I speak"
    for language in LANGUAGES[1:]:
        menu = {c.command: c.description for c in await bot.get_my_commands(language_code=language)}
        assert menu.keys() == english.keys(), language
        assert all(menu[name] != english[name] for name in ("start", "pain", "language"))
    german = {c.command: c.description for c in await bot.get_my_commands(language_code="de")}
    assert german["pain"] == "Etwas tut weh: Rat holen"


async def test_telegram_language_first_then_the_persons_choice_sticks(
    stretchbot: RunningBot,
) -> None:
    walk = Walkthrough(stretchbot.sandbox.user("Lena", language_code="de-AT"))
    (picker,) = await walk.send("/language")
    assert "In welcher Sprache soll ich schreiben?" in text_of(picker)
    assert picker.button_labels == ["English", "✓ Deutsch", "Español", "Русский"]

    await walk.tap("Español", message=picker)
    assert text_of(walk.screen) == "✓ A partir de ahora te hablaré en Español."
    subscriber = await subscriber_of(stretchbot, walk.person)
    assert subscriber is not None and subscriber.language_code == "es"

    await walk.send("/start")  # Telegram still says de-AT: the choice stays
    subscriber = await subscriber_of(stretchbot, walk.person)
    assert subscriber is not None and subscriber.language_code == "es"
    (picker,) = await walk.send("/language")
    assert "✓ Español" in picker.button_labels
    await walk.tap("English", message=picker)
    assert text_of(walk.screen) == "✓ From now on I'll speak English with you."


async def test_an_unknown_telegram_language_gets_english(stretchbot: RunningBot) -> None:
    person: SimUser = stretchbot.sandbox.user("Jean", language_code="fr")
    (picker,) = await Walkthrough(person).send("/language")
    assert "✓ English" in picker.button_labels
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is None  # only a choice, or /start, makes a row
