"""A simulated month for three people, as the routine cards they would have received.

    python -m benchmarks.personas            # the cards, day by day, as text
    python -m benchmarks.personas --json     # the same as JSON

Everything here is the real rules run day by day without Telegram or a database: each morning
the person's history goes through `progression.assess`, the picker chooses and adapts today's
routine, the person does it in the real session state machine (`bot.domain.flow`) answering each
check-in as their persona would, and what the flow records becomes tomorrow's history, with the
same mapping the database loader uses (`progression.mark_of_event`). A red flag puts the person
on hold; the persona gets checked and the hold is lifted two days later. Deterministic: the
same script prints the same month.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from bot.content.duration import plan_routine
from bot.content.loader import Content, load_content
from bot.content.models import FocusArea, Level
from bot.content.safety import Outcome
from bot.domain import flow, progression, routines
from bot.domain.flow import AcceptWarning, CheckIn, FlowState, HoldElapsed, Phase, Record, Skip
from bot.domain.progression import History, SessionMark, StretchMark

START = date(2026, 12, 7)
REMINDER = time(7, 0)
HOLD_DAYS = 2
"""Days a red flag keeps the person on hold before someone checked them and it is lifted."""

Answer = Callable[[str, int], str]
"""(stretch id, day number from 0) -> the check-in answer id the persona gives."""


@dataclass(frozen=True)
class Persona:
    name: str
    prefs: routines.Preferences
    answer: Answer
    limits: frozenset[str] = frozenset()


@dataclass
class Day:
    day: date
    title: str | None
    stretches: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
    """Stretch ids the session really offered (a locked stage is passed over)."""
    answers: list[str] = field(default_factory=list)
    """Check-in answers other than "gentle"."""
    outcome: str = ""


def beginner_answers(stretch_id: str, day: int) -> str:
    """Finds the seated forward fold and knee drops uncomfortable in the first week."""
    if day < 7 and stretch_id in {"seated_forward_fold", "knee_drops", "chair_hamstring_stage_3"}:
        return "uncomfortable"
    return "gentle"


def always_fine(stretch_id: str, day: int) -> str:
    return "gentle"


def numb_on_stage_3(stretch_id: str, day: int) -> str:
    """Tingling on stage 3 the second time they meet it, fine afterwards."""
    return "numbness" if stretch_id == "chair_hamstring_stage_3" and 2 <= day < 4 else "gentle"


PERSONAS = (
    Persona(
        "Beginner who reports discomfort",
        routines.Preferences(
            focus=frozenset({FocusArea.HAMSTRINGS, FocusArea.LOWER_BACK}),
            level=Level.BEGINNER,
            minutes=5,
        ),
        beginner_answers,
    ),
    Persona(
        "Advanced newcomer",
        routines.Preferences(
            focus=frozenset({FocusArea.HAMSTRINGS}), level=Level.ADVANCED, minutes=5
        ),
        always_fine,
    ),
    Persona(
        "Numbness on stage 3",
        routines.Preferences(
            focus=frozenset({FocusArea.HAMSTRINGS}), level=Level.BEGINNER, minutes=5
        ),
        numb_on_stage_3,
    ),
)


def _run(
    content: Content, state: FlowState, answer: Answer, day_no: int, at: datetime
) -> tuple[FlowState, list[Record]]:
    """Do the session as the persona: hold every hold in full, answer each check-in."""
    checkin = content.safety.checkin
    records: list[Record] = []
    for _ in range(500):
        if state.is_over:
            break
        step = state.current
        assert step is not None
        event: flow.Event
        if state.phase is Phase.WARNING:
            event = AcceptWarning(state.seq)
        elif state.phase is Phase.READY:
            event = flow.StartHold(state.seq, at)
        elif state.phase is Phase.HOLDING:
            event = HoldElapsed(state.hold_no)
        elif state.phase is Phase.CHECKIN:
            event = CheckIn(state.seq, answer(step.stretch_id, day_no))
        elif state.phase is Phase.EASED:
            event = Skip(state.seq)
        else:
            raise AssertionError(f"the persona does not expect {state.phase}")
        result = flow.apply(state, event, checkin)
        assert isinstance(result, flow.Transition)
        records += [e for e in result.effects if isinstance(e, Record)]
        state = result.state
    return state, records


def simulate(
    persona: Persona,
    days: int = 30,
    content: Content | None = None,
    start: date = START,
    final: list[History] | None = None,
) -> list[Day]:
    """The persona's month, day by day; `final` (if given) receives the history at its end."""
    content = content if content is not None else load_content()
    rules = progression.rules_for(content, content.safety.checkin)
    checkin = content.safety.checkin
    red_flags = {
        a.id for a in checkin.answers if a.outcome in (Outcome.PROFESSIONAL, Outcome.URGENT)
    }
    sessions: list[SessionMark] = []
    marks: list[StretchMark] = []
    pains: list[datetime] = []
    recent: list[str] = []
    on_hold_until: date | None = None
    out: list[Day] = []
    for day_no in range(days):
        today = start + timedelta(days=day_no)
        at = datetime.combine(today, REMINDER, UTC)
        if on_hold_until is not None and today < on_hold_until:
            out.append(Day(today, None, outcome="on hold after a red flag: no routine"))
            continue
        history = History(tuple(sessions), tuple(marks), tuple(pains))
        standing = progression.assess(rules, history, at, UTC, persona.limits)
        plan = routines.plan_day(content, persona.prefs, today, recent, standing, rules)
        card = Day(
            today,
            plan.routine.title,
            [content.stretches[s].name for s in plan.routine.stretch_ids],
            [_plain(line) for line in _swap_lines(content, plan)],
        )
        steps = flow.plan_steps(plan_routine(plan.routine, content.stretches), plan.step_swaps)
        begun = flow.start(
            plan.routine_id, steps, standing.open_gates, None, standing.uneasy_lately
        )
        session_id = len(sessions) + 1
        state, records = _run(content, begun.state, persona.answer, day_no, at)
        records = [*(e for e in begun.effects if isinstance(e, Record)), *records]
        card.offered = [r.stretch_id for r in records if r.kind is flow.EventKind.CHECKIN]
        card.answers = [
            f"{content.stretches[r.stretch_id].name}: {r.answer_id}"
            for r in records
            if r.kind is flow.EventKind.CHECKIN and r.answer_id != "gentle"
        ]
        done_at = at + timedelta(minutes=10)
        for record in records:
            mark = progression.mark_of_event(rules, record.kind.value, record.answer_id)
            if mark is progression.Mark.CLEAN and record.stretch_id not in rules.prerequisite_ids:
                mark = None  # as the database loader: only clean marks a gate can use
            if mark is not None:
                marks.append(StretchMark(session_id, record.stretch_id, done_at, mark))
            if record.kind is flow.EventKind.CHECKIN and record.answer_id in red_flags:
                pains.append(done_at)  # the check-in's red flag is a pain report (interface A)
                on_hold_until = today + timedelta(days=HOLD_DAYS + 1)
        completed = state.phase is Phase.DONE
        sessions.append(SessionMark(session_id, plan.routine_id, at, True, completed))
        recent.insert(0, plan.routine_id)
        del recent[5:]
        card.outcome = "done" if completed else f"stopped ({state.stop_reason})"
        out.append(card)
    if final is not None:
        final.append(History(tuple(sessions), tuple(marks), tuple(pains)))
    return out


def _swap_lines(content: Content, plan: progression.Plan) -> tuple[str, ...]:
    # The card's own wording (the chat layer's texts), so the note shows what people read.
    from bot.chat.texts.session import swap_lines

    return swap_lines(plan.swaps, content.stretches)


def _plain(html: str) -> str:
    return html.replace("&#x27;", "'").replace("&amp;", "&")


def render(persona: Persona, month: list[Day]) -> str:
    lines = [f"## {persona.name} ({persona.prefs.level}, {persona.prefs.minutes} min)"]
    for day in month:
        if day.title is None:
            lines.append(f"{day.day:%a %d %b}: {day.outcome}")
            continue
        lines.append(f"{day.day:%a %d %b}: {day.title} [{day.outcome}]")
        lines.append("    " + " → ".join(day.stretches))
        lines += [f"    {change}" for change in day.changes]
        lines += [f"    (answered) {answer}" for answer in day.answers]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--days", type=int, default=30)
    options = parser.parse_args()
    content = load_content()
    months = [(p, simulate(p, options.days, content)) for p in PERSONAS]
    if options.json:
        data = {
            p.name: [
                {
                    "day": d.day.isoformat(),
                    "routine": d.title,
                    "stretches": d.stretches,
                    "changes": d.changes,
                    "answers": d.answers,
                    "outcome": d.outcome,
                }
                for d in month
            ]
            for p, month in months
        }
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return
    print("\n\n".join(render(p, month) for p, month in months))


if __name__ == "__main__":
    main()
