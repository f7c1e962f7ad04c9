"""Reading YAML files and turning every failure into `ContentIssue`s with a precise location.

Authors fix content from the error list alone, so each problem carries the file, the path of
the field (`routines[3].steps[2].stretch`) or the line of a syntax error, and a plain message.
Duplicate keys in a mapping are errors too: plain PyYAML silently keeps the last one, which
would hide a typo such as two `hold:` lines.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.content.errors import ContentIssue

Model = TypeVar("Model", bound=BaseModel)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice."""

    def construct_mapping(
        self, node: yaml.MappingNode, deep: bool = False
    ) -> dict[Hashable, object]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path) -> tuple[object, list[ContentIssue]]:
    """Parse one YAML file; on failure return None and the issue (missing, syntax, empty)."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [ContentIssue(name, "", f"file not found in {path.parent}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [ContentIssue(name, "", f"cannot read the file: {exc}")]
    try:
        data: object = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        message = f"YAML syntax error: {exc.problem}"
        if exc.context and exc.context_mark:
            message += f" ({exc.context} started at line {exc.context_mark.line + 1})"
        return None, [ContentIssue(name, where, message)]
    except yaml.YAMLError as exc:
        return None, [ContentIssue(name, "", f"YAML error: {exc}")]
    if data is None:
        return None, [ContentIssue(name, "", "the file is empty")]
    return data, []


def format_path(loc: Sequence[int | str]) -> str:
    """('routines', 3, 'steps', 2, 'stretch') -> 'routines[3].steps[2].stretch'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (a typo?)"
    if kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "text is empty"
    if kind == "too_short":
        count = error.get("ctx", {}).get("min_length", 1)
        return "needs at least one item" if count == 1 else f"needs at least {count} items"
    if kind == "string_pattern_mismatch":
        return "must be a snake_case id (lowercase letters, digits, single underscores)"
    if kind in _PLAIN:
        return _PLAIN[kind]
    message = error["msg"].removeprefix("Value error, ")
    return message.replace("Input should be", "should be", 1)


_PLAIN = {
    "bool_parsing": "should be true or false",
    "bool_type": "should be true or false",
    "int_parsing": "should be a whole number",
    "int_type": "should be a whole number",
    "int_from_float": "should be a whole number",
    "tuple_type": "should be a list",
    "list_type": "should be a list",
    "dict_type": "should be a mapping (key: value lines)",
    "model_type": "should be a mapping (key: value lines)",
    "string_type": "should be text",
}
"""Messages for the type errors content authors meet most, in words that need no Python."""


def validation_issues(
    file: str, prefix: Sequence[int | str], error: ValidationError
) -> list[ContentIssue]:
    """One issue per pydantic error, with its location under `prefix` (e.g. ('stretches', 3)).

    A list whose items were all invalid is also "too short after validation"; that second
    error only repeats the first, so it is dropped when an item below it has an error.
    """
    details = error.errors(include_url=False)
    locs = [tuple(detail["loc"]) for detail in details]
    return [
        ContentIssue(file, format_path([*prefix, *detail["loc"]]), _message(detail))
        for detail in details
        if not (detail["type"] == "too_short" and _has_error_below(tuple(detail["loc"]), locs))
    ]


def _has_error_below(loc: tuple[int | str, ...], locs: list[tuple[int | str, ...]]) -> bool:
    return any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)


def load_mapping_file(
    path: Path, model: type[Model], check: Callable[[Model], list[tuple[str, str]]]
) -> tuple[Model | None, list[ContentIssue]]:
    """Read a file that is one mapping of sections, validate it as `model`, then apply the
    rules a schema cannot express (`check` gives (dotted path, message) pairs). On any problem
    the content is None and every issue is listed, so one run shows an author all of them."""
    data, issues = read_yaml(path)
    if issues:
        return None, issues
    if not isinstance(data, dict):
        return None, [ContentIssue(path.name, "", "the file must be a mapping of sections")]
    try:
        content = model.model_validate(data)
    except ValidationError as error:
        return None, validation_issues(path.name, (), error)
    found = [ContentIssue(path.name, where, message) for where, message in check(content)]
    return (None, found) if found else (content, [])
