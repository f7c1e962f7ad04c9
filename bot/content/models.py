"""Typed shapes of the stretch library and the routines, as authors write them in YAML.

Pydantic checks everything one item can check on its own (types, empty texts, ordered ranges,
a warning on advanced stretches); the loader adds the checks that need the whole library
(unknown ids, duplicates, prerequisite cycles). Models are frozen so the content loaded at
start-up can be shared by every handler without anyone changing it underneath the others.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
"""A sentence shown to a person: not empty, and short enough to read on a phone."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
"""A name or title: fits on one line of a phone screen or a button."""

ContentId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$", max_length=32)
]
"""Stable snake_case id: stored in the database and in callback data (64 bytes in all), so it
stays short and is never renamed."""


class FocusArea(StrEnum):
    """The body areas a subscriber can choose; the ids are shared by the whole project. Their
    names a person reads are translated (`bot.chat.texts.onboarding.focus_name`), so the model
    carries none."""

    HAMSTRINGS = "hamstrings"
    CALVES = "calves"
    HIPS_GLUTES = "hips_glutes"
    LOWER_BACK = "lower_back"
    SPINE = "spine"


class Level(StrEnum):
    """How demanding a stretch or routine is; ordered, so a level can be compared by `rank`."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        """0 for beginner, 1 for intermediate, 2 for advanced."""
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {level: rank for rank, level in enumerate(Level)}
"""Looked up on every routine the picker considers, so not recomputed each time."""


class Position(StrEnum):
    """Where the body starts; lets a routine avoid getting up and down more than needed."""

    STANDING = "standing"
    SEATED_FLOOR = "seated_floor"
    SEATED_CHAIR = "seated_chair"
    LYING_BACK = "lying_back"
    LYING_FRONT = "lying_front"
    KNEELING = "kneeling"
    ALL_FOURS = "all_fours"


class Equipment(StrEnum):
    """Things a person may need at hand; shown before a routine starts."""

    MAT = "mat"
    STRAP = "strap"
    CHAIR = "chair"
    STOOL = "stool"
    STEP = "step"
    WALL = "wall"
    CUSHION = "cushion"


class Kind(StrEnum):
    """`hold`: keep still for the hold time. `flow`: move slowly through repetitions, where the
    hold time is the length of one repetition (for pacing and duration, not a still hold)."""

    HOLD = "hold"
    FLOW = "flow"


class _Frozen(BaseModel):
    """Common config: immutable, and unknown keys are errors so a typo never goes unnoticed."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Range(_Frozen):
    """A bounded number with a default, e.g. hold seconds or holds per side.

    Articles disagree on hold times; the range keeps every sourced value, the default is what a
    routine uses unless a step says otherwise.
    """

    min: PositiveInt
    default: PositiveInt
    max: PositiveInt

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.min <= self.default <= self.max:
            raise ValueError(
                f"out of order: need min <= default <= max, "
                f"got min {self.min}, default {self.default}, max {self.max}"
            )
        return self

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.min <= value <= self.max


class Stretch(_Frozen):
    """One stretch of the library, described well enough to guide someone through it."""

    id: ContentId
    name: Name
    aliases: tuple[Name, ...] = ()
    focus: tuple[FocusArea, ...] = Field(min_length=1)
    muscles: tuple[Text, ...] = Field(min_length=1)
    position: Position
    equipment: tuple[Equipment, ...] = ()
    per_side: bool
    kind: Kind = Kind.HOLD
    hold: Range
    """Seconds per hold (per repetition for `flow`)."""
    repetitions: Range
    """Holds per side (or repetitions for `flow`)."""
    steps: tuple[Text, ...] = Field(min_length=1)
    cues: tuple[Text, ...] = Field(min_length=1)
    cautions: tuple[Text, ...] = Field(min_length=1)
    level: Level
    prerequisites: tuple[ContentId, ...] = ()
    """Stretches that must have been done without symptoms before this one is offered."""
    nerve_tension: bool = False
    """Loads the nerves as well as the muscles: the check-in asks about numbness and tingling."""
    easier: ContentId | None = None
    """A kinder stretch for the same area: served instead after an "Uncomfortable" check-in,
    or when a symptom steps the person back a stage."""
    harder: ContentId | None = None
    """One step up for the same area: offered after a run of comfortable sessions."""
    builds_on: ContentId | None = None
    """The stretch whose set-up this one's steps start from ("Set up stage 4 ... first"): it
    must come right before this one in a routine, as written and as adapted."""
    warning: Text | None = Field(default=None, validate_default=True)
    """Shown before the stretch starts; required for advanced stretches."""

    @field_validator("warning")
    @classmethod
    def _advanced_needs_warning(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Reported on `warning` itself, so the author is sent to the field to add.
        if value is None and info.data.get("level") is Level.ADVANCED:
            raise ValueError("an advanced stretch needs a warning text")
        return value


class RoutineStep(_Frozen):
    """One stretch in a routine, with optional overrides of the stretch's defaults."""

    stretch: ContentId
    hold: PositiveInt | None = None
    """Seconds per hold; must lie in the stretch's hold range."""
    repetitions: PositiveInt | None = None
    """Holds per side (repetitions for `flow`); must lie in the stretch's repetitions range."""
    note: Text | None = None


class Routine(_Frozen):
    """An ordered set of stretches. Its length is computed from the steps, never written."""

    id: ContentId
    title: Name
    description: Text
    focus: tuple[FocusArea, ...] = Field(min_length=1)
    level: Level
    warm_up: Text
    steps: tuple[RoutineStep, ...] = Field(min_length=1)
    rotation: bool = True
    """Whether the routine of the day may pick it; false keeps it for browsing only."""

    @property
    def stretch_ids(self) -> tuple[str, ...]:
        """The stretch ids in order (a stretch may appear twice); the progression rules and
        their tests read routines by it."""
        return tuple(step.stretch for step in self.steps)


class StretchesFile(_Frozen):
    """Top level of `stretches.yaml`."""

    stretches: list[object]


class RoutinesFile(_Frozen):
    """Top level of `routines.yaml`."""

    routines: list[object]
