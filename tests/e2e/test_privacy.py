"""/privacy, /export and /delete through the local Telegram, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.chat.texts import common as common_texts
from bot.db.models import (
    Base,
    PainReport,
    PracticeSession,
    ReminderDelivery,
    SessionEvent,
)
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import Walkthrough, onboard, subscriber_of, text_of


async def _add_history(stretchbot: RunningBot, person: SimUser) -> None:
    """Rows other features write: a session with an event, a pain report, a reminder."""
    subscriber = await subscriber_of(stretchbot, person)
    assert subscriber is not None
    async with stretchbot.services.db() as db:
        practice = PracticeSession(subscriber_id=subscriber.id, routine_id="morning")
        db.add(practice)
        await db.flush()
        db.add(SessionEvent(session_id=practice.id, step_index=0, stretch_id="s", kind="done"))
        db.add(PainReport(subscriber_id=subscriber.id, source="s", answers={"q": "a"}))
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
    assert data["subscriber"]["telegram_user_id"] == person.id
    assert data["subscriber"]["timezone"] == "Europe/Berlin"
    assert data["subscriber"]["screening"]["outcome"] is None
    assert data["preferences"]["reminder_time"] == "07:30:00"
    assert data["preferences"]["focus_areas"] == ["hamstrings"]
    for rows in ("practice_sessions", "session_events", "pain_reports", "reminder_deliveries"):
        assert len(data[rows]) == 1, rows


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
    assert (await stale.answered()).text == common_texts.BUTTON_EXPIRED
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
