"""The guided session as a pure state machine: `apply(state, event) -> Transition | Stale`.

Every tap and every timer is an event. The state is a small frozen value that round-trips through
JSON (it lives in `PracticeSession.state`), and the result lists what must happen outside: edit
the step message, send a new one (so the phone buzzes), arm or cancel the hold timer, record a
history event, finish the session, or raise a red flag. Nothing here talks to Telegram or the
database, so "what happens when the person taps X" is read and tested in this one file.

Two guards make stale input harmless: every button carries the state's `seq`, which changes on
every transition, and every timer carries the `hold_no` of the hold it belongs to. An event with
an old number is `Stale`: nothing changes, nothing is recorded, no timer fires twice.
See `flow.mmd` next to this file for the diagram of the phases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.content.duration import StepPlan
from bot.content.models import Kind
from bot.content.safety import CheckinContent, Outcome
from bot.domain.triage import UnknownAnswerError, checkin_outcome

STATE_VERSION = 1
SIDES = ("left", "right")
MIN_GENTLE_SECONDS = 10
"""A gentle hold is never shorter than this: below it a stretch does not settle at all."""
DOSE_NUMERATOR, DOSE_DENOMINATOR = 4, 5
"""A hold counts as done only when at least 4/5 (80 %) of its planned seconds were held."""


def hold_counts(held: int, planned: int) -> bool:
    """The dose rule, in whole numbers so 24 of 30 s counts and 23 does not."""
    return held * DOSE_DENOMINATOR >= planned * DOSE_NUMERATOR


class Phase(StrEnum):
    """Where the person is in the session; see `flow.mmd`."""

    WARNING = "warning"
    """An advanced stretch: its warning is shown and must be accepted first."""
    READY = "ready"
    """A step card with [Start hold] [Skip]."""
    HOLDING = "holding"
    """A hold timer runs."""
    CHECKIN = "checkin"
    """Every hold of the stretch is done: how did it feel?"""
    EASED = "eased"
    """It was uncomfortable: advice, then repeat gently or skip."""
    PAUSED = "paused"
    """The person reported pain; triage decides whether the session may go on."""
    DONE = "done"
    STOPPED = "stopped"
    ABANDONED = "abandoned"

    @property
    def is_over(self) -> bool:
        return self in _OVER


_OVER = frozenset({Phase.DONE, Phase.STOPPED, Phase.ABANDONED})


class EventKind(StrEnum):
    """What a history row records; skips and stops are kept as such, never as completions."""

    HOLD = "hold"
    HOLD_EARLY = "hold_early"
    CHECKIN = "checkin"
    DONE = "done"
    """The stretch was finished and felt fine the first time: it counts as done without symptoms."""
    DONE_EASED = "done_eased"
    """Finished after easing off: done, but not clear of symptoms (no progression from it)."""
    DONE_SHORT = "done_short"
    """Answered, but a hold fell short of the dose (under 80 % of its time): not counted as done."""
    SKIPPED = "skipped"
    LOCKED = "locked"
    """Not offered: its prerequisites were not done without symptoms yet."""
    WARNING_OK = "warning_ok"
    PAUSED = "paused"
    RESUMED = "resumed"
    ENDED = "ended"
    STOPPED = "stopped"
    ABANDONED = "abandoned"
    STEP_OFFERED = "step_offered"
    """A step harder was offered for this stretch (`progression.step_up_offer`)."""
    STEP_TAKEN = "step_taken"
    """The person took it: the harder variant is served from then on."""
    STEP_KEPT = "step_kept"
    """The person kept the stretch as it was (not offered again for a while)."""


class Ending(StrEnum):
    """How a session ended; the database maps these onto its SessionStatus."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """A routine step frozen into the session when it starts, so a content edit made while
    someone is mid-session cannot move them to another stretch."""

    stretch_id: str
    hold_seconds: int
    repetitions: int
    sides: int
    flowing: bool = False
    """`flow` kind: one timer covers all the repetitions of a side."""
    nerve_tension: bool = False
    has_warning: bool = False
    prerequisites: tuple[str, ...] = ()
    gentle_hold_seconds: int = MIN_GENTLE_SECONDS
    swap: str | None = None
    """Why today's plan put this stretch here instead of the routine's own (see
    `bot.domain.progression.Swap`), so the step can say so."""
    swapped_from: str | None = None

    @property
    def repeatable(self) -> bool:
        """An advanced nerve-tension stage is never repeated after "Uncomfortable": that is the
        sign to back off to the stage before, not to try again."""
        return not (self.nerve_tension and self.prerequisites)

    @classmethod
    def from_plan(
        cls, plan: StepPlan, swap: str | None = None, swapped_from: str | None = None
    ) -> PlannedStep:
        stretch = plan.stretch
        gentle = min(stretch.hold.min, plan.hold_seconds * 2 // 3)
        return cls(
            stretch_id=stretch.id,
            hold_seconds=plan.hold_seconds,
            repetitions=plan.repetitions,
            sides=plan.sides,
            flowing=stretch.kind is Kind.FLOW,
            nerve_tension=stretch.nerve_tension,
            has_warning=stretch.warning is not None,
            prerequisites=stretch.prerequisites,
            gentle_hold_seconds=max(MIN_GENTLE_SECONDS, min(gentle, plan.hold_seconds)),
            swap=swap,
            swapped_from=swapped_from,
        )

    def rounds(self, gentle: bool) -> int:
        """Timers per side: each hold, or one timer for all the repetitions of a flow."""
        if self.flowing or gentle:
            return 1
        return self.repetitions

    def flow_repetitions(self, gentle: bool) -> int:
        """Slow repetitions inside one timer of a `flow` stretch (gentle: about half)."""
        return max(1, self.repetitions // 2) if gentle else self.repetitions

    def timer_seconds(self, gentle: bool) -> int:
        if self.flowing:
            return self.hold_seconds * self.flow_repetitions(gentle)
        return self.gentle_hold_seconds if gentle else self.hold_seconds

    def side_name(self, side: int) -> str | None:
        return SIDES[side] if self.sides == 2 else None


@dataclass(frozen=True, slots=True)
class FlowState:
    """The whole session as a value. Positions: `step` index, `rep` (round) and `side` index."""

    routine_id: str
    steps: tuple[PlannedStep, ...]
    phase: Phase = Phase.READY
    step: int = 0
    rep: int = 0
    side: int = 0
    seq: int = 0
    hold_no: int = 0
    gentle: bool = False
    """The current step runs gently: one shorter hold per side."""
    eased: bool = False
    """The current step was uncomfortable once, so it cannot count as done without symptoms."""
    retried: bool = False
    hold_started_at: datetime | None = None
    hold_ends_at: datetime | None = None
    released: bool = False
    """A hold has just ended: the next message opens with the release cue."""
    released_early: bool = False
    """...ended by a tap on [Done early] rather than by the timer."""
    open_gates: frozenset[str] = frozenset()
    """Gated stretches (advanced stages) whose prerequisite history holds today; see
    `bot.domain.progression`. A gated step outside this set is never offered."""
    uneasy: frozenset[str] = frozenset()
    """Stretches answered "Uncomfortable" in the last days: a second time asks whether to see
    a professional."""
    short: bool = False
    """A hold of the current step fell short of the dose: the step cannot count as done."""
    ask_professional: bool = False
    """The current stretch was uncomfortable again: the ease-off screen suggests a check-up."""
    clean_steps: tuple[int, ...] = ()
    """Steps of this session done without symptoms (a subset of `done_steps`)."""
    had_symptoms: bool = False
    """Something was uncomfortable or painful today: no advanced stage is offered after it."""
    done_steps: tuple[int, ...] = ()
    short_steps: tuple[int, ...] = ()
    skipped_steps: tuple[int, ...] = ()
    locked_steps: tuple[int, ...] = ()
    held_seconds: int = 0
    stop_reason: str | None = None
    rating: int | None = None
    origin_message_id: int | None = None

    @property
    def current(self) -> PlannedStep | None:
        return self.steps[self.step] if 0 <= self.step < len(self.steps) else None

    @property
    def is_over(self) -> bool:
        return self.phase.is_over

    @property
    def rounds(self) -> int:
        step = self.current
        return step.rounds(self.gentle) if step else 0

    @property
    def timer_seconds(self) -> int:
        step = self.current
        return step.timer_seconds(self.gentle) if step else 0

    @property
    def side_name(self) -> str | None:
        step = self.current
        return step.side_name(self.side) if step else None

    def to_json(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "routine_id": self.routine_id,
            "steps": [_step_to_json(s) for s in self.steps],
            "phase": self.phase.value,
            "step": self.step,
            "rep": self.rep,
            "side": self.side,
            "seq": self.seq,
            "hold_no": self.hold_no,
            "gentle": self.gentle,
            "eased": self.eased,
            "retried": self.retried,
            "hold_started_at": _iso(self.hold_started_at),
            "hold_ends_at": _iso(self.hold_ends_at),
            "released": self.released,
            "released_early": self.released_early,
            "open": sorted(self.open_gates),
            "uneasy": sorted(self.uneasy),
            "short": self.short,
            "ask_pro": self.ask_professional,
            "short_steps": list(self.short_steps),
            "clean_steps": list(self.clean_steps),
            "had_symptoms": self.had_symptoms,
            "done_steps": list(self.done_steps),
            "skipped_steps": list(self.skipped_steps),
            "locked_steps": list(self.locked_steps),
            "held_seconds": self.held_seconds,
            "stop_reason": self.stop_reason,
            "rating": self.rating,
            "origin_message_id": self.origin_message_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FlowState:
        if data.get("v") != STATE_VERSION:
            raise ValueError(f"unknown session state version {data.get('v')!r}")
        return cls(
            routine_id=str(data["routine_id"]),
            steps=tuple(_step_from_json(s) for s in data["steps"]),
            phase=Phase(data["phase"]),
            step=int(data["step"]),
            rep=int(data["rep"]),
            side=int(data["side"]),
            seq=int(data["seq"]),
            hold_no=int(data["hold_no"]),
            gentle=bool(data["gentle"]),
            eased=bool(data["eased"]),
            retried=bool(data["retried"]),
            hold_started_at=_from_iso(data.get("hold_started_at")),
            hold_ends_at=_from_iso(data.get("hold_ends_at")),
            released=bool(data["released"]),
            released_early=bool(data["released_early"]),
            # States stored before the progression rules have no "open": no gate opens for them.
            open_gates=frozenset(str(s) for s in data.get("open", ())),
            uneasy=frozenset(str(s) for s in data.get("uneasy", ())),
            short=bool(data.get("short", False)),
            ask_professional=bool(data.get("ask_pro", False)),
            short_steps=tuple(int(i) for i in data.get("short_steps", ())),
            clean_steps=tuple(int(i) for i in data["clean_steps"]),
            had_symptoms=bool(data["had_symptoms"]),
            done_steps=tuple(int(i) for i in data["done_steps"]),
            skipped_steps=tuple(int(i) for i in data["skipped_steps"]),
            locked_steps=tuple(int(i) for i in data["locked_steps"]),
            held_seconds=int(data["held_seconds"]),
            stop_reason=data.get("stop_reason"),
            rating=None if data.get("rating") is None else int(data["rating"]),
            origin_message_id=(
                None if data.get("origin_message_id") is None else int(data["origin_message_id"])
            ),
        )


def _step_to_json(step: PlannedStep) -> dict[str, Any]:
    return {
        "stretch": step.stretch_id,
        "hold": step.hold_seconds,
        "reps": step.repetitions,
        "sides": step.sides,
        "flowing": step.flowing,
        "nerve": step.nerve_tension,
        "warn": step.has_warning,
        "pre": list(step.prerequisites),
        "gentle": step.gentle_hold_seconds,
        "swap": step.swap,
        "from": step.swapped_from,
    }


def _step_from_json(data: Mapping[str, Any]) -> PlannedStep:
    return PlannedStep(
        stretch_id=str(data["stretch"]),
        hold_seconds=int(data["hold"]),
        repetitions=int(data["reps"]),
        sides=int(data["sides"]),
        flowing=bool(data["flowing"]),
        nerve_tension=bool(data["nerve"]),
        has_warning=bool(data["warn"]),
        prerequisites=tuple(str(p) for p in data["pre"]),
        gentle_hold_seconds=int(data["gentle"]),
        swap=None if data.get("swap") is None else str(data["swap"]),
        swapped_from=None if data.get("from") is None else str(data["from"]),
    )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _from_iso(value: object) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("session state holds a naive datetime")
    return parsed


# --- Events ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StartHold:
    seq: int
    at: datetime
    scale: float = 1.0
    """Real seconds per nominal second: 1 in production, small in end-to-end tests."""


@dataclass(frozen=True, slots=True)
class HoldElapsed:
    """The timer went off. Carries the hold number, not `seq`: taps do not outdate a timer."""

    hold_no: int


@dataclass(frozen=True, slots=True)
class DoneEarly:
    seq: int
    at: datetime
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class Skip:
    seq: int


@dataclass(frozen=True, slots=True)
class AcceptWarning:
    seq: int


@dataclass(frozen=True, slots=True)
class CheckIn:
    seq: int
    answer_id: str


@dataclass(frozen=True, slots=True)
class RepeatGently:
    seq: int


@dataclass(frozen=True, slots=True)
class PainStarted:
    """The person tapped "I'm in pain" (anywhere): hold everything while triage runs."""

    at: datetime
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class Resume:
    """Triage said "ease off" and the person chose to carry on: restart the stretch gently."""

    seq: int


@dataclass(frozen=True, slots=True)
class Reshow:
    """Show the current step again as a new message (/now while a session runs)."""


@dataclass(frozen=True, slots=True)
class End:
    """The person chose to end the session early."""

    seq: int


@dataclass(frozen=True, slots=True)
class Stop:
    """Triage found a red flag: the session stops at once, whatever it was doing."""

    reason: str


@dataclass(frozen=True, slots=True)
class Abandon:
    """A new session replaced this one before it ended."""


@dataclass(frozen=True, slots=True)
class Rate:
    seq: int
    value: int


Event = (
    StartHold
    | HoldElapsed
    | DoneEarly
    | Skip
    | AcceptWarning
    | CheckIn
    | RepeatGently
    | PainStarted
    | Resume
    | Reshow
    | End
    | Stop
    | Abandon
    | Rate
)


# --- Effects --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EditMessage:
    """Show the new state in the session's current message (a tap: no buzz needed)."""


@dataclass(frozen=True, slots=True)
class SendMessage:
    """Close the current message and show the new state in a new one (so the phone buzzes)."""


@dataclass(frozen=True, slots=True)
class ArmTimer:
    hold_no: int
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class CancelTimer:
    hold_no: int


@dataclass(frozen=True, slots=True)
class Record:
    """One history row."""

    kind: EventKind
    step_index: int
    stretch_id: str
    side: str | None = None
    answer_id: str | None = None
    held_seconds: int | None = None
    planned_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Finish:
    ending: Ending


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A check-in answer that stops the session: the caller gives the safety response."""

    answer_id: str
    outcome: Outcome


Effect = EditMessage | SendMessage | ArmTimer | CancelTimer | Record | Finish | RedFlag


@dataclass(frozen=True, slots=True)
class Transition:
    state: FlowState
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True, slots=True)
class Stale:
    """The event belongs to a moment that is over (an old button or timer): change nothing."""

    reason: str


Result = Transition | Stale


# --- Starting -------------------------------------------------------------------------------


def plan_steps(
    plans: Iterable[StepPlan], swaps: Mapping[int, tuple[str, str]] | None = None
) -> tuple[PlannedStep, ...]:
    """Freeze the plan; `swaps`: step index -> (reason, original stretch id) for the steps
    today's plan changed, so each can say why."""
    marks = swaps or {}
    return tuple(
        PlannedStep.from_plan(plan, *marks.get(index, (None, None)))
        for index, plan in enumerate(plans)
    )


def start(
    routine_id: str,
    steps: tuple[PlannedStep, ...],
    open_gates: Iterable[str] = (),
    origin_message_id: int | None = None,
    uneasy: Iterable[str] = (),
) -> Transition:
    """A new session at its first offered step. `open_gates`: gated stretches whose history
    opens them today (`progression.Standing.open_gates`); `uneasy`: stretches answered
    "Uncomfortable" lately (`progression.Standing.uneasy_lately`)."""
    if not steps:
        raise ValueError("a routine needs at least one step")
    state = FlowState(
        routine_id=routine_id,
        steps=steps,
        open_gates=frozenset(open_gates),
        uneasy=frozenset(uneasy),
        origin_message_id=origin_message_id,
    )
    state, records = _enter(state, 0)
    return Transition(state, (*records, *_finish_effects(state)))


# --- Applying events ------------------------------------------------------------------------


def apply(state: FlowState, event: Event, checkin: CheckinContent) -> Result:
    """The one entry point: what the event does to the session, and what must happen outside."""
    if isinstance(event, Stop | Abandon):
        return _stop(state, event)
    if isinstance(event, HoldElapsed):
        if state.phase is not Phase.HOLDING or event.hold_no != state.hold_no:
            return Stale("the hold this timer belongs to is over")
        return _finish_hold(state, state.timer_seconds, early=False)
    if isinstance(event, PainStarted):
        return _pause(state, event)
    if isinstance(event, Reshow):
        if state.is_over:
            return Stale("the session is over")
        return Transition(_bump(state), (SendMessage(),))
    if event.seq != state.seq:
        return Stale("this button belongs to an earlier step")
    if isinstance(event, Rate):
        return _rate(state, event)
    if state.is_over:
        return Stale("the session is over")
    if isinstance(event, End):
        return _end(state)
    return _step_event(state, event, checkin)


def _step_event(
    state: FlowState,
    event: StartHold | DoneEarly | Skip | AcceptWarning | CheckIn | RepeatGently | Resume,
    checkin: CheckinContent,
) -> Result:
    phase = state.phase
    if isinstance(event, StartHold) and phase is Phase.READY:
        return _start_hold(state, event)
    if isinstance(event, DoneEarly) and phase is Phase.HOLDING:
        assert state.hold_started_at is not None
        real = (event.at - state.hold_started_at).total_seconds()
        held = max(0, min(state.timer_seconds, round(real / event.scale)))
        result = _finish_hold(state, held, early=True)
        return Transition(result.state, (CancelTimer(state.hold_no), *result.effects))
    if isinstance(event, Skip) and phase in (Phase.READY, Phase.WARNING, Phase.EASED):
        return _skip(state)
    if isinstance(event, AcceptWarning) and phase is Phase.WARNING:
        step = _require_step(state)
        record = Record(EventKind.WARNING_OK, state.step, step.stretch_id)
        return Transition(_bump(replace(state, phase=Phase.READY)), (record, EditMessage()))
    if isinstance(event, CheckIn) and phase is Phase.CHECKIN:
        return _check_in(state, event, checkin)
    if isinstance(event, RepeatGently) and phase is Phase.EASED and not state.retried:
        moved = replace(
            state, phase=Phase.READY, gentle=True, retried=True, rep=0, side=0, short=False
        )
        return Transition(_bump(moved), (EditMessage(),))
    if isinstance(event, Resume) and phase is Phase.PAUSED:
        step = _require_step(state)
        moved = replace(
            state,
            phase=Phase.READY,
            gentle=True,
            eased=True,
            rep=0,
            side=0,
            released=False,
            short=False,
        )
        record = Record(EventKind.RESUMED, state.step, step.stretch_id)
        return Transition(_bump(moved), (record, SendMessage()))
    return Stale(f"not possible while {phase.value}")


def _start_hold(state: FlowState, event: StartHold) -> Transition:
    if event.scale <= 0:
        raise ValueError("the hold time scale must be positive")
    ends = event.at + timedelta(seconds=state.timer_seconds * event.scale)
    moved = replace(
        state,
        phase=Phase.HOLDING,
        hold_no=state.hold_no + 1,
        hold_started_at=event.at,
        hold_ends_at=ends,
        released=False,
    )
    return Transition(_bump(moved), (EditMessage(), ArmTimer(moved.hold_no, ends)))


def _finish_hold(state: FlowState, held: int, *, early: bool) -> Transition:
    step = _require_step(state)
    kind = EventKind.HOLD_EARLY if early else EventKind.HOLD
    planned = state.timer_seconds
    record = Record(
        kind,
        state.step,
        step.stretch_id,
        side=state.side_name,
        held_seconds=held,
        planned_seconds=planned,
    )
    side, rep = state.side + 1, state.rep
    if side >= step.sides:
        side, rep = 0, rep + 1
    phase = Phase.READY if rep < state.rounds else Phase.CHECKIN
    moved = replace(
        state,
        phase=phase,
        rep=rep if phase is Phase.READY else state.rep,
        side=side if phase is Phase.READY else state.side,
        hold_started_at=None,
        hold_ends_at=None,
        released=True,
        released_early=early,
        held_seconds=state.held_seconds + held,
        short=state.short or not hold_counts(held, planned),
    )
    # A timer that ran out sends a new message so the phone buzzes; a tap edits in place.
    shown: Effect = EditMessage() if early else SendMessage()
    return Transition(_bump(moved), (record, shown))


def _skip(state: FlowState) -> Transition:
    step = _require_step(state)
    record = Record(EventKind.SKIPPED, state.step, step.stretch_id)
    skipped = replace(state, skipped_steps=(*state.skipped_steps, state.step))
    moved, records = _enter(skipped, state.step + 1)
    return Transition(_bump(moved), (record, *records, EditMessage(), *_finish_effects(moved)))


def _check_in(state: FlowState, event: CheckIn, content: CheckinContent) -> Result:
    step = _require_step(state)
    try:
        outcome = checkin_outcome(content, event.answer_id)
    except UnknownAnswerError:
        return Stale("this answer is no longer offered")
    answered = Record(EventKind.CHECKIN, state.step, step.stretch_id, answer_id=event.answer_id)
    if outcome is None:
        if state.short:
            kind = EventKind.DONE_SHORT
            finished = replace(state, short_steps=(*state.short_steps, state.step))
        else:
            kind = EventKind.DONE_EASED if state.eased else EventKind.DONE
            clean = state.clean_steps if state.eased else (*state.clean_steps, state.step)
            finished = replace(state, done_steps=(*state.done_steps, state.step), clean_steps=clean)
        done = Record(kind, state.step, step.stretch_id, answer_id=event.answer_id)
        moved, records = _enter(finished, state.step + 1)
        effects = (answered, done, *records, EditMessage(), *_finish_effects(moved))
        return Transition(_bump(moved), effects)
    if outcome is Outcome.EASE_OFF:
        moved = replace(
            state,
            phase=Phase.EASED,
            eased=True,
            had_symptoms=True,
            released=False,
            # An advanced nerve-tension stage ends here: no gentle repeat is offered.
            retried=state.retried or not step.repeatable,
            ask_professional=step.stretch_id in state.uneasy or state.eased,
        )
        return Transition(_bump(moved), (answered, EditMessage()))
    stopped = replace(state, phase=Phase.STOPPED, stop_reason=f"checkin:{event.answer_id}")
    record = Record(EventKind.STOPPED, state.step, step.stretch_id, answer_id=event.answer_id)
    effects = (
        answered,
        record,
        EditMessage(),
        Finish(Ending.STOPPED),
        RedFlag(event.answer_id, outcome),
    )
    return Transition(_bump(stopped), effects)


def _pause(state: FlowState, event: PainStarted) -> Result:
    if state.is_over:
        return Stale("the session is over")
    if state.phase is Phase.PAUSED:
        return Stale("the session is already paused")
    step = _require_step(state)
    effects: list[Effect] = []
    held = 0
    if state.phase is Phase.HOLDING and state.hold_started_at is not None:
        real = (event.at - state.hold_started_at).total_seconds()
        held = max(0, min(state.timer_seconds, round(real / event.scale)))
        effects.append(CancelTimer(state.hold_no))
        effects.append(
            Record(
                EventKind.HOLD_EARLY,
                state.step,
                step.stretch_id,
                side=state.side_name,
                held_seconds=held,
                planned_seconds=state.timer_seconds,
            )
        )
    effects.append(Record(EventKind.PAUSED, state.step, step.stretch_id))
    effects.append(EditMessage())
    moved = replace(
        state,
        phase=Phase.PAUSED,
        had_symptoms=True,
        hold_started_at=None,
        hold_ends_at=None,
        released=False,
        held_seconds=state.held_seconds + held,
    )
    return Transition(_bump(moved), tuple(effects))


def _end(state: FlowState) -> Transition:
    return _terminate(state, Phase.STOPPED, EventKind.ENDED, Ending.STOPPED, "ended")


def _stop(state: FlowState, event: Stop | Abandon) -> Result:
    if state.is_over:
        return Stale("the session is over")
    if isinstance(event, Abandon):
        return _terminate(state, Phase.ABANDONED, EventKind.ABANDONED, Ending.ABANDONED, "replaced")
    return _terminate(state, Phase.STOPPED, EventKind.STOPPED, Ending.STOPPED, event.reason)


def _terminate(
    state: FlowState, phase: Phase, kind: EventKind, ending: Ending, reason: str
) -> Transition:
    step = _require_step(state)
    effects: list[Effect] = []
    if state.phase is Phase.HOLDING:
        effects.append(CancelTimer(state.hold_no))
    effects += [Record(kind, state.step, step.stretch_id), EditMessage(), Finish(ending)]
    moved = replace(
        state,
        phase=phase,
        stop_reason=reason,
        hold_started_at=None,
        hold_ends_at=None,
        released=False,
    )
    return Transition(_bump(moved), tuple(effects))


def _rate(state: FlowState, event: Rate) -> Result:
    if state.phase is not Phase.DONE or state.rating is not None:
        return Stale("the rating is already given")
    if not 0 <= event.value <= 10:
        return Stale("a rating is 0 to 10")
    return Transition(_bump(replace(state, rating=event.value)), (EditMessage(),))


# --- Helpers --------------------------------------------------------------------------------


def _enter(state: FlowState, index: int) -> tuple[FlowState, tuple[Record, ...]]:
    """Move to step `index`, passing over steps whose prerequisites are not cleared yet."""
    records: list[Record] = []
    locked = list(state.locked_steps)
    while index < len(state.steps):
        step = state.steps[index]
        if is_offered(state, index):
            break
        records.append(Record(EventKind.LOCKED, index, step.stretch_id))
        locked.append(index)
        index += 1
    base = replace(
        state,
        step=index,
        rep=0,
        side=0,
        gentle=False,
        eased=False,
        retried=False,
        released=False,
        short=False,
        ask_professional=False,
        locked_steps=tuple(locked),
    )
    if index >= len(state.steps):
        return replace(base, phase=Phase.DONE, step=len(state.steps) - 1), tuple(records)
    phase = Phase.WARNING if state.steps[index].has_warning else Phase.READY
    return replace(base, phase=phase), tuple(records)


def is_offered(state: FlowState, index: int) -> bool:
    """A step with prerequisites (an advanced stage) is offered only when its gate is open
    (the prerequisite history holds, see `bot.domain.progression`), a prerequisite that comes
    earlier in today's routine was held in full with a comfortable check-in today, and nothing
    so far today was uncomfortable or painful."""
    step = state.steps[index]
    if not step.prerequisites:
        return True
    if state.had_symptoms or step.stretch_id not in state.open_gates:
        return False
    earlier = {s.stretch_id for s in state.steps[:index]}
    clean_today = {state.steps[i].stretch_id for i in state.clean_steps}
    return all(p in clean_today for p in step.prerequisites if p in earlier)


def _finish_effects(state: FlowState) -> tuple[Effect, ...]:
    return (Finish(Ending.COMPLETED),) if state.phase is Phase.DONE else ()


def _bump(state: FlowState) -> FlowState:
    return replace(state, seq=state.seq + 1)


def _require_step(state: FlowState) -> PlannedStep:
    step = state.current
    if step is None:
        raise ValueError("the session has no current step")
    return step


@dataclass(frozen=True, slots=True)
class Summary:
    """What the end-of-session message reports."""

    done: int
    skipped: int
    locked: int
    held_seconds: int
    total: int
    short: int = 0
    """Stretches answered but with a hold under the dose: not counted as done."""


def summarise(state: FlowState) -> Summary:
    return Summary(
        short=len(state.short_steps),
        done=len(state.done_steps),
        skipped=len(state.skipped_steps),
        locked=len(state.locked_steps),
        held_seconds=state.held_seconds,
        total=len(state.steps),
    )
