"""Checks on a readable /export: the JSON Schema in docs/, and where each stored column went."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from bot.chat.export_view import FIELDS

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "export.schema.json"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def validate_export(data: Any) -> None:
    """Raise (with the path of the bad field) unless `data` is a valid export."""
    Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        data
    )


def every_exported_path() -> list[str]:
    return sorted({path for columns in FIELDS.values() for path in columns.values() if path})


def has_path(data: Any, path: str) -> bool:
    """ "sessions[].steps[].at": the key is there in every element (and there is one)."""
    values = [data]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part.removesuffix("[]")
        found = []
        for value in values:
            if not isinstance(value, dict) or key not in value:
                return False
            item = value[key]
            if many:
                if not isinstance(item, list) or not item:
                    return False
                found.extend(item)
            else:
                found.append(item)
        values = found
    return True
