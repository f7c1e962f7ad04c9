"""Loading the progression history: what becomes a mark, and one round of queries per batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import progress
from bot.db.models import PainReport, SessionStatus
from bot.domain.progression import History, Mark, rules_for
from tests.support import factories
from tests.support.content import shipped_content

CONTENT = shipped_content()
RULES = rules_for(CONTENT, CONTENT.safety.checkin)
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=60)


async def test_each_history_row_becomes_the_mark_the_rules_read(db: AsyncSession) -> None:
    me, other = (await factories.person(db, 1)).id, (await factories.person(db, 2)).id
    day = NOW - timedelta(days=2)
    first = await factories.practice_session(
        db,
        me,
        day,
        [
            ("chair_hamstring_stage_3", "hold", None),
            ("chair_hamstring_stage_3", "done", None),  # stage 4 depends on it: clean
            ("seated_forward_fold", "done", None),  # no gate depends on it: not needed
            ("chair_hamstring_stage_2", "done_short", None),
            ("knee_drops", "checkin", "uncomfortable"),
            ("knee_drops", "checkin", "gentle"),
            ("chair_hamstring_stage_4", "checkin", "numbness"),
            ("low_lunge", "paused", None),
            ("cat_cow", "skipped", None),  # not done: the session is not a comfortable one
            ("chair_hamstring_stage_5", "locked", None),  # not offered: no mark
        ],
    )
    abandoned = await factories.practice_session(
        db, me, day + timedelta(hours=1), [], status=SessionStatus.ABANDONED
    )
    await factories.practice_session(
        db, me, NOW - timedelta(days=90), [("chair_hamstring_stage_3", "done", None)]
    )
    db.add(PainReport(subscriber_id=me, source="command", answers={}, created_at=day))
    await db.commit()

    found = await progress.histories(db, [me, other], SINCE, RULES)
    assert other not in found
    history = found[me]
    assert [(s.session_id, s.finished, s.completed) for s in history.sessions] == [
        (first, True, True),
        (abandoned, False, False),
    ]
    assert [(m.stretch_id, m.mark) for m in history.marks] == [
        ("chair_hamstring_stage_3", Mark.CLEAN),
        ("chair_hamstring_stage_2", Mark.SHORT),
        ("knee_drops", Mark.UNEASY),
        ("chair_hamstring_stage_4", Mark.SYMPTOM),
        ("low_lunge", Mark.SYMPTOM),
        ("cat_cow", Mark.SKIPPED),
    ]
    assert history.pain_reports == (day,)
    assert await progress.history_of(db, other, SINCE, RULES) == History()


async def test_a_whole_batch_loads_with_the_same_queries_as_one_person(db: AsyncSession) -> None:
    people = [(await factories.person(db, 100 + n)).id for n in range(40)]
    for owner in people:
        await factories.practice_session(
            db, owner, NOW - timedelta(days=1), [("knee_drops", "checkin", "uncomfortable")]
        )
    await db.commit()
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = db.bind.sync_engine  # type: ignore[union-attr]
    event.listen(engine, "before_cursor_execute", count)
    try:
        await progress.histories(db, people[:1], SINCE, RULES)
        one = len(statements)
        statements.clear()
        batch = await progress.histories(db, people, SINCE, RULES)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == one == 2
    assert len(batch) == len(people)
