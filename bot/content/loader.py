"""Load the whole content folder once, validate it all, and fail with every problem at once.

The bot refuses to start on broken content rather than crash mid-session on a missing stretch,
and an author gets the complete list of problems in one run instead of fixing them one by one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from bot.content.crossref import (
    ROUTINES_FILE,
    STRETCHES_FILE,
    check_builds_on,
    check_prerequisites,
    check_routine,
    check_variants,
    duplicate_ids,
)
from bot.content.errors import ContentError, ContentIssue
from bot.content.models import Routine, RoutinesFile, Stretch, StretchesFile
from bot.content.reading import read_yaml, validation_issues
from bot.content.safety import SafetyContent, load_safety
from bot.content.symptoms import (
    LEXICON_LANGUAGES,
    SYMPTOMS_FILE,
    PhraseLexicon,
    SymptomLexicon,
    lexicon_file,
    load_language_lexicon,
    load_symptoms,
)
from bot.paths import project_home

CONTENT_DIR_ENV = "STRETCHBOT_CONTENT_DIR"
SAFETY_FILE = "safety.yaml"

_Item = TypeVar("_Item", Stretch, Routine)


@dataclass(frozen=True, slots=True)
class Content:
    """Everything in `content/`, validated and cross-checked; dicts keep the files' order."""

    stretches: dict[str, Stretch]
    routines: dict[str, Routine]
    safety: SafetyContent
    symptoms: SymptomLexicon
    #: every language's symptom words, English (`symptoms`) first: the gate reads all of them
    lexicons: dict[str, PhraseLexicon]


def default_content_dir() -> Path:
    """`$STRETCHBOT_CONTENT_DIR` if set, else `content/` in the project's home (the checkout,
    or `STRETCHBOT_HOME` for an installed wheel; see `bot.paths`)."""
    override = os.environ.get(CONTENT_DIR_ENV)
    if override:
        return Path(override)
    return project_home() / "content"


def load_content(directory: Path | None = None) -> Content:
    """Read and validate stretches, routines, safety texts and the symptom lexicon; raise
    ContentError listing every problem."""
    folder = directory if directory is not None else default_content_dir()
    issues: list[ContentIssue] = []
    stretches, known = _load_stretches(folder, issues)
    routines = _load_routines(folder, stretches, known, issues)
    safety, safety_issues = load_safety(folder / SAFETY_FILE)
    issues.extend(safety_issues)
    symptoms, symptom_issues = load_symptoms(folder / SYMPTOMS_FILE)
    issues.extend(symptom_issues)
    lexicons: dict[str, PhraseLexicon] = {} if symptoms is None else {"en": symptoms}
    for language in LEXICON_LANGUAGES:
        lexicon, lexicon_issues = load_language_lexicon(folder / lexicon_file(language), symptoms)
        issues.extend(lexicon_issues)
        if lexicon is not None:
            lexicons[language] = lexicon
    if issues or safety is None or symptoms is None:
        missing = SAFETY_FILE if safety is None else SYMPTOMS_FILE
        raise ContentError(issues or [ContentIssue(missing, "", "could not be loaded")])
    return Content(
        stretches=stretches,
        routines=routines,
        safety=safety,
        symptoms=symptoms,
        lexicons=lexicons,
    )


def _load_stretches(
    folder: Path, issues: list[ContentIssue]
) -> tuple[dict[str, Stretch], set[str] | None]:
    """The valid stretches, and every id the file names (None when the file is unreadable,
    so that routines are not checked against an empty library)."""
    items, broken, readable = _read_section(
        folder / STRETCHES_FILE, "stretches", StretchesFile, Stretch, issues
    )
    dup_issues, repeats = duplicate_ids(STRETCHES_FILE, "stretches", ((i, s.id) for i, s in items))
    issues.extend(dup_issues)
    items = [(i, s) for i, s in items if i not in repeats]
    stretches = {s.id: s for _, s in items}
    known = set(stretches) | broken
    issues.extend(check_prerequisites(items, known))
    issues.extend(check_variants(items, known))
    issues.extend(check_builds_on(items, known))
    return stretches, known if readable else None


def _load_routines(
    folder: Path,
    stretches: dict[str, Stretch],
    known: set[str] | None,
    issues: list[ContentIssue],
) -> dict[str, Routine]:
    items, _, _ = _read_section(folder / ROUTINES_FILE, "routines", RoutinesFile, Routine, issues)
    dup_issues, repeats = duplicate_ids(ROUTINES_FILE, "routines", ((i, r.id) for i, r in items))
    issues.extend(dup_issues)
    items = [(i, r) for i, r in items if i not in repeats]
    if known is not None:
        for index, routine in items:
            issues.extend(check_routine(index, routine, stretches, known))
    return {r.id: r for _, r in items}


def _read_section(
    path: Path,
    section: str,
    file_model: type[StretchesFile] | type[RoutinesFile],
    item_model: type[_Item],
    issues: list[ContentIssue],
) -> tuple[list[tuple[int, _Item]], set[str], bool]:
    """Validate a file's items one by one so one bad item hides none of the others.

    Returns the valid items with their index, the ids of items that failed (so references to
    them are not reported a second time as unknown), and whether the file's list could be read
    at all.
    """
    data, read_issues = read_yaml(path)
    issues.extend(read_issues)
    if data is None:
        return [], set(), False
    try:
        top = file_model.model_validate(data)
    except ValidationError as exc:
        issues.extend(validation_issues(path.name, [], exc))
        return [], set(), False
    raw_items: list[object] = getattr(top, section)
    valid: list[tuple[int, _Item]] = []
    broken: set[str] = set()
    for index, raw in enumerate(raw_items):
        try:
            valid.append((index, item_model.model_validate(raw)))
        except ValidationError as exc:
            issues.extend(validation_issues(path.name, [section, index], exc))
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                broken.add(raw["id"])
    return valid, broken, True
