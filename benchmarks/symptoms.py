"""Measure the symptom matcher that reads every text message; print one JSON line per case.

    .venv/bin/python -m benchmarks.symptoms

Cases:
* `build`: compiling the shipped English lexicon once (what `matcher_for` does per content
  version), and `build_all` the four languages' lexicons.
* `match`: the time per message over a mix of what people type (symptoms, answers, times,
  cities, chat), with a cold token cache and a warm one, as a ratio to the time
  `is_place_or_time` alone takes on the same messages (the cheapest check the matcher must make
  anyway, measured in the same run, so the ratio holds on a busy machine). `english` is the
  English lexicon alone (what the gate read before German, Spanish and Russian), `all` is what
  the gate reads now: every language at once, on the English messages and on a mix of German,
  Spanish and Russian ones.
* `long`: a pasted 2,000-word message, English alone and all languages.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from benchmarks.targets import Scorecard
from bot.content.loader import load_content
from bot.domain.parsing import is_place_or_time
from bot.domain.symptoms import MultiMatcher, SymptomMatcher

MESSAGES = [
    "my leg is numb",
    "I wet myself",
    "cant feel my legz",
    "shrap pain in my bak",
    "no pain but my leg is numb",
    "not numb anymore",
    "ouch",
    "help",
    "7pm",
    "19:30",
    "Berlin",
    "Bath",
    "São Paulo",
    "UTC+5:30",
    "thanks, that was great",
    "can I do it tomorrow instead?",
    "my hamstrings feel tight today but fine",
    "hello",
]

OTHER_LANGUAGES = [
    "mein Bein ist taub",
    "ich spüre meine Beine nicht",
    "keine Schmerzen, danke",
    "Rückenschmerzen",
    "7 Uhr",
    "morgen früh",
    "München",
    "no siento las piernas",
    "sin dolor",
    "me duele la espalda",
    "Sevilla",
    "gracias, ha sido genial",
    "онемела нога",
    "не болит",
    "помогите",
    "Москва",
    "спасибо",
    "в 7 утра",
]


def _per_message(run: Callable[[str], object], messages: list[str], rounds: int) -> float:
    """Median seconds per message over `rounds` passes of `messages`."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for message in messages:
            run(message)
        samples.append((time.perf_counter() - started) / len(messages))
    return statistics.median(samples)


def _match_case(
    name: str,
    build: Callable[[], SymptomMatcher | MultiMatcher],
    messages: list[str],
) -> None:
    cold_matcher = build()
    cold_started = time.perf_counter()
    for message in messages:
        cold_matcher.match(message)
    cold = (time.perf_counter() - cold_started) / len(messages)
    matcher = build()
    warm = _per_message(matcher.match, messages, 200)
    guard = _per_message(is_place_or_time, messages, 200)
    print(
        json.dumps(
            {
                "case": "match",
                "lexicons": name,
                "messages": len(messages),
                "cold_us_per_message": round(cold * 1e6, 1),
                "warm_us_per_message": round(warm * 1e6, 1),
                "place_or_time_check_us": round(guard * 1e6, 1),
                "warm_ratio_to_place_or_time_check": round(warm / guard, 2),
                "messages_per_second_warm": round(1 / warm),
            }
        )
    )


def main() -> None:
    content = load_content()
    lexicon = content.symptoms
    started = time.perf_counter()
    SymptomMatcher(lexicon)
    build = time.perf_counter() - started
    print(json.dumps({"case": "build", "lexicons": "english", "seconds": round(build, 4)}))
    started = time.perf_counter()
    MultiMatcher([SymptomMatcher(each) for each in content.lexicons.values()])
    build = time.perf_counter() - started
    print(json.dumps({"case": "build", "lexicons": "all", "seconds": round(build, 4)}))

    def english() -> SymptomMatcher:
        return SymptomMatcher(lexicon)

    def every() -> MultiMatcher:
        return MultiMatcher([SymptomMatcher(each) for each in content.lexicons.values()])

    _match_case("english", english, MESSAGES)
    _match_case("all", every, MESSAGES)
    _match_case("all", every, OTHER_LANGUAGES)

    essay = " ".join(["today I did all the stretches and it felt fine"] * 200)
    for name, matcher in (("english", english()), ("all", every())):
        started = time.perf_counter()
        found = matcher.match(essay)
        print(
            json.dumps(
                {
                    "case": "long",
                    "lexicons": name,
                    "words": len(essay.split()),
                    "ms": round((time.perf_counter() - started) * 1e3, 2),
                    "matched": found is not None,
                }
            )
        )


if __name__ == "__main__":
    main()
    NO_TARGETS = "issue 18 sets no target here: figures for the README only"
    raise SystemExit(Scorecard("symptoms").summary(NO_TARGETS))
