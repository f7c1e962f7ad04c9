"""triage, screen and checkin_outcome, answer by answer over the shipped safety content.

The tables below are the safety rules as the project agreed them (red flags -> urgent, warning
signs -> see a professional, soreness -> ease off). They are checked against the shipped YAML,
and each table must cover every answer the YAML offers, so a new answer cannot ship untested.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.safety import (
    SafetyContent,
    ScreeningContent,
    ScreeningQuestion,
    TriageAnswer,
    TriageContent,
    TriageQuestion,
    load_safety,
)
from bot.domain.triage import (
    Ask,
    Decided,
    Outcome,
    Screened,
    UnknownAnswerError,
    checkin_outcome,
    next_question,
    rating_calls_for_triage,
    screen,
    triage,
)

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "safety.yaml"


def _load() -> SafetyContent:
    content, issues = load_safety(SHIPPED)
    assert issues == [] and content is not None
    return content


SAFETY = _load()
U, P, E = Outcome.URGENT, Outcome.PROFESSIONAL, Outcome.EASE_OFF

# (question, answer) -> the outcome it decides, or the id of the question it asks next.
TRIAGE_RULES: dict[tuple[str, str], Outcome | str] = {
    ("red_flags", "bladder_bowel"): U,
    ("red_flags", "saddle_numbness"): U,
    ("red_flags", "leg_weakness"): U,
    ("red_flags", "none_of_these"): "warning_signs",
    ("warning_signs", "sharp_pain"): P,
    ("warning_signs", "tingling"): P,
    ("warning_signs", "swelling"): P,
    ("warning_signs", "over_two_weeks"): P,
    ("warning_signs", "none_of_these"): "soreness",
    ("soreness", "mild_soreness"): E,
    ("soreness", "not_sure"): P,
}
SCREENING_RULES = {
    "urgent_signs": U,
    "pain_now": P,
    "recent_injury": P,
    "see_first": P,
}
CHECKIN_RULES = {
    "gentle": None,
    "uncomfortable": E,
    "sharp_pain": P,
    "numbness": P,
}


def _path_to(content: TriageContent, target: str) -> dict[str, str]:
    """Answers that lead from the first question to `target` (breadth-first, so the shortest)."""
    queue: deque[tuple[TriageQuestion, dict[str, str]]] = deque([(content.first, {})])
    while queue:
        question, answers = queue.popleft()
        if question.id == target:
            return answers
        for answer in question.answers:
            following = content.question(answer.next) if answer.next else None
            if following is not None and answer.outcome is not Outcome.URGENT:
                queue.append((following, {**answers, question.id: answer.id}))
    raise AssertionError(f"{target} cannot be reached")


# --- triage --------------------------------------------------------------------------------


def test_rules_table_covers_every_shipped_answer() -> None:
    offered = {(q.id, a.id) for q in SAFETY.triage.questions for a in q.answers}
    assert offered == set(TRIAGE_RULES)


@pytest.mark.parametrize(("question_id", "answer_id"), sorted(TRIAGE_RULES))
def test_each_answer_leads_where_the_rules_say(question_id: str, answer_id: str) -> None:
    answers = {**_path_to(SAFETY.triage, question_id), question_id: answer_id}
    result = triage(SAFETY.triage, answers)
    expected = TRIAGE_RULES[(question_id, answer_id)]
    if isinstance(expected, Outcome):
        assert result == Decided(expected, tuple(answers.items()))
        assert next_question(SAFETY.triage, answers) is None
    else:
        assert isinstance(result, Ask)
        assert result.question.id == expected
        assert next_question(SAFETY.triage, answers) == result.question


def test_starts_with_the_first_question() -> None:
    assert triage(SAFETY.triage, {}) == Ask(SAFETY.triage.first)
    assert SAFETY.triage.first.id == "red_flags"


def test_urgent_answer_stops_asking_at_once() -> None:
    answers = {"red_flags": "leg_weakness", "warning_signs": "none_of_these"}
    assert triage(SAFETY.triage, answers) == Decided(U, (("red_flags", "leg_weakness"),))


def test_answers_off_the_path_are_ignored() -> None:
    answers = {"red_flags": "none_of_these", "warning_signs": "swelling", "soreness": "not_sure"}
    result = triage(SAFETY.triage, answers)
    assert result == Decided(P, (("red_flags", "none_of_these"), ("warning_signs", "swelling")))


def test_unknown_answer_is_an_error_not_a_guess() -> None:
    with pytest.raises(UnknownAnswerError) as caught:
        triage(SAFETY.triage, {"red_flags": "maybe"})
    assert (caught.value.question_id, caught.value.answer_id) == ("red_flags", "maybe")


def _question(qid: str, *answers: TriageAnswer) -> TriageQuestion:
    return TriageQuestion(id=qid, text=f"Question {qid}?", answers=answers)


def _answer(aid: str, outcome: Outcome | None = None, next: str | None = None) -> TriageAnswer:
    return TriageAnswer(id=aid, label=aid, outcome=outcome, next=next)


def test_rules_come_from_the_content_not_the_code() -> None:
    """Different ids, urgent asked last: the outcome still follows the data."""
    content = TriageContent(
        intro="Hi.",
        questions=(
            _question("alpha", _answer("a1", E, next="beta"), _answer("a2", P)),
            _question("beta", _answer("b1", U), _answer("b2", E)),
        ),
    )
    assert triage(content, {"alpha": "a1", "beta": "b1"}) == Decided(
        U, (("alpha", "a1"), ("beta", "b1"))
    )
    assert triage(content, {"alpha": "a1", "beta": "b2"}) == Decided(
        E, (("alpha", "a1"), ("beta", "b2"))
    )


def test_unchecked_content_with_a_loop_fails_instead_of_hanging() -> None:
    content = TriageContent(
        intro="Hi.",
        questions=(
            _question("one", _answer("go", next="two"), _answer("stop", E)),
            _question("two", _answer("back", next="one"), _answer("stop", E)),
        ),
    )
    with pytest.raises(ValueError, match="loops"):
        triage(content, {"one": "go", "two": "back"})


def test_unchecked_content_without_an_outcome_fails() -> None:
    content = TriageContent(
        intro="Hi.", questions=(_question("one", _answer("nothing"), _answer("stop", E)),)
    )
    with pytest.raises(ValueError, match="without an outcome"):
        triage(content, {"one": "nothing"})


def _check_path(content: TriageContent, answers: dict[str, str], result: Decided) -> None:
    """`answered` must be the walk the answers describe, from the first question to an end."""
    assert result.answered[0][0] == content.first.id
    chosen = []
    for index, (question_id, answer_id) in enumerate(result.answered):
        assert answers[question_id] == answer_id
        question = content.question(question_id)
        assert question is not None
        answer = question.answer(answer_id)
        assert answer is not None
        chosen.append(answer)
        if index + 1 < len(result.answered):
            assert answer.outcome is not U
            assert answer.next == result.answered[index + 1][0]
    last = chosen[-1]
    assert last.next is None or last.outcome is U
    found = [a.outcome for a in chosen if a.outcome is not None]
    assert result.outcome == max(found)  # the most severe answer wins
    if U in found:
        assert result.outcome is U and chosen[-1].outcome is U


@given(st.data())
def test_shipped_triage_for_any_answers(data: st.DataObject) -> None:
    answers = {
        q.id: data.draw(st.sampled_from([a.id for a in q.answers]))
        for q in SAFETY.triage.questions
        if data.draw(st.booleans())
    }
    result = triage(SAFETY.triage, answers)
    if isinstance(result, Ask):
        assert result.question.id not in answers
    else:
        _check_path(SAFETY.triage, answers, result)


@st.composite
def questionnaires(draw: st.DrawFn) -> TriageContent:
    """Forward-only questionnaires where answers may record an outcome and still go on, so the
    "most severe wins" rule is exercised, including urgent answers that (wrongly) have `next`."""
    count = draw(st.integers(1, 6))
    questions = []
    for index in range(count):
        answers = []
        for number in range(draw(st.integers(2, 4))):
            later = [f"q{n}" for n in range(index + 1, count)]
            nxt = draw(st.sampled_from([None, *later]))
            outcome = draw(
                st.sampled_from(list(Outcome))
                if nxt is None
                else st.none() | st.sampled_from(list(Outcome))
            )
            answers.append(_answer(f"a{number}", outcome, nxt))
        questions.append(_question(f"q{index}", *answers))
    return TriageContent(intro="Hi.", questions=tuple(questions))


@given(questionnaires(), st.data())
def test_most_severe_answer_wins_and_urgent_is_final(
    content: TriageContent, data: st.DataObject
) -> None:
    answers = {
        q.id: data.draw(st.sampled_from([a.id for a in q.answers])) for q in content.questions
    }
    result = triage(content, answers)
    assert isinstance(result, Decided)  # every question answered: always decided
    _check_path(content, answers, result)


# --- screening -----------------------------------------------------------------------------


def test_screening_table_covers_every_question() -> None:
    assert [q.id for q in SAFETY.screening.questions] == list(SCREENING_RULES)


def test_screening_asks_in_order_and_clears_when_all_no() -> None:
    questions = SAFETY.screening.questions
    answers: dict[str, bool] = {}
    for question in questions:
        assert screen(SAFETY.screening, answers) == Ask(question)
        answers[question.id] = False
    assert screen(SAFETY.screening, answers) == Screened(None)


@pytest.mark.parametrize(("yes_to", "expected"), SCREENING_RULES.items())
def test_each_screening_yes(yes_to: str, expected: Outcome) -> None:
    answers = {q.id: q.id == yes_to for q in SAFETY.screening.questions}
    assert screen(SAFETY.screening, answers) == Screened(expected)


def test_urgent_screening_yes_stops_asking() -> None:
    assert screen(SAFETY.screening, {"urgent_signs": True}) == Screened(U)


@given(st.lists(st.booleans(), min_size=4, max_size=4))
def test_screening_most_severe_yes_wins(yes: list[bool]) -> None:
    questions = SAFETY.screening.questions
    answers = {q.id: flag for q, flag in zip(questions, yes, strict=True)}
    flagged = [q.if_yes for q, flag in zip(questions, yes, strict=True) if flag]
    assert screen(SAFETY.screening, answers) == Screened(max(flagged) if flagged else None)


@st.composite
def screenings(draw: st.DrawFn) -> tuple[ScreeningContent, dict[str, bool]]:
    outcomes = draw(st.lists(st.sampled_from(list(Outcome)), min_size=1, max_size=6))
    questions = tuple(
        ScreeningQuestion(id=f"s{i}", text=f"Question {i}?", if_yes=outcome)
        for i, outcome in enumerate(outcomes)
    )
    content = ScreeningContent(
        intro="Hi.", yes_label="Yes", no_label="No", questions=questions, all_clear="Fine."
    )
    answers = {q.id: draw(st.booleans()) for q in questions}
    return content, answers


@given(screenings())
def test_any_screening_most_severe_yes_wins(case: tuple[ScreeningContent, dict[str, bool]]) -> None:
    """Generated order and outcomes, so "the last yes" and "the worst yes" differ."""
    content, answers = case
    flagged = [q.if_yes for q in content.questions if answers[q.id]]
    assert screen(content, answers) == Screened(max(flagged) if flagged else None)
    first_urgent = next((q for q in content.questions if answers[q.id] and q.if_yes is U), None)
    if first_urgent is not None:
        cut = content.questions.index(first_urgent) + 1
        asked_so_far = {q.id: answers[q.id] for q in content.questions[:cut]}
        assert screen(content, asked_so_far) == Screened(U)


# --- check-in ------------------------------------------------------------------------------


def test_checkin_table_covers_every_answer() -> None:
    assert [a.id for a in SAFETY.checkin.answers] == list(CHECKIN_RULES)


@pytest.mark.parametrize(("answer_id", "expected"), CHECKIN_RULES.items())
def test_each_checkin_answer(answer_id: str, expected: Outcome | None) -> None:
    assert checkin_outcome(SAFETY.checkin, answer_id) is expected


def test_checkin_ease_off_comes_with_advice_and_two_ways_on() -> None:
    answer = SAFETY.checkin.answer("uncomfortable")
    assert answer is not None and answer.advice
    choices = SAFETY.checkin.ease_off_choices
    assert choices.repeat_gently and choices.skip


def test_unknown_checkin_answer_is_an_error() -> None:
    with pytest.raises(UnknownAnswerError):
        checkin_outcome(SAFETY.checkin, "fine_i_guess")


def test_red_flag_outcomes_pause_reminders_and_ease_off_does_not() -> None:
    outcomes = SAFETY.outcomes
    assert outcomes.for_outcome(U).pause_reminders
    assert outcomes.for_outcome(P).pause_reminders
    assert not outcomes.for_outcome(E).pause_reminders


# --- the pain rating after a session ---------------------------------------------------------

RATING = SAFETY.rating


@pytest.mark.parametrize(
    ("rating", "earlier", "expected"),
    [
        (7, [], True),  # high on its own, even as the first rating
        (10, [9, 9, 9], True),
        (6, [], False),
        (6, [6, 6, 6], False),
        (5, [2, 2, 2], True),  # a rise of 3 over the mean of the last three
        (5, [3, 2, 2], False),  # mean 2.33: a rise of 2.67
        (5, [9, 1, 2, 2], True),  # only the last three count: mean 1.67
        (4, [1], True),  # fewer than three earlier ratings: their mean
        (0, [], False),
        (3, [0, 0, 0], True),
    ],
)
def test_rating_rule(rating: int, earlier: list[int], expected: bool) -> None:
    assert rating_calls_for_triage(rating, earlier, RATING) is expected


@given(st.integers(0, 10), st.lists(st.integers(0, 10), max_size=8))
def test_a_rating_at_or_above_strong_always_opens_the_triage(
    rating: int, earlier: list[int]
) -> None:
    if rating >= RATING.strong:
        assert rating_calls_for_triage(rating, earlier, RATING)
    if not earlier and rating < RATING.strong:
        assert not rating_calls_for_triage(rating, earlier, RATING)


@given(st.integers(0, 10), st.lists(st.integers(0, 10), max_size=8))
def test_a_rating_no_higher_than_before_never_counts_as_a_rise(
    rating: int, earlier: list[int]
) -> None:
    if rating < RATING.strong and all(rating <= e for e in earlier[-RATING.window :]):
        assert not rating_calls_for_triage(rating, earlier, RATING)
