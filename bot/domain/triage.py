"""Pain answers -> what to do: ease off, see a professional, or get urgent care.

Pure functions over the safety content, with no Telegram and no database, so every answer can be
tested on its own. Which question or answer is a red flag is read from `content/safety.yaml`;
the only rule written here is that the most severe outcome wins, and that once an answer is
urgent nothing more is asked (no later answer could make it less urgent, and every question
delays help). Results are outcomes, never diagnoses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.content.safety import (
    CheckinContent,
    Outcome,
    RatingRule,
    ScreeningContent,
    ScreeningQuestion,
    TriageContent,
    TriageQuestion,
)

__all__ = [
    "Ask",
    "Decided",
    "Outcome",
    "Screened",
    "ScreeningResult",
    "TriageResult",
    "UnknownAnswerError",
    "checkin_outcome",
    "next_question",
    "rating_calls_for_triage",
    "screen",
    "triage",
]

QuestionT = TypeVar("QuestionT", TriageQuestion, ScreeningQuestion)


@dataclass(frozen=True, slots=True)
class Ask(Generic[QuestionT]):
    """Not decided yet: ask this question next."""

    question: QuestionT


@dataclass(frozen=True, slots=True)
class Decided:
    """Triage is over. `answered` lists the (question id, answer id) pairs that led here, in
    order, so the caller can store why, without storing any free text."""

    outcome: Outcome
    answered: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Screened:
    """Sign-up screening is over; `outcome` None means no "yes" that needs action."""

    outcome: Outcome | None


TriageResult = Ask[TriageQuestion] | Decided
ScreeningResult = Ask[ScreeningQuestion] | Screened


class UnknownAnswerError(ValueError):
    """An answer id the content does not offer (for example a button from older content)."""

    def __init__(self, question_id: str, answer_id: str) -> None:
        super().__init__(f"question {question_id!r} has no answer {answer_id!r}")
        self.question_id = question_id
        self.answer_id = answer_id


def triage(content: TriageContent, answers: Mapping[str, str]) -> TriageResult:
    """Walk the questions from the first, following the answers given so far.

    `answers` maps question id -> answer id; answers to questions off the walked path are
    ignored, so a caller may simply keep every answer of the conversation.
    """
    found: list[Outcome] = []
    answered: list[tuple[str, str]] = []
    question: TriageQuestion | None = content.first
    while question is not None:
        if any(question.id == asked for asked, _ in answered):
            raise ValueError(f"triage loops back to question {question.id!r}")
        answer_id = answers.get(question.id)
        if answer_id is None:
            return Ask(question)
        answer = question.answer(answer_id)
        if answer is None:
            raise UnknownAnswerError(question.id, answer_id)
        answered.append((question.id, answer.id))
        if answer.outcome is not None:
            found.append(answer.outcome)
        if answer.outcome is Outcome.URGENT or answer.next is None:
            break
        question = content.question(answer.next)
        if question is None:
            raise ValueError(f"answer {answer.id!r} leads to unknown question {answer.next!r}")
    if not found:
        raise ValueError(f"triage ended at {answered[-1]} without an outcome")
    return Decided(max(found), tuple(answered))


def next_question(content: TriageContent, answers: Mapping[str, str]) -> TriageQuestion | None:
    """The question to ask now, or None once triage has decided."""
    result = triage(content, answers)
    return result.question if isinstance(result, Ask) else None


def screen(content: ScreeningContent, answers: Mapping[str, bool]) -> ScreeningResult:
    """Sign-up screening: ask in order, "yes" records that question's outcome, the most severe
    wins, and an urgent "yes" ends it at once."""
    worst: Outcome | None = None
    for question in content.questions:
        if question.id not in answers:
            return Ask(question)
        if answers[question.id]:
            worst = question.if_yes if worst is None else max(worst, question.if_yes)
            if worst is Outcome.URGENT:
                break
    return Screened(worst)


def rating_calls_for_triage(rating: int, earlier: Sequence[int], rule: RatingRule) -> bool:
    """An end-of-session pain rating asks the pain questions when it is high on its own, or
    when it rose by `rise` or more over the mean of the person's last `window` ratings."""
    if rating >= rule.strong:
        return True
    recent = list(earlier)[-rule.window :]
    return bool(recent) and rating - sum(recent) / len(recent) >= rule.rise


def checkin_outcome(content: CheckinContent, answer_id: str) -> Outcome | None:
    """The outcome of an after-stretch answer: None carries on, EASE_OFF offers to repeat
    gently or skip, anything more severe stops the session."""
    answer = content.answer(answer_id)
    if answer is None:
        raise UnknownAnswerError("checkin", answer_id)
    return answer.outcome
