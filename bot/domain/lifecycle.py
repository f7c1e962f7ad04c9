"""A person's life cycle as one pure state machine: `apply(life, event) -> Transition | Refused`.

Subscribing, pausing, resuming, stopping, blocking and coming back change the *subscription*
(`Life.status`); a red flag or an unanswered triage is a *hold on the person* (`Life.holds`),
kept apart from the subscription on purpose: it applies before sign-up, while stopped, paused or
blocked, and nothing that changes the subscription (/start, /stop, finishing sign-up, /settings,
unblocking) touches it. Only answering the triage ("ease off") or a lift that names the newest
red flag, with who checked the person and what they said, removes a hold.

Like `flow.py`, the result lists what must happen outside as data (`Reschedule`, `Unschedule`,
`RemindAt`, `Resolve`, `RecordClearance`, `BeginSession`); `bot.usecases` applies them to rows.
Two rules hold after every transition, and the property tests check them for any sequence of
events: someone with an open hold is never due a reminder (`Unschedule`, never `Reschedule` or
`RemindAt`) and never gets a session (`StartSession` is refused). The diagram is
`lifecycle.mmd` next to this file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum


class Status(StrEnum):
    """The subscription; the values are `SubscriberStatus`'s, stored in `subscribers.status`."""

    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    BLOCKED = "blocked"


class Tier(StrEnum):
    """Why a person is held: the two red-flag outcomes, or a triage begun and not answered."""

    URGENT = "urgent"
    PROFESSIONAL = "professional"
    TRIAGE = "triage"


RED_FLAG_TIERS = frozenset({Tier.URGENT, Tier.PROFESSIONAL})


class CheckedBy(StrEnum):
    """Who checked the person before a red flag is lifted (stored with the report)."""

    GP = "gp"
    PHYSIO = "physio"
    URGENT_CARE = "urgent_care"
    OTHER = "other"


class Verdict(StrEnum):
    """What they said. Only the first three lift the hold; the limits stay with the person."""

    CLEARED = "cleared"
    NO_NERVE_TENSION = "no_nerve_tension"
    GENTLE_ONLY = "gentle_only"
    NOT_CLEARED = "not_cleared"

    @property
    def lifts(self) -> bool:
        return self is not Verdict.NOT_CLEARED

    @property
    def limits(self) -> frozenset[str]:
        """The routine picker's limits this answer sets (`routines.pick_routine(limits=...)`)."""
        if self is Verdict.NO_NERVE_TENSION:
            return frozenset({NO_NERVE_TENSION})
        if self is Verdict.GENTLE_ONLY:
            return frozenset({GENTLE_ONLY})
        return frozenset()


NO_NERVE_TENSION = "no_nerve_tension"
GENTLE_ONLY = "gentle_only"


@dataclass(frozen=True, slots=True, order=True)
class Hold:
    """An open pain report that holds the person: its id (in every lifting button) and tier."""

    report_id: int
    tier: Tier

    @property
    def is_red_flag(self) -> bool:
        return self.tier in RED_FLAG_TIERS


@dataclass(frozen=True, slots=True)
class Life:
    """Everything the rules need about one person, read from their rows.

    `signed_up`: sign-up was finished (it stays True while stopped or blocked). `paused` and
    `paused_until`: a pause the person chose, kept while they are blocked. `holds`: open
    reports, oldest first.
    """

    status: Status = Status.ONBOARDING
    signed_up: bool = False
    paused: bool = False
    paused_until: date | None = None
    holds: tuple[Hold, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.holds)

    @property
    def red_flag(self) -> Hold | None:
        """The newest open red flag: the only one a lift may name."""
        flags = [hold for hold in self.holds if hold.is_red_flag]
        return max(flags, default=None)

    @property
    def open_triage(self) -> Hold | None:
        """The newest triage begun and not answered yet."""
        return max((h for h in self.holds if h.tier is Tier.TRIAGE), default=None)

    @property
    def may_start_session(self) -> bool:
        """No open hold: a held person is never offered stretching, by a button or a reply."""
        return not self.holds

    @property
    def may_be_reminded(self) -> bool:
        """The one rule the dispatcher's claim also states in SQL (`deliveries.claim_due`)."""
        return self.status is Status.ACTIVE and self.signed_up and not self.holds


# --- Events ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FinishSignUp:
    """The last sign-up answer is in."""


@dataclass(frozen=True, slots=True)
class ComeBack:
    """/start from someone we know: stopped or blocked people are subscribed again."""


@dataclass(frozen=True, slots=True)
class Pause:
    until: date | None = None
    """The day reminders come back; None: until /resume."""


@dataclass(frozen=True, slots=True)
class Resume:
    pass


@dataclass(frozen=True, slots=True)
class PauseEnded:
    """The dated pause's day has come in the person's zone; search the next reminder from
    `search_from`."""

    today: date
    search_from: datetime


@dataclass(frozen=True, slots=True)
class Stop:
    pass


@dataclass(frozen=True, slots=True)
class Block:
    pass


@dataclass(frozen=True, slots=True)
class Unblock:
    pass


@dataclass(frozen=True, slots=True)
class PreferencesChanged:
    """Time, days or zone changed: the next reminder is worked out again (if one is due)."""


@dataclass(frozen=True, slots=True)
class Snooze:
    at: datetime


@dataclass(frozen=True, slots=True)
class SkipToday:
    """ "Not today": the next reminder is the first one after `after` (tomorrow's start)."""

    after: datetime


@dataclass(frozen=True, slots=True)
class OpenTriage:
    report_id: int


@dataclass(frozen=True, slots=True)
class RaiseFlag:
    """A red flag (triage outcome, check-in, screening answer) recorded as `report_id`."""

    report_id: int
    tier: Tier

    def __post_init__(self) -> None:
        if self.tier not in RED_FLAG_TIERS:
            raise ValueError(f"a red flag is urgent or professional, not {self.tier}")


@dataclass(frozen=True, slots=True)
class EaseOff:
    """The triage of `report_id` ended in "ease off": it no longer holds anything."""

    report_id: int


@dataclass(frozen=True, slots=True)
class Lift:
    """ "I've been checked": names the report it lifts, who checked, and what they said."""

    report_id: int
    checked_by: CheckedBy
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class StartSession:
    pass


Event = (
    FinishSignUp
    | ComeBack
    | Pause
    | Resume
    | PauseEnded
    | Stop
    | Block
    | Unblock
    | PreferencesChanged
    | Snooze
    | SkipToday
    | OpenTriage
    | RaiseFlag
    | EaseOff
    | Lift
    | StartSession
)


# --- Effects --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reschedule:
    """Store the next regular reminder after `after` (None: now)."""

    after: datetime | None = None


@dataclass(frozen=True, slots=True)
class Unschedule:
    """No reminder is owed: clear `next_reminder_at`."""


@dataclass(frozen=True, slots=True)
class RemindAt:
    """A one-off reminder (snooze) at `at`."""

    at: datetime


@dataclass(frozen=True, slots=True)
class Resolve:
    """Close these reports (the lifted one and any older open red flag) with the answer."""

    report_ids: tuple[int, ...]
    checked_by: CheckedBy
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class RecordClearance:
    """Keep the answer on the report although it stays open ("not cleared yet")."""

    report_id: int
    checked_by: CheckedBy
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class BeginSession:
    pass


Effect = Reschedule | Unschedule | RemindAt | Resolve | RecordClearance | BeginSession


@dataclass(frozen=True, slots=True)
class Transition:
    life: Life
    effects: tuple[Effect, ...] = ()


class Why(StrEnum):
    """Why an event changes nothing; the chat turns each into its answer."""

    HELD = "held"
    """A hold is open (see `Refused.hold`)."""
    EXPIRED = "expired"
    """The button named a report that is not the newest open red flag."""
    NOT_SUBSCRIBED = "not_subscribed"
    NOT_PAUSED = "not_paused"
    NOT_ACTIVE = "not_active"
    ALREADY_STOPPED = "already_stopped"
    NOT_BLOCKED = "not_blocked"


@dataclass(frozen=True, slots=True)
class Refused:
    why: Why
    hold: Hold | None = None


Result = Transition | Refused


def apply(life: Life, event: Event) -> Result:
    """The one place that decides what an event does to a person."""
    match event:
        case FinishSignUp():
            after = replace(life, status=Status.ACTIVE, signed_up=True, paused=False)
            return _settled(life, replace(after, paused_until=None))
        case ComeBack():
            return _come_back(life)
        case Pause(until=until):
            if not _subscribed(life):
                return Refused(Why.NOT_SUBSCRIBED)
            return _settled(
                life, replace(life, status=Status.PAUSED, paused=True, paused_until=until)
            )
        case Resume():
            if not _subscribed(life):
                return Refused(Why.NOT_SUBSCRIBED)
            if life.status is not Status.PAUSED:
                return Refused(Why.NOT_PAUSED)
            return _settled(life, _unpaused(life))
        case PauseEnded(today=today, search_from=search_from):
            until = life.paused_until
            if life.status is not Status.PAUSED or until is None or until > today:
                return Refused(Why.NOT_PAUSED)
            return _settled(life, _unpaused(life), force=Reschedule(search_from))
        case Stop():
            if life.status is Status.STOPPED:
                return Refused(Why.ALREADY_STOPPED)
            stopped = replace(life, status=Status.STOPPED, paused=False, paused_until=None)
            return _settled(life, stopped)
        case Block():
            if life.status in (Status.STOPPED, Status.BLOCKED):
                return _settled(life, life)  # a stopped person stays stopped
            return _settled(life, replace(life, status=Status.BLOCKED))
        case Unblock():
            if life.status is not Status.BLOCKED:
                return Refused(Why.NOT_BLOCKED)
            return _settled(life, replace(life, status=_status_after_unblocking(life)))
        case PreferencesChanged():
            return _settled(life, life, force=Reschedule())
        case Snooze(at=at):
            if not life.may_be_reminded:
                return _refused_for(life, Why.NOT_ACTIVE)
            return Transition(life, (RemindAt(at),))
        case SkipToday(after=after):
            if not life.may_be_reminded:
                return _refused_for(life, Why.NOT_ACTIVE)
            return Transition(life, (Reschedule(after),))
        case OpenTriage(report_id=report_id):
            return _settled(life, _with_hold(life, Hold(report_id, Tier.TRIAGE)))
        case RaiseFlag(report_id=report_id, tier=tier):
            return _settled(life, _with_hold(life, Hold(report_id, tier)))
        case EaseOff(report_id=report_id):
            kept = tuple(h for h in life.holds if h.report_id != report_id or h.is_red_flag)
            return _settled(life, replace(life, holds=kept))
        case Lift():
            return _lift(life, event)
        case StartSession():
            if not life.may_start_session:
                return Refused(Why.HELD, _shown_hold(life))
            return Transition(life, (BeginSession(),))
    raise TypeError(f"not a life-cycle event: {event!r}")  # pragma: no cover


def _subscribed(life: Life) -> bool:
    return life.signed_up and life.status in (Status.ACTIVE, Status.PAUSED)


def _unpaused(life: Life) -> Life:
    return replace(life, status=Status.ACTIVE, paused=False, paused_until=None)


def _status_after_unblocking(life: Life) -> Status:
    """Back to where they were: a pause survives blocking the bot, so does half a sign-up."""
    if not life.signed_up:
        return Status.ONBOARDING
    return Status.PAUSED if life.paused else Status.ACTIVE


def _come_back(life: Life) -> Result:
    if not life.signed_up:
        return _settled(life, replace(life, status=Status.ONBOARDING))
    if life.status is Status.STOPPED:
        return _settled(life, replace(life, status=Status.ACTIVE))
    if life.status is Status.BLOCKED:
        return _settled(life, replace(life, status=_status_after_unblocking(life)))
    return _settled(life, life)


def _with_hold(life: Life, hold: Hold) -> Life:
    """Add `hold`; a red flag replaces the triage hold of the same report."""
    others = tuple(h for h in life.holds if h.report_id != hold.report_id)
    return replace(life, holds=tuple(sorted((*others, hold))))


def _lift(life: Life, event: Lift) -> Result:
    newest = life.red_flag
    if newest is None or newest.report_id != event.report_id:
        return Refused(Why.EXPIRED, newest)
    if not event.verdict.lifts:
        return Transition(
            life, (RecordClearance(event.report_id, event.checked_by, event.verdict), Unschedule())
        )
    lifted = tuple(h.report_id for h in life.holds if h.is_red_flag)
    kept = tuple(h for h in life.holds if not h.is_red_flag)
    after = replace(life, holds=kept)
    resolve = Resolve(lifted, event.checked_by, event.verdict)
    settled = _settled(life, after)
    assert isinstance(settled, Transition)
    return Transition(after, (resolve, *settled.effects))


def _shown_hold(life: Life) -> Hold | None:
    """What a refused session shows: an unanswered triage first (one tap back into it)."""
    return life.open_triage or life.red_flag


def _refused_for(life: Life, otherwise: Why) -> Refused:
    return Refused(Why.HELD, _shown_hold(life)) if life.holds else Refused(otherwise)


def _settled(before: Life, after: Life, force: Reschedule | None = None) -> Transition:
    """Add the scheduling effect: a reminder only while `may_be_reminded`, worked out again when
    that became true (or the event asks for it); otherwise none, whatever was stored."""
    if not after.may_be_reminded:
        return Transition(after, (Unschedule(),))
    if force is not None:
        return Transition(after, (force,))
    if not before.may_be_reminded:
        return Transition(after, (Reschedule(),))
    return Transition(after)
