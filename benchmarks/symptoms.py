"""Measure the symptom matcher that reads every text message; print one JSON line per case.

    .venv/bin/python -m benchmarks.symptoms

Cases:
* `build`: compiling the shipped lexicon once (what `matcher_for` does per content version).
* `match`: the time per message over a mix of what people type (symptoms, answers, times,
  cities, chat), with a cold token cache and a warm one, as a ratio to the time
  `is_place_or_time` alone takes on the same messages (the cheapest check the matcher must make
  anyway, measured in the same run, so the ratio holds on a busy machine).
* `long`: a pasted 2,000-word message.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from bot.content.loader import load_content
from bot.domain.parsing import is_place_or_time
from bot.domain.symptoms import SymptomMatcher

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


def _per_message(run: Callable[[str], object], rounds: int) -> float:
    """Median seconds per message over `rounds` passes of MESSAGES."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for message in MESSAGES:
            run(message)
        samples.append((time.perf_counter() - started) / len(MESSAGES))
    return statistics.median(samples)


def main() -> None:
    lexicon = load_content().symptoms
    started = time.perf_counter()
    matcher = SymptomMatcher(lexicon)
    build = time.perf_counter() - started
    print(json.dumps({"case": "build", "seconds": round(build, 4)}))

    cold_matcher = SymptomMatcher(lexicon)
    cold_started = time.perf_counter()
    for message in MESSAGES:
        cold_matcher.match(message)
    cold = (time.perf_counter() - cold_started) / len(MESSAGES)
    warm = _per_message(matcher.match, 200)
    guard = _per_message(is_place_or_time, 200)
    print(
        json.dumps(
            {
                "case": "match",
                "messages": len(MESSAGES),
                "cold_us_per_message": round(cold * 1e6, 1),
                "warm_us_per_message": round(warm * 1e6, 1),
                "place_or_time_check_us": round(guard * 1e6, 1),
                "warm_ratio_to_place_or_time_check": round(warm / guard, 2),
                "messages_per_second_warm": round(1 / warm),
            }
        )
    )

    essay = " ".join(["today I did all the stretches and it felt fine"] * 200)
    started = time.perf_counter()
    found = matcher.match(essay)
    print(
        json.dumps(
            {
                "case": "long",
                "words": len(essay.split()),
                "ms": round((time.perf_counter() - started) * 1e3, 2),
                "matched": found is not None,
            }
        )
    )


if __name__ == "__main__":
    main()
