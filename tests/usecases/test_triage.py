"""A pain triage walked from the chat (`bot.usecases.triage`), on real rows (SQLite and
PostgreSQL): the running session it pauses, the report it opens or takes up, and each answer:
stored when it is the awaited question's, refused (nothing stored) when its button has expired,
and the outcome stored with its hold once the answers decide. What the chat shows is the e2e
tests' business (tests/e2e/test_pain.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import sessions
from bot.db.models import PainReport, SessionStatus, Subscriber
from bot.domain import flow
from bot.domain.flow import Phase, PlannedStep
from bot.domain.lifecycle import Tier
from bot.domain.triage import Outcome
from bot.usecases import holds, triage
from bot.usecases import lifecycle as life
from tests.support import factories
from tests.support.content import shipped_content

SAFETY = shipped_content().safety
TRIAGE = SAFETY.triage
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ONCE = PlannedStep("seated_forward_fold", 30, 1, 1, gentle_hold_seconds=20)

# The shipped questions, by their place: 0 red flags, 1 warning signs, 2 soreness.
RED_FLAGS, WARNING_SIGNS, SORENESS = 0, 1, 2
LEG_WEAKNESS, NONE_OF_THESE_FIRST, NONE_OF_THESE_SECOND, MILD_SORENESS = 2, 3, 4, 0


async def _answer(
    db: AsyncSession, person: Subscriber, report: PainReport, asked: int, chosen: int
) -> triage.Asked | triage.Decided | None:
    return await triage.answer(
        db, TRIAGE, SAFETY, person.telegram_user_id, report.id, asked, chosen, NOW
    )


async def _opened(db: AsyncSession, person: Subscriber) -> PainReport:
    opened = await triage.begin(db, person.id, "o", NOW)
    assert opened is not None
    return opened[0]


async def test_running_session_is_the_active_one_with_its_decoded_state(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    assert await triage.running_session(db, person.id) is None
    row = await sessions.create(db, person.id, flow.start("r", (ONCE,)), NOW)
    running = await triage.running_session(db, person.id)
    assert running is not None
    assert running.session_id == row.id
    assert running.state == sessions.state_of(row)
    assert running.state.phase is Phase.READY
    row.status = SessionStatus.COMPLETED
    await db.flush()
    assert await triage.running_session(db, person.id) is None


async def test_begin_opens_a_report_that_holds_and_takes_it_up_again(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    session_id = await factories.practice_session(db, person.id, NOW, status=SessionStatus.ACTIVE)
    opened = await triage.begin(db, person.id, "s", NOW, session_id=session_id)
    assert opened is not None
    report, new = opened
    assert new
    assert (report.subscriber_id, report.source, report.session_id) == (person.id, "s", session_id)
    assert report.outcome is None and report.created_at == NOW
    assert (await life.life_of(db, person)).held

    again = await triage.begin(db, person.id, "o", NOW)
    assert again is not None and again == (report, False)


async def test_begin_from_the_top_forgets_the_answers_so_far(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    report = await _opened(db, person)
    assert isinstance(
        await _answer(db, person, report, RED_FLAGS, NONE_OF_THESE_FIRST), triage.Asked
    )
    kept = await triage.begin(db, person.id, "o", NOW)
    assert kept is not None and kept[0].answers == {"red_flags": "none_of_these"}
    restarted = await triage.begin(db, person.id, "t", NOW, from_the_top=True)
    assert restarted == (report, False)
    assert report.answers == {}


async def test_begin_for_someone_gone_opens_nothing(db: AsyncSession) -> None:
    assert await triage.begin(db, 4242, "o", NOW) is None
    assert await db.get(PainReport, 1) is None


async def test_waiting_report_is_the_persons_unanswered_one_only(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    other = await factories.subscriber(db, 1002)
    report = await _opened(db, person)
    assert await triage.waiting_report(db, person.telegram_user_id, report.id) is report
    assert await triage.waiting_report(db, other.telegram_user_id, report.id) is None
    assert await triage.waiting_report(db, 9999, report.id) is None  # never talked to the bot
    assert await triage.waiting_report(db, person.telegram_user_id, report.id + 1) is None

    report.resolved_at = NOW
    await db.flush()
    assert await triage.waiting_report(db, person.telegram_user_id, report.id) is None
    report.resolved_at, report.outcome = None, Outcome.EASE_OFF.value
    await db.flush()
    assert await triage.waiting_report(db, person.telegram_user_id, report.id) is None


async def test_an_answer_is_stored_and_the_next_question_asked(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    report = await _opened(db, person)
    step = await _answer(db, person, report, RED_FLAGS, NONE_OF_THESE_FIRST)
    assert step == triage.Asked(TRIAGE.questions[WARNING_SIGNS], WARNING_SIGNS)
    assert report.answers == {"red_flags": "none_of_these"}
    assert report.outcome is None
    assert (await life.life_of(db, person)).held, "still held until the last answer"


async def test_an_expired_answer_stores_nothing(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    other = await factories.subscriber(db, 1002)
    report = await _opened(db, person)
    # Another question than the one waiting, an answer the question does not have, someone
    # else's report, someone who never talked to the bot.
    assert await _answer(db, person, report, WARNING_SIGNS, 0) is None
    assert await _answer(db, person, report, RED_FLAGS, len(TRIAGE.questions[0].answers)) is None
    assert await _answer(db, person, report, RED_FLAGS, -1) is None
    assert await _answer(db, other, report, RED_FLAGS, LEG_WEAKNESS) is None
    stranger = await triage.answer(db, TRIAGE, SAFETY, 9999, report.id, RED_FLAGS, 0, NOW)
    assert stranger is None
    assert report.answers == {}
    assert report.outcome is None


async def test_an_urgent_answer_decides_and_holds_the_person(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    report = await _opened(db, person)
    step = await _answer(db, person, report, RED_FLAGS, LEG_WEAKNESS)
    assert step == triage.Decided(person.id, Outcome.URGENT)
    assert report.outcome == Tier.URGENT.value
    assert report.answers == {"red_flags": "leg_weakness"}
    flag = (await life.life_of(db, person)).red_flag
    assert flag is not None and flag.report_id == report.id
    assert await _answer(db, person, report, RED_FLAGS, LEG_WEAKNESS) is None, "decided already"


async def test_easing_off_decides_and_frees_the_person(db: AsyncSession) -> None:
    person = await factories.subscriber(db)
    report = await _opened(db, person)
    await _answer(db, person, report, RED_FLAGS, NONE_OF_THESE_FIRST)
    await _answer(db, person, report, WARNING_SIGNS, NONE_OF_THESE_SECOND)
    step = await _answer(db, person, report, SORENESS, MILD_SORENESS)
    assert step == triage.Decided(person.id, Outcome.EASE_OFF)
    assert report.outcome == Outcome.EASE_OFF.value
    assert not holds.is_red_flag(SAFETY, Outcome.EASE_OFF)
    assert not (await life.life_of(db, person)).held
