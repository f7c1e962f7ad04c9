"""What the progression rules add to planning one reminder, as the dispatcher does it.

    python -m benchmarks.planning

Prints one JSON line per case: CPU microseconds per reminder for `routine_chooser` (assess the
history, pick, adapt) for a newcomer without history and for people after a simulated month
(the three personas), and the ratio to the newcomer case. Target (issue 18): under 0.1 ms per
reminder; a last line sums up. People who share preferences and standing share their plan
(`bot.domain.planner`), so what is left per person with a history is reading it
(`progression.assess`).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from benchmarks.personas import PERSONAS, START, simulate
from benchmarks.targets import Scorecard
from bot.content.loader import load_content
from bot.db.deliveries import DueSubscriber
from bot.dispatch import routine_chooser
from bot.domain.progression import EMPTY, History, rules_for

ROUNDS = 2000
TARGET_US = 100.0


def _per_call(choose: object, subject: DueSubscriber, rounds: int) -> float:
    assert callable(choose)
    day = subject.due_at.date()
    # CPU time, not wall time: the machine is shared, and a busy neighbour must not count.
    began = time.process_time()
    for _ in range(rounds):
        choose(subject, day)
    return (time.process_time() - began) / rounds * 1e6


def main() -> int:
    card = Scorecard("planning")
    content = load_content()
    rules = rules_for(content, content.safety.checkin)
    choose = routine_chooser(content, rules)
    due = datetime.combine(START + timedelta(days=30), datetime.min.time(), UTC)
    base = DueSubscriber(
        subscriber_id=1,
        due_at=due.replace(hour=7),
        chat_id=1,
        telegram_user_id=1,
        timezone="UTC",
        reminder_time=None,
        weekdays=0b1111111,
        focus_areas=("hamstrings",),
        level="advanced",
        session_minutes=5,
    )
    newcomer = _per_call(choose, replace(base, history=EMPTY), ROUNDS)
    card.below("newcomer: us per reminder", round(newcomer, 1), TARGET_US)
    print(
        json.dumps(
            {
                "case": "newcomer, no history",
                "us_per_reminder": round(newcomer, 1),
                "under_100_us": newcomer < TARGET_US,
            }
        )
    )
    for persona in PERSONAS:
        final: list[History] = []
        simulate(persona, 30, content, final=final)
        (history,) = final
        subject = replace(
            base,
            history=history,
            level=persona.prefs.level.value,
            focus_areas=tuple(sorted(a.value for a in persona.prefs.focus)),
        )
        cost = _per_call(choose, subject, ROUNDS)
        card.below(f"{persona.name}: us per reminder", round(cost, 1), TARGET_US)
        print(
            json.dumps(
                {
                    "case": f"after a month: {persona.name}",
                    "sessions": len(history.sessions),
                    "marks": len(history.marks),
                    "us_per_reminder": round(cost, 1),
                    "ratio_to_newcomer": round(cost / newcomer, 2),
                    "under_100_us": cost < TARGET_US,
                }
            )
        )
    return card.summary()


if __name__ == "__main__":
    raise SystemExit(main())
