"""Signing up in German and in Russian, as Telegram's `language_code` says, on SQLite and
PostgreSQL: every text and every button in the person's language, typed mistakes answered in it
too, and the same choices stored as in English.

The bot's clock stands at Tuesday 24 November 2026, 06:00 UTC (07:00 in Berlin, 09:00 in Moscow).
"""

from __future__ import annotations

from datetime import time

from bot.db.models import SubscriberStatus
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, subscriber_of, text_of


def now_showing(person: SimUser, message: ChatMessage) -> ChatMessage:
    """`message` as it looks now (a tap edits it in place, after newer messages)."""
    return next(m for m in person.bot_messages() if m.message_id == message.message_id)


async def test_a_whole_onboarding_in_german(stretchbot: RunningBot) -> None:
    person: SimUser = stretchbot.sandbox.user("Lena", language_code="de")
    walk = Walkthrough(person)
    await walk.send("/start")
    welcome = text_of(walk.screen)
    assert "Hallo Lena! 👋 Ich bin Stretchbot." in welcome
    assert "Sicherheit geht vor" in welcome
    assert "keine medizinische Beratung" in welcome  # the content's safety note, in German
    assert walk.screen.button_labels == ["✅ Verstanden"]

    await walk.send("hallo?", replies=2)  # not an answer: a hint in German, the question again
    assert "Tippe bitte auf einen der Knöpfe" in text_of(person.bot_messages()[-2])
    await walk.tap("✅ Verstanden")
    assert "Frage 1 von 4" in text_of(walk.screen)
    assert "Blase oder Darm" in text_of(walk.screen)
    assert walk.screen.button_labels == ["Ja", "Nein"]
    for _ in range(4):
        await walk.tap("Nein")
    zone_step = text_of(walk.screen)
    assert "Schritt 1 von 6 · Zeitzone" in zone_step
    assert "Danke, alles bereit." in zone_step
    assert "Wo bist du?" in zone_step
    assert walk.screen.button_labels[:3] == ["London", "Berlin", "Moskau"]
    assert "📍 Standort teilen" in walk.screen.button_labels

    zone_message = walk.screen
    (reply,) = await walk.send("Atlantis")
    assert "Einen Ort namens „Atlantis“ kenne ich nicht." in text_of(reply)
    (reply,) = await walk.send("UTC+15")
    assert text_of(reply) == "🤔 Zeitzonen reichen von UTC−12 bis UTC+14."
    await walk.tap("Berlin")
    time_message = now_showing(person, zone_message)  # the zone step, edited in place
    time_step = text_of(time_message)
    assert "✓ Zeitzone: Berlin (Europe/Berlin). Dort ist es gerade 07:00 Uhr." in time_step
    assert "Schritt 2 von 6 · Uhrzeit der Erinnerung" in time_step
    assert "🌍 Falsche Zone? Ändern" in time_message.button_labels

    (reply,) = await walk.send("25:70")
    assert text_of(reply) == (
        "🤔 Eine Stunde 25 gibt es nicht: Stunden gehen von 0 bis 23. "
        "Versuch es bitte noch einmal, zum Beispiel mit 7:30 oder 19:00."
    )
    (days_step,) = await walk.send("7:30")
    assert "✓ Erinnerung um: 07:30." in text_of(days_step)
    assert "Schritt 3 von 6 · Tage" in text_of(days_step)
    assert "Drei bis fünf Einheiten pro Woche" in text_of(days_step)
    assert days_step.button_labels[:8] == [
        *("✅ Mo", "✅ Di", "✅ Mi", "✅ Do", "✅ Fr", "▫️ Sa", "▫️ So"),
        "Fertig ✓",
    ]
    await walk.tap("▫️ Sa")
    await walk.tap("Fertig ✓", message=days_step)
    focus_step = text_of(walk.screen)
    assert "✓ Tage: Mo, Di, Mi, Do, Fr, Sa." in focus_step
    assert "Ganz schön viele Tage!" in focus_step
    assert "Schritt 4 von 6 · Schwerpunkt" in focus_step
    assert walk.screen.button_labels == [
        "▫️ Oberschenkelrückseite",
        "▫️ Waden",
        "▫️ Hüfte & Gesäß",
        "▫️ Unterer Rücken",
        "▫️ Wirbelsäule",
        "Fertig ✓",
    ]

    await walk.tap("Fertig ✓")  # nothing chosen yet: refused, in German
    assert person.callback_answers[-1].text == "Wähle bitte mindestens einen Bereich."
    await walk.tap("▫️ Waden")
    await walk.tap("▫️ Unterer Rücken")
    await walk.tap("Fertig ✓")
    assert "✓ Schwerpunkt: Waden, Unterer Rücken." in text_of(walk.screen)
    assert walk.screen.button_labels == [
        "🌱 Einsteiger: ganz neu dabei",
        "🌿 Fortgeschritten: ich dehne mich ab und zu",
        "🌳 Erfahren: ich dehne mich oft",
    ]
    await walk.tap("🌱 Einsteiger: ganz neu dabei")
    assert "Wie lange soll eine Einheit dauern?" in text_of(walk.screen)
    assert walk.screen.button_labels == ["5 Min.", "10 Min.", "15 Min."]
    await walk.tap("10 Min.")

    summary = text_of(walk.screen)
    assert "🎉 Alles bereit!" in summary
    assert "Deine erste Routine kommt heute (Dienstag) um 07:30 (Europe/Berlin)." in summary
    assert "• Tage: Mo, Di, Mi, Do, Fr, Sa" in summary
    assert "• Schwerpunkt: Waden, Unterer Rücken" in summary
    assert "• Stufe: Einsteiger" in summary
    assert "• Einheit: 10 Minuten" in summary
    assert walk.screen.button_labels == ["▶️ Jetzt eine Einheit starten", "⚙️ Einstellungen"]

    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.language_code == "de"
    preferences = subscriber.preferences
    assert preferences.reminder_time == time(7, 30)
    assert preferences.weekdays == 0b0111111
    assert preferences.focus_areas == ["calves", "lower_back"]
    assert (preferences.level, preferences.session_minutes) == ("beginner", 10)

    await walk.send("/start")  # already subscribed: told so in German
    assert "Du bist schon angemeldet." in text_of(walk.screen)


async def test_onboarding_in_russian(stretchbot: RunningBot) -> None:
    person: SimUser = stretchbot.sandbox.user("Ольга", language_code="ru")
    walk = Walkthrough(person)
    await walk.send("/start")
    assert "Здравствуйте, Ольга! 👋 Я Stretchbot." in text_of(walk.screen)
    await walk.tap("✅ Понятно")
    assert "Вопрос 1 из 4" in text_of(walk.screen)
    for _ in range(4):
        await walk.tap("Нет")
    assert "Шаг 1 из 6 · Часовой пояс" in text_of(walk.screen)
    assert "Москва" in walk.screen.button_labels

    confirmation, time_step = await walk.send("Москва", replies=2)  # a city as Russians write it
    assert text_of(confirmation) == ("✓ Часовой пояс: Москва (Europe/Moscow). Сейчас там 09:00.")
    assert "Шаг 2 из 6 · Время напоминания" in text_of(time_step)
    (reply,) = await walk.send("25:70")
    assert text_of(reply).startswith("🤔 Часа 25 не бывает: часы идут от 0 до 23.")
    await walk.send("19:00")
    assert "✓ Время напоминания: 19:00." in text_of(walk.screen)
    assert walk.screen.button_labels[:2] == ["✅ пн", "✅ вт"]
    await walk.tap("Готово ✓")
    assert "✓ Дни: пн–пт." in text_of(walk.screen)
    await walk.tap("▫️ Икры")
    await walk.tap("Готово ✓")
    await walk.tap("🌱 Новичок: только начинаю")
    await walk.tap("15 мин")

    summary = text_of(walk.screen)
    assert "🎉 Всё готово!" in summary
    assert "Первая тренировка придёт сегодня (вторник) в 19:00 (Europe/Moscow)." in summary
    assert "• Занятие: 15 минут" in summary
    assert walk.screen.button_labels == ["▶️ Начать занятие сейчас", "⚙️ Настройки"]
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.timezone == "Europe/Moscow"

    (menu,) = await walk.send("/settings")  # the place in Russian, the zone by its own name
    assert "🌍 Часовой пояс: Москва (Europe/Moscow)" in text_of(menu)
    assert "📅 Дни: пн–пт" in text_of(menu)
    assert "⏱ Занятие: 15 минут" in text_of(menu)
