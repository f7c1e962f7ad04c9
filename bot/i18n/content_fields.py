"""Which fields of the content YAML people read, and so which ones are translated.

The walk goes over the validated models, not the raw YAML, so every msgid is exactly the
string the bot holds at run time (folded lines joined, whitespace stripped) and a lookup can
never miss by a trailing newline. Ids, enum values and numbers are not texts: the triage rules
stay one set of data for every language, and only the words around them are translated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import yaml
from pydantic import BaseModel, StringConstraints

from bot.content.crossref import ROUTINES_FILE, STRETCHES_FILE
from bot.content.loader import SAFETY_FILE, Content
from bot.content.models import Routine, RoutineStep, Stretch
from bot.content.safety import (
    CheckinAnswer,
    CheckinContent,
    ConfirmChecked,
    EaseOffChoices,
    OutcomeText,
    RatingRule,
    SafetyContent,
    ScreeningContent,
    ScreeningQuestion,
    TriageAnswer,
    TriageContent,
    TriageQuestion,
)
from bot.content.symptoms import (
    SYMPTOMS_FILE,
    Language,
    LeadIns,
    Openers,
    PhraseFlag,
    SymptomFlag,
)

TRANSLATED: dict[type[BaseModel], tuple[str, ...]] = {
    Stretch: ("name", "muscles", "steps", "cues", "cautions", "warning"),
    Routine: ("title", "description", "warm_up"),
    RoutineStep: ("note",),
    SafetyContent: ("disclaimer", "safety_note"),
    CheckinContent: ("question", "nerve_question", "stop_intro"),
    CheckinAnswer: ("label", "advice"),
    EaseOffChoices: ("repeat_gently", "skip"),
    RatingRule: ("intro",),
    TriageContent: ("intro",),
    TriageQuestion: ("text",),
    TriageAnswer: ("label",),
    ScreeningContent: ("intro", "yes_label", "no_label", "all_clear"),
    ScreeningQuestion: ("text",),
    OutcomeText: ("title", "text"),
    ConfirmChecked: (
        "paused",
        "question",
        "checked_label",
        "not_yet_label",
        "resumed",
        "still_paused",
    ),
    LeadIns: ("urgent", "professional", "ease_off", "opener"),
    SymptomFlag: ("say",),
}
"""Per model, the fields shown to people. Every other field is an id, a number or a rule."""

NOT_TRANSLATED: dict[type[BaseModel], tuple[str, ...]] = {
    Stretch: ("aliases",),
    SymptomFlag: ("phrases",),
    PhraseFlag: ("phrases",),
    Openers: ("anywhere", "alone"),
    Language: (
        "ignore",
        "aliases",
        "negations",
        "hedges",
        "after_negations",
        "clause_breaks",
        "endings",
        "compound_tails",
    ),
}
"""Free-text fields nobody reads in the chat: aliases only help authors find a stretch, and the
symptom lexicon's phrases are words to recognise, written per language in
`content/symptoms.<lang>.yaml` rather than translated."""


@dataclass(frozen=True, slots=True)
class ContentText:
    """One text of the content, where it is, and how long a translation may be."""

    file: str
    path: str
    text: str
    max_length: int


def content_texts(content: Content) -> Iterator[ContentText]:
    """Every translatable text, in file order (a text used twice is yielded twice)."""
    for index, stretch in enumerate(content.stretches.values()):
        yield from _walk(stretch, STRETCHES_FILE, f"stretches[{index}]")
    for index, routine in enumerate(content.routines.values()):
        yield from _walk(routine, ROUTINES_FILE, f"routines[{index}]")
    yield from _walk(content.safety, SAFETY_FILE, "")
    yield from _walk(content.symptoms, SYMPTOMS_FILE, "")


def _walk(model: BaseModel, file: str, path: str) -> Iterator[ContentText]:
    translated = TRANSLATED.get(type(model), ())
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        where = f"{path}.{name}" if path else name
        if name in translated:
            limit = max_length(field.annotation, field.metadata)
            if isinstance(value, str):
                yield ContentText(file, where, value, limit)
            elif isinstance(value, tuple):
                for index, item in enumerate(value):
                    yield ContentText(file, f"{where}[{index}]", item, limit)
        elif isinstance(value, BaseModel):
            yield from _walk(value, file, where)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(item, file, f"{where}[{index}]")


def max_length(annotation: Any, metadata: list[Any] | None = None) -> int:
    """The longest text a field accepts (a translation must fit the same button or line)."""
    constraints = _constraints(annotation, metadata or [])
    limits = [c.max_length for c in constraints if c.max_length is not None]
    return min(limits) if limits else 4096


def human_text_fields(model: type[BaseModel]) -> set[str]:
    """The fields of `model` holding free text: strings with no id pattern. Used by the test
    that keeps TRANSLATED complete when a model gains a field."""
    found: set[str] = set()
    for name, field in model.model_fields.items():
        constraints = _constraints(field.annotation, field.metadata)
        if constraints and all(c.pattern is None for c in constraints):
            found.add(name)
    return found


def _constraints(annotation: Any, metadata: list[Any]) -> list[StringConstraints]:
    found = [m for m in metadata if isinstance(m, StringConstraints)]
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return found + _constraints(base, list(extra))
    for argument in get_args(annotation):
        found += _constraints(argument, [])
    return found


def yaml_lines(path: Path) -> dict[str, int]:
    """1-based line of every scalar by its path (`routines[3].steps[2].note`), for the
    catalogs' location comments; an alias (`*warm_walk`) points at its anchor's line."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}

    def visit(node: yaml.Node, where: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                visit(value, f"{where}.{key.value}" if where else str(key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                visit(item, f"{where}[{index}]")
        else:
            lines[where] = node.start_mark.line + 1

    if root is not None:
        visit(root, "")
    return lines
