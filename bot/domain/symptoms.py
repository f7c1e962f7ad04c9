"""Does a typed message mention a symptom? Matching free text against the symptom lexicon.

Runs on every text message, so it is built once per lexicon (`matcher_for`) and then only
tokenises and looks words up. People in pain type fast and on a phone: case, accents,
apostrophes, word order and small typos must not matter ("cant feel my legz", "shrap pain in my
bak", "legs numb"). Typos are scored with rapidfuzz's optimal-string-alignment distance (a
swap of two letters counts as one edit) against the lexicon's vocabulary.

What counts as a typo is kept narrow so that everyday words never pass for symptoms: the first
letter must match, three-letter words allow one edit, a phrase of a single short word must be
typed exactly ("pain" is not "paint" or "Spain"), and a token that is a place the time-zone
parser knows is only ever matched exactly. A message that onboarding would read as a time or a
place ("7pm", "Berlin") never matches at all. A negation just before a phrase cancels it ("no
pain"), within one part of the message only ("no pain but my leg is numb" still matches).

Every message is read against every language's lexicon at once (`matcher_for_all`): people
mix languages, and a German speaker may write "mein Bein ist taub" with English settings or
"I can't feel my legs" with German ones. Each language is read with its own filler words,
negations ("keine Schmerzen", "sin dolor", "не болит"), word endings and (German) compound
parts, so one language's rules never change what another's phrases mean; the most serious flag
found in any of them wins.

Pure: no Telegram, no database. The result names the flag and its tier, never the text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.content.safety import Outcome
from bot.content.symptoms import PhraseLexicon
from bot.domain.parsing import is_place_or_time, known_place_names

__all__ = ["MultiMatcher", "SymptomMatch", "SymptomMatcher", "matcher_for", "matcher_for_all"]

#: Endings dropped before comparing when a lexicon names none (English), so "legs" = "leg",
#: "numbness" = "numb".
_SUFFIXES = ("ness", "ing", "ed", "es", "s")
_MIN_STEM = 3
#: A phrase of one word this long or longer forgives one typo; shorter ones must be exact.
_SINGLE_WORD_FUZZY_FROM = 8
_TOKEN_CACHE_SIZE = 4096
_BREAK = "|"  # stands for punctuation that ends one part of a message


@dataclass(frozen=True, slots=True)
class SymptomMatch:
    """What a message pointed to: a flag of the lexicon and its tier, or (both None) a plain
    opener such as "pain" or "ouch". Either way the triage opens."""

    flag: str | None
    tier: Outcome | None


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]
    flag: str | None
    tier: Outcome | None
    alone: bool = False


@dataclass(frozen=True, slots=True)
class _Token:
    word: str
    position: int  # index among the words that are not ignored, in this part of the message


def _fold(text: str) -> str:
    """Lower case, no accents, apostrophes dropped, runs of 3+ letters made one ("ouchhh")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"['’`]", "", plain.casefold())
    return re.sub(r"(\w)\1{2,}", r"\1", plain)


def _stem(word: str, suffixes: Sequence[str] = _SUFFIXES, least: int = _MIN_STEM) -> str:
    """`word` without the first of `suffixes` (longest first) that leaves `least`+ letters."""
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= least:
            return word[: -len(suffix)]
    return word


def _allowed_edits(word: str, single: bool) -> int:
    """How many edits a typed word may be away from lexicon `word` (a stem)."""
    if single:
        return 1 if len(word) >= _SINGLE_WORD_FUZZY_FROM else 0
    if len(word) < 3:
        return 0
    return 1 if len(word) <= 7 else 2


def _edits(typed: str, word: str, distance: int) -> int:
    """The distance as matching sees it: in a short word, one changed letter ("full" for
    "fall") makes a different word, while a missing, extra or swapped letter ("bak", "legz",
    "shrap") is a typo; so a short word's substitution counts as two edits."""
    same_length = len(typed) == len(word)
    if distance == 1 and same_length and len(word) <= 5 and sorted(typed) != sorted(word):
        return 2
    return distance


class SymptomMatcher:
    """A lexicon compiled for fast matching; `match(text)` is the only question it answers."""

    def __init__(self, lexicon: PhraseLexicon) -> None:
        language = lexicon.language
        self._ignore = frozenset(_fold(word) for word in language.ignore)
        self._negations = frozenset(_fold(word) for word in language.negations)
        self._hedges = frozenset(_fold(word) for word in language.hedges)
        self._after = frozenset(_fold(word) for word in language.after_negations)
        self._breaks = frozenset(_fold(word) for word in language.clause_breaks)
        endings = _SUFFIXES if language.endings is None else language.endings
        self._endings = tuple(sorted({_fold(e) for e in endings}, key=lambda e: (-len(e), e)))
        self._least = language.stem_min_letters
        self._tails = tuple(
            sorted({_fold(t) for t in language.compound_tails}, key=lambda t: (-len(t), t))
        )
        # a phrase holds its own negation as a stem ("kann nicht laufen" -> "nich") ...
        # ... and it may hold an after-negation too ("Bein knickt weg")
        self._negation_stems = frozenset(
            stem for word in self._negations | self._after for stem in (word, self._stem(word))
        )
        self._reach = language.negation_reach
        self._alone_max = lexicon.openers.alone_max_words
        aliases = sorted(
            ((_fold(k), _fold(v)) for k, v in language.aliases.items()),
            key=lambda item: -len(item[0]),
        )
        self._aliases = dict(aliases)
        self._alias_pattern = (
            re.compile(r"\b(" + "|".join(re.escape(k) for k, _ in aliases) + r")\b")
            if aliases
            else None
        )
        self._places = frozenset(p for p in known_place_names() if " " not in p)
        phrases: list[_Phrase] = []
        for flag in lexicon.flags:
            phrases.extend(_Phrase(self._words(p), flag.id, flag.tier) for p in flag.phrases)
        phrases.extend(_Phrase(self._words(p), None, None) for p in lexicon.openers.anywhere)
        phrases.extend(_Phrase(self._words(p), None, None, True) for p in lexicon.openers.alone)
        self._phrases = tuple(p for p in phrases if p.words)
        vocabulary = sorted({word for phrase in self._phrases for word in phrase.words})
        self._vocabulary = vocabulary
        self._by_word: dict[str, list[int]] = {}
        for index, phrase in enumerate(self._phrases):
            for word in phrase.words:
                self._by_word.setdefault(word, []).append(index)
        self._cache: OrderedDict[str, tuple[tuple[str, int], ...]] = OrderedDict()
        self._cache_lock = threading.Lock()

    # --- reading a message ------------------------------------------------------------------

    def _words(self, phrase: str) -> tuple[str, ...]:
        """A lexicon phrase as the stems that must all appear (order-free, filler dropped)."""
        stems: list[str] = []
        for part in self._parts(phrase):
            for word in part:
                if word not in self._ignore and self._stem(word) not in stems:
                    stems.append(self._stem(word))
        return tuple(stems)

    def _stem(self, word: str) -> str:
        return _stem(word, self._endings, self._least)

    def stem(self, word: str) -> str:
        """A folded word as this language compares it (its ending dropped)."""
        return self._stem(_fold(word))

    def _split(self, word: str) -> tuple[str, ...]:
        """A compound as its head and its known last part ("ruckenschmerzen" -> "rucken",
        "schmerzen"); any other word as itself."""
        for tail in self._tails:
            if word.endswith(tail) and len(word) - len(tail) >= _MIN_STEM:
                return word[: -len(tail)], tail
        return (word,)

    def _parts(self, text: str) -> list[list[str]]:
        """The message as parts (split at punctuation and clause words), each a word list."""
        folded = _fold(text)
        if self._alias_pattern is not None:
            folded = self._alias_pattern.sub(lambda m: self._aliases[m.group(1)], folded)
        folded = re.sub(r"[.,;:!?()\[\]\n\r\u2013\u2014]|\s-\s", f" {_BREAK} ", folded)
        parts: list[list[str]] = [[]]
        for raw in folded.split():
            if raw == _BREAK:
                parts.append([])
                continue
            for word in re.findall(r"[^\W_]+", raw):
                if word in self._breaks:
                    parts.append([])
                else:
                    parts[-1].extend(self._split(word))
        return [part for part in parts if part]

    def _near(self, word: str) -> tuple[tuple[str, int], ...]:
        """Lexicon words within two edits of the typed `word`'s stem, sharing its first letter,
        with the edits `_edits` counts (cached: the same words come again and again)."""
        with self._cache_lock:
            cached = self._cache.get(word)
            if cached is not None:
                self._cache.move_to_end(word)
                return cached
        stem = self._stem(word)
        if word in self._places or stem in self._places:
            found: tuple[tuple[str, int], ...] = ((stem, 0),) if stem in self._by_word else ()
        else:
            hits = process.extract(
                stem, self._vocabulary, scorer=OSA.distance, score_cutoff=2, limit=None
            )
            found = tuple(
                (hit, _edits(stem, hit, int(distance)))
                for hit, distance, _ in hits
                if distance == 0 or hit[0] == stem[0]
            )
        with self._cache_lock:
            self._cache[word] = found
            if len(self._cache) > _TOKEN_CACHE_SIZE:
                self._cache.popitem(last=False)
        return found

    # --- matching ---------------------------------------------------------------------------

    def match(self, text: str) -> SymptomMatch | None:
        """The most serious flag the message points to, a plain opener, or None."""
        if not text.strip() or is_place_or_time(text):
            return None
        best = self.best(text)
        return None if best is None else SymptomMatch(best.flag, best.tier)

    def best(self, text: str) -> _Phrase | None:
        """The phrase `match` reports, without the place-or-time check (done once by the
        caller when several languages read the same message)."""
        parts = self._parts(text)
        content_words = sum(1 for part in parts for word in part if word not in self._ignore)
        best: _Phrase | None = None
        for part in parts:
            for phrase in self._matches_in(part):
                if phrase.alone and content_words > self._alone_max:
                    continue
                if best is None or _rank(phrase) > _rank(best):
                    best = phrase
        return best

    def _matches_in(self, part: Sequence[str]) -> Iterable[_Phrase]:
        tokens: list[_Token] = []
        negators: list[tuple[int, range]] = []  # (position of the negation, positions it covers)
        for index, word in enumerate(part):
            if word in self._ignore:
                continue
            position = len(tokens)
            tokens.append(_Token(word, position))
            following = part[index + 1] if index + 1 < len(part) else None
            if word in self._negations and following not in self._hedges:
                negators.append((position, range(position + 1, position + 1 + self._reach)))
        # lexicon word -> [(position, edits)] for every token near it
        seen: dict[str, list[tuple[int, int]]] = {}
        hit_at: set[int] = set()
        for token in tokens:
            for word, edits in self._near(token.word):
                seen.setdefault(word, []).append((token.position, edits))
                if edits <= _allowed_edits(word, False):
                    hit_at.add(token.position)
        # "pain free", "the pain is gone": cancels what comes before, if nothing follows it
        for token in tokens:
            after = token.position
            denied = after > 0 and tokens[after - 1].word in self._negations
            if token.word in self._after and not denied and not any(p > after for p in hit_at):
                negators.append((after, range(max(0, after - self._reach), after)))
        candidates = sorted({i for word in seen for i in self._by_word.get(word, ())})
        for index in candidates:
            phrase = self._phrases[index]
            if self._found(phrase, seen, negators):
                yield phrase

    def _found(
        self,
        phrase: _Phrase,
        seen: dict[str, list[tuple[int, int]]],
        negators: list[tuple[int, range]],
    ) -> bool:
        """Every word of the phrase is in this part, and none of them stands under a negation
        (other than a negation word that is itself part of the phrase, as in "no feeling")."""
        single = len(phrase.words) == 1
        chosen: list[list[int]] = []
        for word in phrase.words:
            limit = _allowed_edits(word, single)
            positions = [position for position, edits in seen.get(word, ()) if edits <= limit]
            if not positions:
                return False
            chosen.append(positions)
        own = {
            p
            for word, positions in zip(phrase.words, chosen, strict=True)
            for p in positions
            if word in self._negation_stems
        }
        scopes = [covered for at, covered in negators if at not in own]
        return all(
            any(not any(p in covered for covered in scopes) for p in positions)
            for positions in chosen
        )


def _rank(phrase: _Phrase) -> int:
    """Flags above openers, and among flags the more serious tier."""
    return -1 if phrase.tier is None else phrase.tier.severity


class MultiMatcher:
    """Several languages' matchers reading the same message: the most serious flag found in
    any language wins (the first language listed on a tie)."""

    def __init__(self, matchers: Sequence[SymptomMatcher]) -> None:
        self._matchers = tuple(matchers)

    def match(self, text: str) -> SymptomMatch | None:
        """The most serious flag the message points to in any language, an opener, or None."""
        if not text.strip() or is_place_or_time(text):
            return None
        best: _Phrase | None = None
        for matcher in self._matchers:
            found = matcher.best(text)
            if found is not None and (best is None or _rank(found) > _rank(best)):
                best = found
        return None if best is None else SymptomMatch(best.flag, best.tier)


_compiled: dict[int, tuple[PhraseLexicon, SymptomMatcher]] = {}
_compiled_lock = threading.Lock()
_COMPILED_KEPT = 16


def matcher_for(lexicon: PhraseLexicon) -> SymptomMatcher:
    """The compiled matcher of this lexicon, built on first use and kept while it is in use
    (content is loaded once per process; a reloaded lexicon gets its own)."""
    key = id(lexicon)
    with _compiled_lock:
        entry = _compiled.get(key)
        if entry is not None and entry[0] is lexicon:
            return entry[1]
    matcher = SymptomMatcher(lexicon)
    with _compiled_lock:
        if len(_compiled) >= _COMPILED_KEPT:
            _compiled.clear()
        _compiled[key] = (lexicon, matcher)
    return matcher


def matcher_for_all(lexicons: Mapping[str, PhraseLexicon]) -> MultiMatcher:
    """One matcher over every language's lexicon (`Content.lexicons`), each compiled once."""
    return MultiMatcher([matcher_for(lexicon) for lexicon in lexicons.values()])
