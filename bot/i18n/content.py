"""Content texts (stretches, routines, safety) in the reader's language.

The YAML stays in English and stays the one source of the rules; each language has a gettext
catalog, `bot/locale/<lang>/LC_MESSAGES/content.po`, whose msgids are the English texts as the
loader holds them. The catalogs are compiled through Babel by `bot.i18n.catalog`, here at import
so the first person to open a session does not wait for it. A text without a translation, or a
language without a catalog, stays the English it already is.

Views pass the model's own text: `content_text(stretch.name)`. The language is the current
person's (`bot.i18n.current()`), set per update and by `using(...)` in jobs; pass `language`
only to render for someone else.
"""

from __future__ import annotations

from bot import i18n
from bot.i18n.catalogs import CONTENT_DOMAIN, CONTENT_LANGUAGES

for _language in CONTENT_LANGUAGES:
    i18n.catalog(_language, CONTENT_DOMAIN)


def content_text(text: str, language: str | None = None) -> str:
    """`text` (an English content text) in `language` (a Telegram code or one of ours; None:
    the current person's)."""
    code = i18n.current().language if language is None else i18n.resolve(language)
    return i18n.catalog(code, CONTENT_DOMAIN).gettext(text)


def content_texts(texts: tuple[str, ...], language: str | None = None) -> tuple[str, ...]:
    """A list field (steps, cues, cautions, muscles) in `language`, item by item."""
    return tuple(content_text(text, language) for text in texts)
