"""A pain triage walked from the chat: the session it pauses, the report it opens or takes up,
and one answer at a time until `bot.domain.triage` decides.

The holding rules (a triage holds the person until answered, a red flag until lifted) are
`holds`'; this is the order the chat asks them in, so a handler only decodes the tap, calls one
function here and shows what it returns. Ids from buttons are checked against their owner, never
trusted. Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.safety import SafetyContent, TriageContent, TriageQuestion
from bot.db import pain, sessions, subscribers
from bot.db.models import PainReport
from bot.domain.flow import FlowState
from bot.domain.triage import Ask, Outcome, UnknownAnswerError, next_question, triage
from bot.usecases import holds, people

__all__ = [
    "Asked",
    "Decided",
    "RunningSession",
    "answer",
    "begin",
    "running_session",
    "waiting_report",
]


@dataclass(frozen=True, slots=True)
class RunningSession:
    """The person's session that is still on, and where its flow stands."""

    session_id: int
    state: FlowState


@dataclass(frozen=True, slots=True)
class Asked:
    """The answer was stored and the triage goes on: `question` is next; `index` is its place
    in the content, which its buttons carry."""

    question: TriageQuestion
    index: int


@dataclass(frozen=True, slots=True)
class Decided:
    """The answer decided the triage: `outcome` is stored, with the hold it means."""

    person_id: int
    outcome: Outcome


async def running_session(db: AsyncSession, subscriber_id: int) -> RunningSession | None:
    """The session a triage pauses when it opens, and stops or lets carry on once decided."""
    active = await sessions.active_for(db, subscriber_id)
    return RunningSession(active.id, sessions.state_of(active)) if active else None


async def begin(
    db: AsyncSession,
    subscriber_id: int,
    source: str,
    now: datetime,
    *,
    session_id: int | None = None,
    from_the_top: bool = False,
) -> tuple[PainReport, bool] | None:
    """Open a triage for the person, or take up their unanswered one (True when it is new);
    None when the person is gone. `from_the_top`: see `holds.open_triage`."""
    owner = await subscribers.get_by_id(db, subscriber_id)
    if owner is None:
        return None
    return await holds.open_triage(
        db, owner, source, now, session_id=session_id, from_the_top=from_the_top
    )


async def waiting_report(
    db: AsyncSession, telegram_user_id: int, report_id: int
) -> PainReport | None:
    """This person's triage `report_id` while it still waits for an answer; None once it was
    decided or lifted, or when it is not theirs (its "back to the questions" has expired)."""
    person = await people.known(db, telegram_user_id)
    report = await pain.get_owned(db, report_id, person.id) if person else None
    if report is None or report.outcome is not None or report.resolved_at is not None:
        return None
    return report


async def answer(
    db: AsyncSession,
    content: TriageContent,
    safety: SafetyContent,
    telegram_user_id: int,
    report_id: int,
    asked: int,
    chosen: int,
    now: datetime,
) -> Asked | Decided | None:
    """Answer `chosen` to question number `asked` of the person's triage `report_id`: the next
    question, or the outcome (stored through `holds.decide_triage`). None: the button has
    expired (not theirs, decided already, another question waits, the content changed) and
    nothing is stored. `content`: the triage as the person reads it (ids and rules as in
    `safety`, which decides the hold)."""
    person = await people.known(db, telegram_user_id)
    report = await pain.get_owned(db, report_id, person.id, lock=True) if person else None
    if person is None or report is None or report.outcome is not None:
        return None
    try:
        question = next_question(content, report.answers)
    except UnknownAnswerError:  # the safety content changed since this report began
        return None
    if question is None or content.questions.index(question) != asked:
        return None
    if not 0 <= chosen < len(question.answers):
        return None
    await pain.add_answer(db, report, question.id, question.answers[chosen].id)
    result = triage(content, report.answers)
    if isinstance(result, Ask):
        return Asked(result.question, content.questions.index(result.question))
    await holds.decide_triage(db, person, report, safety, result.outcome, result.answered, now)
    return Decided(person.id, result.outcome)
