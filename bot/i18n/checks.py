"""Checks that a translated catalog says everything its template says, and nothing else.

Generic over gettext catalogs (any domain): missing, empty, fuzzy and stale entries, the
marks a translation must keep (placeholders, HTML tags, bullet lines, emoji, numbers) and
length limits. The marks matter most for safety texts: a triage question whose translation
lists one bullet less has silently dropped a red flag.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

from babel.messages.catalog import Catalog

_MARK = re.compile(
    r"\{[^{}]*\}"  # str.format fields
    r"|%(?:\([a-z_]+\))?[sdif]"  # printf fields
    r"|</?[a-z]+[^>]*>"  # HTML tags (messages are sent in HTML parse mode)
    r"|^•"  # bullet lines: one per red flag or warning sign
    r"|\d+",  # numbers: seconds, stages, weeks
    re.MULTILINE,
)


def marks(text: str) -> Counter[str]:
    """What a translation must carry over unchanged, counted."""
    found = Counter(_MARK.findall(text))
    found.update(ch for ch in text if unicodedata.category(ch) == "So")  # emoji and symbols
    found["\n"] = text.count("\n")
    return found


def catalog_problems(
    template: Catalog, catalog: Catalog, limits: Mapping[str, int] | None = None
) -> list[str]:
    """Every reason `catalog` is not a complete, current translation of `template`, one line
    each; `limits` maps a msgid to the longest translation its place on screen takes."""
    name = f"{catalog.locale}/{catalog.domain}"
    problems: list[str] = []
    wanted = {message.id for message in template if message.id}
    for message in template:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        translated = catalog.get(message.id)
        where = f"{name}: {msgid[:60]!r}"
        if translated is None:
            problems.append(f"{where}: missing")
            continue
        text = translated.string
        if not isinstance(text, str):  # a plural form: its first string is checked
            text = text[0] if text else ""
        if not text.strip():
            problems.append(f"{where}: not translated")
            continue
        if translated.fuzzy:
            problems.append(f"{where}: fuzzy (check the translation, then drop the flag)")
        if marks(text) != marks(msgid):
            problems.append(f"{where}: placeholders, numbers, bullets or emoji differ")
        limit = (limits or {}).get(msgid)
        if limit is not None and len(text) > limit:
            problems.append(f"{where}: {len(text)} characters, at most {limit} fit")
    problems += [
        f"{name}: {str(message.id)[:60]!r}: stale (no longer in the source)"
        for message in catalog
        if message.id and message.id not in wanted
    ]
    problems += [
        f"{name}: {msgid[:60]!r}: obsolete entry left in the file" for msgid in catalog.obsolete
    ]
    return problems
