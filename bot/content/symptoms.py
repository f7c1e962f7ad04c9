"""The symptom lexicon: words people type when something is wrong, and the tier each points to.

`content/symptoms.yaml` (English) and one `content/symptoms.<lang>.yaml` per other language
(`LEXICON_LANGUAGES`) are data a physiotherapist can read and extend without a programmer;
`bot.domain.symptoms` matches every message against all of them at once. This module only makes
sure the files are complete and consistent: a broken lexicon would let "I can't feel my legs"
pass as small talk, so it stops the bot at start-up like any other broken content.

The English file also holds what the bot says above the first triage question (`say`); those
texts are translated in the content catalogs like every other content text, so a language file
holds only words to recognise, never texts to show. Every language file lists the same red-flag
ids with the same tiers as the English one: the triage rules stay one set of data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from bot.content.errors import ContentIssue
from bot.content.reading import load_mapping_file
from bot.content.safety import Ident, Outcome, Text

SYMPTOMS_FILE = "symptoms.yaml"
#: The languages with a lexicon of their own besides English (`symptoms.<lang>.yaml`).
LEXICON_LANGUAGES = ("de", "es", "ru")


def lexicon_file(language: str) -> str:
    """The file of `language`'s lexicon ("en" is the main file)."""
    return SYMPTOMS_FILE if language == "en" else f"symptoms.{language}.yaml"


Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


def _one_word(value: object) -> object:
    """Language lists hold single words; a space would silently never match anything."""
    if isinstance(value, str) and (not value.strip() or re.search(r"\s", value.strip())):
        raise ValueError("must be a single word")
    return value


Word = Annotated[
    str,
    BeforeValidator(_one_word),
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=40),
]


def _non_empty(value: object) -> object:
    if isinstance(value, list | tuple) and not value:
        raise ValueError("needs at least 1 item, found 0")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LeadIns(_Model):
    """What the bot says above the first triage question, by the tier that matched."""

    urgent: Text
    professional: Text
    ease_off: Text
    opener: Text

    def for_tier(self, tier: Outcome | None) -> str:
        if tier is None:
            return self.opener
        return {
            Outcome.URGENT: self.urgent,
            Outcome.PROFESSIONAL: self.professional,
            Outcome.EASE_OFF: self.ease_off,
        }[tier]


class PhraseFlag(_Model):
    """One red flag (or a milder sign) in a language file: the phrases that point to it and
    its tier (which must be the English file's)."""

    id: Ident
    tier: Outcome
    phrases: Annotated[tuple[Phrase, ...], BeforeValidator(_non_empty)]


class SymptomFlag(PhraseFlag):
    """A flag of the English file, which may have its own words above the triage (`say`)."""

    say: Text | None = None


class Openers(_Model):
    """Plain words ("pain", "ouch") that open the triage without pointing to a tier."""

    anywhere: Annotated[tuple[Phrase, ...], BeforeValidator(_non_empty)]
    alone: tuple[Phrase, ...] = ()
    alone_max_words: int = Field(ge=1, le=10)


class Language(_Model):
    """How to read a message: filler words, negations and where one thought ends."""

    ignore: tuple[Word, ...]
    aliases: dict[Phrase, Word] = Field(default_factory=dict)
    negations: Annotated[tuple[Word, ...], BeforeValidator(_non_empty)]
    hedges: tuple[Word, ...] = ()
    after_negations: tuple[Word, ...] = ()
    negation_reach: int = Field(ge=1, le=6)
    clause_breaks: tuple[Word, ...] = ()
    #: word endings dropped before comparing (one, the longest that fits); None: English's
    endings: tuple[Word, ...] | None = None
    #: an ending is dropped only when this many letters stay ("Bein" keeps its "n")
    stem_min_letters: int = Field(default=3, ge=2, le=6)
    #: the last parts of compound words, split off so "Rückenschmerzen" reads as
    #: "Rücken Schmerzen" (German); a word is split only when 3+ letters stand before the part
    compound_tails: tuple[Word, ...] = ()

    @field_validator("aliases", mode="before")
    @classmethod
    def _lower_keys(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k).strip().lower(): v for k, v in value.items()}
        return value


class PhraseLexicon(_Model):
    """What a language file holds: flags with their phrases, openers, and how to read text."""

    flags: Annotated[tuple[PhraseFlag, ...], BeforeValidator(_non_empty)]
    openers: Openers
    language: Language


class SymptomLexicon(PhraseLexicon):
    """Everything in `content/symptoms.yaml`: the English words and the lead-in texts."""

    say: LeadIns
    flags: Annotated[tuple[SymptomFlag, ...], BeforeValidator(_non_empty)]

    def flag(self, flag_id: str) -> SymptomFlag | None:
        return next((f for f in self.flags if f.id == flag_id), None)

    def lead_in(self, flag_id: str | None, tier: Outcome | None) -> str:
        """The flag's own words if it has them, else the words for its tier."""
        flag = self.flag(flag_id) if flag_id is not None else None
        if flag is not None and flag.say is not None:
            return flag.say
        return self.say.for_tier(tier)


def plain_words(phrase: str) -> list[str]:
    """A phrase as the words a reader sees: no accents, lower case, apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", phrase)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"['’`]", "", plain.casefold())
    return re.findall(r"[^\W_]+", plain)


def load_symptoms(path: Path) -> tuple[SymptomLexicon | None, list[ContentIssue]]:
    """Read and check the English lexicon; on any problem, content is None and every issue
    is listed."""
    return load_mapping_file(path, SymptomLexicon, check_symptoms)


def load_language_lexicon(
    path: Path, english: SymptomLexicon | None
) -> tuple[PhraseLexicon | None, list[ContentIssue]]:
    """Read and check one other language's lexicon, and that it lists exactly the English
    file's flags with the same tiers (not checked when the English file is itself broken)."""

    def check(lexicon: PhraseLexicon) -> list[tuple[str, str]]:
        found = check_symptoms(lexicon)
        return found if english is None else found + check_agreement(lexicon, english)

    return load_mapping_file(path, PhraseLexicon, check)


def check_agreement(lexicon: PhraseLexicon, english: SymptomLexicon) -> list[tuple[str, str]]:
    """A language file names the English flags with the English tiers, and misses none."""
    return list(_agreement(lexicon, english))


def _agreement(lexicon: PhraseLexicon, english: SymptomLexicon) -> Iterator[tuple[str, str]]:
    tiers = {flag.id: flag.tier for flag in english.flags}
    for index, flag in enumerate(lexicon.flags):
        if flag.id not in tiers:
            yield f"flags[{index}].id", f"{flag.id!r} is not a flag of {SYMPTOMS_FILE}"
        elif flag.tier is not tiers[flag.id]:
            yield (
                f"flags[{index}].tier",
                f"{flag.id!r} is {tiers[flag.id].value!r} in {SYMPTOMS_FILE}, "
                f"not {flag.tier.value!r}",
            )
    listed = {flag.id for flag in lexicon.flags}
    missing = [flag_id for flag_id in tiers if flag_id not in listed]
    if missing:
        names = ", ".join(repr(flag_id) for flag_id in missing)
        yield "flags", f"missing flags of {SYMPTOMS_FILE}: {names}"


def check_symptoms(lexicon: PhraseLexicon) -> list[tuple[str, str]]:
    """The rules a schema cannot express, as (dotted path, message) pairs."""
    first_at: dict[str, str] = {}  # a phrase as plain words -> where it was first listed
    return [
        *_check_flags(lexicon, first_at),
        *_check_openers(lexicon, first_at),
        *_check_language(lexicon.language),
    ]


def _check_flags(lexicon: PhraseLexicon, first_at: dict[str, str]) -> Iterator[tuple[str, str]]:
    seen_ids: dict[str, int] = {}
    ignore = set(lexicon.language.ignore)
    for f_index, flag in enumerate(lexicon.flags):
        if flag.id in seen_ids:
            yield (
                f"flags[{f_index}].id",
                f"duplicate id {flag.id!r} (first at flags[{seen_ids[flag.id]}])",
            )
        seen_ids.setdefault(flag.id, f_index)
        for p_index, phrase in enumerate(flag.phrases):
            where = f"flags[{f_index}].phrases[{p_index}]"
            yield from _check_phrase(where, phrase, ignore, first_at)


def _check_openers(lexicon: PhraseLexicon, first_at: dict[str, str]) -> Iterator[tuple[str, str]]:
    ignore = set(lexicon.language.ignore)
    for key, phrases in (("anywhere", lexicon.openers.anywhere), ("alone", lexicon.openers.alone)):
        for index, phrase in enumerate(phrases):
            yield from _check_phrase(f"openers.{key}[{index}]", phrase, ignore, first_at)


def _check_phrase(
    where: str, phrase: str, ignore: set[str], first_at: dict[str, str]
) -> Iterator[tuple[str, str]]:
    words = plain_words(phrase)
    if not [word for word in words if word not in ignore]:
        yield where, "has no words left once the `ignore` words are left out"
    key = " ".join(words)
    if key in first_at:
        yield where, f"{phrase!r} is listed twice (first at {first_at[key]})"
    first_at.setdefault(key, where)


def _check_language(language: Language) -> Iterator[tuple[str, str]]:
    ignore = set(language.ignore)
    for key in ("negations", "after_negations", "clause_breaks", "compound_tails"):
        words: tuple[str, ...] = getattr(language, key)
        for index, word in enumerate(words):
            if word in ignore:
                yield (
                    f"language.{key}[{index}]",
                    f"{word!r} is also in `ignore`, so it would never be seen",
                )
