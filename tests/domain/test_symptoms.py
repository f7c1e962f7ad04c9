"""The symptom matcher: what people type -> the route it takes (triage with a tier, or nothing).

The table is the specification: every red flag of the source articles and the issue, as people
really type them (lower case, no apostrophes, typos, any word order), negatives, plain openers,
and everyday messages that must pass through. The property tests feed every place and every
time shape onboarding accepts and expect no match, so a city or a time is never a symptom.
"""

from __future__ import annotations

import time as clock
from datetime import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.safety import Outcome
from bot.content.symptoms import SymptomLexicon, plain_words
from bot.domain.parsing import (
    COMMON_ZONES,
    is_place_or_time,
    known_place_names,
    parse_time,
    parse_zone,
)
from bot.domain.symptoms import SymptomMatcher, matcher_for
from bot.domain.zones import InvalidZone
from tests.support.content import shipped_content

URGENT, PROFESSIONAL, EASE_OFF = "urgent", "professional", "ease_off"
OPENER = "opener"  # the triage opens with no tier of its own
NONE = "none"  # not a symptom: the message goes on to the other handlers

# (what the person types, expected route, expected flag id or None)
TABLE: list[tuple[str, str, str | None]] = [
    # bladder and bowel control
    ("I wet myself", URGENT, "bladder_bowel"),
    ("i think i peed myself", URGENT, "bladder_bowel"),
    ("wetting myself since this morning", URGENT, "bladder_bowel"),
    ("cant control my bladder", URGENT, "bladder_bowel"),
    ("I can't control my bowels", URGENT, "bladder_bowel"),
    ("lost controll of my bladder", URGENT, "bladder_bowel"),
    ("i cannot pee", URGENT, "bladder_bowel"),
    ("something wrong with my bladder", URGENT, "bladder_bowel"),
    ("INCONTINENT", URGENT, "bladder_bowel"),
    ("pooed myself, sorry", URGENT, "bladder_bowel"),
    # saddle numbness
    ("numb down there", URGENT, "saddle_numbness"),
    ("my groin is numb", URGENT, "saddle_numbness"),
    ("numbness in my bum", URGENT, "saddle_numbness"),
    ("numb between my legs", URGENT, "saddle_numbness"),
    ("cant feel my bottom", URGENT, "saddle_numbness"),
    ("tingling down there", URGENT, "saddle_numbness"),
    # legs: can't feel, weak, giving way
    ("I can't feel my legs", URGENT, "legs_failing"),
    ("cant feel my legz", URGENT, "legs_failing"),
    ("Can’t feel my feet", URGENT, "legs_failing"),
    ("couldn't feel my leg for a minute", URGENT, "legs_failing"),
    ("my legs feel weak", URGENT, "legs_failing"),
    ("both my legs are numb", URGENT, "legs_failing"),
    ("my legs gave way", URGENT, "legs_failing"),
    ("cant move my leg", URGENT, "legs_failing"),
    # trouble walking
    ("I can't walk", URGENT, "trouble_walking"),
    ("i can not walk properly", URGENT, "trouble_walking"),
    ("having trouble walking", URGENT, "trouble_walking"),
    ("it's hard to walk", URGENT, "trouble_walking"),
    ("struggling to walk today", URGENT, "trouble_walking"),
    # severe and chest pain
    ("severe pain", URGENT, "severe_pain"),
    ("the pain is unbearable", URGENT, "severe_pain"),
    ("im in agony", URGENT, "severe_pain"),
    ("excrutiating", URGENT, "severe_pain"),
    ("chest pain", URGENT, "chest_pain"),
    ("my chest hurts", URGENT, "chest_pain"),
    # numbness, tingling (one leg)
    ("my leg is numb", PROFESSIONAL, "numbness"),
    ("legs numb", PROFESSIONAL, "numbness"),
    ("numb leg", PROFESSIONAL, "numbness"),
    ("my foot went numb", PROFESSIONAL, "numbness"),
    ("numbness", PROFESSIONAL, "numbness"),
    ("tingling in my calf", PROFESSIONAL, "tingling"),
    ("pins and needles", PROFESSIONAL, "tingling"),
    ("got pins & needles in my toes", PROFESSIONAL, "tingling"),
    ("feels tingly", PROFESSIONAL, "tingling"),
    # sharp pain
    ("sharp pain in my back", PROFESSIONAL, "sharp_pain"),
    ("shrap pain in my bak", PROFESSIONAL, "sharp_pain"),
    ("pain sharp", PROFESSIONAL, "sharp_pain"),
    ("shooting pain down my leg", PROFESSIONAL, "sharp_pain"),
    ("sciatica again", PROFESSIONAL, "sharp_pain"),
    # after a fall or an injury
    ("I had a fall yesterday", PROFESSIONAL, "injury"),
    ("fell over on the ice", PROFESSIONAL, "injury"),
    ("I think I pulled a muscle", PROFESSIONAL, "injury"),
    ("heard a pop in my knee", PROFESSIONAL, "injury"),
    ("my ankle is swollen", PROFESSIONAL, "injury"),
    ("bruising on my thigh", PROFESSIONAL, "injury"),
    # fever, night pain, long pain and other warning signs
    ("I have a fever and my back aches", PROFESSIONAL, "fever_back_pain"),
    ("pain at night", PROFESSIONAL, "other_warning_signs"),
    ("losing weight without trying", PROFESSIONAL, "other_warning_signs"),
    ("had surgery on my back", PROFESSIONAL, "other_warning_signs"),
    ("back pain for two weeks", PROFESSIONAL, "long_pain"),
    ("the pain wont go away", PROFESSIONAL, "long_pain"),
    ("I feel dizzy", PROFESSIONAL, "feeling_faint"),
    ("my back is killing me", URGENT, "severe_pain"),
    # ease off
    ("I'm a bit sore", EASE_OFF, "soreness"),
    ("my hamstrings ache", EASE_OFF, "soreness"),
    ("that was uncomfortable", EASE_OFF, "soreness"),
    ("calf cramp", EASE_OFF, "soreness"),
    # plain openers
    ("pain", OPENER, None),
    ("ouch", OPENER, None),
    ("OUCHHHH", OPENER, None),
    ("ow", OPENER, None),
    ("it hurts", OPENER, None),
    ("my back hurts", OPENER, None),
    ("help", OPENER, None),
    ("help!!!", OPENER, None),
    ("I need help", OPENER, None),
    ("I'm injured", OPENER, None),
    ("painful", OPENER, None),
    ("this is an emergency", OPENER, None),
    # negatives
    ("no pain", NONE, None),
    ("No pain at all, thanks", NONE, None),
    ("not numb anymore", NONE, None),
    ("I don't have any pain", NONE, None),
    ("it doesnt hurt", NONE, None),
    ("no numbness or tingling", NONE, None),
    ("nothing hurts today", NONE, None),
    ("the pain is gone", NONE, None),
    ("pain free today!", NONE, None),
    ("no sharp pain", NONE, None),
    # negatives that still carry a symptom
    ("no pain but my leg is numb", PROFESSIONAL, "numbness"),
    ("no pain, just pins and needles", PROFESSIONAL, "tingling"),
    ("the pain is gone but I can't feel my legs", URGENT, "legs_failing"),
    ("no I can't feel my legs", URGENT, "legs_failing"),
    ("not sure, my leg is numb", PROFESSIONAL, "numbness"),
    ("I don't know why but it hurts", OPENER, None),
    ("no feeling in my legs", URGENT, "legs_failing"),
    ("Berlin, my leg is numb", PROFESSIONAL, "numbness"),
    ("7pm. I wet myself", URGENT, "bladder_bowel"),
    ("no idea why I can't feel my legs", URGENT, "legs_failing"),
    ("it doesn't stop hurting", OPENER, None),
    ("my back pain isn't getting better", OPENER, None),
    ("the pain isn't gone", OPENER, None),
    ("I've never had pain like this", OPENER, None),
    ("I can't sit without pain", OPENER, None),
    ("not just sore, it's a sharp pain", PROFESSIONAL, "sharp_pain"),
    # most serious wins
    ("sore and I wet myself", URGENT, "bladder_bowel"),
    ("my leg went numb and now my groin is numb too", URGENT, "saddle_numbness"),
    # not symptoms
    ("7pm", NONE, None),
    ("19:30", NONE, None),
    ("07.30", NONE, None),
    ("Bath", NONE, None),
    ("Berlin", NONE, None),
    ("wet", NONE, None),
    ("Spain", NONE, None),
    ("UTC+5:30", NONE, None),
    ("Berlin, Germany", NONE, None),
    ("UTC+15", NONE, None),
    ("hello", NONE, None),
    ("thanks, that was great", NONE, None),
    ("my hamstrings feel tight", NONE, None),
    ("I had a full session", NONE, None),
    ("I skipped yesterday", NONE, None),
    ("fewer stretches please", NONE, None),
    ("I fell asleep", NONE, None),
    ("I can't hold the stretch for that long", NONE, None),
    ("help me change my time", NONE, None),
    ("paint", NONE, None),
    ("what time is it in Paris?", NONE, None),
    ("can I do it tomorrow", NONE, None),
    ("killing it today", NONE, None),
]


@pytest.fixture(scope="module")
def lexicon() -> SymptomLexicon:
    return shipped_content().symptoms


@pytest.fixture(scope="module")
def matcher(lexicon: SymptomLexicon) -> SymptomMatcher:
    return matcher_for(lexicon)


def route(matcher: SymptomMatcher, text: str) -> tuple[str, str | None]:
    found = matcher.match(text)
    if found is None:
        return NONE, None
    return (found.tier.value if found.tier is not None else OPENER), found.flag


def test_the_table_is_big_enough_and_covers_every_flag(lexicon: SymptomLexicon) -> None:
    assert len(TABLE) >= 60
    assert len({text for text, _, _ in TABLE}) == len(TABLE), "no phrasing twice"
    assert {flag.id for flag in lexicon.flags} <= {flag for _, _, flag in TABLE}


@pytest.mark.parametrize(("text", "expected", "flag"), TABLE, ids=[t for t, _, _ in TABLE])
def test_route(matcher: SymptomMatcher, text: str, expected: str, flag: str | None) -> None:
    assert route(matcher, text) == (expected, flag)


def test_each_flag_points_to_its_tier(lexicon: SymptomLexicon, matcher: SymptomMatcher) -> None:
    """Every phrase of the lexicon, typed as written, routes to its own flag or a more
    serious one (a phrase may also hold a more serious flag's words)."""
    for flag in lexicon.flags:
        for phrase in flag.phrases:
            found = matcher.match(phrase)
            assert found is not None and found.tier is not None, phrase
            assert found.tier >= flag.tier, (phrase, found)


def test_every_opener_opens_the_triage(lexicon: SymptomLexicon, matcher: SymptomMatcher) -> None:
    for phrase in (*lexicon.openers.anywhere, *lexicon.openers.alone):
        assert matcher.match(phrase) is not None, phrase


def test_no_single_word_of_the_lexicon_is_a_place(lexicon: SymptomLexicon) -> None:
    """A one-word phrase that onboarding reads as a place could never be heard (places win)."""
    places = known_place_names()
    singles = [
        phrase
        for phrase in (
            *(p for flag in lexicon.flags for p in flag.phrases),
            *lexicon.openers.anywhere,
            *lexicon.openers.alone,
        )
        if len(plain_words(phrase)) == 1
    ]
    assert [word for word in singles if " ".join(plain_words(word)) in places] == []
    assert [word for word in singles if is_place_or_time(word)] == []


def test_the_matcher_is_built_once_per_lexicon(lexicon: SymptomLexicon) -> None:
    assert matcher_for(lexicon) is matcher_for(lexicon)
    rebuilt = SymptomLexicon.model_validate(lexicon.model_dump())
    assert matcher_for(rebuilt) is not matcher_for(lexicon)


def test_a_long_message_is_still_quick(matcher: SymptomMatcher) -> None:
    """Not a timing test (see benchmarks/symptoms.py): a pasted essay must not blow up."""
    essay = " ".join(["today I did the stretches and felt fine"] * 200) + " but ouch"
    started = clock.perf_counter()
    assert route(matcher, essay) == (OPENER, None)
    assert clock.perf_counter() - started < 5


# --- Word order and typos ----------------------------------------------------------------------

_LEXICON = shipped_content().symptoms
_BREAKS = set(_LEXICON.language.clause_breaks)
_ALIASED = tuple(_LEXICON.language.aliases)
_SUFFIXES = ("s", "ed", "ing", "ness")
MULTI_WORD = [
    (phrase, flag.tier)
    for flag in _LEXICON.flags
    for phrase in flag.phrases
    if len(plain_words(phrase)) > 1
    and not _BREAKS & set(plain_words(phrase))
    and not any(alias in phrase.lower() for alias in _ALIASED if " " in alias)
]


@settings(max_examples=300, deadline=None)
@given(
    chosen=st.sampled_from(MULTI_WORD),
    order=st.randoms(use_true_random=False),
    filler=st.lists(st.sampled_from(["my", "really", "the", "so", "now"]), max_size=3),
)
def test_any_word_order_matches(
    matcher: SymptomMatcher, chosen: tuple[str, Outcome], order: Any, filler: list[str]
) -> None:
    phrase, tier = chosen
    words = [*plain_words(phrase), *filler]
    order.shuffle(words)
    found = matcher.match(" ".join(words))
    assert found is not None and found.tier is not None and found.tier >= tier, words


def _typo_candidates() -> list[tuple[str, int, Outcome]]:
    """(phrase, index of a word, tier) for words of 5+ letters without an ending we drop."""
    found = []
    for phrase, tier in MULTI_WORD:
        for index, word in enumerate(plain_words(phrase)):
            if len(word) >= 5 and not word.endswith(_SUFFIXES) and word.isalpha():
                found.append((phrase, index, tier))
    return found


@settings(max_examples=300, deadline=None)
@given(
    chosen=st.sampled_from(_typo_candidates()),
    where=st.integers(min_value=1),
    kind=st.sampled_from(["swap", "drop", "double"]),
)
def test_one_typo_in_a_long_word_still_matches(
    matcher: SymptomMatcher, chosen: tuple[str, int, Outcome], where: int, kind: str
) -> None:
    phrase, index, tier = chosen
    words = plain_words(phrase)
    word = words[index]
    at = 1 + where % (len(word) - 2)  # never the first letter, never past the end
    if kind == "swap":
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "drop":
        typo = word[:at] + word[at + 1 :]
    else:
        typo = word[:at] + word[at] + word[at:]
    if typo.endswith(_SUFFIXES):
        return  # a made-up ending would be dropped as one: not the typo under test
    if typo in known_place_names():
        return  # "chest" -> "cest" is a zone's name: places are only ever matched exactly
    words[index] = typo
    found = matcher.match(" ".join(words))
    assert found is not None and found.tier is not None and found.tier >= tier, words


# --- Places and times are never symptoms -----------------------------------------------------

PLACES = sorted(known_place_names())


@settings(max_examples=300, deadline=None)
@given(place=st.sampled_from(PLACES), shape=st.sampled_from(["{}", "{} ", "{}!", "in {}"]))
def test_no_known_place_is_a_symptom(matcher: SymptomMatcher, place: str, shape: str) -> None:
    for variant in (place, place.title(), place.upper()):
        assert matcher.match(shape.format(variant)) is None, variant


def test_every_known_place_and_zone_name_is_not_a_symptom(matcher: SymptomMatcher) -> None:
    """All of them, not a sample: the property above varies the shape, this covers the set."""
    from zoneinfo import available_timezones

    names = [*PLACES, *COMMON_ZONES, *sorted(available_timezones())]
    matched = [name for name in names if matcher.match(name) is not None]
    assert matched == []


@st.composite
def typed_times(draw: st.DrawFn) -> str:
    """Every shape `parse_time` accepts: 24-hour and am/pm, with ':', '.', 'h', a space or no
    separator, "o'clock", and the words noon, midday, midnight."""
    kind = draw(st.sampled_from(["24h", "12h", "compact", "word", "oclock"]))
    if kind == "word":
        return draw(st.sampled_from(["noon", "midday", "midnight", "Noon", "MIDNIGHT"]))
    minute = draw(st.integers(0, 59))
    if kind == "24h":
        hour = draw(st.integers(0, 23))
        sep = draw(st.sampled_from([":", ".", "h", " ", " : "]))
        return f"{hour:0{draw(st.sampled_from([1, 2]))}d}{sep}{minute:02d}"
    if kind == "compact":
        return f"{draw(st.integers(0, 23)):02d}{minute:02d}"
    hour = draw(st.integers(1, 12))
    meridiem = draw(st.sampled_from(["am", "pm", "AM", "PM", " a.m.", " p.m.", "a", "p", " pm"]))
    if kind == "oclock":
        return f"{hour} o'clock"
    with_minutes = draw(st.booleans())
    return f"{hour}:{minute:02d}{meridiem}" if with_minutes else f"{hour}{meridiem}"


@settings(max_examples=400, deadline=None)
@given(typed=typed_times())
def test_no_time_is_a_symptom(matcher: SymptomMatcher, typed: str) -> None:
    assert isinstance(parse_time(typed), time), "the strategy makes only accepted times"
    assert matcher.match(typed) is None


@settings(max_examples=200, deadline=None)
@given(
    sign=st.sampled_from(["+", "-", "−"]),
    hours=st.integers(0, 12),
    minutes=st.sampled_from(["", ":30", ":45", "30"]),
    prefix=st.sampled_from(["UTC", "GMT", "utc", ""]),
)
def test_no_offset_is_a_symptom(
    matcher: SymptomMatcher, sign: str, hours: int, minutes: str, prefix: str
) -> None:
    typed = f"{prefix}{sign}{hours}{minutes}"
    try:
        parse_zone(typed)
    except InvalidZone:
        return
    assert matcher.match(typed) is None


def test_tiers_are_the_safety_outcomes(lexicon: SymptomLexicon) -> None:
    assert {flag.tier for flag in lexicon.flags} == set(Outcome)
