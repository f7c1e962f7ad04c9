"""The safety response, shared by pain triage and the after-stretch check-in.

A red flag (urgent, or see a professional) pauses reminders (status PAUSED, reason RED_FLAG,
no next reminder) and puts stretching on hold until the person says they were checked, or
chooses to resume after reading the advice again. The outcome message always carries the
buttons to do that, so nobody is stuck in a pause they cannot lift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.chat.keyboards import Buttons
from bot.chat.keyboards import pain as keyboards
from bot.chat.texts import pain as texts
from bot.content.safety import SafetyContent
from bot.db import pain, subscribers
from bot.db.models import PauseReason, Subscriber, SubscriberStatus
from bot.domain.triage import Outcome


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None


def is_red_flag(safety: SafetyContent, outcome: Outcome) -> bool:
    """Anything from "see a professional" up, or any outcome the content says pauses."""
    return outcome >= Outcome.PROFESSIONAL or safety.outcomes.for_outcome(outcome).pause_reminders


async def on_hold(db: AsyncSession, person: Subscriber) -> bool:
    """True while a red flag is open: no session may start."""
    if person.pause_reason == PauseReason.RED_FLAG:
        return True
    return bool(await pain.unresolved_red_flags(db, person.id))


async def pause_for_red_flag(db: AsyncSession, person: Subscriber, now: datetime) -> bool:
    """Pause reminders if the person has any; True when they are now paused for a red flag."""
    if person.status not in (SubscriberStatus.ACTIVE, SubscriberStatus.PAUSED):
        return False
    await subscribers.pause(db, person, now, reason=PauseReason.RED_FLAG)
    return True


async def lift(db: AsyncSession, person: Subscriber, now: datetime) -> bool:
    """The person confirmed (checked, or resume after reading): close red flags, resume."""
    resolved = await pain.resolve_red_flags(db, person.id, now)
    paused = (
        person.status == SubscriberStatus.PAUSED and person.pause_reason == PauseReason.RED_FLAG
    )
    if paused:
        await subscribers.resume(db, person, now)
    return bool(resolved) or paused


async def latest_red_outcome(db: AsyncSession, person: Subscriber) -> Outcome:
    """The outcome to repeat when the person asks to resume anyway."""
    reports = await pain.unresolved_red_flags(db, person.id)
    outcomes = [Outcome(r.outcome) for r in reports if r.outcome is not None]
    return max(outcomes, default=Outcome.PROFESSIONAL)


def outcome_screen(
    safety: SafetyContent, outcome: Outcome, buttons: Buttons, *, paused: bool
) -> Screen:
    """What triage (or a check-in) answers; red flags come with the "were you checked" buttons."""
    result = safety.outcomes.for_outcome(outcome)
    confirm = safety.outcomes.confirm_checked
    if not is_red_flag(safety, outcome):
        return Screen(texts.outcome(result, None, paused=False))
    return Screen(
        texts.outcome(result, confirm, paused=paused), keyboards.red_flag(buttons, confirm)
    )


def on_hold_screen(safety: SafetyContent, buttons: Buttons) -> Screen:
    confirm = safety.outcomes.confirm_checked
    return Screen(texts.on_hold(confirm), keyboards.red_flag(buttons, confirm))


def still_paused_screen(safety: SafetyContent, buttons: Buttons) -> Screen:
    confirm = safety.outcomes.confirm_checked
    return Screen(texts.still_paused(confirm), keyboards.still_paused(buttons, confirm))


def resume_anyway_screen(safety: SafetyContent, outcome: Outcome, buttons: Buttons) -> Screen:
    result = safety.outcomes.for_outcome(outcome)
    return Screen(texts.resume_anyway(result), keyboards.resume_anyway(buttons))


def resumed_screen(safety: SafetyContent) -> Screen:
    return Screen(texts.resumed(safety.outcomes.confirm_checked))
