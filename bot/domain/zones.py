"""One home for time zones: what a stored zone is, how it is read back, and which zone applies.

A zone is stored as a string key: an IANA name ("Europe/Berlin") follows daylight saving; an
offset the person typed ("UTC+05:30") is a fixed offset, because `Etc/GMT±N` has whole hours
only (and an inverted sign). `Zone` covers both.

Two readings, on purpose:
- `zone_from_key` is strict (raises `InvalidZone`): the dispatcher schedules with it, and an
  unreadable stored zone stops that person's reminders rather than ring at a guessed hour.
- `local_zone` never fails: it is the zone to show days and times in, the person's own, else
  the operator's default, else UTC. Every chat screen that needs "today" uses it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.unreadable import Unreadable

UTC_KEY: Final = "UTC"


class InvalidZone(Unreadable):
    """A time zone we could not read (or, from `zone_from_key`, a stored key that is broken:
    a message for logs, not marked)."""


#: Offsets on Earth run from UTC−12:00 (Baker Island) to UTC+14:00 (Kiribati).
MIN_OFFSET: Final = timedelta(hours=-12)
MAX_OFFSET: Final = timedelta(hours=14)


class FixedOffset(tzinfo):
    """A constant UTC offset with a storable key ("UTC+05:30"); no daylight saving.

    `datetime.timezone` cannot carry our key (and cannot be subclassed), so this tiny tzinfo
    does; it behaves like `timezone(offset)` in every datetime operation.
    """

    __slots__ = ("_offset", "key")

    def __init__(self, offset: timedelta) -> None:
        if not MIN_OFFSET <= offset <= MAX_OFFSET or offset % timedelta(minutes=1):
            raise ValueError(f"not a valid whole-minute offset within −12..+14 hours: {offset}")
        self._offset = offset
        minutes = int(offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        hours, rest = divmod(abs(minutes), 60)
        self.key: str = f"UTC{sign}{hours:02d}:{rest:02d}"

    @property
    def offset(self) -> timedelta:
        """The constant distance from UTC (positive east of Greenwich)."""
        return self._offset

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self.key

    def fromutc(self, dt: datetime) -> datetime:
        return (dt + self._offset).replace(tzinfo=self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FixedOffset) and other._offset == self._offset

    def __hash__(self) -> int:
        return hash(self._offset)

    def __repr__(self) -> str:
        return f"FixedOffset({self.key!r})"

    def __reduce__(self) -> tuple[type[FixedOffset], tuple[timedelta]]:
        return FixedOffset, (self._offset,)


#: A stored time zone: an IANA zone (follows DST) or a fixed offset. Both have `.key`.
Zone: TypeAlias = ZoneInfo | FixedOffset

_FIXED_KEY = re.compile(r"UTC([+-])(\d{2}):(\d{2})")


def zone_from_key(key: str) -> Zone:
    """Restore a zone from the `.key` we stored ("Europe/Berlin", "UTC+05:30", "UTC")."""
    fixed = _FIXED_KEY.fullmatch(key)
    if fixed:
        sign = -1 if fixed[1] == "-" else 1
        offset = sign * timedelta(hours=int(fixed[2]), minutes=int(fixed[3]))
        if not offset:
            return ZoneInfo(UTC_KEY)
        try:
            return FixedOffset(offset)
        except ValueError as error:
            raise InvalidZone(f"{key!r} is not a valid offset.") from error
    if key in EXCLUDED_KEYS:
        raise InvalidZone(f"{key!r} is not a time zone we store.")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidZone(f"{key!r} is not a known time zone.") from error


# Keys that exist on disk but mean nothing portable: the host's zone and tzdata's placeholder.
EXCLUDED_KEYS: Final = frozenset({"localtime", "Factory", "posixrules"})


def zone_of(key: str | None) -> Zone | None:
    """The zone for a stored key ("Europe/Berlin", "UTC+03:00"), or None if unset or unknown."""
    if not key:
        return None
    try:
        return zone_from_key(key)
    except InvalidZone:
        return None


def local_zone(key: str | None, default_key: str | None) -> Zone:
    """The zone a person's days are counted in: their own if usable, else the default zone
    (the operator's `DEFAULT_TIMEZONE`), else UTC. Never fails."""
    return zone_of(key) or zone_of(default_key) or ZoneInfo(UTC_KEY)
