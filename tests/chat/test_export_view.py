"""/export's shape: every stored column has a place, and the schema in docs/ is a valid one."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from bot.chat.export_view import FIELDS
from bot.db.models import Base
from tests.chat.export_paths import schema

ABOUT_NOBODY = {"processed_updates"}
"""Bare update ids of webhook mode: no person's data (and /delete leaves them too)."""


def test_every_stored_column_has_a_place_in_the_export() -> None:
    """A new column must be given a place in `export_view.FIELDS` (and the schema)."""
    for table in Base.metadata.sorted_tables:
        if table.name in ABOUT_NOBODY:
            continue
        assert table.name in FIELDS, f"table {table.name} is not exported"
        missing = {column.key for column in table.columns} - set(FIELDS[table.name])
        assert not missing, f"{table.name}: {sorted(missing)} not in the export"
        gone = set(FIELDS[table.name]) - {column.key for column in table.columns}
        assert not gone, f"{table.name}: {sorted(gone)} no longer stored"


def test_the_schema_is_valid_and_names_every_exported_field() -> None:
    Draft202012Validator.check_schema(schema())
    for columns in FIELDS.values():
        for path in filter(None, columns.values()):
            node = schema()
            for part in path.split("."):
                key = part.removesuffix("[]")
                if "oneOf" in node:
                    node = next(option for option in node["oneOf"] if option["type"] == "object")
                node = node["properties"][key]
                if part.endswith("[]"):
                    node = node["items"]
