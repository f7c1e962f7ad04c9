"""Extract the bot's messages from the code and hold each catalog against them.

Used by `make messages` (writes new messages into every `.po`, marking changed ones fuzzy, as
`pybabel update` does) and by the catalog test, which fails on whatever `problems()` finds. One
place for both, so what the test demands is what the tool produces.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, po_path

REPO_DIR = Path(__file__).resolve().parents[2]
# What to extract from where: babel.cfg, shared with `pybabel extract -F babel.cfg`.
MAPPING = REPO_DIR / "babel.cfg"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}

_HEADER = {
    "project": "stretchbot",
    "version": "1",
    "copyright_holder": "the Stretchbot authors",
    "msgid_bugs_address": "",
    "last_translator": "the Stretchbot authors",
    "language_team": "the Stretchbot authors",
}
_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_TAG = re.compile(r"</?([a-z]+)[^>]*>")


def extract() -> Catalog:
    """Every message marked with `_`, `N_` or `ngettext` where babel.cfg says, as a template."""
    template = Catalog(domain=MESSAGES, project="stretchbot", fuzzy=False)
    with MAPPING.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(MAPPING))  # type: ignore[no-untyped-call]
    found = extract_from_dir(
        str(REPO_DIR),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        directory_filter=_wanted_directory,
    )
    for filename, lineno, message, comments, context in found:
        location = (filename, lineno)
        template.add(
            message, locations=[location], auto_comments=comments, context=context, flags=()
        )
    return template


def _wanted_directory(path: str) -> bool:
    """Only the package: no virtualenv, no caches, no node_modules."""
    relative = Path(path).relative_to(REPO_DIR)
    return bool(relative.parts) and relative.parts[0] == "bot"


def read_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as source:
        return read_po(source, locale=language, domain=MESSAGES)


def _shape(text: str) -> tuple[Counter[str], Counter[str]]:
    """The placeholders and the HTML tags of a text: a translation must keep both."""
    return Counter(_PLACEHOLDER.findall(text)), Counter(_TAG.findall(text))


def _forms(message: Message) -> tuple[list[str], list[str]]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [str(i) for i in ids], [str(s or "") for s in strings]


def problems(
    language: str, template: Catalog | None = None, catalog: Catalog | None = None
) -> list[str]:
    """What is wrong with one catalog (by default the repo's `.po` of `language`): missing,
    stale, fuzzy or untranslated messages, and translations whose placeholders or HTML tags
    differ from the English."""
    template = template if template is not None else extract()
    if catalog is None:
        path = po_path(language)
        if not path.exists():
            return [f"{language}: no catalog at {path}"]
        catalog = read_catalog(language)
    found: list[str] = []
    wanted = {m.id for m in template if m.id}
    have = {m.id for m in catalog if m.id}
    found += [f"{language}: missing {key!r}" for key in sorted(wanted - have, key=str)]
    found += [f"{language}: stale {key!r}" for key in sorted(have - wanted, key=str)]
    for message in catalog:
        if not message.id or message.id not in wanted:
            continue
        ids, strings = _forms(message)
        if message.fuzzy:
            found.append(f"{language}: fuzzy {message.id!r}")
        if not all(strings):
            found.append(f"{language}: untranslated {message.id!r}")
            continue
        expected = _shape(ids[0])
        for text in strings:
            placeholders, tags = _shape(text)
            # A plural form may say "one" in words instead of {count}; any other must match.
            if placeholders != expected[0] and not _drops_count_only(placeholders, expected[0]):
                found.append(f"{language}: placeholders differ in {message.id!r}: {text!r}")
            if tags != expected[1]:
                found.append(f"{language}: HTML tags differ in {message.id!r}: {text!r}")
    return found


def _drops_count_only(have: Counter[str], want: Counter[str]) -> bool:
    return "count" in want and have == want - Counter({"count": want["count"]})


def all_problems() -> list[str]:
    template = extract()
    return [
        p
        for language in LANGUAGES
        if language != DEFAULT_LANGUAGE
        for p in problems(language, template)
    ]


def update(languages: Iterable[str] = LANGUAGES) -> None:
    """Bring every catalog in step with the code: new messages added empty, gone ones dropped,
    changed ones kept as fuzzy guesses for a translator to confirm."""
    template = extract()
    for language in languages:
        if language == DEFAULT_LANGUAGE:
            continue
        path = po_path(language)
        if path.exists():
            catalog = read_catalog(language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain=MESSAGES, fuzzy=False, **_HEADER)
        for key, value in _HEADER.items():
            setattr(catalog, key, value)
        catalog.fuzzy = False
        catalog.update(template, no_fuzzy_matching=False)
        out = BytesIO()
        write_po(out, catalog, width=100, ignore_obsolete=True, include_lineno=False)
        path.write_bytes(out.getvalue())
