"""The summary a person can show a professional (/report): plain figures from plain records.

Pure, like `stats`: the use case loads the rows, this module turns them into the figures, and
the chat side words and renders them (a PDF and the same text as a message). Days and weeks are
the person's local ones. Nothing here is stored: the report is assembled on request and sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.content.models import Stretch
from bot.domain.flow import EventKind
from bot.domain.progression import Rules, Standing
from bot.domain.schedule import local_date
from bot.domain.stats import GoalStatus, SessionRecord, goal_status, weekly_bars

WEEKS = 8
"""Weeks of adherence the report shows, ending with the current one."""


@dataclass(frozen=True, slots=True)
class StretchEvent:
    """One outcome of one stretch in one session (a `session_events` row, reduced)."""

    stretch_id: str
    kind: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TriageRecord:
    """One pain report: when, where it came from, what was decided and who checked."""

    created_at: datetime
    source: str
    outcome: str | None
    resolved_at: datetime | None
    checked_by: str | None
    clearance: str | None


@dataclass(frozen=True, slots=True)
class WeekLine:
    monday: date
    sessions: int
    status: GoalStatus


@dataclass(frozen=True, slots=True)
class StretchTally:
    stretch_id: str
    name: str
    done: int
    eased: int
    stopped: int


@dataclass(frozen=True, slots=True)
class Rating:
    day: date
    rating: int


@dataclass(frozen=True, slots=True)
class TriageLine:
    at: datetime
    """Local time of the report."""
    source: str
    outcome: str | None
    resolved_on: date | None
    checked_by: str | None
    clearance: str | None


@dataclass(frozen=True, slots=True)
class Stage:
    """Where a nerve-tension progression stands: the highest stage open now (None: none is),
    and whether a recent symptom stepped it back."""

    first: Stretch
    current: Stretch | None
    stepped_back: bool


@dataclass(frozen=True, slots=True)
class Report:
    first_name: str | None
    made_on: date
    zone: str
    weeks: tuple[WeekLine, ...]
    stretches: tuple[StretchTally, ...]
    ratings: tuple[Rating, ...]
    triages: tuple[TriageLine, ...]
    stages: tuple[Stage, ...]
    limits: tuple[str, ...]

    @property
    def weeks_on_goal(self) -> int:
        return sum(1 for week in self.weeks if week.status is not GoalStatus.BELOW)


def since(now: datetime) -> datetime:
    """The earliest instant the report's weeks need (a little early is harmless: `assemble`
    keeps only what falls in its weeks)."""
    return now - timedelta(weeks=WEEKS, days=1)


def tally(events: Iterable[StretchEvent], names: Mapping[str, str]) -> tuple[StretchTally, ...]:
    """Per stretch: done in full, done after easing off, and where a session was stopped.
    Stretches with none of the three are left out; order: most done first, then by name."""
    counts: dict[str, list[int]] = {}
    slot = {EventKind.DONE.value: 0, EventKind.DONE_EASED.value: 1, EventKind.STOPPED.value: 2}
    for event in events:
        index = slot.get(event.kind)
        if index is None or not event.stretch_id:
            continue
        counts.setdefault(event.stretch_id, [0, 0, 0])[index] += 1
    lines = [
        StretchTally(stretch_id, names.get(stretch_id, stretch_id), *numbers)
        for stretch_id, numbers in counts.items()
    ]
    return tuple(sorted(lines, key=lambda line: (-line.done, line.name)))


def chains(stretches: Mapping[str, Stretch]) -> list[list[Stretch]]:
    """Each nerve-tension progression, easiest stage first, following the `harder` links."""
    tension = {s.id: s for s in stretches.values() if s.nerve_tension}
    starts = [s for s in tension.values() if s.easier not in tension]
    found: list[list[Stretch]] = []
    for start in starts:
        chain, seen = [start], {start.id}
        while (nxt := tension.get(chain[-1].harder or "")) is not None and nxt.id not in seen:
            chain.append(nxt)
            seen.add(nxt.id)
        found.append(chain)
    return found


def stages(rules: Rules, standing: Standing) -> tuple[Stage, ...]:
    """The current stage of every nerve-tension progression: its highest stage that today's
    standing allows (gates, step-backs and a professional's limits all count)."""
    result = []
    for chain in chains(rules.stretches):
        allowed = [s for s in chain if standing.allows(s, rules)]
        stepped = any(s.id in standing.stepped_back for s in chain)
        result.append(Stage(chain[0], allowed[-1] if allowed else None, stepped))
    return tuple(result)


def assemble(
    *,
    first_name: str | None,
    zone_name: str,
    zone: tzinfo,
    now: datetime,
    sessions: Sequence[SessionRecord],
    events: Iterable[StretchEvent],
    triages: Iterable[TriageRecord],
    names: Mapping[str, str],
    stage_lines: tuple[Stage, ...],
    limits: frozenset[str],
) -> Report:
    """Every figure of the report, for a person in `zone` at the instant `now`."""
    today = local_date(now, zone)
    ordered = sorted(sessions, key=lambda r: r.started_at)
    bars = weekly_bars(ordered, today, zone, weeks=WEEKS)
    first_monday = bars[0].monday
    ratings = tuple(
        Rating(day, r.pain_rating)
        for r in ordered
        if r.pain_rating is not None and (day := local_date(r.started_at, zone)) >= first_monday
    )
    triage_lines = tuple(
        TriageLine(
            at=t.created_at.astimezone(zone),
            source=t.source,
            outcome=t.outcome,
            resolved_on=local_date(t.resolved_at, zone) if t.resolved_at else None,
            checked_by=t.checked_by,
            clearance=t.clearance,
        )
        for t in sorted(triages, key=lambda t: t.created_at)
    )
    return Report(
        first_name=first_name,
        made_on=today,
        zone=zone_name,
        weeks=tuple(WeekLine(b.monday, b.sessions, goal_status(b.sessions)) for b in bars),
        stretches=tally((e for e in events if local_date(e.at, zone) >= first_monday), names),
        ratings=ratings,
        triages=triage_lines,
        stages=stage_lines,
        limits=tuple(sorted(limits)),
    )
