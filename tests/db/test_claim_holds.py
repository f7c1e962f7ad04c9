"""The dispatcher's claim skips anyone a hold is on, in the SQL itself (both backends).

Whatever wrote the hold (a triage, a check-in, a screening answer, or a report while stopped),
a person with an open red flag or an unanswered triage is never claimed, even when their row
still owes a reminder; housekeeping clears such rows out of the due range. What a lift allowed
(limits) travels with each claimed person to the routine picker.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db import deliveries
from bot.db.deliveries import Decision, DueSubscriber
from bot.db.models import DeliveryKind, DeliveryStatus, PainReport, Preferences, Subscriber
from bot.domain import lifecycle
from bot.domain.lifecycle import CheckedBy, Hold, Life, Status, Tier, Verdict
from bot.domain.nerve_check import NerveCheck
from tests.db.test_deliveries import NOW, Factory, add_subscribers, next_at

DUE = NOW - timedelta(minutes=1)


async def _report(
    factory: Factory,
    subscriber_id: int,
    outcome: str | None,
    *,
    resolved: bool = False,
    clearance: str | None = None,
) -> None:
    async with factory.begin() as session:
        session.add(
            PainReport(
                subscriber_id=subscriber_id,
                source="screening",
                answers={},
                outcome=outcome,
                created_at=NOW - timedelta(days=2),
                resolved_at=NOW - timedelta(days=1) if resolved else None,
                clearance=clearance,
                checked_by="gp" if clearance else None,
            )
        )


async def test_the_claim_skips_open_holds_and_only_them(session_factory: Factory) -> None:
    free, urgent, professional, triage, eased, lifted = await add_subscribers(
        session_factory, [DUE] * 6
    )
    await _report(session_factory, urgent, "urgent")
    await _report(session_factory, professional, "professional")
    await _report(session_factory, triage, None)  # begun, never answered
    await _report(session_factory, eased, "ease_off")
    await _report(session_factory, lifted, "urgent", resolved=True, clearance="gentle_only")

    seen: dict[int, DueSubscriber] = {}

    def decide(subject: DueSubscriber) -> Decision:
        seen[subject.subscriber_id] = subject
        return Decision(
            subject.due_at + timedelta(days=1), DeliveryKind.DAILY, DeliveryStatus.PENDING
        )

    async with session_factory.begin() as session:
        claim = await deliveries.claim_due(session, NOW, 100, decide)
    assert sorted(r.subscriber_id for r in claim.reminders) == sorted([free, eased, lifted])
    assert seen[lifted].limits == {"gentle_only"} and seen[free].limits == frozenset()
    for held in (urgent, professional, triage):
        assert await next_at(session_factory, held) == DUE, "never claimed"

    async with session_factory.begin() as session:
        assert await deliveries.release_inactive(session, NOW, 100) == 3
    for held in (urgent, professional, triage):
        assert await next_at(session_factory, held) is None


async def test_the_sql_says_what_the_state_machine_says(session_factory: Factory) -> None:
    """`remindable()` and `Life.may_be_reminded` agree for every status and kind of report."""
    cases = [
        (status, outcome)
        for status in Status
        for outcome in (None, "none", "urgent", "professional", "ease_off")
    ]
    ids = []
    for number, (status, _) in enumerate(cases):
        (person,) = await add_subscribers(
            session_factory,
            [DUE],
            status=status,
            first_user_id=5000 + number,  # type: ignore[arg-type]
        )
        ids.append(person)
    for person, (_, outcome) in zip(ids, cases, strict=True):
        if outcome != "none":
            await _report(session_factory, person, outcome)
    async with session_factory() as session:
        claimable = set(
            (
                await session.execute(
                    select(Preferences.subscriber_id)
                    .join(
                        deliveries.Subscriber, deliveries.Subscriber.id == Preferences.subscriber_id
                    )
                    .where(deliveries.remindable())
                )
            ).scalars()
        )
    for person, (status, outcome) in zip(ids, cases, strict=True):
        holds = () if outcome in ("none", "ease_off") else (Hold(1, Tier(outcome or "triage")),)
        life = Life(status=status, signed_up=True, holds=holds)
        assert (person in claimable) == life.may_be_reminded, (status, outcome)
    assert lifecycle.Life().may_be_reminded is False


async def test_the_legs_answer_travels_with_the_claim(session_factory: Factory) -> None:
    """A "yes" to the question before the first nerve-tension routine leaves those stretches
    out of the dispatcher's plan until cleared, added to any lifted red flag's limits."""
    never, no, yes, cleared, both = await add_subscribers(session_factory, [DUE] * 5)
    records = {
        no: NerveCheck(tight=False),
        yes: NerveCheck(tight=True),
        cleared: NerveCheck(tight=True).cleared(CheckedBy.PHYSIO, Verdict.CLEARED),
        both: NerveCheck(tight=True).cleared(CheckedBy.GP, Verdict.NOT_CLEARED),
    }
    async with session_factory.begin() as session:
        for subscriber_id, check in records.items():
            person = await session.get(Subscriber, subscriber_id)
            assert person is not None
            person.nerve_check = check.stored()
    await _report(session_factory, both, "urgent", resolved=True, clearance="gentle_only")
    seen: dict[int, DueSubscriber] = {}

    def decide(subject: DueSubscriber) -> Decision:
        seen[subject.subscriber_id] = subject
        return Decision(
            subject.due_at + timedelta(days=1), DeliveryKind.DAILY, DeliveryStatus.PENDING
        )

    async with session_factory.begin() as session:
        await deliveries.claim_due(session, NOW, 100, decide)
    assert {who: seen[who].limits for who in (never, no, yes, cleared, both)} == {
        never: frozenset(),
        no: frozenset(),
        yes: {"no_nerve_tension"},
        cleared: frozenset(),
        both: {"no_nerve_tension", "gentle_only"},
    }
