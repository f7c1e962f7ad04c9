"""One step harder, through the local Telegram: after five comfortable sessions of a routine the
session offers its harder variant once; "Try" serves it from the next session on, "Keep" means
no asking again for fourteen days (on the test's clock), and then it is asked again.

Earlier sessions are put into the database by the real session flow (`practised`); today
happens through the stand-in Telegram, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.texts import session as texts
from bot.chat.texts import step_up as step_texts
from bot.db.models import DeliveryStatus, PainReport, ReminderDelivery
from bot.domain.progression import COMFORT_RUN, OFFER_QUIET_DAYS
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import (
    TIMEOUT,
    event_kinds,
    freshly_screened,
    has,
    open_card,
    practice_sessions,
    subscribe,
)
from tests.e2e.test_progression import practised

pytestmark = pytest.mark.e2e

ROUTINE = "lower_back_short_easy"
TWIST = "Lying knee twist"
DROPS = "Knee drops side to side"
OFFER = "Ready for a step up?"


@pytest.fixture
def bot_hold_scale() -> float:
    return 0.01


async def comfortable_run(bot: RunningBot, me: int) -> None:
    now = bot.clock()
    for days_ago in range(COMFORT_RUN + 1, 1, -1):
        await practised(bot, me, ROUTINE, now - timedelta(days=days_ago))


async def comfortable_again(bot: RunningBot, me: int) -> None:
    """Five comfortable sessions since the ones this test skipped through: a skipped stretch
    ends a comfortable run, so without them no offer would be due whatever the 14 days say."""
    bot.clock.advance(minutes=COMFORT_RUN + 1)
    now = bot.clock()
    for minutes_ago in range(COMFORT_RUN, 0, -1):
        await practised(bot, me, ROUTINE, now - timedelta(minutes=minutes_ago))


async def start(person: SimUser, card: ChatMessage) -> ChatMessage:
    tapped = await person.tap(texts.start(), message=card)
    assert (await tapped.answered(TIMEOUT)).text is None
    return await person.wait_for_message(has("1/"), timeout=TIMEOUT)


async def start_with_offer(person: SimUser) -> tuple[ChatMessage, ChatMessage]:
    """Start today's routine; the offer comes first, above the session's first step."""
    tapped = await person.tap(texts.start(), message=await open_card(person))
    assert (await tapped.answered(TIMEOUT)).text is None
    offer = await person.wait_for_message(has(OFFER), timeout=TIMEOUT)
    step = await person.wait_for_message(has("1/"), timeout=TIMEOUT)
    assert f"{DROPS} could take the place of {TWIST}" in (offer.text or "")
    assert offer.button_labels == [step_texts.take_label(), step_texts.keep_label(TWIST)]
    return offer, step


async def skip_to_the_end(person: SimUser, step: ChatMessage) -> ChatMessage:
    """Skip every step left (quick, and the session ends completed); the summary."""
    while texts.skip() in step.button_labels:
        pressed = await person.tap(texts.skip(), message=step)
        await pressed.answered(TIMEOUT)
        step = await person.wait_for_edit(step, timeout=TIMEOUT)
    return step


async def starts_without_offer(person: SimUser) -> None:
    step = await start(person, await open_card(person))
    assert not any(OFFER in (m.text or "") for m in person.chat())
    await skip_to_the_end(person, step)


async def answer(person: SimUser, offer: ChatMessage, label: str) -> str:
    tapped = await person.tap(label, message=offer)
    await tapped.answered(TIMEOUT)
    answered = await person.wait_for_edit(offer, timeout=TIMEOUT)
    assert answered.button_labels == []
    return answered.text or ""


async def reminded_today(bot: RunningBot, me: int) -> None:
    """Today's reminder carried the routine again, so /now shows it (days later)."""
    now = bot.clock()
    async with bot.services.session_factory() as db:
        db.add(
            ReminderDelivery(
                subscriber_id=me,
                due_at=now,
                status=DeliveryStatus.SENT,
                routine_id=ROUTINE,
                sent_at=now,
            )
        )
        await db.commit()


async def test_taking_the_offer_serves_the_harder_stretch_from_the_next_session(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, ROUTINE)
    card = await open_card(person)
    assert "step up" not in (card.text or "").lower()  # only an offer, never a silent swap
    await comfortable_run(stretchbot, me)
    offer, step = await start_with_offer(person)
    said = await answer(person, offer, step_texts.take_label())
    assert f"From your next session, {DROPS} takes the place of {TWIST}" in said
    (*_, row) = await practice_sessions(stretchbot, me)
    kinds = [(kind, stretch) for kind, stretch, _ in await event_kinds(stretchbot, row.id)]
    assert ("step_offered", "lying_knee_twist") in kinds
    assert ("step_taken", "lying_knee_twist") in kinds

    await skip_to_the_end(person, step)  # this session stays as it started

    card = await open_card(person)
    assert f"A step up from {TWIST}, as you chose" in (card.text or "")
    step = await start(person, card)
    while "5/5" not in (step.text or ""):
        pressed = await person.tap(texts.skip(), message=step)
        await pressed.answered(TIMEOUT)
        step = await person.wait_for_edit(step, timeout=TIMEOUT)
    assert f"5/5 · {DROPS}" in (step.text or "")
    assert f"A step up from {TWIST}" in (step.text or "")


async def test_keep_is_not_asked_again_for_fourteen_days_and_then_is(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, ROUTINE)
    await comfortable_run(stretchbot, me)
    offer, step = await start_with_offer(person)
    said = await answer(person, offer, step_texts.keep_label(TWIST))
    assert f"{TWIST} stays" in said and f"{OFFER_QUIET_DAYS} days" in said
    (*_, row) = await practice_sessions(stretchbot, me)
    kinds = [kind for kind, _, _ in await event_kinds(stretchbot, row.id)]
    assert "step_kept" in kinds and "step_taken" not in kinds
    await skip_to_the_end(person, step)

    await comfortable_again(stretchbot, me)
    await starts_without_offer(person)  # the same day: asked once
    stretchbot.clock.advance(days=OFFER_QUIET_DAYS, hours=-1)
    await freshly_screened(stretchbot, person)
    await comfortable_again(stretchbot, me)
    await reminded_today(stretchbot, me)
    await starts_without_offer(person)

    stretchbot.clock.advance(hours=1)
    await comfortable_again(stretchbot, me)
    await reminded_today(stretchbot, me)
    await start_with_offer(person)


async def test_sessions_skipped_through_never_earn_an_offer(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person, ROUTINE)
    for _ in range(COMFORT_RUN):
        await starts_without_offer(person)
        stretchbot.clock.advance(days=1)
        await reminded_today(stretchbot, me)
    await starts_without_offer(person)  # five sessions, every stretch skipped: no step up


async def test_after_a_red_flag_the_offer_shows_the_hold_and_takes_nothing(
    stretchbot: RunningBot, person: SimUser
) -> None:
    """Pain reported after the offer was shown: "Try the harder one" must not count."""
    me = await subscribe(stretchbot, person, ROUTINE)
    await comfortable_run(stretchbot, me)
    offer, _ = await start_with_offer(person)
    async with stretchbot.services.session_factory() as db:
        db.add(PainReport(subscriber_id=me, source="pain", outcome="professional", answers={}))
        await db.commit()
    tapped = await person.tap(step_texts.take_label(), message=offer)
    await tapped.answered(TIMEOUT)
    shown = await person.wait_for_edit(offer, timeout=TIMEOUT)
    assert step_texts.take_label() not in shown.button_labels
    assert "harder" not in (shown.text or "").lower()
    (*_, row) = await practice_sessions(stretchbot, me)
    kinds = [kind for kind, _, _ in await event_kinds(stretchbot, row.id)]
    assert "step_offered" in kinds
    assert "step_taken" not in kinds and "step_kept" not in kinds
