"""Progression from what was really done: gates, step-backs, easier and harder variants.

Pure functions over a `History` value (what the database knows about one person's recent
sessions), so the same history and instant always give the same answer. The rules:

* **Dose.** Only a stretch held in full (every hold at least 80 % of its time, see
  `flow.hold_counts`) and answered "comfortable" at its check-in is a *clean* mark.
* **Gates.** A gated stretch (one with `prerequisites`, the advanced chair stages) opens only
  when each prerequisite has clean marks on `GATE_DAYS` separate local days, each followed by
  `QUIET_HOURS` without any pain report. A 24-hour window still running does not count yet.
* **Step back.** Numbness, tingling, sharp pain at a check-in (or pain reported during a stretch)
  closes that stretch, and everything gated on it, for `STEP_BACK_DAYS`: the plan serves its
  `easier` variant instead, or leaves it out when there is none.
* **Ease.** A stretch answered "Uncomfortable" is replaced by its `easier` variant for the next
  `EASIER_SESSIONS` sessions of routines that have it, then offered again (counting every
  session instead would let the rotation use up the three before the stretch comes back).
  Answered so twice within `UNEASY_DAYS`, the check-in asks whether to see a professional
  (the flow does that, from `uneasy_lately`).
* **Step up.** `COMFORT_RUN` comfortable sessions of a routine in a row (completed, and no
  stretch in them skipped, short of its dose, uncomfortable or worse) *offer* one of its
  stretches one step harder (its `harder` variant, `step_up_offer`), never past a gate,
  never off limits, never above the person's level. Taken, the harder variant is served from
  then on, until a check-in on it says "uncomfortable" or worse; kept (or not answered), that
  stretch is not offered again for `OFFER_QUIET_DAYS`.
* **Limits** given when a red flag was lifted with limits: `no_nerve_tension` leaves every
  nerve-tension stretch out; `gentle_only` keeps beginner stretches and routines only.

`Rules` is what these need from the content, compiled once per content version; `History` is
batch-loaded for a whole claimed batch of reminders (see `bot.db.progress`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Protocol

from bot.content.duration import routine_duration_seconds
from bot.content.models import Level, Routine, RoutineStep, Stretch
from bot.content.safety import CheckinContent, Outcome
from bot.domain.flow import EventKind

GATE_DAYS = 2
QUIET_HOURS = 24
STEP_BACK_DAYS = 7
EASIER_SESSIONS = 3
UNEASY_DAYS = 7
COMFORT_RUN = 5
OFFER_QUIET_DAYS = 14
HISTORY_DAYS = 60
"""How far back the history is loaded: enough for every rule above (gates need two days)."""

NO_NERVE_TENSION = "no_nerve_tension"
GENTLE_ONLY = "gentle_only"
LIMITS = frozenset({NO_NERVE_TENSION, GENTLE_ONLY})


class Mark(StrEnum):
    """What one stretch in one session says about the person's progress."""

    CLEAN = "clean"
    """Held in full and comfortable at the check-in."""
    UNEASY = "uneasy"
    """Answered "Uncomfortable"."""
    SYMPTOM = "symptom"
    """Numbness, tingling or sharp pain at the check-in, or pain reported during the stretch."""
    SHORT = "short"
    """Answered, but a hold fell short of the dose."""
    SKIPPED = "skipped"
    """Skipped: not done, so its session was not a comfortable one (no step up from it)."""


@dataclass(frozen=True, slots=True)
class StretchMark:
    session_id: int
    stretch_id: str
    at: datetime
    mark: Mark


@dataclass(frozen=True, slots=True)
class SessionMark:
    session_id: int
    routine_id: str
    started_at: datetime
    finished: bool
    """Completed or stopped; abandoned and running sessions are not counted as sessions."""
    completed: bool


@dataclass(frozen=True, slots=True)
class StepOffer:
    """A step-up offered in a session: `stretch_id` is the stretch the routine had, `taken`
    whether the person chose its harder variant (kept or unanswered: False)."""

    session_id: int
    stretch_id: str
    at: datetime
    taken: bool


@dataclass(frozen=True, slots=True)
class History:
    """One person's recent sessions, marks, pain reports and step-up offers, each oldest first
    (UTC)."""

    sessions: tuple[SessionMark, ...] = ()
    marks: tuple[StretchMark, ...] = ()
    pain_reports: tuple[datetime, ...] = ()
    offers: tuple[StepOffer, ...] = ()
    red_flags: tuple[datetime, ...] = ()
    """When the pain reports among them that were red flags were made (the weekly nudge)."""


EMPTY = History()


class Library(Protocol):
    @property
    def stretches(self) -> Mapping[str, Stretch]: ...

    @property
    def routines(self) -> Mapping[str, Routine]: ...


@dataclass(frozen=True, slots=True)
class Rules:
    """What the rules need from one content version, computed once (`compile_rules`)."""

    stretches: Mapping[str, Stretch]
    gated: frozenset[str]
    """Stretches with prerequisites."""
    prerequisite_ids: frozenset[str]
    """Stretches some gate depends on: only their clean marks need loading."""
    dependents: Mapping[str, frozenset[str]]
    """Stretch -> every stretch gated on it, directly or further up the chain."""
    nerve_tension: frozenset[str]
    uneasy_answers: frozenset[str]
    symptom_answers: frozenset[str]
    routine_stretches: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Routine id -> the stretch ids in it, so untouched routines skip `adapt`."""
    routine_seconds: Mapping[str, int] = field(default_factory=dict)
    """Routine id -> its length as written (the picker's length rule reads it every time)."""

    def touched(
        self, routine_id: str, standing: Standing, affected: frozenset[str] | None = None
    ) -> bool:
        """Could `adapt` change this routine for this standing? False is certain.
        `affected`: `self.affected(standing)`, passed in when asking for many routines."""
        ids = self.routine_stretches.get(routine_id)
        if ids is None:
            return True
        if standing.limits and any(off_limits(self.stretches[i], standing.limits) for i in ids):
            return True
        if affected is None:
            affected = self.affected(standing)
        return not ids.isdisjoint(affected)

    def affected(self, standing: Standing) -> frozenset[str]:
        """Stretches whose presence in a routine may change it for this standing."""
        return self.gated | standing.stepped_back | standing.easier | standing.stepped_up

    def mark_of_answer(self, answer_id: str) -> Mark | None:
        if answer_id in self.symptom_answers:
            return Mark.SYMPTOM
        if answer_id in self.uneasy_answers:
            return Mark.UNEASY
        return None


def mark_of_event(rules: Rules, kind: str, answer: str | None) -> Mark | None:
    """The mark a history row leaves (`flow.EventKind` values), or None if it leaves none."""
    if kind == EventKind.DONE:
        return Mark.CLEAN
    if kind == EventKind.DONE_SHORT:
        return Mark.SHORT
    if kind == EventKind.SKIPPED:
        return Mark.SKIPPED
    if kind == EventKind.PAUSED:
        return Mark.SYMPTOM
    if kind == EventKind.CHECKIN and answer is not None:
        return rules.mark_of_answer(answer)
    return None


def compile_rules(
    library: Library, uneasy_answers: Iterable[str], symptom_answers: Iterable[str]
) -> Rules:
    stretches = dict(library.stretches)
    direct: dict[str, set[str]] = {}
    for stretch in stretches.values():
        for prerequisite in stretch.prerequisites:
            direct.setdefault(prerequisite, set()).add(stretch.id)

    def above(stretch_id: str) -> frozenset[str]:
        found: set[str] = set()
        todo = list(direct.get(stretch_id, ()))
        while todo:
            node = todo.pop()
            if node not in found:
                found.add(node)
                todo.extend(direct.get(node, ()))
        return frozenset(found)

    return Rules(
        stretches=stretches,
        gated=frozenset(s.id for s in stretches.values() if s.prerequisites),
        prerequisite_ids=frozenset(direct),
        dependents={stretch_id: above(stretch_id) for stretch_id in stretches},
        nerve_tension=frozenset(s.id for s in stretches.values() if s.nerve_tension),
        uneasy_answers=frozenset(uneasy_answers),
        symptom_answers=frozenset(symptom_answers),
        routine_stretches={r.id: frozenset(r.stretch_ids) for r in library.routines.values()},
        routine_seconds={
            r.id: routine_duration_seconds(r, stretches) for r in library.routines.values()
        },
    )


def rules_for(library: Library, checkin: CheckinContent) -> Rules:
    """Rules for shipped content: the check-in's ease-off answers mark "uneasy", the answers
    that send someone to a professional (or urgent care) mark a symptom."""
    return compile_rules(
        library,
        (a.id for a in checkin.answers if a.outcome is Outcome.EASE_OFF),
        (a.id for a in checkin.answers if a.outcome in (Outcome.PROFESSIONAL, Outcome.URGENT)),
    )


class Reason(StrEnum):
    """Why today's plan differs from the routine as written (the card and the step say so)."""

    NOT_YET = "not_yet"
    """A gated stage whose gate is still closed: the stage before is served instead."""
    STEPPED_BACK = "stepped_back"
    """A symptom on this stretch in the last week."""
    EASIER = "easier"
    """"Uncomfortable" last time."""
    HARDER = "harder"
    """The person took the step-up offered after a run of comfortable sessions."""
    OFF_LIMITS = "off_limits"
    """Left out because of limits set when a red flag was lifted."""


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one person stands at one instant: the rules applied to their history."""

    open_gates: frozenset[str] = frozenset()
    stepped_back: frozenset[str] = frozenset()
    """Stretches closed for now by a recent symptom (with everything gated on them)."""
    easier: frozenset[str] = frozenset()
    """Stretches to serve as their easier variant (uncomfortable within the last sessions)."""
    uneasy_lately: frozenset[str] = frozenset()
    """Stretches answered "Uncomfortable" within `UNEASY_DAYS`."""
    comfortable_runs: Mapping[str, int] = field(default_factory=dict)
    """Routine id -> comfortable sessions of it in a row, counted back from the latest."""
    limits: frozenset[str] = frozenset()
    stepped_up: frozenset[str] = frozenset()
    """Stretches whose harder variant the person took, and no check-in on it said otherwise."""
    offer_quiet: frozenset[str] = frozenset()
    """Stretches whose step-up was kept or left unanswered within `OFFER_QUIET_DAYS`."""

    def allows(self, stretch: Stretch, rules: Rules) -> bool:
        """May this stretch appear in today's plan at all?"""
        return not (
            stretch.id in self.stepped_back
            or (stretch.id in rules.gated and stretch.id not in self.open_gates)
            or off_limits(stretch, self.limits)
        )


def off_limits(stretch: Stretch, limits: frozenset[str]) -> bool:
    if NO_NERVE_TENSION in limits and stretch.nerve_tension:
        return True
    return GENTLE_ONLY in limits and (
        stretch.level is not Level.BEGINNER or bool(stretch.prerequisites)
    )


def assess(
    rules: Rules,
    history: History,
    at: datetime,
    zone: tzinfo,
    limits: frozenset[str] = frozenset(),
) -> Standing:
    """Apply every rule of the module docstring to `history` as it stands at `at`."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC instant")
    unknown = limits - LIMITS
    if unknown:
        raise ValueError(f"unknown limits: {sorted(unknown)}")
    marks = [m for m in history.marks if m.at <= at]
    stepped_back: set[str] = set()
    for mark in marks:
        if mark.mark is Mark.SYMPTOM and at - mark.at < timedelta(days=STEP_BACK_DAYS):
            stepped_back.add(mark.stretch_id)
            stepped_back.update(rules.dependents.get(mark.stretch_id, ()))
    qualified = _qualified(rules, marks, history.pain_reports, at, zone)
    open_gates = frozenset(
        stretch_id
        for stretch_id in rules.gated
        if stretch_id not in stepped_back
        and all(p in qualified for p in rules.stretches[stretch_id].prerequisites)
        and not off_limits(rules.stretches[stretch_id], limits)
    )
    sessions = [s for s in history.sessions if s.started_at <= at]
    easier: set[str] = set()
    uneasy_lately: set[str] = set()
    for mark in marks:
        if mark.mark is not Mark.UNEASY:
            continue
        if at - mark.at < timedelta(days=UNEASY_DAYS):
            uneasy_lately.add(mark.stretch_id)
        since = sum(
            1
            for s in sessions
            if s.finished
            and s.started_at > mark.at
            and s.session_id != mark.session_id
            and mark.stretch_id in rules.routine_stretches.get(s.routine_id, ())
        )
        if since < EASIER_SESSIONS:
            easier.add(mark.stretch_id)
    return Standing(
        open_gates=open_gates,
        stepped_back=frozenset(stepped_back),
        easier=frozenset(easier),
        uneasy_lately=frozenset(uneasy_lately),
        comfortable_runs=_comfortable_runs(sessions, marks),
        limits=limits,
        stepped_up=_stepped_up(rules, history.offers, marks, at),
        offer_quiet=frozenset(
            o.stretch_id
            for o in history.offers
            if not o.taken and o.at <= at and at - o.at < timedelta(days=OFFER_QUIET_DAYS)
        ),
    )


def _stepped_up(
    rules: Rules, offers: tuple[StepOffer, ...], marks: list[StretchMark], at: datetime
) -> frozenset[str]:
    """Step-ups taken and still in force: an "uncomfortable" or a symptom on the harder
    variant since it was taken ends one (the easier and step-back rules then take over)."""
    taken: dict[str, datetime] = {}
    for offer in offers:
        if offer.taken and offer.at <= at and offer.stretch_id in rules.stretches:
            taken[offer.stretch_id] = offer.at
    return frozenset(
        stretch_id
        for stretch_id, since in taken.items()
        if (harder := rules.stretches[stretch_id].harder) is not None
        and not any(
            m.stretch_id == harder and m.at >= since and m.mark in (Mark.UNEASY, Mark.SYMPTOM)
            for m in marks
        )
    )


def _qualified(
    rules: Rules,
    marks: list[StretchMark],
    pains: tuple[datetime, ...],
    at: datetime,
    zone: tzinfo,
) -> frozenset[str]:
    """Prerequisites with clean marks on `GATE_DAYS` local days, each followed by a full quiet
    window without a pain report."""
    quiet = timedelta(hours=QUIET_HOURS)
    latest = at - quiet  # a mark after this still has its window running: not known quiet yet
    prerequisites = rules.prerequisite_ids
    days: dict[str, set[object]] = {}
    qualified: set[str] = set()
    for mark in marks:
        stretch_id = mark.stretch_id
        # A stretch qualified once stays so: the rest of its marks cannot change that, and
        # reading them (a time-zone conversion each) was most of the planning cost.
        if mark.mark is not Mark.CLEAN or stretch_id in qualified or mark.at > latest:
            continue
        if stretch_id not in prerequisites:
            continue
        if pains:
            ends = mark.at + quiet
            if any(mark.at < pain <= ends for pain in pains):
                continue
        seen = days.setdefault(stretch_id, set())
        seen.add(mark.at.astimezone(zone).date())
        if len(seen) >= GATE_DAYS:
            qualified.add(stretch_id)
    return frozenset(qualified)


def _comfortable_runs(sessions: list[SessionMark], marks: list[StretchMark]) -> dict[str, int]:
    troubled = {m.session_id for m in marks if m.mark is not Mark.CLEAN}
    runs: dict[str, int] = {}
    ended: set[str] = set()
    for session in reversed(sessions):
        if not session.finished or session.routine_id in ended:
            continue
        if session.completed and session.session_id not in troubled:
            runs[session.routine_id] = runs.get(session.routine_id, 0) + 1
        else:
            ended.add(session.routine_id)
    return runs


# --- Today's plan ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Swap:
    """One change to a routine: at `index` of the plan, `original` became `replacement`
    (None: left out, and then `index` is where it would have been)."""

    index: int
    original: str
    replacement: str | None
    reason: Reason


@dataclass(frozen=True, slots=True)
class Plan:
    """A routine as this person gets it today: `routine` carries the adapted steps."""

    routine: Routine
    swaps: tuple[Swap, ...] = ()

    @property
    def routine_id(self) -> str:
        return self.routine.id

    @property
    def step_swaps(self) -> dict[int, tuple[str, str]]:
        """Step index -> (reason, original id), for `flow.plan_steps`."""
        return {
            s.index: (s.reason.value, s.original) for s in self.swaps if s.replacement is not None
        }


def adapt(
    routine: Routine, rules: Rules, standing: Standing, level: Level = Level.ADVANCED
) -> Plan:
    """The routine with every rule applied; its steps may be fewer (never more) than written."""
    if not rules.touched(routine.id, standing):
        return Plan(routine)
    steps: list[RoutineStep] = []
    swaps: list[Swap] = []
    for step in routine.steps:
        stretch = rules.stretches[step.stretch]
        chosen, reason = _served(stretch, rules, standing, level)
        if reason is Reason.HARDER and (
            chosen is None or not _stands_after(chosen, steps[-1].stretch if steps else None)
        ):
            chosen, reason = stretch, None  # the harder one cannot stand here: as written
        if chosen is None or (steps and steps[-1].stretch == chosen.id and reason is not None):
            # Left out, or it would repeat the step just before (stage 3 standing in for stage 4
            # right after stage 3): the person does it once.
            swaps.append(Swap(len(steps), stretch.id, None, reason or Reason.NOT_YET))
            continue
        if not _stands_after(chosen, steps[-1].stretch if steps else None):
            # Its set-up was left out or swapped (stage 3 eased, so no stage 4 after it): it
            # waits, like a stage whose gate is shut, until the stage before goes well again.
            swaps.append(Swap(len(steps), stretch.id, None, reason or Reason.NOT_YET))
            continue
        if reason is not None:
            swaps.append(Swap(len(steps), stretch.id, chosen.id, reason))
            steps.append(_fitted(step, chosen))
        else:
            steps.append(step)
    if not swaps:
        return Plan(routine)
    return Plan(routine.model_copy(update={"steps": tuple(steps)}), tuple(swaps))


def _served(
    stretch: Stretch, rules: Rules, standing: Standing, level: Level
) -> tuple[Stretch | None, Reason | None]:
    """The stretch to serve in place of `stretch` (itself when nothing applies) and why."""
    if off_limits(stretch, standing.limits):
        return None, Reason.OFF_LIMITS
    reason: Reason | None = None
    if stretch.id in standing.stepped_back:
        reason = Reason.STEPPED_BACK
    elif stretch.id in rules.gated and stretch.id not in standing.open_gates:
        reason = Reason.NOT_YET
    elif stretch.id in standing.easier:
        reason = Reason.EASIER
    if reason is None:
        if stretch.id in standing.stepped_up:
            harder = _harder_allowed(stretch, rules, standing, level)
            if harder is not None:
                return harder, Reason.HARDER
        return stretch, None
    candidate = _easier_allowed(stretch, rules, standing)
    if candidate is None and reason is Reason.EASIER:
        return stretch, None  # nothing kinder exists: the check-in keeps watching it
    return candidate, reason


def _easier_allowed(stretch: Stretch, rules: Rules, standing: Standing) -> Stretch | None:
    node = stretch
    while node.easier is not None:
        node = rules.stretches[node.easier]
        if standing.allows(node, rules) and node.id not in standing.easier:
            return node
    return None


def _harder_allowed(
    stretch: Stretch, rules: Rules, standing: Standing, level: Level
) -> Stretch | None:
    """Its `harder` variant, if this person may have it at all (gate, limits, level)."""
    if stretch.harder is None:
        return None
    harder = rules.stretches[stretch.harder]
    if harder.level.rank > level.rank or not standing.allows(harder, rules):
        return None
    return harder


@dataclass(frozen=True, slots=True)
class StepUp:
    """A step-up to offer: at `index` of today's plan, `original` could become `harder`."""

    index: int
    original: str
    harder: str


def step_up_offer(plan: Plan, rules: Rules, standing: Standing, level: Level) -> StepUp | None:
    """The one step harder to offer in today's session, or None.

    Only after `COMFORT_RUN` comfortable sessions of this routine in a row, only when the plan
    is as written (nothing eased, nothing stepped up already), never for a stretch kept within
    `OFFER_QUIET_DAYS`, and never to a variant the person may not have (`_harder_allowed`) or
    one that cannot follow the step before it (`_stands_after`)."""
    if standing.comfortable_runs.get(plan.routine_id, 0) < COMFORT_RUN or plan.swaps:
        return None
    steps = plan.routine.steps
    present = {step.stretch for step in steps}
    for index, step in enumerate(steps):
        if step.stretch in standing.offer_quiet or step.stretch in standing.stepped_up:
            continue
        harder = _harder_allowed(rules.stretches[step.stretch], rules, standing, level)
        if harder is None or harder.id in present:
            continue
        if not _stands_after(harder, steps[index - 1].stretch if index else None):
            continue  # stage 5 in place of stage 4 would start from a set-up never done
        return StepUp(index, step.stretch, harder.id)
    return None


def _stands_after(stretch: Stretch, before: str | None) -> bool:
    """Can `stretch` follow `before` (None: first)? Not when its steps start from the set-up
    of another stretch (`builds_on`) that is not the one just before."""
    return stretch.builds_on is None or stretch.builds_on == before


def _fitted(step: RoutineStep, stretch: Stretch) -> RoutineStep:
    """The routine's step with another stretch, its hold and repetitions kept in range."""

    def clamp(value: int | None, low: int, high: int) -> int | None:
        return None if value is None else max(low, min(high, value))

    return RoutineStep(
        stretch=stretch.id,
        hold=clamp(step.hold, stretch.hold.min, stretch.hold.max),
        repetitions=clamp(step.repetitions, stretch.repetitions.min, stretch.repetitions.max),
        note=None,
    )
