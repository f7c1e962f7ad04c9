"""Pain reports as holds on the person: open, decide, record a red flag, lift, and limits.

Every red flag, wherever it comes from (the /pain triage, an after-stretch check-in, a sign-up
screening answer), goes through `record_red_flag` or `decide_triage`, so it holds the person the
same way. Lifting names the report (`lift`): only the newest open red flag can be lifted, and
only with who checked the person and what they said; "not cleared yet" is stored and the hold
stays. Callers commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.safety import SafetyContent
from bot.db import pain
from bot.db.models import PainReport, Subscriber
from bot.domain import lifecycle, nerve_check
from bot.domain.lifecycle import CheckedBy, Result, Tier, Verdict
from bot.domain.triage import Outcome
from bot.usecases import lifecycle as life

__all__ = [
    "current_limits",
    "decide_triage",
    "is_red_flag",
    "lift",
    "open_triage",
    "record_red_flag",
    "tier_of",
    "unanswered_triage",
]


def tier_of(safety: SafetyContent, outcome: Outcome) -> Tier | None:
    """The hold an outcome puts on the person: from "see a professional" up (or whatever the
    content says pauses); None for "ease off"."""
    if outcome is Outcome.URGENT:
        return Tier.URGENT
    if outcome >= Outcome.PROFESSIONAL or safety.outcomes.for_outcome(outcome).pause_reminders:
        return Tier.PROFESSIONAL
    return None


def is_red_flag(safety: SafetyContent, outcome: Outcome) -> bool:
    """Anything from "see a professional" up, or any outcome the content says pauses."""
    return tier_of(safety, outcome) is not None


async def unanswered_triage(db: AsyncSession, subscriber_id: int) -> PainReport | None:
    """The newest triage this person began and did not finish (it holds them)."""
    reports = [r for r in await pain.open_holds(db, subscriber_id) if r.outcome is None]
    return reports[-1] if reports else None


async def open_triage(
    db: AsyncSession,
    subscriber: Subscriber,
    source: str,
    now: datetime,
    session_id: int | None = None,
    given: Iterable[tuple[str, str]] = (),
    *,
    from_the_top: bool = False,
) -> tuple[PainReport, bool]:
    """Begin a triage, or return the unanswered one (True when it is new). Until it is answered
    it holds the person: no reminders, no session. `given`: (question, answer) pairs already
    known (a check-in's "sharp pain"); the walk still starts at the first question.
    `from_the_top`: a symptom was just told (typed), so an unanswered triage forgets its
    answers and asks the urgent question again: "None of these" was said before this symptom."""
    report = await unanswered_triage(db, subscriber.id)
    new = report is None
    if report is None:
        report = await pain.open_report(db, subscriber.id, source, now, session_id=session_id)
        await life.apply(db, subscriber, lifecycle.OpenTriage(report.id), now)
    elif from_the_top:
        await pain.restart(db, report)
    for question_id, answer_id in given:
        await pain.add_answer(db, report, question_id, answer_id)
    return report, new


async def decide_triage(
    db: AsyncSession,
    subscriber: Subscriber,
    report: PainReport,
    safety: SafetyContent,
    outcome: Outcome,
    answered: Iterable[tuple[str, str]],
    now: datetime,
) -> Tier | None:
    """Store the outcome (only the deciding answers): a red flag holds, "ease off" frees."""
    tier = tier_of(safety, outcome)
    # The event first: `apply` reads the person's holds from the rows, so it must still see
    # this report as the unanswered triage it was.
    event = lifecycle.EaseOff(report.id) if tier is None else lifecycle.RaiseFlag(report.id, tier)
    await life.apply(db, subscriber, event, now)
    await pain.decide(db, report, outcome, answered)
    if tier is not None:
        await pain.set_outcome(db, report, tier.value)
    return tier


async def record_red_flag(
    db: AsyncSession,
    subscriber: Subscriber,
    source: str,
    tier: Tier,
    answered: Iterable[tuple[str, str]],
    now: datetime,
    session_id: int | None = None,
) -> PainReport:
    """A red flag decided elsewhere (a check-in answer, a screening answer): one report with
    the answer ids, holding the person like a triage's. `source`: "checkin", "screening", ..."""
    report = await pain.open_report(db, subscriber.id, source, now, session_id=session_id)
    report.answers = dict(answered)
    await pain.set_outcome(db, report, tier.value)
    await life.apply(db, subscriber, lifecycle.RaiseFlag(report.id, tier), now)
    return report


async def lift(
    db: AsyncSession,
    subscriber: Subscriber,
    report_id: int,
    checked_by: CheckedBy,
    verdict: Verdict,
    now: datetime,
) -> Result:
    """The person says who checked them and what they said, naming the report. `Refused`
    (EXPIRED) when it is not their newest open red flag; a Transition whose life still holds
    them for "not cleared yet"."""
    return await life.apply(db, subscriber, lifecycle.Lift(report_id, checked_by, verdict), now)


async def current_limits(db: AsyncSession, subscriber_id: int) -> frozenset[str]:
    """The routine picker's limits ("no_nerve_tension", "gentle_only"): from the latest lift
    (the newest professional opinion is the one that stands), and from the answer to the
    question before the first nerve-tension routine (`bot.domain.nerve_check`)."""
    person = await db.get(Subscriber, subscriber_id)
    asked = nerve_check.limits_of(person.nerve_check if person is not None else None)
    clearance = await pain.latest_clearance(db, subscriber_id)
    try:
        return asked | (Verdict(clearance).limits if clearance else frozenset())
    except ValueError:
        return asked
