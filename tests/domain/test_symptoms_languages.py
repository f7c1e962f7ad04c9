"""Typed symptoms in German, Spanish and Russian: what people type -> the route it takes.

The gate reads every message against every language's lexicon at once (`matcher_for_all`), so
the tables here run through that combined matcher: each red flag as people really type it
(inflections, compounds, typos, any word order, ё for е), negatives ("keine Schmerzen", "sin
dolor", "не болит"), and everyday messages of each language that must pass through (times,
cities, greetings, thanks). The English table of `test_symptoms.py` must route the same through
the combined matcher as through the English one, and the property tests feed every place and
time the parsers accept, and every new phrase shuffled or with a typo.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.loader import Content, load_content
from bot.content.safety import Outcome
from bot.content.symptoms import LEXICON_LANGUAGES, PhraseLexicon, plain_words
from bot.domain.parsing import COMMON_ZONES, known_place_names, parse_time
from bot.domain.symptoms import MultiMatcher, SymptomMatcher, matcher_for, matcher_for_all
from tests.domain.test_symptoms import TABLE as ENGLISH_TABLE
from tests.domain.test_symptoms import typed_times

URGENT, PROFESSIONAL, EASE_OFF = "urgent", "professional", "ease_off"
OPENER = "opener"
NONE = "none"

Row = tuple[str, str, str | None]

GERMAN: list[Row] = [
    # bladder and bowel
    ("ich habe mir in die Hose gemacht", URGENT, "bladder_bowel"),
    ("hab eingenässt", URGENT, "bladder_bowel"),
    ("ich kann meine Blase nicht kontrollieren", URGENT, "bladder_bowel"),
    ("kann nicht pinkeln", URGENT, "bladder_bowel"),
    ("Probleme mit der Blase", URGENT, "bladder_bowel"),
    ("Inkontinenz", URGENT, "bladder_bowel"),
    # saddle
    ("taub zwischen den Beinen", URGENT, "saddle_numbness"),
    ("im Schritt ist alles taub", URGENT, "saddle_numbness"),
    ("mein Po ist taub", URGENT, "saddle_numbness"),
    ("da unten kribbelt es", URGENT, "saddle_numbness"),
    # legs
    ("ich spüre meine Beine nicht", URGENT, "legs_failing"),
    ("spüre meine beine nciht", URGENT, "legs_failing"),
    ("kein Gefühl in den Beinen", URGENT, "legs_failing"),
    ("meine Beine sind so schwach", URGENT, "legs_failing"),
    ("beide Beine sind taub", URGENT, "legs_failing"),
    ("die Beine geben nach", URGENT, "legs_failing"),
    ("ich kann meine Beine nicht bewegen", URGENT, "legs_failing"),
    ("Beinschwäche", URGENT, "legs_failing"),
    # walking
    ("ich kann nicht laufen", URGENT, "trouble_walking"),
    ("kann kaum gehen", URGENT, "trouble_walking"),
    ("das Gehen fällt mir schwer", URGENT, "trouble_walking"),
    # severe and chest
    ("starke Schmerzen", URGENT, "severe_pain"),
    ("die Schmerzen sind unerträglich", URGENT, "severe_pain"),
    ("hölische Schmerzen im Rücken", URGENT, "severe_pain"),
    ("Brustschmerzen", URGENT, "chest_pain"),
    ("meine Brust tut weh", URGENT, "chest_pain"),
    ("ich bekomme keine Luft", URGENT, "chest_pain"),
    # professional
    ("mein Bein ist taub", PROFESSIONAL, "numbness"),
    ("Bein taub", PROFESSIONAL, "numbness"),
    ("Taubheitsgefühl im Fuß", PROFESSIONAL, "numbness"),
    ("mein fuss ist taub", PROFESSIONAL, "numbness"),
    ("es kribbelt im Bein", PROFESSIONAL, "tingling"),
    ("Kribbeln in den Zehen", PROFESSIONAL, "tingling"),
    ("mein Fuß ist eingeschlafen", PROFESSIONAL, "tingling"),
    ("stechende Schmerzen im Rücken", PROFESSIONAL, "sharp_pain"),
    ("der Schmerz zieht ins Bein", PROFESSIONAL, "sharp_pain"),
    ("Ischias", PROFESSIONAL, "sharp_pain"),
    ("Nervenschmerzen", PROFESSIONAL, "sharp_pain"),
    ("ich bin gestürzt", PROFESSIONAL, "injury"),
    ("bin hingefallen", PROFESSIONAL, "injury"),
    ("Muskel gezerrt", PROFESSIONAL, "injury"),
    ("mein Knöchel ist geschwollen", PROFESSIONAL, "injury"),
    ("ich habe Fieber und Rückenschmerzen", PROFESSIONAL, "fever_back_pain"),
    ("nachts Schmerzen", PROFESSIONAL, "other_warning_signs"),
    ("seit Wochen Schmerzen", PROFESSIONAL, "long_pain"),
    ("mir ist schwindelig", PROFESSIONAL, "feeling_faint"),
    # ease off
    ("Muskelkater", EASE_OFF, "soreness"),
    ("ein bisschen verspannt", EASE_OFF, "soreness"),
    ("Wadenkrampf", EASE_OFF, "soreness"),
    # openers
    ("Schmerz", OPENER, None),
    ("Schmerzen", OPENER, None),
    ("Rückenschmerzen", OPENER, None),
    ("es tut weh", OPENER, None),
    ("das Knie schmerzt", OPENER, None),
    ("aua", OPENER, None),
    ("AUAAA", OPENER, None),
    ("autsch", OPENER, None),
    ("Hilfe", OPENER, None),
    ("Hilfe!!", OPENER, None),
    ("ich brauche Hilfe", OPENER, None),
    ("bin verletzt", OPENER, None),
    # negatives
    ("keine Schmerzen", NONE, None),
    ("keine Schmerzen mehr, danke", NONE, None),
    ("es tut nicht weh", NONE, None),
    ("mein Bein ist nicht taub", NONE, None),
    ("kein Kribbeln", NONE, None),
    ("schmerzfrei heute", NONE, None),
    ("die Schmerzen sind weg", NONE, None),
    # negatives that still carry a symptom
    ("keine Schmerzen, aber mein Bein ist taub", PROFESSIONAL, "numbness"),
    ("Schmerzen sind weg, aber ich spüre meine Beine nicht", URGENT, "legs_failing"),
    ("nicht sicher, mein Bein kribbelt", PROFESSIONAL, "tingling"),
    ("die Schmerzen gehen nicht weg", PROFESSIONAL, "long_pain"),
    # mixed languages
    ("Hilfe, I can't feel my legs", URGENT, "legs_failing"),
    ("München, mein Bein ist taub", PROFESSIONAL, "numbness"),
]

GERMAN_EVERYDAY: list[str] = [
    "7 Uhr",
    "um 7 Uhr",
    "19:30",
    "morgen früh",
    "morgen früh um 8",
    "München",
    "Berlin",
    "Hamburg",
    "Wien",
    "Zürich",
    "Hallo",
    "Guten Morgen",
    "guten Abend",
    "danke",
    "Danke schön!",
    "vielen Dank",
    "ja",
    "nein",
    "nein danke",
    "alles gut",
    "passt",
    "super, das war toll",
    "bis morgen",
    "ich habe keine Zeit",
    "kann ich es morgen machen?",
    "heute nicht",
    "später bitte",
    "ich bin müde",
    "meine Oberschenkel fühlen sich fest an",
    "ich habe alle Dehnungen gemacht",
    "weniger Übungen bitte",
    "wie spät ist es in Berlin?",
    "tut mir leid",
    "das Wetter ist schön",
    "ich gehe spazieren",
    "Schritt für Schritt",
    "Hilfe bei den Einstellungen",
    "Montag und Mittwoch",
]

SPANISH: list[Row] = [
    # bladder and bowel
    ("me hice pis encima", URGENT, "bladder_bowel"),
    ("creo que me he orinado", URGENT, "bladder_bowel"),
    ("no puedo controlar la vejiga", URGENT, "bladder_bowel"),
    ("no puedo orinar", URGENT, "bladder_bowel"),
    ("perdida de orina", URGENT, "bladder_bowel"),
    ("incontinencia", URGENT, "bladder_bowel"),
    # saddle
    ("tengo la ingle entumecida", URGENT, "saddle_numbness"),
    ("entumecido ahí abajo", URGENT, "saddle_numbness"),
    ("no siento los glúteos", URGENT, "saddle_numbness"),
    ("hormigueo ahi abajo", URGENT, "saddle_numbness"),
    # legs
    ("no siento las piernas", URGENT, "legs_failing"),
    ("no siento las pirnas", URGENT, "legs_failing"),
    ("No siento los pies", URGENT, "legs_failing"),
    ("tengo las piernas débiles", URGENT, "legs_failing"),
    ("se me doblan las piernas", URGENT, "legs_failing"),
    ("no puedo mover la pierna", URGENT, "legs_failing"),
    ("las piernas no me responden", URGENT, "legs_failing"),
    # walking
    ("no puedo caminar", URGENT, "trouble_walking"),
    ("me cuesta mucho caminar", URGENT, "trouble_walking"),
    ("no puedo levantarme", URGENT, "trouble_walking"),
    # severe and chest
    ("dolor insoportable", URGENT, "severe_pain"),
    ("tengo un dolor muy fuerte", URGENT, "severe_pain"),
    ("el dolor es insoportable", URGENT, "severe_pain"),
    ("la espalda me está matando", URGENT, "severe_pain"),
    ("dolor en el pecho", URGENT, "chest_pain"),
    ("me duele el pecho", URGENT, "chest_pain"),
    ("no puedo respirar", URGENT, "chest_pain"),
    # professional
    ("tengo la pierna entumecida", PROFESSIONAL, "numbness"),
    ("pierna entumecida", PROFESSIONAL, "numbness"),
    ("entumecimiento", PROFESSIONAL, "numbness"),
    ("hormigueo en el pie", PROFESSIONAL, "tingling"),
    ("se me duerme la pierna", PROFESSIONAL, "tingling"),
    ("tengo la pierna dormida", PROFESSIONAL, "tingling"),
    ("dolor agudo en la espalda", PROFESSIONAL, "sharp_pain"),
    ("un dolor punzante", PROFESSIONAL, "sharp_pain"),
    ("ciática otra vez", PROFESSIONAL, "sharp_pain"),
    ("me caí ayer", PROFESSIONAL, "injury"),
    ("me he caído", PROFESSIONAL, "injury"),
    ("creo que tengo un esguince", PROFESSIONAL, "injury"),
    ("tengo el tobillo hinchado", PROFESSIONAL, "injury"),
    ("tengo fiebre y me duele la espalda", PROFESSIONAL, "fever_back_pain"),
    ("dolor por la noche", PROFESSIONAL, "other_warning_signs"),
    ("dolor desde hace semanas", PROFESSIONAL, "long_pain"),
    ("el dolor no se va", PROFESSIONAL, "long_pain"),
    ("estoy mareado", PROFESSIONAL, "feeling_faint"),
    # ease off
    ("tengo agujetas", EASE_OFF, "soreness"),
    ("un calambre en el gemelo", EASE_OFF, "soreness"),
    ("algunas molestias", EASE_OFF, "soreness"),
    # openers
    ("dolor", OPENER, None),
    ("me duele", OPENER, None),
    ("me duele la espalda", OPENER, None),
    ("me duelen las rodillas", OPENER, None),
    ("ay", OPENER, None),
    ("ayyyy", OPENER, None),
    ("ayuda", OPENER, None),
    ("¡ayuda!", OPENER, None),
    ("necesito ayuda", OPENER, None),
    ("ayúdame", OPENER, None),
    ("estoy lesionado", PROFESSIONAL, "injury"),
    # negatives
    ("sin dolor", NONE, None),
    ("sin dolor, gracias", NONE, None),
    ("no me duele", NONE, None),
    ("ya no me duele nada", NONE, None),
    ("no tengo dolor", NONE, None),
    ("no estoy mareado ni nada", NONE, None),
    ("el dolor desapareció", NONE, None),
    # negatives that still carry a symptom
    ("sin dolor pero tengo la pierna entumecida", PROFESSIONAL, "numbness"),
    ("no sé por qué me duele", OPENER, None),
    ("no para de doler, no puedo caminar", URGENT, "trouble_walking"),
    # mixed languages
    ("ayuda, my leg is numb", PROFESSIONAL, "numbness"),
    ("Sevilla, no siento las piernas", URGENT, "legs_failing"),
]

SPANISH_EVERYDAY: list[str] = [
    "a las 7",
    "19:30",
    "7pm",
    "mañana por la mañana",
    "Sevilla",
    "Madrid",
    "Barcelona",
    "Valencia",
    "Buenos Aires",
    "Ciudad de México",
    "hola",
    "buenos días",
    "buenas noches",
    "gracias",
    "¡muchas gracias!",
    "vale",
    "sí",
    "no",
    "no gracias",
    "todo bien",
    "genial, me ha encantado",
    "hasta mañana",
    "no tengo tiempo",
    "¿puedo hacerlo mañana?",
    "hoy no",
    "más tarde",
    "estoy cansado",
    "tengo los isquios tensos",
    "hice todos los estiramientos",
    "menos ejercicios por favor",
    "¿qué hora es en Madrid?",
    "lo siento",
    "hace buen tiempo",
    "voy a dar un paseo",
    "paso a paso",
    "ayuda con los ajustes",
    "lunes y miércoles",
    "no sé",
]

RUSSIAN: list[Row] = [
    # bladder and bowel
    ("я обмочился", URGENT, "bladder_bowel"),
    ("обмочилась", URGENT, "bladder_bowel"),
    ("не могу удержать мочу", URGENT, "bladder_bowel"),
    ("не могу помочиться", URGENT, "bladder_bowel"),
    ("проблемы с мочевым пузырём", URGENT, "bladder_bowel"),
    ("недержание", URGENT, "bladder_bowel"),
    # saddle
    ("онемение в паху", URGENT, "saddle_numbness"),
    ("пах онемел", URGENT, "saddle_numbness"),
    ("онемели ягодицы", URGENT, "saddle_numbness"),
    ("покалывание в паху", URGENT, "saddle_numbness"),
    # legs
    ("не чувствую ног", URGENT, "legs_failing"),
    ("я не чувствую ноги", URGENT, "legs_failing"),
    ("не чуствую ног", URGENT, "legs_failing"),
    ("обе ноги онемели", URGENT, "legs_failing"),
    ("слабость в ногах", URGENT, "legs_failing"),
    ("ноги подкашиваются", URGENT, "legs_failing"),
    ("не могу пошевелить ногой", URGENT, "legs_failing"),
    ("ноги не держат", URGENT, "legs_failing"),
    # walking
    ("не могу ходить", URGENT, "trouble_walking"),
    ("мне трудно ходить", URGENT, "trouble_walking"),
    ("не могу встать", URGENT, "trouble_walking"),
    # severe and chest
    ("сильная боль", URGENT, "severe_pain"),
    ("очень сильная боль в спине", URGENT, "severe_pain"),
    ("невыносимая боль", URGENT, "severe_pain"),
    ("боль в груди", URGENT, "chest_pain"),
    ("грудь болит", URGENT, "chest_pain"),
    ("не могу дышать", URGENT, "chest_pain"),
    # professional
    ("онемела нога", PROFESSIONAL, "numbness"),
    ("нога онемела", PROFESSIONAL, "numbness"),
    ("у меня онемела стопа", PROFESSIONAL, "numbness"),
    ("немеет нога", PROFESSIONAL, "numbness"),
    ("онемение", PROFESSIONAL, "numbness"),
    ("покалывание в ноге", PROFESSIONAL, "tingling"),
    ("нога затекла", PROFESSIONAL, "tingling"),
    ("острая боль в спине", PROFESSIONAL, "sharp_pain"),
    ("боль отдаёт в ногу", PROFESSIONAL, "sharp_pain"),
    ("защемило нерв", PROFESSIONAL, "sharp_pain"),
    ("я упал", PROFESSIONAL, "injury"),
    ("поскользнулась на льду", PROFESSIONAL, "injury"),
    ("потянул мышцу", PROFESSIONAL, "injury"),
    ("колено опухло", PROFESSIONAL, "injury"),
    ("отёк на лодыжке", PROFESSIONAL, "injury"),
    ("высокая температура и болит спина", PROFESSIONAL, "fever_back_pain"),
    ("боль по ночам", PROFESSIONAL, "other_warning_signs"),
    ("болит уже две недели", PROFESSIONAL, "long_pain"),
    ("кружится голова", PROFESSIONAL, "feeling_faint"),
    # ease off
    ("крепатура", EASE_OFF, "soreness"),
    ("ноет поясница", EASE_OFF, "soreness"),
    ("свело ногу", EASE_OFF, "soreness"),
    # openers
    ("боль", OPENER, None),
    ("больно", OPENER, None),
    ("болит спина", OPENER, None),
    ("у меня болят колени", OPENER, None),
    ("помогите", OPENER, None),
    ("помогите!!!", OPENER, None),
    ("нужна помощь", OPENER, None),
    ("БОЛЬНО", OPENER, None),
    # negatives
    ("не болит", NONE, None),
    ("ничего не болит", NONE, None),
    ("нет боли", NONE, None),
    ("без боли", NONE, None),
    ("боль прошла", NONE, None),
    ("нога больше не немеет", NONE, None),
    ("боли нет, спасибо", NONE, None),
    # negatives that still carry a symptom
    ("не болит, но онемела нога", PROFESSIONAL, "numbness"),
    ("не знаю почему, но болит", OPENER, None),
    ("боль не проходит", PROFESSIONAL, "long_pain"),
    # ё and е
    ("отек", PROFESSIONAL, "injury"),
    ("ноги онемели, всё", PROFESSIONAL, "numbness"),
    # mixed languages
    ("помогите, my leg is numb", PROFESSIONAL, "numbness"),
    ("Москва, онемела нога", PROFESSIONAL, "numbness"),
]

RUSSIAN_EVERYDAY: list[str] = [
    "в 7 утра",
    "19:30",
    "7:00",
    "завтра утром",
    "Москва",
    "Санкт-Петербург",
    "Новосибирск",
    "Казань",
    "Екатеринбург",
    "Moscow",
    "привет",
    "здравствуйте",
    "доброе утро",
    "спасибо",
    "большое спасибо!",
    "да",
    "нет",
    "нет, спасибо",
    "всё хорошо",
    "всё отлично, было здорово",
    "до завтра",
    "у меня нет времени",
    "можно завтра?",
    "сегодня не буду",
    "попозже",
    "я устал",
    "задняя поверхность бедра напряжена",
    "сделал все упражнения",
    "поменьше упражнений, пожалуйста",
    "который час в Москве?",
    "извините",
    "хорошая погода",
    "пойду гулять",
    "шаг за шагом",
    "помощь с настройками",
    "понедельник и среда",
    "ёлки-палки",
    "скоро буду",
]

TABLES = {"de": GERMAN, "es": SPANISH, "ru": RUSSIAN}
EVERYDAY = {"de": GERMAN_EVERYDAY, "es": SPANISH_EVERYDAY, "ru": RUSSIAN_EVERYDAY}


@pytest.fixture(scope="module")
def matcher(content: Content) -> MultiMatcher:
    return matcher_for_all(content.lexicons)


def route(matcher: MultiMatcher | SymptomMatcher, text: str) -> tuple[str, str | None]:
    found = matcher.match(text)
    if found is None:
        return NONE, None
    return (found.tier.value if found.tier is not None else OPENER), found.flag


def test_every_language_has_a_lexicon(content: Content) -> None:
    assert list(content.lexicons) == ["en", *LEXICON_LANGUAGES]
    assert content.lexicons["en"] is content.symptoms


@pytest.mark.parametrize("language", LEXICON_LANGUAGES)
def test_the_tables_are_big_enough_and_cover_every_flag(content: Content, language: str) -> None:
    table, everyday = TABLES[language], EVERYDAY[language]
    assert len(table) >= 45
    assert len(everyday) >= 35
    assert len({text for text, _, _ in table}) == len(table), "no phrasing twice"
    assert len(set(everyday)) == len(everyday)
    assert {flag.id for flag in content.symptoms.flags} <= {flag for _, _, flag in table}
    assert any(expected == NONE for _, expected, _ in table), "negatives are in the table"


ROWS = [(language, *row) for language, table in TABLES.items() for row in table]


@pytest.mark.parametrize(
    ("language", "text", "expected", "flag"), ROWS, ids=[f"{r[0]}:{r[1]}" for r in ROWS]
)
def test_route(
    matcher: MultiMatcher, language: str, text: str, expected: str, flag: str | None
) -> None:
    assert route(matcher, text) == (expected, flag)


DAILY = [(language, text) for language, texts in EVERYDAY.items() for text in texts]


@pytest.mark.parametrize(("language", "text"), DAILY, ids=[f"{r[0]}:{r[1]}" for r in DAILY])
def test_everyday_messages_pass_through(matcher: MultiMatcher, language: str, text: str) -> None:
    assert route(matcher, text) == (NONE, None)


@pytest.mark.parametrize(
    ("text", "expected", "flag"), ENGLISH_TABLE, ids=[t for t, _, _ in ENGLISH_TABLE]
)
def test_english_routes_the_same_through_every_language(
    matcher: MultiMatcher, text: str, expected: str, flag: str | None
) -> None:
    """Reading the other languages too changes nothing for English messages."""
    assert route(matcher, text) == (expected, flag)


@pytest.mark.parametrize("language", LEXICON_LANGUAGES)
def test_each_phrase_points_to_its_tier(content: Content, language: str) -> None:
    """Every phrase of a language file, typed as written, routes to its own flag's tier or a
    more serious one, read alone in its language and among all of them."""
    own = matcher_for(content.lexicons[language])
    every = matcher_for_all(content.lexicons)
    for flag in content.lexicons[language].flags:
        for phrase in flag.phrases:
            for reader in (own, every):
                found = reader.match(phrase)
                assert found is not None and found.tier is not None, phrase
                assert found.tier >= flag.tier, (phrase, found)


@pytest.mark.parametrize("language", LEXICON_LANGUAGES)
def test_every_opener_opens_the_triage(content: Content, language: str) -> None:
    openers = content.lexicons[language].openers
    every = matcher_for_all(content.lexicons)
    for phrase in (*openers.anywhere, *openers.alone):
        assert every.match(phrase) is not None, phrase


def test_no_single_word_of_a_lexicon_is_a_place(content: Content) -> None:
    """A one-word phrase that onboarding reads as a place could never be heard (places win)."""
    places = known_place_names()
    singles = [
        phrase
        for lexicon in content.lexicons.values()
        for phrase in (
            *(p for flag in lexicon.flags for p in flag.phrases),
            *lexicon.openers.anywhere,
            *lexicon.openers.alone,
        )
        if len(plain_words(phrase)) == 1
    ]
    assert [word for word in singles if " ".join(plain_words(word)) in places] == []


# --- Word order, typos, places and times over the new words --------------------------------

_CONTENT = load_content()
_EVERY = matcher_for_all(_CONTENT.lexicons)


def _multi_word(lexicon: PhraseLexicon) -> list[tuple[str, Outcome]]:
    """Phrases of two words or more once filler words are left out."""
    breaks = set(lexicon.language.clause_breaks)
    ignore = set(lexicon.language.ignore)
    return [
        (phrase, flag.tier)
        for flag in lexicon.flags
        for phrase in flag.phrases
        if len(set(plain_words(phrase)) - ignore) > 1 and not breaks & set(plain_words(phrase))
    ]


_PLACE_SET = known_place_names()
MULTI_WORD = [
    (language, phrase, tier)
    for language in LEXICON_LANGUAGES
    for phrase, tier in _multi_word(_CONTENT.lexicons[language])
]
FILLER = {
    "de": ["mein", "wirklich", "so", "jetzt", "ganz"],
    "es": ["mi", "muy", "ahora", "la", "tan"],
    "ru": ["у", "меня", "очень", "сейчас", "прямо"],
}


@settings(max_examples=400, deadline=None)
@given(
    chosen=st.sampled_from(MULTI_WORD),
    order=st.randoms(use_true_random=False),
    extra=st.lists(st.integers(0, 4), max_size=3),
)
def test_any_word_order_matches(
    chosen: tuple[str, str, Outcome], order: Any, extra: list[int]
) -> None:
    language, phrase, tier = chosen
    words = [*plain_words(phrase), *(FILLER[language][i] for i in extra)]
    order.shuffle(words)
    found = _EVERY.match(" ".join(words))
    assert found is not None and found.tier is not None and found.tier >= tier, words


def _typo_candidates() -> list[tuple[str, str, int, Outcome]]:
    """(language, phrase, index of a word, tier) for words whose stem has 5+ letters (not
    compounds: a typo across "Taubheits|gefühl" is forgiven only within one part)."""
    found = []
    for language, phrase, tier in MULTI_WORD:
        lexicon = _CONTENT.lexicons[language]
        stemmer = matcher_for(lexicon)
        tails = tuple(plain_words(" ".join(lexicon.language.compound_tails)))
        for index, word in enumerate(plain_words(phrase)):
            compound = any(word.endswith(tail) and word != tail for tail in tails)
            if len(stemmer.stem(word)) >= 5 and word.isalpha() and not compound:
                found.append((language, phrase, index, tier))
    return found


@settings(max_examples=400, deadline=None)
@given(
    chosen=st.sampled_from(_typo_candidates()),
    where=st.integers(min_value=1),
    kind=st.sampled_from(["swap", "drop", "double"]),
)
def test_one_typo_inside_a_long_word_still_matches(
    chosen: tuple[str, str, int, Outcome], where: int, kind: str
) -> None:
    """A typo inside the word's stem (never its first letter, never the ending the language
    drops, which a typo could turn into another ending)."""
    language, phrase, index, tier = chosen
    words = plain_words(phrase)
    word = words[index]
    stemmer = matcher_for(_CONTENT.lexicons[language])
    stem = stemmer.stem(word)
    at = 1 + where % (len(stem) - 2)  # the swapped pair stays inside the stem
    if kind == "swap":
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "drop":
        typo = word[:at] + word[at + 1 :]
    else:
        typo = word[:at] + word[at] + word[at:]
    if re.search(r"(\w)\1\1", typo):
        return  # three letters in a row are read as one ("ouchhh"): not the typo under test
    if abs(len(stemmer.stem(typo)) - len(stem)) > 1:
        return  # the typo made another ending ("esplada" ends like "-ada"): not under test
    if {typo, stemmer.stem(typo)} & _PLACE_SET:
        return  # "cuesta" -> "cesta" reads as the zone CEST: places are only matched exactly
    words[index] = typo
    found = _EVERY.match(" ".join(words))
    assert found is not None and found.tier is not None and found.tier >= tier, (language, words)


PLACES = sorted(known_place_names())


@settings(max_examples=300, deadline=None)
@given(
    place=st.sampled_from(PLACES),
    shape=st.sampled_from(["{}", "{} ", "{}!", "in {}", "en {}", "в {}", "nach {}"]),
)
def test_no_known_place_is_a_symptom_in_any_language(place: str, shape: str) -> None:
    for variant in (place, place.title(), place.upper()):
        assert _EVERY.match(shape.format(variant)) is None, variant


def test_every_known_place_and_zone_name_is_not_a_symptom_in_any_language() -> None:
    from zoneinfo import available_timezones

    names = [*PLACES, *COMMON_ZONES, *sorted(available_timezones())]
    assert [name for name in names if _EVERY.match(name) is not None] == []


@settings(max_examples=400, deadline=None)
@given(
    typed=typed_times(),
    shape=st.sampled_from(["{}", "um {}", "{} Uhr", "a las {}", "в {}", "morgen {}"]),
)
def test_no_time_is_a_symptom_in_any_language(typed: str, shape: str) -> None:
    assert isinstance(parse_time(typed), time), "the strategy makes only accepted times"
    assert _EVERY.match(typed) is None
    assert _EVERY.match(shape.format(typed)) is None
