"""Safety content: the words and the rules Stretchbot uses when someone may be hurt.

Which answer leads to which outcome lives in `content/safety.yaml`, not in code, so a physio can
read and change the rules without a programmer. This module only makes sure the file is complete
and that every answer leads somewhere: a broken safety file must stop the bot at start-up rather
than leave a person in pain without an answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from functools import total_ordering
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from bot.content.errors import ContentIssue
from bot.content.reading import load_mapping_file

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)]
# Button labels: short enough to read on a phone without being cut off.
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
# Ids travel in Telegram callback data (64 bytes at most), so they stay short and plain.
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=24)]

CONTINUE = "continue"


def _at_least(count: int) -> BeforeValidator:
    """Count the items as written: pydantic's own min_length counts only the valid ones, which
    turns one bad answer into a second, misleading "too few answers" error."""

    def check(value: object) -> object:
        if isinstance(value, list | tuple) and len(value) < count:
            noun = "item" if count == 1 else "items"
            raise ValueError(f"needs at least {count} {noun}, found {len(value)}")
        return value

    return BeforeValidator(check)


@total_ordering
class Outcome(Enum):
    """What a person is told to do, declared from mildest to most severe.

    The order is the point: when answers disagree, the most severe outcome wins.
    """

    EASE_OFF = "ease_off"
    PROFESSIONAL = "professional"
    URGENT = "urgent"

    @property
    def severity(self) -> int:
        """0 for the mildest outcome; higher is more serious."""
        return list(Outcome).index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return self.severity < other.severity


class _Model(BaseModel):
    """Frozen and strict about unknown keys, so a typo in the YAML is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TriageAnswerRef(_Model):
    """A triage question and one of its answers, named by id."""

    question: Ident
    answer: Ident


class CheckinAnswer(_Model):
    """One button after a stretch; `outcome` None means "carry on with the session"."""

    id: Ident
    label: Label
    outcome: Outcome | None
    advice: Text | None = None
    also_means: TriageAnswerRef | None = None
    """The triage answer this check-in answer already gives (e.g. sharp pain): the triage is
    then opened with it filled in, so the urgent question is still asked first and only what is
    left is asked."""

    @field_validator("outcome", mode="before")
    @classmethod
    def _read_outcome(cls, value: object) -> Outcome | None:
        """Authors write `continue` for "no problem"; code sees None, so it cannot be mistaken
        for a fourth outcome."""
        if value == CONTINUE:
            return None
        if isinstance(value, Outcome):
            return value
        if isinstance(value, str) and value in {o.value for o in Outcome}:
            return Outcome(value)
        choices = ", ".join([CONTINUE, *sorted(o.value for o in Outcome)])
        raise ValueError(f"must be one of: {choices} (got {value!r})")


class EaseOffChoices(_Model):
    """The two ways on after "uncomfortable": the flow needs exactly these, so they are fields."""

    repeat_gently: Label
    skip: Label


class CheckinContent(_Model):
    """The question asked after every stretch, with a variant for nerve-tension stretches."""

    question: Text
    nerve_question: Text
    stop_intro: Text
    """Above the urgent question after a stopping answer (sharp pain, numbness)."""
    answers: Annotated[tuple[CheckinAnswer, ...], _at_least(2)]
    ease_off_choices: EaseOffChoices

    def question_for(self, nerve_tension: bool) -> str:
        """Nerve-tension stretches ask about numbness and tingling by name."""
        return self.nerve_question if nerve_tension else self.question

    def answer(self, answer_id: str) -> CheckinAnswer | None:
        return next((a for a in self.answers if a.id == answer_id), None)


class TriageAnswer(_Model):
    """A button in pain triage: it may record an outcome, go to `next`, or both."""

    id: Ident
    label: Label
    outcome: Outcome | None = None
    next: Ident | None = None


class TriageQuestion(_Model):
    id: Ident
    text: Text
    answers: Annotated[tuple[TriageAnswer, ...], _at_least(2)]

    def answer(self, answer_id: str) -> TriageAnswer | None:
        return next((a for a in self.answers if a.id == answer_id), None)


class TriageContent(_Model):
    """Pain triage; the first question is where every report of pain starts."""

    intro: Text
    questions: Annotated[tuple[TriageQuestion, ...], _at_least(1)]

    @property
    def first(self) -> TriageQuestion:
        return self.questions[0]

    def question(self, question_id: str) -> TriageQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)


class ScreeningQuestion(_Model):
    """A yes/no question asked once at sign-up; "yes" leads to `if_yes`."""

    id: Ident
    text: Text
    if_yes: Outcome


class ScreeningContent(_Model):
    intro: Text
    yes_label: Label
    no_label: Label
    questions: Annotated[tuple[ScreeningQuestion, ...], _at_least(1)]
    all_clear: Text


class OutcomeText(_Model):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    text: Text
    pause_reminders: bool


class ConfirmChecked(_Model):
    """Words for pausing reminders after a red flag and resuming them once someone was checked."""

    paused: Text
    question: Text
    checked_label: Label
    not_yet_label: Label
    resumed: Text
    still_paused: Text


class OutcomesContent(_Model):
    urgent: OutcomeText
    professional: OutcomeText
    ease_off: OutcomeText
    confirm_checked: ConfirmChecked

    def for_outcome(self, outcome: Outcome) -> OutcomeText:
        texts = {
            Outcome.URGENT: self.urgent,
            Outcome.PROFESSIONAL: self.professional,
            Outcome.EASE_OFF: self.ease_off,
        }
        return texts[outcome]


class RatingRule(_Model):
    """When the 0–10 pain rating after a session opens the triage instead of a plain "noted"."""

    strong: Annotated[int, Field(ge=1, le=10)]
    rise: Annotated[int, Field(ge=1, le=10)]
    window: Annotated[int, Field(ge=1, le=20)]
    intro: Text


class SafetyContent(_Model):
    """Everything in `content/safety.yaml`."""

    disclaimer: Text
    safety_note: Text
    checkin: CheckinContent
    rating: RatingRule
    triage: TriageContent
    screening: ScreeningContent
    outcomes: OutcomesContent


def load_safety(path: Path) -> tuple[SafetyContent | None, list[ContentIssue]]:
    """Read and check the safety file; on any problem, content is None and every issue is listed."""
    return load_mapping_file(path, SafetyContent, check_safety)


def check_safety(content: SafetyContent) -> list[tuple[str, str]]:
    """The rules a schema cannot express, as (dotted path, message) pairs."""
    return [
        *_check_checkin(content.checkin),
        *_check_checkin_triage(content.checkin, content.triage),
        *_check_triage(content.triage),
        *_check_screening(content.screening),
    ]


def _check_checkin(checkin: CheckinContent) -> Iterator[tuple[str, str]]:
    yield from _duplicates("checkin.answers", [a.id for a in checkin.answers])
    for index, answer in enumerate(checkin.answers):
        where = f"checkin.answers[{index}]"
        if answer.outcome is Outcome.EASE_OFF and answer.advice is None:
            yield f"{where}.advice", "an ease_off answer needs advice on how to go gentler"
        if answer.outcome is not Outcome.EASE_OFF and answer.advice is not None:
            yield f"{where}.advice", "advice is only shown for ease_off answers; remove it"
    outcomes = [a.outcome for a in checkin.answers]
    if None not in outcomes:
        yield "checkin.answers", "needs an answer with outcome 'continue' to carry on"
    if not any(o is not None and o > Outcome.EASE_OFF for o in outcomes):
        yield "checkin.answers", "needs an answer that stops the session (professional or urgent)"


def _check_checkin_triage(
    checkin: CheckinContent, triage: TriageContent
) -> Iterator[tuple[str, str]]:
    """An `also_means` must name a real triage answer with the same outcome, never one of the
    first question's (that question is the urgent one, and it is always asked)."""
    for index, answer in enumerate(checkin.answers):
        ref = answer.also_means
        where = f"checkin.answers[{index}].also_means"
        if ref is None:
            if answer.outcome is not None and answer.outcome > Outcome.EASE_OFF:
                yield where, "a stopping answer must say which triage answer it means"
            continue
        question = triage.question(ref.question)
        target = question.answer(ref.answer) if question else None
        if question is None or target is None:
            yield where, f"no triage answer {ref.question}.{ref.answer}"
        elif question.id == triage.first.id:
            yield where, "must not answer the first triage question: that one is always asked"
        elif target.outcome is not answer.outcome:
            yield where, f"the triage answer's outcome is {target.outcome}, not {answer.outcome}"


def _check_triage(triage: TriageContent) -> Iterator[tuple[str, str]]:
    yield from _duplicates("triage.questions", [q.id for q in triage.questions])
    known = {q.id for q in triage.questions}
    for q_index, question in enumerate(triage.questions):
        base = f"triage.questions[{q_index}]"
        yield from _duplicates(f"{base}.answers", [a.id for a in question.answers])
        for a_index, answer in enumerate(question.answers):
            where = f"{base}.answers[{a_index}]"
            if answer.next is None and answer.outcome is None:
                yield where, "leads nowhere: give it 'next' (a question id) or an 'outcome'"
            if answer.next is not None and answer.next not in known:
                yield f"{where}.next", f"no question has id {answer.next!r}"
            if answer.next is not None and answer.outcome is Outcome.URGENT:
                yield f"{where}.next", "an urgent answer must end triage: remove 'next'"
    yield from _unreachable_and_loops(triage)


def _unreachable_and_loops(triage: TriageContent) -> Iterator[tuple[str, str]]:
    """Depth-first walk from the first question: a loop would ask forever, an unreachable
    question is never asked (usually a misspelt `next`)."""
    index_of = {q.id: i for i, q in reversed(list(enumerate(triage.questions)))}
    done: set[str] = set()
    on_path: set[str] = set()
    found: list[tuple[str, str]] = []

    def visit(question: TriageQuestion) -> None:
        on_path.add(question.id)
        for a_index, answer in enumerate(question.answers):
            if answer.next is None or answer.next not in index_of:
                continue
            if answer.next in on_path:
                where = f"triage.questions[{index_of[question.id]}].answers[{a_index}].next"
                found.append((where, f"goes back to {answer.next!r}: triage must move forward"))
            elif answer.next not in done:
                visit(triage.questions[index_of[answer.next]])
        on_path.discard(question.id)
        done.add(question.id)

    visit(triage.first)
    yield from found
    for index, question in enumerate(triage.questions):
        if question.id not in done:
            yield f"triage.questions[{index}]", "no answer leads to this question"


def _check_screening(screening: ScreeningContent) -> Iterator[tuple[str, str]]:
    yield from _duplicates("screening.questions", [q.id for q in screening.questions])


def _duplicates(where: str, ids: list[str]) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            yield f"{where}[{index}].id", f"duplicate id {item!r}"
        seen.add(item)
