"""/stats through the local Telegram: the figures as a caption on a small weekly chart (PNG)."""

from __future__ import annotations

import io
import struct
from datetime import timedelta

import pytest

from bot.chat.texts import stats as texts
from bot.db import sessions
from bot.domain.flow import CheckIn, HoldElapsed, PlannedStep, Rate, StartHold, Transition, apply
from bot.domain.flow import start as start_flow
from sandbox.people import SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, subscribe
from tests.support.content import shipped_content

pytestmark = pytest.mark.e2e

CHECKIN = shipped_content().safety.checkin
FOLD = PlannedStep("seated_forward_fold", 60, 1, 1)


async def practised(bot: RunningBot, subscriber_id: int, days_ago: int, rating: int) -> None:
    """A session done `days_ago` days before the bot's today: one 60 s stretch, then a rating."""
    when = bot.clock() - timedelta(days=days_ago)
    async with bot.services.session_factory() as db:
        first = start_flow("seated_progression", (FOLD,))
        row = await sessions.create(db, subscriber_id, first, when)
        state = first.state
        for event in (
            StartHold(state.seq, when),
            HoldElapsed(1),
            CheckIn(state.seq + 2, "gentle"),
            Rate(state.seq + 3, rating),
        ):
            result = apply(state, event, CHECKIN)
            assert isinstance(result, Transition), (event, result)
            await sessions.save(db, row, result, when)
            state = result.state
        await db.commit()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "a PNG image"
    width, height = struct.unpack(">II", io.BytesIO(data[16:24]).read())
    return width, height


async def test_stats_show_streak_week_month_trend_and_a_chart(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    await person.send("/stats")
    empty = await person.next_message(TIMEOUT)
    assert empty.text == texts.no_sessions_yet()
    assert empty.button_labels == ["▶️ Today's session"]

    # The clock is Tuesday 24 Nov 2026: Monday and Tuesday this week, Sunday last week.
    for days_ago, rating in [(15, 6), (9, 5), (2, 4), (1, 3), (0, 2)]:
        await practised(stretchbot, me, days_ago, rating)
    await person.send("/stats")
    reply = await person.next_message(TIMEOUT)
    assert reply.kind == "photo" and reply.photo is not None
    width, height = png_size(reply.photo)
    assert (width, height) == (600, 300)
    caption = reply.text or ""
    assert "Streak: 3 days" in caption
    assert "This week: 2 sessions. 1 more to reach the goal of 3–5." in caption
    assert "This month: 5 min of stretching" in caption
    assert "6 → 5 → 4 → 3 → 2" in caption and "easing" in caption
