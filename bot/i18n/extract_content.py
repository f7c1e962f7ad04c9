"""List every translatable text of the content YAML as a gettext template, and keep the
language catalogs in step with it.

    python -m bot.i18n.extract_content            # the template (.pot) on stdout
    python -m bot.i18n.extract_content --update   # merge it into bot/locale/*/content.po
    python -m bot.i18n.extract_content --check    # exit 1 listing what is not translated

Each entry carries its YAML path as a comment (`safety.yaml checkin.answers[0].label`) and
the longest text its place accepts, so a translator knows a 40-character button from a
paragraph. After `--update`, a changed English text keeps its old translation marked fuzzy
(with the old English beside it) until someone checks it; `--check` and the tests fail on
fuzzy, empty, missing and stale entries.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.content.loader import Content, default_content_dir, load_content
from bot.i18n import LOCALE_DIR
from bot.i18n.catalogs import (
    CONTENT_DOMAIN,
    CONTENT_LANGUAGES,
    catalog_path,
    read_catalog,
)
from bot.i18n.checks import catalog_problems
from bot.i18n.content_fields import ContentText, content_texts, yaml_lines

_DATE = datetime(2026, 12, 3, tzinfo=UTC)
"""Fixed header dates: a regenerated catalog differs from the old one only where a text did."""


def build_template(content: Content, folder: Path) -> Catalog:
    """One entry per distinct text; a text used in several places lists them all."""
    template = _empty_catalog(None)
    lines = {
        file: yaml_lines(folder / file)
        for file in sorted({text.file for text in content_texts(content)})
    }
    for item in content_texts(content):
        line = lines[item.file].get(item.path, 0)
        template.add(
            item.text,
            locations=[(f"content/{item.file}", line)],
            auto_comments=[f"{item.file} {item.path} (at most {item.max_length} characters)"],
        )
    return template


def length_limits(texts: Iterable[ContentText]) -> dict[str, int]:
    """The tightest limit of each text (a text may be a button in one place, a line in another)."""
    limits: dict[str, int] = {}
    for item in texts:
        limits[item.text] = min(item.max_length, limits.get(item.text, item.max_length))
    return limits


def _empty_catalog(language: str | None) -> Catalog:
    return Catalog(
        locale=language,
        domain=CONTENT_DOMAIN,
        project="Stretchbot",
        version="content",
        header_comment="# Stretchbot content (content/*.yaml); msgids are the English texts.",
        creation_date=_DATE,
        revision_date=_DATE,
        fuzzy=False,
    )


def render(catalog: Catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_previous=True)
    return buffer.getvalue()


def update_catalogs(template: Catalog, root: Path = LOCALE_DIR) -> list[Path]:
    """Merge the template into every language's catalog; returns the files that changed."""
    changed: list[Path] = []
    for language in CONTENT_LANGUAGES:
        path = catalog_path(language, CONTENT_DOMAIN, root)
        catalog = (
            read_catalog(language, CONTENT_DOMAIN, root)
            if path.exists()
            else _empty_catalog(language)
        )
        catalog.update(template, update_creation_date=False)
        output = render(catalog)
        if not path.exists() or path.read_bytes() != output:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(output)
            changed.append(path)
    return changed


def problems(content: Content, template: Catalog, root: Path = LOCALE_DIR) -> list[str]:
    """What `--check` reports, for every language."""
    limits = length_limits(content_texts(content))
    found: list[str] = []
    for language in CONTENT_LANGUAGES:
        path = catalog_path(language, CONTENT_DOMAIN, root)
        if not path.exists():
            found.append(f"{path}: missing (run with --update)")
            continue
        found += catalog_problems(template, read_catalog(language, CONTENT_DOMAIN, root), limits)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n.extract_content")
    parser.add_argument("--content", type=Path, default=None, help="content folder")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--update", action="store_true", help="merge into the .po files")
    action.add_argument("--check", action="store_true", help="fail on untranslated texts")
    args = parser.parse_args(argv)
    folder = args.content if args.content is not None else default_content_dir()
    content = load_content(folder)
    template = build_template(content, folder)
    if args.update:
        for path in update_catalogs(template):
            print(f"updated {path}")
        return 0
    if args.check:
        found = problems(content, template)
        for line in found:
            print(line)
        return 1 if found else 0
    sys.stdout.buffer.write(render(template))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
