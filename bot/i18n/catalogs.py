"""Where the gettext catalogs live and how they are read (no compiling here: the extractor
reads catalogs that may not be complete, or not exist yet)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

CONTENT_DOMAIN = "content"
CONTENT_LANGUAGES = ("de", "es", "ru")
"""The languages with a content catalog; English is the source and needs none."""

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalog_path(language: str, domain: str, root: Path = LOCALE_DIR) -> Path:
    """`bot/locale/<language>/LC_MESSAGES/<domain>.po` (another `root` in tests)."""
    return root / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(language: str, domain: str, root: Path = LOCALE_DIR) -> Catalog:
    with catalog_path(language, domain, root).open("rb") as file:
        return read_po(file, locale=language, domain=domain)
