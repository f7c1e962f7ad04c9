"""The languages the bot speaks, and the translator of the person it is talking to.

Texts are gettext messages in Babel catalogs: `bot/locale/<language>/LC_MESSAGES/<domain>.po`
(domain `messages` for the bot's own words, `content` for the YAML in content/). English is the
source language, so it needs no catalog. A `.po` file is compiled in memory the first time its
language is asked for (Babel's `read_po` + `write_mo`): nothing to build at install, and a
catalog edited in the repo is what runs.

Who is being talked to is a context variable, like the log context in `bot.logcontext`: PTB
handles each update in its own task, so the language set while handling it (from the stored
subscriber, else Telegram's `language_code`) follows every text rendered for that update
without being passed through each call. The reminder job and the hold timers render for one
person at a time and say whose language with `using(...)`. Outside any of these it is English.

Texts call `_()` when they are rendered, never at import: a module constant would freeze the
language of whoever was first. `N_()` marks a message for extraction where it must be kept
untranslated (a table of labels, a command description) and translated later with `_()`.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "de", "es", "ru")
# Each language named in itself: what the /language buttons show.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español", "ru": "Русский"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
MESSAGES = "messages"


def resolve(language_code: str | None) -> str:
    """One of LANGUAGES for a Telegram `language_code` ("de-AT" and "DE_at" are "de");
    anything we do not speak is English."""
    if not language_code:
        return DEFAULT_LANGUAGE
    primary = language_code.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def po_path(language: str, domain: str = MESSAGES) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def catalog(language: str, domain: str = MESSAGES) -> _gettext.NullTranslations:
    """The compiled catalog of `domain` in `language` (English, or no file: the source texts).

    Fuzzy entries are left out, as msgfmt does: a guess never reaches a person; the catalog
    test fails on them anyway."""
    path = po_path(language, domain)
    if language == DEFAULT_LANGUAGE or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as source:
        parsed = read_po(source, locale=language, domain=domain)
    compiled = BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


@dataclass(frozen=True, slots=True)
class Translator:
    """The bot's words in one language (domain `messages`)."""

    language: str

    def gettext(self, message: str) -> str:
        return catalog(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for `count` (Russian has three); the text still formats `{count}` itself."""
        return catalog(self.language).ngettext(singular, plural, count)


@cache
def translator(language_code: str | None) -> Translator:
    """The translator for a Telegram `language_code` or a stored language (resolved)."""
    return Translator(resolve(language_code))


_ENGLISH = Translator(DEFAULT_LANGUAGE)
_CURRENT: ContextVar[Translator | None] = ContextVar("stretchbot_translator", default=None)


def current() -> Translator:
    """The translator of the person the current update or job is about (else English)."""
    return _CURRENT.get() or _ENGLISH


def activate(language_code: str | None) -> Token[Translator | None]:
    """Speak `language_code` (resolved) for the rest of this task; `reset` undoes it."""
    return _CURRENT.set(translator(language_code))


def reset(token: Token[Translator | None]) -> None:
    _CURRENT.reset(token)


@contextmanager
def using(language_code: str | None) -> Iterator[Translator]:
    """Speak `language_code` inside the block (a job rendering for one person)."""
    token = activate(language_code)
    try:
        yield current()
    finally:
        _CURRENT.reset(token)


def _(message: str) -> str:
    """`message` in the current person's language."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The plural form for `count` in the current person's language."""
    return current().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for extraction only; translate it with `_()` where it is shown."""
    return message
