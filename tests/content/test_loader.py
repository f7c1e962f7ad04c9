"""Loader: every kind of broken content is reported with its file and field path, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.errors import ContentError
from bot.content.loader import CONTENT_DIR_ENV, default_content_dir, load_content
from bot.content.symptoms import LEXICON_LANGUAGES, lexicon_file

from .conftest import SHARED_FILES
from .paths import SHIPPED

CASES: dict[str, list[str]] = {
    "broken_symptoms": [
        "symptoms.yaml: flags[1].tier: should be 'ease_off', 'professional' or 'urgent'",
        "symptoms.yaml: flags[2].phrases: needs at least 1 item, found 0",
        "symptoms.yaml: flags[3].phrases: required field is missing",
        "symptoms.yaml: flags[3].phrase: unknown field (a typo?)",
        "symptoms.yaml: openers.alone_max_words: should be greater than or equal to 1",
        "symptoms.yaml: language.clause_breaks[1]: must be a single word",
    ],
    "symptom_rules": [
        "symptoms.yaml: flags[1].id: duplicate id 'bladder_bowel' (first at flags[0])",
        "symptoms.yaml: flags[1].phrases[0]: has no words left once the `ignore` words are "
        "left out",
        "symptoms.yaml: flags[2].phrases[1]: 'Bladder' is listed twice (first at "
        "flags[0].phrases[1])",
        "symptoms.yaml: openers.anywhere[2]: 'tingling' is listed twice (first at "
        "flags[2].phrases[0])",
        "symptoms.yaml: language.clause_breaks[0]: 'but' is also in `ignore`, so it would never "
        "be seen",
    ],
    "broken_lexicons": [
        "symptoms.es.yaml: flags[0].say: unknown field (a typo?)",
        "symptoms.es.yaml: flags[1].phrases: needs at least 1 item, found 0",
        "symptoms.es.yaml: language.endings[1]: must be a single word",
        "symptoms.es.yaml: language.stem_min_letters: should be less than or equal to 6",
        "symptoms.es.yaml: say: unknown field (a typo?)",
        "symptoms.ru.yaml: flags[2].id: duplicate id 'bladder_bowel' (first at flags[0])",
        "symptoms.ru.yaml: language.clause_breaks[0]: 'но' is also in `ignore`, so it would "
        "never be seen",
        "symptoms.ru.yaml: flags[0].tier: 'bladder_bowel' is 'urgent' in symptoms.yaml, "
        "not 'professional'",
        "symptoms.ru.yaml: flags[1].id: 'back_spasm' is not a flag of symptoms.yaml",
        "symptoms.ru.yaml: flags: missing flags of symptoms.yaml: 'saddle_numbness', "
        "'legs_failing', 'trouble_walking', 'severe_pain', 'chest_pain', 'feeling_faint', "
        "'numbness', 'tingling', 'sharp_pain', 'injury', 'fever_back_pain', "
        "'other_warning_signs', 'long_pain', 'soreness'",
    ],
    "unknown_stretch": [
        "routines.yaml: routines[1].steps[2].stretch: unknown stretch 'foo'",
    ],
    "duplicate_ids": [
        "stretches.yaml: stretches[2].id: duplicate id 'cat_cow' (first at stretches[0])",
        "routines.yaml: routines[1].id: duplicate id 'easy_day' (first at routines[0])",
    ],
    "hold_out_of_order": [
        "stretches.yaml: stretches[0].repetitions: out of order: need min <= default <= max, "
        "got min 3, default 9, max 5",
        "stretches.yaml: stretches[1].hold: out of order: need min <= default <= max, "
        "got min 40, default 30, max 60",
    ],
    "prerequisite_cycle": [
        "stretches.yaml: stretches[2].prerequisites: "
        "prerequisite cycle: stage_a -> stage_c -> stage_b -> stage_a",
        "stretches.yaml: stretches[5].prerequisites: prerequisite cycle: loner -> loner",
    ],
    "missing_text": [
        "stretches.yaml: stretches[1].steps[1]: text is empty",
        "stretches.yaml: stretches[2].warning: an advanced stretch needs a warning text",
        "routines.yaml: routines[0].description: required field is missing",
        "routines.yaml: routines[0].warm_up: text is empty",
    ],
    "yaml_syntax": [
        "routines.yaml: line 6, column 10: YAML syntax error: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence started at line 5)",
    ],
    "duplicate_key": [
        # The routines are not also reported as using unknown stretches.
        "stretches.yaml: line 10, column 5: YAML syntax error: duplicate key 'hold'",
    ],
    "wrong_types": [
        "stretches.yaml: stretches[1].focus[0]: "
        "should be 'hamstrings', 'calves', 'hips_glutes', 'lower_back' or 'spine'",
        "stretches.yaml: stretches[1].per_side: should be true or false",
        "stretches.yaml: stretches[1].hold.default: should be a whole number",
        "routines.yaml: routines[0].steps: should be a list",
        "routines.yaml: routines[1].id: "
        "must be a snake_case id (lowercase letters, digits, single underscores)",
        "routines.yaml: routines[1].level: should be 'beginner', 'intermediate' or 'advanced'",
        "routines.yaml: routines[1].steps[0].repetitions: should be greater than 0",
    ],
    "override_out_of_range": [
        "routines.yaml: routines[0].steps[0].repetitions: 12 is outside the 3-9 range of 'cat_cow'",
        "routines.yaml: routines[0].steps[1].hold: "
        "300 s is outside the 20-30 s range of 'calf_wall'",
    ],
    "level_and_focus": [
        "routines.yaml: routines[0].steps[1].stretch: "
        "'chair_slump' is advanced, above this beginner routine",
        "routines.yaml: routines[0].focus[1]: no stretch in this routine serves 'hips_glutes'",
    ],
    "builds_on": [
        "stretches.yaml: stretches[3].builds_on: unknown stretch 'cat_cow_squared'",
        "routines.yaml: routines[1].steps[0].stretch: 'calf_wall_deeper' starts from the set-up "
        "of 'calf_wall', which must be the step right before it",
    ],
    "unknown_field": [
        "stretches.yaml: stretches[1].hodl: unknown field (a typo?)",
        "routines.yaml: routines[0].warm_up: required field is missing",
        "routines.yaml: routines[0].warmup: unknown field (a typo?)",
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_case_lists_every_issue(case: str, case_dir: Callable[[str], Path]) -> None:
    with pytest.raises(ContentError) as caught:
        load_content(case_dir(case))
    assert [str(issue) for issue in caught.value.issues] == CASES[case]


def test_missing_file_is_named(case_dir: Callable[[str], Path]) -> None:
    folder = case_dir("missing_file")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert [str(issue) for issue in caught.value.issues] == [
        f"routines.yaml: file not found in {folder}"
    ]


def test_error_message_lists_all_issues(case_dir: Callable[[str], Path]) -> None:
    with pytest.raises(ContentError) as caught:
        load_content(case_dir("missing_text"))
    assert str(caught.value).count("\n") == len(CASES["missing_text"]) - 1


def test_broken_safety_file_stops_loading(tmp_path: Path) -> None:
    for name in ("stretches.yaml", "routines.yaml", *SHARED_FILES):
        if name == "safety.yaml":
            continue
        (tmp_path / name).write_text((SHIPPED / name).read_text(encoding="utf-8"))
    (tmp_path / "safety.yaml").write_text("disclaimer: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)
    assert [issue.file for issue in caught.value.issues] == ["safety.yaml"]


def test_missing_symptom_lexicon_stops_loading(tmp_path: Path) -> None:
    for name in ("stretches.yaml", "routines.yaml", *SHARED_FILES):
        if name != "symptoms.yaml":
            (tmp_path / name).write_text((SHIPPED / name).read_text(encoding="utf-8"))
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)
    assert [str(issue) for issue in caught.value.issues] == [
        f"symptoms.yaml: file not found in {tmp_path}"
    ]


@pytest.mark.parametrize("language", LEXICON_LANGUAGES)
def test_a_missing_language_lexicon_stops_loading(tmp_path: Path, language: str) -> None:
    """German, Spanish and Russian symptoms are as much a safety rule as English ones."""
    for name in ("stretches.yaml", "routines.yaml", *SHARED_FILES):
        if name != lexicon_file(language):
            (tmp_path / name).write_text((SHIPPED / name).read_text(encoding="utf-8"))
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)
    assert [str(issue) for issue in caught.value.issues] == [
        f"symptoms.{language}.yaml: file not found in {tmp_path}"
    ]


def test_a_language_lexicon_that_changes_a_tier_stops_loading(tmp_path: Path) -> None:
    """The triage rules are one set of data: a language file cannot make a red flag milder."""
    for name in ("stretches.yaml", "routines.yaml", *SHARED_FILES):
        (tmp_path / name).write_text((SHIPPED / name).read_text(encoding="utf-8"))
    german = tmp_path / "symptoms.de.yaml"
    text = german.read_text(encoding="utf-8")
    milder = text.replace(
        "  - id: legs_failing\n    tier: urgent", "  - id: legs_failing\n    tier: ease_off"
    )
    assert milder != text
    german.write_text(milder, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)
    assert [str(issue) for issue in caught.value.issues] == [
        "symptoms.de.yaml: flags[2].tier: 'legs_failing' is 'urgent' in symptoms.yaml, "
        "not 'ease_off'"
    ]


def test_valid_fixture_loads_in_file_order(case_dir: Callable[[str], Path]) -> None:
    folder = case_dir("unknown_stretch")
    routines = (folder / "routines.yaml").read_text(encoding="utf-8")
    (folder / "routines.yaml").write_text(routines.replace("{stretch: foo}", "{stretch: cat_cow}"))
    content = load_content(folder)
    assert list(content.stretches) == ["cat_cow", "calf_wall"]
    assert list(content.routines) == ["easy_day", "typo_day"]


def test_default_dir_is_the_repository_content_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONTENT_DIR_ENV, raising=False)
    assert default_content_dir() == SHIPPED


def test_env_var_overrides_the_default_dir(
    monkeypatch: pytest.MonkeyPatch, case_dir: Callable[[str], Path]
) -> None:
    folder = case_dir("unknown_stretch")
    monkeypatch.setenv(CONTENT_DIR_ENV, str(folder))
    assert default_content_dir() == folder
    with pytest.raises(ContentError) as caught:
        load_content()
    assert "unknown stretch 'foo'" in str(caught.value)
