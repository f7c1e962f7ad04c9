"""/privacy, /export and /delete through the local Telegram, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from bot.chat.texts import common as common_texts
from bot.chat.texts import export as export_words
from bot.chat.texts import onboarding as choice_texts
from bot.content.models import FocusArea, Level
from bot.db.models import (
    Base,
    PainReport,
    PracticeSession,
    ReminderDelivery,
    SessionEvent,
    Subscriber,
)
from bot.i18n import dates, using
from bot.i18n.content import content_text
from sandbox.people import SimUser
from tests.chat.export_paths import every_exported_path, has_path, validate_export
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of


async def _add_history(stretchbot: RunningBot, person: SimUser) -> None:
    """Rows other features write: a session with an event, a pain report, a reminder."""
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    async with stretchbot.services.db() as db:
        practice = PracticeSession(subscriber_id=subscriber.id, routine_id="hamstrings_short_easy")
        db.add(practice)
        await db.flush()
        db.add(
            SessionEvent(
                session_id=practice.id,
                step_index=0,
                stretch_id="seated_forward_fold",
                kind="done",
                checkin_answer="gentle",
            )
        )
        db.add(
            PainReport(
                subscriber_id=subscriber.id,
                session_id=practice.id,
                source="s",
                answers={"red_flags": "none_of_these"},
                outcome="ease_off",
            )
        )
        db.add(
            ReminderDelivery(
                subscriber_id=subscriber.id, due_at=datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
            )
        )


async def _row_counts(stretchbot: RunningBot) -> dict[str, int]:
    async with stretchbot.services.db() as db:
        return {
            table.name: int(await db.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def test_privacy_says_what_is_stored(stretchbot: RunningBot, person: SimUser) -> None:
    (reply,) = await Walkthrough(person).send("/privacy")
    assert "What I store about you" in text_of(reply)
    assert "/export" in text_of(reply) and "/delete" in text_of(reply)


async def test_export_sends_everything_as_a_json_file(
    stretchbot: RunningBot, person: SimUser
) -> None:
    walk = Walkthrough(person)
    (reply,) = await walk.send("/export")
    assert "don't have anything stored" in text_of(reply)

    await onboard(walk)
    await _add_history(stretchbot, person)
    (document,) = await walk.send("/export")
    assert document.kind == "document"
    assert document.document_name == "stretchbot-my-data.json"
    assert document.document is not None
    data = json.loads(document.document)
    validate_export(data)
    assert data["export_version"] == 3 and data["times_are_in"] == "Europe/Berlin"
    assert data["written_in"] == "en"
    assert data["person"]["telegram_user_id"] == person.id
    assert data["person"]["time_zone"] == "Europe/Berlin"
    assert data["person"]["status"] == "receiving reminders"
    assert data["person"]["language"] == "English"
    assert data["person"]["safety_questions"]["advice"] is None
    assert data["settings"]["reminder_time"] == "07:30"
    assert data["settings"]["reminder_days"] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    assert data["settings"]["focus_areas"] == ["Hamstrings"]
    assert data["settings"]["silent_reminders"] is False
    assert data["exported_at"].endswith("+01:00")  # Berlin in November
    (reminder,) = data["reminders"]
    assert reminder["due_at"] == "2026-11-24T07:30:00+01:00" and reminder["weekday"] == "Tuesday"
    assert reminder["status"] == "waiting to be sent" and reminder["kind"] == "daily reminder"
    (session,) = data["sessions"]
    assert session["routine"] == "Quick hamstring release"
    assert session["status"] == "still running"
    (step,) = session["steps"]
    assert (step["stretch"], step["what_happened"]) == ("Seated forward fold", "done")
    assert step["how_it_felt"] == "Gentle stretch 👍"
    (report,) = data["pain_reports"]
    assert report["reported"] == "during a session" and report["advice"] == "ease off"
    assert report["during_session_number"] == session["number"]
    assert report["answers"][0]["question"].startswith("Since this pain began")
    for path in every_exported_path():
        assert has_path(data, path), path
    _no_codes(data)


NOT_WORDS = ("schema", "time_zone", "times_are_in", "written_in", "first_name", "last_error")
"""Values that are names or codes by nature (a zone, a schema id), not words a person reads."""


def _english_words(stretchbot: RunningBot) -> set[str]:
    """Every English value the export could write: its words, weekday, focus and level names,
    and the content's titles, questions and answer labels."""
    content = stretchbot.services.content
    found = {
        english
        for name, table in vars(export_words).items()
        if name.isupper() and isinstance(table, dict)
        for english in table.values()
    }
    found |= {export_words.checkin_question(), export_words.legs_question()}
    found |= set(dates.weekday_names(language="en"))
    with using("en"):
        found |= {choice_texts.focus_name(area) for area in FocusArea}
        found |= {choice_texts.level_name(level) for level in Level}
    found |= {s.name for s in content.stretches.values()}
    found |= {r.title for r in content.routines.values()}
    found |= {q.text for q in content.safety.triage.questions}
    found |= {a.label for q in content.safety.triage.questions for a in q.answers}
    found |= {a.label for a in content.safety.checkin.answers}
    found |= {q.text for q in content.safety.screening.questions}
    return found - {"no"}  # Spanish "no" is the same word


def _words(value: object, where: str = "") -> list[tuple[str, str]]:
    """(path, value) for every string a person reads in an export."""
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _words(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [found for n, item in enumerate(value) for found in _words(item, f"{where}[{n}]")]
    if isinstance(value, str) and not where.endswith(NOT_WORDS):
        return [(where, value)]
    return []


@pytest.mark.parametrize("language", ["de", "ru"])
async def test_an_export_is_written_in_the_readers_language(
    stretchbot: RunningBot, person: SimUser, language: str
) -> None:
    """A German or Russian reader's export: the same field names, every value in their language,
    no English label and no stored code among them."""
    walk = Walkthrough(person)
    await onboard(walk)
    await _add_history(stretchbot, person)
    async with stretchbot.services.db() as db:
        await db.execute(
            update(Subscriber)
            .where(Subscriber.telegram_user_id == person.id)
            .values(language_code=language)
        )
    (document,) = await walk.send("/export")
    assert document.document is not None
    data = json.loads(document.document)
    validate_export(data)
    assert data["written_in"] == language
    for path in every_exported_path():
        assert has_path(data, path), path
    with using(language):
        assert data["settings"]["reminder_days"] == [dates.weekday_name(day) for day in range(5)]
        assert data["settings"]["focus_areas"] == [choice_texts.focus_name(FocusArea.HAMSTRINGS)]
        assert data["settings"]["level"] == choice_texts.level_name(Level.BEGINNER)
        assert data["person"]["status"] == export_words.word(export_words.STATUS, "active")
        assert data["reminders"][0]["weekday"] == dates.weekday_name(1)  # Tuesday
    (session,) = data["sessions"]
    assert session["routine"] == content_text("Quick hamstring release", language)
    (step,) = session["steps"]
    assert step["stretch"] == content_text("Seated forward fold", language)
    english = _english_words(stretchbot)
    leaked = [(where, value) for where, value in _words(data) if value in english]
    assert not leaked, leaked
    if language == "ru":
        latin = [(w, v) for w, v in _words(data) if re.search("[A-Za-z]{2,}", v)]
        assert not latin, latin
    _no_codes(data)


def _no_codes(value: object, where: str = "") -> None:
    """No stored code reaches the export: no enum value with an underscore, no source letter."""
    if isinstance(value, dict):
        for key, item in value.items():
            _no_codes(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _no_codes(item, f"{where}[{index}]")
    elif isinstance(value, str) and not where.endswith(("schema", "time_zone", "times_are_in")):
        assert "_" not in value, (where, value)


async def test_delete_asks_then_removes_every_row(stretchbot: RunningBot, person: SimUser) -> None:
    other = stretchbot.sandbox.user("Sam")
    await onboard(Walkthrough(other))
    walk = Walkthrough(person)
    await onboard(walk)
    await _add_history(stretchbot, person)
    before = await _row_counts(stretchbot)

    (confirm,) = await walk.send("/delete")
    assert "can't be undone" in text_of(confirm)
    await walk.tap("No, keep it")
    assert "Nothing was deleted" in text_of(walk.screen)
    assert await _row_counts(stretchbot) == before

    (older,) = await walk.send("/delete")
    await walk.send("/delete")
    await walk.tap("Yes, erase everything")
    assert "everything I had stored about you is gone" in text_of(walk.screen)
    assert await subscriber_of(stretchbot, person) is None
    assert await _row_counts(stretchbot) == {
        "subscribers": 1,
        "preferences": 1,
        "practice_sessions": 0,
        "session_events": 0,
        "pain_reports": 0,
        "reminder_deliveries": 0,
        "processed_updates": 0,  # bare update ids of webhook mode, about nobody
    }
    assert await subscriber_of(stretchbot, other) is not None

    stale = await person.tap("Yes, erase everything", message=older)
    assert (await stale.answered()).text == common_texts.button_expired()
    (reply,) = await walk.send("/export")
    assert "don't have anything stored" in text_of(reply)
    (reply,) = await walk.send("/delete")
    assert "don't have anything stored" in text_of(reply)
    for command in ("/settings", "/pause", "/resume"):
        (reply,) = await walk.send(command)
        assert "haven't finished setting up" not in text_of(reply), command
        assert "/start" in text_of(reply), command

    (welcome,) = await walk.send("/start")  # a fresh start, from the safety note
    assert "Safety first" in text_of(welcome)
