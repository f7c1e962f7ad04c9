"""The safety response on screen, shared by pain triage, the after-stretch check-in and lifting.

A red flag (urgent, or see a professional) is a hold on the person (`bot.usecases.holds`): no
session and no reminder until they say who checked them and that they were cleared. Every hold
screen carries the buttons that start that, naming the report, so nobody is stuck in a hold
they cannot lift, and no older message can lift a newer hold. There is no "resume anyway".
"""

from __future__ import annotations

from bot.chat.keyboards import Buttons
from bot.chat.keyboards import pain as keyboards
from bot.chat.screens import Screen
from bot.chat.texts import pain as texts
from bot.content.safety import OutcomeText, SafetyContent
from bot.domain.lifecycle import Hold, Tier
from bot.domain.triage import Outcome
from bot.i18n.content import localized
from bot.usecases.holds import is_red_flag


def _advice(safety: SafetyContent, tier: Tier) -> OutcomeText:
    outcome = Outcome.URGENT if tier is Tier.URGENT else Outcome.PROFESSIONAL
    return safety.outcomes.for_outcome(outcome)


def outcome_screen(
    safety: SafetyContent, outcome: Outcome, buttons: Buttons, report_id: int | None
) -> Screen:
    """What triage (or a check-in) answers; a red flag comes with its report's lifting buttons.
    Every screen here speaks the current person's language."""
    safety = localized(safety)
    result = safety.outcomes.for_outcome(outcome)
    confirm = safety.outcomes.confirm_checked
    if report_id is None or not is_red_flag(safety, outcome):
        return Screen(texts.outcome(result, None))
    return Screen(texts.outcome(result, confirm), keyboards.red_flag(buttons, confirm, report_id))


def hold_screen(safety: SafetyContent, buttons: Buttons, hold: Hold) -> Screen:
    """Why nothing starts: a red flag (its advice and the checked question), or an unanswered
    triage (one tap back into its question)."""
    safety = localized(safety)
    if hold.tier is Tier.TRIAGE:
        return Screen(texts.triage_waiting(), keyboards.back_to_triage(buttons, hold.report_id))
    confirm = safety.outcomes.confirm_checked
    return Screen(
        texts.on_hold(_advice(safety, hold.tier), confirm),
        keyboards.red_flag(buttons, confirm, hold.report_id),
    )


def still_held_screen(safety: SafetyContent, buttons: Buttons, report_id: int) -> Screen:
    safety = localized(safety)
    confirm = safety.outcomes.confirm_checked
    return Screen(texts.still_held(confirm), keyboards.checked_only(buttons, confirm, report_id))


def not_cleared_screen(safety: SafetyContent, buttons: Buttons, report_id: int) -> Screen:
    safety = localized(safety)
    confirm = safety.outcomes.confirm_checked
    return Screen(texts.not_cleared(), keyboards.checked_only(buttons, confirm, report_id))
