"""Content texts (stretches, routines, safety) in the reader's language.

The YAML stays in English and stays the one source of the rules; each language has a gettext
catalog, `bot/locale/<lang>/LC_MESSAGES/content.po`, whose msgids are the English texts as the
loader holds them. The catalogs are compiled through Babel by `bot.i18n.catalog`, here at import
so the first person to open a session does not wait for it. A text without a translation, or a
language without a catalog, stays the English it already is.

Views pass the model's own text: `content_text(stretch.name)`, or render a whole translated
copy: `localized(stretch)`, `localized_content(services.content)`. The language is the current
person's (`bot.i18n.current()`), set per update and by `using(...)` in jobs; pass `language`
only to render for someone else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from bot import i18n
from bot.content.loader import Content
from bot.i18n.catalogs import CONTENT_DOMAIN, CONTENT_LANGUAGES
from bot.i18n.content_fields import TRANSLATED

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


_Model = TypeVar("_Model", bound=BaseModel)
_KEPT = 1024  # every stretch and routine of a few content versions, in each language
_localized: dict[tuple[int, str], tuple[object, object]] = {}
_localized_lock = threading.Lock()


def localized(model: _Model, language: str | None = None) -> _Model:
    """A copy of a content model (a stretch, a routine, the safety texts...) whose every text
    people read (`TRANSLATED`) is in `language` (None: the current person's), nested models
    included; ids, numbers and rules stay as they are, so the copy works wherever the English
    one does. English is the model itself. Copies are kept per model and language."""
    code = i18n.current().language if language is None else i18n.resolve(language)
    if code == i18n.DEFAULT_LANGUAGE:
        return model
    return _cached(model, code, lambda: _translated(model, code))


def localized_content(content: Content, language: str | None = None) -> Content:
    """The whole content with every text in `language` (None: the current person's), for the
    views; the rules (and what caches key on) stay with the English `Content`."""
    code = i18n.current().language if language is None else i18n.resolve(language)
    if code == i18n.DEFAULT_LANGUAGE:
        return content
    return _cached(
        content,
        code,
        lambda: replace(
            content,
            stretches={key: localized(s, code) for key, s in content.stretches.items()},
            routines={key: localized(r, code) for key, r in content.routines.items()},
            safety=localized(content.safety, code),
            symptoms=localized(content.symptoms, code),
        ),
    )


_Source = TypeVar("_Source")


def _cached(source: _Source, code: str, build: Callable[[], _Source]) -> _Source:
    """`build()`'s copy of `source` in `code`, kept per object and language. The entry holds
    `source` itself, so an id reused by a new object after the old one is gone is a miss, not
    somebody else's copy; the lock is held only around the dict, never while building."""
    key = (id(source), code)
    with _localized_lock:
        entry = _localized.get(key)
        if entry is not None and entry[0] is source:
            return cast("_Source", entry[1])
    copy = build()
    with _localized_lock:
        if len(_localized) >= _KEPT:
            _localized.clear()
        _localized[key] = (source, copy)
    return copy


def _translated(model: _Model, code: str) -> _Model:
    fields = TRANSLATED.get(type(model), ())
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in fields:
            if isinstance(value, str):
                update[name] = content_text(value, code)
            elif isinstance(value, tuple):
                update[name] = tuple(
                    content_text(v, code) if isinstance(v, str) else v for v in value
                )
        elif isinstance(value, BaseModel):
            update[name] = _translated(value, code)
        elif isinstance(value, tuple) and any(isinstance(v, BaseModel) for v in value):
            update[name] = tuple(
                _translated(v, code) if isinstance(v, BaseModel) else v for v in value
            )
    return model.model_copy(update=update) if update else model
