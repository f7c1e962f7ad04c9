"""The content catalogs' domain and languages, and reading them as Babel catalogs for the
extractor and the tests (which also point it at a copy under another `root`)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_DIR

CONTENT_DOMAIN = "content"
CONTENT_LANGUAGES = tuple(language for language in LANGUAGES if language != DEFAULT_LANGUAGE)
"""The languages with a content catalog; English is the YAML itself and needs none."""


def catalog_path(language: str, domain: str, root: Path = LOCALE_DIR) -> Path:
    """`bot/locale/<language>/LC_MESSAGES/<domain>.po`, as `bot.i18n.po_path` has it."""
    return root / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(language: str, domain: str, root: Path = LOCALE_DIR) -> Catalog:
    with catalog_path(language, domain, root).open("rb") as file:
        return read_po(file, locale=language, domain=domain)
