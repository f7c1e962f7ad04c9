"""/settings, /pause, /resume, /stop and /help in German, on SQLite and PostgreSQL: menus,
buttons, confirmations and dates in the person's language.

The bot's clock stands at Tuesday 24 November 2026, 06:00 UTC (07:00 in Berlin).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, onboard_in_german, subscriber_of, text_of

QUIET_BUTTON_DE = "🔕 Lautlose Erinnerungen"  # the kinder reminders' switch, translated elsewhere


async def test_settings_and_pausing_in_german(stretchbot: RunningBot) -> None:
    person: SimUser = stretchbot.sandbox.user("Lena", language_code="de-DE")
    walk = Walkthrough(person)
    await onboard_in_german(walk)

    (menu,) = await walk.send("/settings")
    text = text_of(menu)
    assert "⚙️ Deine Einstellungen" in text
    assert "🌍 Zeitzone: Berlin (Europe/Berlin)" in text
    assert "📅 Tage: Mo–Fr" in text
    assert "🎯 Schwerpunkt: Oberschenkelrückseite" in text
    assert "📈 Stufe: Einsteiger" in text
    assert "⏱ Einheit: 10 Minuten" in text
    assert "🔔 Nächste Erinnerung: heute (Dienstag) um 07:30 (Europe/Berlin)." in text
    assert menu.button_labels == [
        *("🌍 Zeitzone", "⏰ Uhrzeit", "📅 Tage", "🎯 Schwerpunkt", "📈 Stufe", "⏱ Dauer"),
        QUIET_BUTTON_DE,
        "🌙 Ruhezeit",
        *("⏸ Pausieren", "✓ Schließen"),
    ]

    await walk.tap("⏰ Uhrzeit")
    assert "Uhrzeit der Erinnerung" in text_of(walk.screen)
    assert "↩ Zurück" in walk.screen.button_labels
    await walk.tap("18:00")
    assert "✓ Gespeichert. ✓ Erinnerung um: 18:00." in text_of(walk.screen)
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    assert subscriber.preferences.next_reminder_at == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)

    await walk.tap("⏱ Dauer")
    await walk.tap("15 Min.")
    assert "✓ Dauer: 15 Minuten." in text_of(walk.screen)

    await walk.tap("⏸ Pausieren")
    assert "Eine Pause von den Erinnerungen?" in text_of(walk.screen)
    assert walk.screen.button_labels == [
        *("3 Tage", "1 Woche", "2 Wochen", "1 Monat", "Bis ich weitermache"),
        "Abbrechen",
    ]
    await walk.tap("1 Woche")
    assert "Sie beginnen wieder am Dienstag, 1. Dezember" in text_of(walk.screen)
    (reply,) = await walk.send("/resume")
    assert text_of(reply).startswith("▶️ Schön, dass du wieder da bist!")

    (reply,) = await walk.send("/stop")
    assert text_of(reply).startswith("Von Stretchbot abmelden?")
    await walk.tap("Nein, Erinnerungen behalten")
    assert text_of(walk.screen) == "Nichts geändert."


async def test_help_and_unclear_messages_in_german(stretchbot: RunningBot) -> None:
    person: SimUser = stretchbot.sandbox.user("Lena", language_code="de")
    walk = Walkthrough(person)
    (reply,) = await walk.send("guten Morgen")
    assert text_of(reply) == (
        "Entschuldige, das habe ich nicht verstanden. "
        "Schick /start, um deine Dehnübungen einzurichten."
    )
    await onboard_in_german(walk)

    (reply,) = await walk.send("/help")
    text = text_of(reply)
    assert text.startswith("🤸 Stretchbot schickt dir")
    assert "/settings: Uhrzeit, Tage, Schwerpunkt, Stufe oder Dauer ändern" in text
    assert "/pain: Etwas tut weh: Rat holen" in text
    assert "keine medizinische Beratung" in text
    assert reply.button_labels == ["▶️ Jetzt dehnen", "⚙️ Einstellungen"]

    (reply,) = await walk.send("/tanzen")
    assert text_of(reply).startswith("Diesen Befehl kenne ich nicht. Das kannst du jetzt tun")
