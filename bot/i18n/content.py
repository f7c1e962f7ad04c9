"""Content texts (stretches, routines, safety) in the subscriber's language.

The YAML stays in English and stays the one source of the rules; each language has a gettext
catalog, `bot/locale/<lang>/LC_MESSAGES/content.po`, whose msgids are the English texts. The
catalogs are compiled in memory through Babel when this module is imported, so there is no
build step to forget and no .mo file to go stale. A text without a translation, or a language
we have no catalog for, falls back to the English it already is.
"""

from __future__ import annotations

import gettext
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from bot.i18n.catalogs import CONTENT_DOMAIN, CONTENT_LANGUAGES, read_catalog


def _compile(catalog: Catalog) -> gettext.GNUTranslations:
    """Babel writes the .mo bytes (leaving out fuzzy and empty entries), gettext reads them."""
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


_TRANSLATIONS = {
    language: _compile(read_catalog(language, CONTENT_DOMAIN)) for language in CONTENT_LANGUAGES
}


def content_language(language_code: str | None) -> str | None:
    """Telegram's `language_code` ("de", "es-419", "ru-RU", "pt-br") to one of ours, or None
    for English and anything we do not translate."""
    if not language_code:
        return None
    base = language_code.replace("_", "-").split("-", 1)[0].lower()
    return base if base in _TRANSLATIONS else None


def content_text(text: str, language: str | None) -> str:
    """`text` (an English content text, as loaded from the YAML) in `language`."""
    code = content_language(language)
    return _TRANSLATIONS[code].gettext(text) if code is not None else text


def content_texts(texts: tuple[str, ...], language: str | None) -> tuple[str, ...]:
    """A list field (steps, cues, cautions) in `language`, item by item."""
    return tuple(content_text(text, language) for text in texts)
