"""A flow event against a stored session (`bot.usecases.practice`), on real rows (SQLite and
PostgreSQL): what is stored, what it opens (a triage, a red flag, the streak), and that a stale
or held event stores nothing. What the chat then shows is the e2e tests' business."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.safety import SafetyContent
from bot.db import pain, sessions
from bot.db.models import PainReport, PracticeSession, SessionEvent, SessionStatus, Subscriber
from bot.domain import flow
from bot.domain.flow import FlowState, Phase, PlannedStep, Stale
from bot.domain.lifecycle import Tier
from bot.usecases import holds, practice
from bot.usecases import lifecycle as life
from tests.support import factories
from tests.support.content import shipped_content

SAFETY = shipped_content().safety
# Monday 23 November 2026, 10:00 UTC (11:00 in Berlin).
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ONCE = PlannedStep("seated_forward_fold", 30, 1, 1, gentle_hold_seconds=20)
FIRST = flow.start("r", (ONCE,)).state.seq
"""The first step's buttons carry this seq."""


async def _session(db: AsyncSession, person: Subscriber, message_id: int | None = 77) -> int:
    """A one-stretch session at its first step, shown as `message_id`."""
    row = await sessions.create(db, person.id, flow.start("r", (ONCE,)), NOW)
    row.message_id = message_id
    await db.flush()
    return row.id


async def _advance(
    db: AsyncSession,
    session_id: int,
    event: flow.Event,
    *,
    user_id: int | None = None,
    safety: SafetyContent = SAFETY,
    now: datetime = NOW,
) -> practice.Advanced | Stale:
    return await practice.advance(db, safety, session_id, event, now, "UTC", user_id=user_id)


def _advanced(result: practice.Advanced | Stale) -> practice.Advanced:
    assert isinstance(result, practice.Advanced), result
    return result


async def _stored(
    session_factory: async_sessionmaker[AsyncSession], session_id: int
) -> tuple[FlowState, PracticeSession, list[str]]:
    """The session as committed, read in a session of its own."""
    async with session_factory() as fresh:
        row = await fresh.get(PracticeSession, session_id)
        assert row is not None
        kinds = list(
            await fresh.scalars(
                select(SessionEvent.kind)
                .where(SessionEvent.session_id == session_id)
                .order_by(SessionEvent.id)
            )
        )
        return FlowState.from_json(row.state), row, kinds


async def _to_checkin(db: AsyncSession, session_id: int) -> FlowState:
    """Hold the one stretch until its timer rings: the check-in question is next."""
    held = _advanced(await _advance(db, session_id, flow.StartHold(FIRST, NOW))).transition.state
    rung = await _advance(db, session_id, flow.HoldElapsed(held.hold_no))
    state = _advanced(rung).transition.state
    assert state.phase is Phase.CHECKIN
    return state


async def _to_done(db: AsyncSession, session_id: int) -> practice.Advanced:
    state = await _to_checkin(db, session_id)
    done = _advanced(await _advance(db, session_id, flow.CheckIn(state.seq, "gentle")))
    assert done.transition.state.phase is Phase.DONE
    return done


async def test_a_tap_stores_the_transition_and_says_where_to_show_it(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    person.language_code = "de"
    session_id = await _session(db, person, message_id=77)
    await db.commit()

    result = _advanced(await _advance(db, session_id, flow.StartHold(FIRST, NOW), user_id=1001))
    await db.commit()

    assert (result.session_id, result.chat_id, result.user_id) == (session_id, 1001, 1001)
    assert (result.message_id, result.language) == (77, "de")
    assert result.before.phase is Phase.READY
    assert result.transition.state.phase is Phase.HOLDING
    assert (result.streak, result.red_flag_report, result.triage) == (0, None, None)
    state, row, kinds = await _stored(session_factory, session_id)
    assert state == result.transition.state
    assert row.hold_ends_at == NOW + timedelta(seconds=30)
    assert kinds == []  # a hold is recorded when it ends

    held = result.transition.state
    rung = _advanced(await _advance(db, session_id, flow.HoldElapsed(held.hold_no)))
    await db.commit()
    stored, row, kinds = await _stored(session_factory, session_id)
    assert stored == rung.transition.state and stored.phase is Phase.CHECKIN
    assert row.hold_ends_at is None
    assert kinds == ["hold"]


async def test_someone_elses_tap_and_an_old_button_store_nothing(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _session(db, person)
    await db.commit()
    before, _, _ = await _stored(session_factory, session_id)

    assert await _advance(db, session_id, flow.StartHold(FIRST, NOW), user_id=999) == Stale(
        "not this person's session"
    )
    assert isinstance(await _advance(db, session_id, flow.Skip(FIRST + 5)), Stale)
    assert await _advance(db, session_id + 100, flow.Skip(FIRST)) == Stale("no such session")
    await db.commit()
    after, row, kinds = await _stored(session_factory, session_id)
    assert after == before and row.status is SessionStatus.ACTIVE and kinds == []


async def test_an_open_red_flag_stops_the_session_at_its_next_event(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _session(db, person)
    # Raised while the session runs (a re-screening answer, say).
    await holds.record_red_flag(db, person, "screening", Tier.URGENT, [("q", "a")], NOW)
    await db.commit()

    result = _advanced(await _advance(db, session_id, flow.StartHold(FIRST, NOW)))
    await db.commit()

    assert result.transition.state.phase is Phase.STOPPED
    _, row, _ = await _stored(session_factory, session_id)
    assert row.status is SessionStatus.STOPPED


async def test_while_the_pain_questions_wait_the_session_waits_too(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _session(db, person)
    await holds.open_triage(db, person, "command", NOW)
    await db.commit()
    before, _, _ = await _stored(session_factory, session_id)

    result = await _advance(db, session_id, flow.StartHold(FIRST, NOW))
    await db.commit()

    assert result == Stale("the pain questions wait for an answer")
    after, row, _ = await _stored(session_factory, session_id)
    assert after == before and row.status is SessionStatus.ACTIVE


async def test_a_sharp_pain_check_in_opens_the_triage_with_its_answer_given(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.subscriber(db)
    session_id = await _session(db, person)
    state = await _to_checkin(db, session_id)

    result = _advanced(await _advance(db, session_id, flow.CheckIn(state.seq, "sharp_pain")))
    await db.commit()

    assert result.triage is not None and result.red_flag_report is None
    assert result.triage.intro == SAFETY.checkin.stop_intro
    async with session_factory() as fresh:
        report = await fresh.get(PainReport, result.triage.report.id)
        assert report is not None
        assert (report.source, report.session_id, report.outcome) == ("checkin", session_id, None)
        assert report.answers == {"warning_signs": "sharp_pain"}
        standing = await life.life_of(fresh, await _person(fresh, person.id))
        assert standing.open_triage is not None and standing.open_triage.report_id == report.id
    _, row, kinds = await _stored(session_factory, session_id)
    assert row.status is SessionStatus.STOPPED
    assert kinds[-2:] == ["checkin", "stopped"]


async def test_a_stopping_check_in_without_a_triage_answer_records_a_red_flag(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Content may give a stopping answer nothing for the triage: then it is a red flag at
    once, named by its report (the chat's lifting buttons need its id)."""
    answers = tuple(
        answer.model_copy(update={"also_means": None}) if answer.id == "sharp_pain" else answer
        for answer in SAFETY.checkin.answers
    )
    safety = SAFETY.model_copy(
        update={"checkin": SAFETY.checkin.model_copy(update={"answers": answers})}
    )
    person = await factories.subscriber(db)
    session_id = await _session(db, person)
    state = await _to_checkin(db, session_id)

    result = await _advance(db, session_id, flow.CheckIn(state.seq, "sharp_pain"), safety=safety)
    await db.commit()

    shown = _advanced(result)
    assert shown.triage is None and shown.red_flag_report is not None
    async with session_factory() as fresh:
        report = await fresh.get(PainReport, shown.red_flag_report)
        assert report is not None
        assert (report.source, report.session_id) == ("checkin", session_id)
        assert report.outcome == Tier.PROFESSIONAL.value
        assert report.answers == {pain.CHECKIN_QUESTION: "sharp_pain"}
        standing = await life.life_of(fresh, await _person(fresh, person.id))
        assert standing.red_flag is not None and standing.red_flag.report_id == report.id


async def test_a_finished_session_counts_the_days_in_a_row(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    for days_ago in (1, 2):
        started = NOW - timedelta(days=days_ago)
        await factories.practice_session(db, person.id, started, [("calf", "done", None)])
    session_id = await _session(db, person)

    assert (await _to_done(db, session_id)).streak == 3
    assert await practice.current_streak(db, person, NOW, "UTC") == 3


async def test_a_high_pain_rating_opens_the_triage_and_a_low_one_does_not(
    db: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    high, low = await factories.subscriber(db, 1), await factories.subscriber(db, 2)
    high_id, low_id = await _session(db, high), await _session(db, low)
    for session_id, rating in ((high_id, SAFETY.rating.strong), (low_id, 1)):
        done = (await _to_done(db, session_id)).transition.state
        rated = _advanced(await _advance(db, session_id, flow.Rate(done.seq, rating)))
        if session_id == high_id:
            assert rated.triage is not None and rated.triage.intro == SAFETY.rating.intro
            assert (rated.triage.report.source, rated.triage.report.session_id) == (
                "rating",
                high_id,
            )
        else:
            assert rated.triage is None
    await db.commit()

    _, high_row, _ = await _stored(session_factory, high_id)
    _, low_row, _ = await _stored(session_factory, low_id)
    assert (high_row.pain_rating, low_row.pain_rating) == (SAFETY.rating.strong, 1)
    async with session_factory() as fresh:
        assert [r.source for r in await pain.open_holds(fresh, high.id)] == ["rating"]
        assert await pain.open_holds(fresh, low.id) == []


async def test_the_countdown_finds_its_hold_only_while_it_runs(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    person.language_code = "de"
    session_id = await _session(db, person, message_id=None)
    held = _advanced(await _advance(db, session_id, flow.StartHold(FIRST, NOW))).transition.state

    assert await practice.running_hold(db, session_id, held.hold_no) is None  # nothing to redraw
    await practice.remember_message(db, session_id, 88)
    running = await practice.running_hold(db, session_id, held.hold_no)
    assert running == practice.RunningHold(held, 1001, 1001, 88, "de")
    assert await practice.running_hold(db, session_id, held.hold_no + 1) is None
    await _advance(db, session_id, flow.HoldElapsed(held.hold_no))
    assert await practice.running_hold(db, session_id, held.hold_no) is None


async def _person(db: AsyncSession, subscriber_id: int) -> Subscriber:
    person = await db.get(Subscriber, subscriber_id)
    assert person is not None
    return person
