"""Signing up, as pure decisions: which step comes next and which choices are valid.

The chat handlers only ask, store and render; every "what now?" lives here so it can be tested
without Telegram or a database. The current step is persisted after every answer, so a person
can leave at any point and /start brings them back exactly where they stopped. The diagram of
these steps is `bot/chat/onboarding.mmd`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from bot.content.models import FocusArea, Level
from bot.content.safety import Outcome


class Step(StrEnum):
    """Where a person is in onboarding; stored in `Subscriber.onboarding_step`."""

    SAFETY = "safety"
    SCREENING = "screening"
    URGENT = "urgent"
    PROFESSIONAL = "professional"
    ZONE = "zone"
    TIME = "time"
    DAYS = "days"
    FOCUS = "focus"
    LEVEL = "level"
    LENGTH = "length"


FIRST_STEP = Step.SAFETY

#: Sign-up waits here after a flagged screening answer, until the hold is lifted the way every
#: red flag is (who checked them and what they said, naming the report).
HELD_STEPS = frozenset({Step.URGENT, Step.PROFESSIONAL})

# The plain path; SCREENING branches (see `step_after_screening`).
_NEXT: dict[Step, Step | None] = {
    Step.SAFETY: Step.SCREENING,
    Step.URGENT: Step.ZONE,
    Step.PROFESSIONAL: Step.ZONE,
    Step.ZONE: Step.TIME,
    Step.TIME: Step.DAYS,
    Step.DAYS: Step.FOCUS,
    Step.FOCUS: Step.LEVEL,
    Step.LEVEL: Step.LENGTH,
    Step.LENGTH: None,
}

#: Steps where typed text is an answer (the rest answer with a hint and the step again).
TEXT_STEPS = frozenset({Step.ZONE, Step.TIME})


class Mode(StrEnum):
    """Who shows a preference picker: onboarding (then the next step) or /settings (then the
    settings menu). It travels in the button so one picker serves both."""

    ONBOARDING = "o"
    SETTINGS = "s"


ONBOARDING_STATUS = "onboarding"
#: Statuses of someone who finished onboarding and still wants reminders (now or later).
SUBSCRIBED_STATUSES = frozenset({"active", "paused"})

#: The steps /settings can reopen; stored in `Subscriber.awaiting_input` while open.
EDITABLE = (Step.ZONE, Step.TIME, Step.DAYS, Step.FOCUS, Step.LEVEL, Step.LENGTH)


class Prompt(StrEnum):
    """A yes/no or choice question outside the pickers; stored in `awaiting_input` while it is
    the open one, so its buttons expire as soon as another question replaces it."""

    PAUSE = "pause"
    STOP = "stop"
    DELETE = "delete"
    RED_FLAG = "red_flag"
    RESCREEN = "rescreen"
    """The safety questions asked again before a session (`bot.chat.rescreening`)."""


def prompt_is_open(prompt: Prompt, awaiting_input: str | None) -> bool:
    return awaiting_input == prompt.value


def parse_mode(value: str) -> Mode | None:
    try:
        return Mode(value)
    except ValueError:
        return None


def is_current(
    mode: Mode | None,
    step: Step,
    *,
    status: str,
    onboarding_step: str | None,
    awaiting_input: str | None,
) -> bool:
    """Does a button for `step` still belong to what the person is doing now?

    A button from an older message, or from before a restart, keeps working only while its step
    is still the current one; otherwise it has expired and must change nothing. `status` is the
    subscriber's status value ("onboarding", "active", "paused", "stopped", "blocked").
    """
    if mode is Mode.ONBOARDING:
        return status == ONBOARDING_STATUS and parse_step(onboarding_step) is step
    if mode is Mode.SETTINGS:
        return (
            status in SUBSCRIBED_STATUSES
            and onboarding_step is None
            and parse_step(awaiting_input) is step
        )
    return False


def parse_step(value: str | None) -> Step | None:
    """The stored step, or None when onboarding is over (or the value is from an older bot)."""
    try:
        return Step(value) if value else None
    except ValueError:
        return None


def step_after_screening(outcome: Outcome | None) -> Step:
    """An urgent or a see-a-professional "yes" waits at its own step until the hold is lifted
    (`HELD_STEPS`); no "yes" goes straight on."""
    if outcome is Outcome.URGENT:
        return Step.URGENT
    if outcome is Outcome.PROFESSIONAL:
        return Step.PROFESSIONAL
    return Step.ZONE


def next_step(step: Step) -> Step | None:
    """The step after `step` on the plain path; None means onboarding is complete."""
    if step is Step.SCREENING:
        raise ValueError("the step after screening depends on the answers: step_after_screening")
    return _NEXT[step]


def progress(step: Step) -> tuple[int, int]:
    """(number, total) of the choices to make, for a "step 2 of 6" line; (0, 6) before them."""
    return (EDITABLE.index(step) + 1 if step in EDITABLE else 0), len(EDITABLE)


# --- Screening -----------------------------------------------------------------------------

YES = "yes"
NO = "no"


def screening_record(
    answers: Mapping[str, bool],
    outcome: Outcome | None,
    *,
    finished: bool,
    confirmed: bool = False,
) -> dict[str, Any]:
    """What we keep of the screening: answer ids and the outcome, nothing typed by the person.

    `confirmed` records that a flagged answer's hold was lifted (who checked the person and
    what they said are on the pain report itself).
    """
    return {
        "answers": {question: YES if said_yes else NO for question, said_yes in answers.items()},
        "outcome": outcome.value if outcome is not None else None,
        "finished": finished,
        "confirmed": confirmed,
    }


def screening_answers(record: Mapping[str, Any] | None) -> dict[str, bool]:
    """The yes/no answers back from a stored record; anything unreadable is simply not there."""
    raw = record.get("answers") if record else None
    if not isinstance(raw, dict):
        return {}
    return {str(q): a == YES for q, a in raw.items() if a in (YES, NO)}


# --- Reminder time --------------------------------------------------------------------------

SUGGESTED_TIMES: tuple[time, ...] = (
    time(6, 30),
    time(7, 0),
    time(7, 30),
    time(8, 0),
    time(12, 30),
    time(18, 0),
    time(19, 0),
    time(21, 0),
)


def clock_text(value: time) -> str:
    """A time as people read it: "07:30"."""
    return f"{value.hour:02d}:{value.minute:02d}"


def clock_arg(value: time) -> str:
    """A time as it travels in a button: "0730"."""
    return f"{value.hour:02d}{value.minute:02d}"


def parse_clock_arg(value: str) -> time | None:
    """The time of a button ("0730"), or None when it is not one."""
    if len(value) != 4 or not value.isdigit():
        return None
    hour, minute = int(value[:2]), int(value[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


# --- Days -----------------------------------------------------------------------------------

WEEKDAY_COUNT = 7
ALL_DAYS_MASK = (1 << WEEKDAY_COUNT) - 1
MONDAY_TO_FRIDAY_MASK = 0b0011111
#: The articles suggest three to five stretching sessions a week.
RECOMMENDED_DAYS = range(3, 6)


class DaysProblem(StrEnum):
    NONE_CHOSEN = "none_chosen"


class DaysAdvice(StrEnum):
    FEW = "few"
    MANY = "many"


def days_of(mask: int) -> frozenset[int]:
    """Weekday numbers (Monday 0) from the stored bit mask (bit 0 is Monday)."""
    return frozenset(day for day in range(WEEKDAY_COUNT) if mask >> day & 1)


def mask_of(days: Iterable[int]) -> int:
    mask = 0
    for day in days:
        if not 0 <= day < WEEKDAY_COUNT:
            raise ValueError(f"weekday must be 0..6, got {day}")
        mask |= 1 << day
    return mask


def toggle_day(mask: int, day: int) -> int:
    if not 0 <= day < WEEKDAY_COUNT:
        raise ValueError(f"weekday must be 0..6, got {day}")
    return (mask ^ (1 << day)) & ALL_DAYS_MASK


def check_days(mask: int) -> DaysProblem | None:
    """A reminder needs at least one day; every other set of days is the person's call."""
    return DaysProblem.NONE_CHOSEN if not days_of(mask) else None


def days_advice(mask: int) -> DaysAdvice | None:
    """A gentle note when the choice is outside the recommended three to five days."""
    count = len(days_of(mask))
    if count and count < RECOMMENDED_DAYS.start:
        return DaysAdvice.FEW
    if count >= RECOMMENDED_DAYS.stop:
        return DaysAdvice.MANY
    return None


# --- Focus, level, length -------------------------------------------------------------------


class FocusProblem(StrEnum):
    NONE_CHOSEN = "none_chosen"


#: The order of focus areas on the keyboard and in the bit mask a focus button carries.
FOCUS_ORDER: tuple[FocusArea, ...] = tuple(FocusArea)
ALL_FOCUS_MASK = (1 << len(FOCUS_ORDER)) - 1


def focus_mask(areas: Iterable[str]) -> int:
    """Stored focus ids -> bit mask (bit i is FOCUS_ORDER[i]); unknown ids are dropped."""
    chosen = set(areas)
    return sum(1 << index for index, area in enumerate(FOCUS_ORDER) if area.value in chosen)


def focus_areas(mask: int) -> list[str]:
    """Bit mask -> focus ids to store, in the canonical order."""
    return [area.value for index, area in enumerate(FOCUS_ORDER) if mask >> index & 1]


def toggle_focus(mask: int, index: int) -> int:
    if not 0 <= index < len(FOCUS_ORDER):
        raise ValueError(f"focus index must be 0..{len(FOCUS_ORDER) - 1}, got {index}")
    return (mask ^ (1 << index)) & ALL_FOCUS_MASK


def check_focus(mask: int) -> FocusProblem | None:
    """Several areas are welcome; none at all would leave nothing to stretch."""
    return FocusProblem.NONE_CHOSEN if not mask & ALL_FOCUS_MASK else None


def parse_mask(value: str, bits: int) -> int | None:
    """A bit mask as a button carries it ("31"), or None when it is not a valid one."""
    if not value.isdigit() or len(value) > 4:
        return None
    mask = int(value)
    return mask if mask < 1 << bits else None


def parse_level(value: str) -> Level | None:
    try:
        return Level(value)
    except ValueError:
        return None


SESSION_MINUTES: tuple[int, ...] = (5, 10, 15)


def parse_minutes(value: str) -> int | None:
    minutes = int(value) if value.isdigit() else None
    return minutes if minutes in SESSION_MINUTES else None


# --- When is the next reminder, in the person's words? -------------------------------------


@dataclass(frozen=True, slots=True)
class LocalWhen:
    """A UTC instant as the person would say it: "today", "tomorrow" or a weekday, at 07:30."""

    day: date
    weekday: int
    clock: str
    days_ahead: int


def local_when(instant: datetime, zone: tzinfo, now: datetime) -> LocalWhen:
    if instant.tzinfo is None or now.tzinfo is None:
        raise ValueError("aware datetimes only")
    local = instant.astimezone(zone)
    today = now.astimezone(zone).date()
    return LocalWhen(
        day=local.date(),
        weekday=local.weekday(),
        clock=f"{local.hour:02d}:{local.minute:02d}",
        days_ahead=(local.date() - today).days,
    )


def local_clock(now: datetime, zone: tzinfo) -> str:
    """The person's wall-clock time now, "14:05", to confirm their time zone."""
    local = now.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


# --- Pausing --------------------------------------------------------------------------------

#: Pause choices -> days until reminders come back (None: until the person resumes).
PAUSE_CHOICES: dict[str, int | None] = {"3d": 3, "1w": 7, "2w": 14, "1m": 30, "open": None}


def pause_end(choice: str, today: date) -> tuple[bool, date | None]:
    """(valid, the local date reminders come back on); an open pause has no date."""
    if choice not in PAUSE_CHOICES:
        return False, None
    days = PAUSE_CHOICES[choice]
    return True, (today + timedelta(days=days) if days is not None else None)


def pause_is_over(paused_until: date | None, now: datetime, zone: tzinfo) -> bool:
    """A dated pause ends at the start of its date in the person's own time zone."""
    return paused_until is not None and now.astimezone(zone).date() >= paused_until


def resume_search_from(paused_until: date, now: datetime, zone: tzinfo) -> datetime:
    """Where to look for the first reminder after a dated pause ends: the start of its day if
    that is today (so a 00:05 reminder on that day is not lost to a late check), else now."""
    if now.astimezone(zone).date() != paused_until:
        return now
    midnight = datetime.combine(paused_until, time(0), tzinfo=zone).astimezone(UTC)
    return min(now, midnight - timedelta(microseconds=1))
