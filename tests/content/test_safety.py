"""load_safety: the shipped file is clean, and every kind of broken file is reported precisely.

Broken files are made by changing one thing in a copy of the shipped file, so the tests follow
the real content instead of a fixture that drifts away from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.errors import ContentIssue
from bot.content.safety import Outcome, SafetyContent, load_safety

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "safety.yaml"

Data = dict[str, Any]


def shipped_data() -> Data:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def issues_after(tmp_path: Path, change: Callable[[Data], None]) -> list[ContentIssue]:
    data = shipped_data()
    change(data)
    path = tmp_path / "safety.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    content, issues = load_safety(path)
    assert content is None
    assert issues, "a broken file must report at least one issue"
    assert all(issue.file == "safety.yaml" for issue in issues)
    return issues


def where(issues: list[ContentIssue]) -> set[str]:
    return {issue.path for issue in issues}


def shipped() -> SafetyContent:
    content, issues = load_safety(SHIPPED)
    assert issues == []
    assert content is not None
    return content


def test_shipped_file_loads_without_issues() -> None:
    content = shipped()
    assert content.outcomes.for_outcome(Outcome.URGENT) is content.outcomes.urgent
    assert content.triage.first.id == content.triage.questions[0].id


def test_missing_file_is_one_issue(tmp_path: Path) -> None:
    content, issues = load_safety(tmp_path / "safety.yaml")
    assert content is None
    assert len(issues) == 1
    assert issues[0].file == "safety.yaml"


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "safety.yaml"
    path.write_text("disclaimer: fine\nsafety_note: [unclosed\n", encoding="utf-8")
    content, issues = load_safety(path)
    assert content is None
    assert len(issues) == 1
    assert "line" in str(issues[0])


def test_duplicate_yaml_key_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "safety.yaml"
    text = SHIPPED.read_text(encoding="utf-8") + "\ndisclaimer: a second one\n"
    path.write_text(text, encoding="utf-8")
    content, issues = load_safety(path)
    assert content is None
    assert "duplicate key" in str(issues[0])


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "safety.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    content, issues = load_safety(path)
    assert content is None
    assert [issue.path for issue in issues] == [""]


def test_wrong_outcome_gets_a_dotted_path(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][2]["answers"][0]["outcome"] = "urgnet"

    issues = issues_after(tmp_path, change)
    assert where(issues) == {"triage.questions[2].answers[0].outcome"}
    assert "urgent" in issues[0].message


def test_checkin_outcome_lists_continue_among_the_choices(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["checkin"]["answers"][0]["outcome"] = "carry_on"

    issues = issues_after(tmp_path, change)
    assert where(issues) == {"checkin.answers[0].outcome"}
    assert "continue" in issues[0].message and "carry_on" in issues[0].message


@pytest.mark.parametrize("outcome", ["urgent", "professional", "ease_off"])
def test_every_outcome_needs_its_text(tmp_path: Path, outcome: str) -> None:
    def change(data: Data) -> None:
        del data["outcomes"][outcome]["text"]

    assert where(issues_after(tmp_path, change)) == {f"outcomes.{outcome}.text"}


def test_missing_outcome_section(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        del data["outcomes"]["ease_off"]

    assert where(issues_after(tmp_path, change)) == {"outcomes.ease_off"}


def test_unknown_field_is_a_typo_not_ignored(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["screening"]["questions"][0]["if_no"] = "urgent"

    assert where(issues_after(tmp_path, change)) == {"screening.questions[0].if_no"}


def test_empty_text_and_long_label_are_rejected(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["disclaimer"] = "   "
        data["checkin"]["answers"][1]["label"] = "A label far too long to read on a phone screen"

    assert where(issues_after(tmp_path, change)) == {"disclaimer", "checkin.answers[1].label"}


def test_id_read_as_a_boolean_is_reported(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][2]["answers"][0]["id"] = True  # what a bare `yes` becomes

    assert where(issues_after(tmp_path, change)) == {"triage.questions[2].answers[0].id"}


def test_too_few_answers_counts_what_was_written(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][2]["answers"] = [{"id": "only", "label": "Only", "next": 3}]
        data["screening"]["questions"] = []

    issues = issues_after(tmp_path, change)
    # The count is what the author wrote (1), not how many answers happened to be valid.
    assert where(issues) == {"triage.questions[2].answers", "screening.questions"}
    assert "found 1" in str(issues)


def test_duplicate_ids(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        questions = data["triage"]["questions"]
        questions[1]["answers"][1]["id"] = questions[1]["answers"][0]["id"]
        data["checkin"]["answers"][3]["id"] = data["checkin"]["answers"][2]["id"]
        data["screening"]["questions"][2]["id"] = data["screening"]["questions"][1]["id"]

    # The renamed triage answer is the one "numbness" means, so that reference breaks too.
    assert where(issues_after(tmp_path, change)) == {
        "triage.questions[1].answers[1].id",
        "checkin.answers[3].also_means",
        "checkin.answers[3].id",
        "screening.questions[2].id",
    }


def test_a_stopping_checkin_answer_must_name_its_triage_answer(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        del data["checkin"]["answers"][2]["also_means"]

    assert where(issues_after(tmp_path, change)) == {"checkin.answers[2].also_means"}


def test_a_checkin_answer_may_not_answer_the_urgent_question(tmp_path: Path) -> None:
    """The first triage question (saddle, bladder, legs) is always asked, never pre-filled."""

    def change(data: Data) -> None:
        first = data["triage"]["questions"][0]
        data["checkin"]["answers"][2]["also_means"] = {
            "question": first["id"],
            "answer": first["answers"][-1]["id"],
        }

    assert where(issues_after(tmp_path, change)) == {"checkin.answers[2].also_means"}


def test_a_checkin_answer_must_mean_a_triage_answer_of_its_own_outcome(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["checkin"]["answers"][2]["also_means"] = {
            "question": "soreness",
            "answer": "mild_soreness",
        }

    assert where(issues_after(tmp_path, change)) == {"checkin.answers[2].also_means"}


def test_duplicate_question_id(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][2]["id"] = data["triage"]["questions"][1]["id"]

    assert "triage.questions[2].id" in where(issues_after(tmp_path, change))


def test_answer_that_leads_nowhere(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        del data["triage"]["questions"][2]["answers"][1]["outcome"]

    issues = issues_after(tmp_path, change)
    assert where(issues) == {"triage.questions[2].answers[1]"}
    assert "nowhere" in issues[0].message


def test_next_to_an_unknown_question(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][1]["answers"][-1]["next"] = "sorenes"

    issues = issues_after(tmp_path, change)
    # The misspelt link also leaves the real question unreachable: both are reported.
    assert where(issues) == {"triage.questions[1].answers[4].next", "triage.questions[2]"}


def test_unreachable_question(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][0]["answers"][-1]["next"] = "soreness"

    issues = issues_after(tmp_path, change)
    assert where(issues) == {"triage.questions[1]"}
    assert "no answer leads" in issues[0].message


def test_loop_back_to_an_earlier_question(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][2]["answers"][1]["next"] = "red_flags"

    issues = issues_after(tmp_path, change)
    assert where(issues) == {"triage.questions[2].answers[1].next"}
    assert "back" in issues[0].message


def test_urgent_answer_may_not_ask_more(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["triage"]["questions"][0]["answers"][0]["next"] = "warning_signs"

    assert where(issues_after(tmp_path, change)) == {"triage.questions[0].answers[0].next"}


def test_checkin_rules(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        answers = data["checkin"]["answers"]
        del answers[1]["advice"]  # ease_off without advice
        answers[0]["advice"] = "never shown"  # advice on a 'continue' answer

    assert where(issues_after(tmp_path, change)) == {
        "checkin.answers[0].advice",
        "checkin.answers[1].advice",
    }


def test_checkin_needs_a_way_to_carry_on_and_a_way_to_stop(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        answers = data["checkin"]["answers"]
        data["checkin"]["answers"] = [a for a in answers if a["id"] == "uncomfortable"] * 2
        data["checkin"]["answers"][1] = {**answers[1], "id": "other"}

    messages = [i.message for i in issues_after(tmp_path, change) if i.path == "checkin.answers"]
    assert len(messages) == 2


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        del data["outcomes"]["urgent"]["title"]
        data["triage"]["questions"][0]["answers"][0]["outcome"] = "panic"
        data["screening"]["questions"][0]["if_yes"] = "continue"

    assert where(issues_after(tmp_path, change)) == {
        "outcomes.urgent.title",
        "triage.questions[0].answers[0].outcome",
        "screening.questions[0].if_yes",
    }


def test_outcomes_are_ordered_by_severity() -> None:
    assert Outcome.EASE_OFF < Outcome.PROFESSIONAL < Outcome.URGENT
    assert max(Outcome.PROFESSIONAL, Outcome.URGENT, Outcome.EASE_OFF) is Outcome.URGENT
    assert sorted(Outcome, reverse=True) == [Outcome.URGENT, Outcome.PROFESSIONAL, Outcome.EASE_OFF]
    with pytest.raises(TypeError):
        _ = Outcome.URGENT < "urgent"


def _all_texts(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _all_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _all_texts(value)]
    return []


def test_never_presents_itself_as_medical_advice() -> None:
    for text in _all_texts(shipped_data()):
        for match in re.finditer(r"medical advice", text, flags=re.IGNORECASE):
            assert text[max(0, match.start() - 4) : match.start()].lower() == "not ", text
    assert "not medical advice" in shipped().disclaimer
    assert "not medical advice" in shipped().safety_note


def test_texts_are_short_enough_for_a_phone() -> None:
    assert max(len(text) for text in _all_texts(shipped_data())) <= 600


def test_nerve_question_asks_about_numbness_and_tingling() -> None:
    checkin = shipped().checkin
    assert checkin.question_for(nerve_tension=False) == checkin.question
    nerve = checkin.question_for(nerve_tension=True).lower()
    assert "numbness" in nerve and "tingling" in nerve


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("’", "'"))
