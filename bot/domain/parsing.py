"""Reading what people type during onboarding: a reminder time and a time zone.

People answer in many shapes ("7pm", "07.30", "7h30", "berlin", "UTC+5:30", "São Paulo"), and
many are not technical, so we accept every common shape and, when we cannot, say precisely what
is wrong in plain words instead of a generic error. The words stay free of any language: an error
carries an English message marked `N_` for the bot's catalogs and the values to put in it, and
the chat layer translates and fills it (`reason` is the English, for logs and tests).

What a stored zone is and how it is read back is `bot.domain.zones`; this module only reads
what people type.
"""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from datetime import datetime, time, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale

from bot.domain.unreadable import N_, Unreadable
from bot.domain.zones import (
    EXCLUDED_KEYS,
    MAX_OFFSET,
    MIN_OFFSET,
    UTC_KEY,
    FixedOffset,
    InvalidZone,
    Zone,
)

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder


def _shortened(text: str, limit: int = 40) -> str:
    """The person's own words, shortened so a pasted essay stays readable in the reply."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InvalidTime(Unreadable):
    """A time we could not read."""


class InvalidLocation(ValueError):
    """Coordinates outside −90…90 / −180…180: no client of Telegram's sends them, a forged
    update may."""


# --- times ----------------------------------------------------------------------------------

_TIME_WORDS: Final[dict[str, time]] = {
    "noon": time(12, 0),
    "midday": time(12, 0),
    "midnight": time(0, 0),
}

# "7", "7:30", "07.30", "7h30", "7h", "7 30", each optionally followed by am/pm ("7 p.m.").
_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})(?:(?:\s*[:.h]\s*|\s+)(?P<minute>\d+)|\s*h)?\s*(?P<meridiem>[ap])?"
)
# "0730", "730", "1900" (optionally with am/pm): hours and minutes without a separator.
_COMPACT = re.compile(r"(?P<digits>\d{3,4})\s*(?P<meridiem>[ap])?")
_MERIDIEM = re.compile(r"\s*([ap])\s*m\s*$")


def _simplify_time(text: str) -> str:
    """Lower-case, unify separators and shorten "a.m."/"pm" to "a"/"p" for the patterns above."""
    simple = unicodedata.normalize("NFKC", text).strip().casefold()
    simple = simple.replace("\u2236", ":").replace("\uff1a", ":")  # ratio sign, full-width colon
    simple = re.sub(r"\s*\.\s*m\s*\.?\s*$", "m", simple)  # "p.m." -> "pm"
    simple = re.sub(r"(\d)\s*\.\s*([ap])", r"\1 \2", simple)  # "7.pm" -> "7 p"
    simple = _MERIDIEM.sub(r" \1", simple)  # "7pm" -> "7 p"
    simple = re.sub(r"\s*o'?\s*clock$", "", simple)
    return simple.strip()


_NO_MINUTE: Final = N_("There is no minute {minute}: minutes go from 00 to 59.")


def _checked(hour: int, minute: int, meridiem: str | None) -> time:
    """Apply am/pm and range rules, with a reason that names the part that is wrong."""
    if meridiem is not None:
        if 13 <= hour <= 23:
            raise InvalidTime(
                N_("With am or pm the hour goes from 1 to 12, not {hour}. Did you mean {clock}?"),
                hour=hour,
                clock=f"{hour:02d}:{minute:02d}",
            )
        if not 1 <= hour <= 12:
            raise InvalidTime(
                N_("With am or pm the hour goes from 1 to 12, not {hour}."), hour=hour
            )
        if minute > 59:
            raise InvalidTime(_NO_MINUTE, minute=minute)
        hour = hour % 12 + (12 if meridiem == "p" else 0)
        return time(hour, minute)
    if hour == 24 and minute == 0:
        raise InvalidTime(
            N_("There is no hour 24: hours go from 0 to 23. For midnight, write 00:00.")
        )
    if hour > 23:
        raise InvalidTime(N_("There is no hour {hour}: hours go from 0 to 23."), hour=hour)
    if minute > 59:
        raise InvalidTime(_NO_MINUTE, minute=minute)
    return time(hour, minute)


def parse_time(text: str) -> time:
    """Read a wall-clock time such as "7:30", "19:00", "7pm", "7:30 am", "07.30", "0730", "7h30".

    Raises `InvalidTime` with a reason the person can act on.
    """
    simple = _simplify_time(text)
    if not simple:
        raise InvalidTime(N_("Please type a time, for example 7:30 or 19:00."))
    if simple in _TIME_WORDS:
        return _TIME_WORDS[simple]

    compact = _COMPACT.fullmatch(simple)
    if compact:
        digits = compact["digits"]
        return _checked(int(digits[:-2]), int(digits[-2:]), compact["meridiem"])

    clock = _CLOCK.fullmatch(simple)
    if clock is None:
        raise InvalidTime(
            N_("I could not read “{text}” as a time. Try 7:30 or 19:00."),
            text=_shortened(text.strip()),
        )
    minute_text = clock["minute"]
    if minute_text is not None and len(minute_text) != 2:
        raise InvalidTime(N_("Please write the minutes with two digits, for example 7:05."))
    minute = int(minute_text) if minute_text is not None else 0
    return _checked(int(clock["hour"]), minute, clock["meridiem"])


# --- zones ----------------------------------------------------------------------------------

# Only these regions hold real places; "US/Pacific" or "Etc/GMT+3" must not match a city name.
_PLACE_REGIONS: Final = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)

#: Zones to offer as buttons before asking the person to type (keys for `zone_from_key`).
COMMON_ZONES: Final[tuple[str, ...]] = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "UTC",
)


def _read_places() -> tuple[dict[str, str], frozenset[str]]:
    """The place names people type (`places.toml`, shipped in the package): folded name ->
    IANA key, and the countries that have several zones."""
    text = resources.files("bot.domain").joinpath("places.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    places = {str(name): str(key) for name, key in data["places"].items()}
    return places, frozenset(str(name) for name in data["several_zones"]["countries"])


# Places whose name is not the last part of an IANA zone, and countries that span several zones
# (asking for a city is kinder than guessing there): data, in bot/domain/places.toml.
_PLACES, _MANY_ZONE_COUNTRIES = _read_places()


def _fold(text: str) -> str:
    """Comparable form of a place name: no accents, lower case, no dots, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"[.'’`]", "", plain.casefold())
    return re.sub(r"[\s_\-]+", " ", plain).strip()


def _build_indexes() -> tuple[dict[str, str], dict[str, str]]:
    """Folded full IANA names and folded last components ("new york") -> canonical keys."""
    full: dict[str, str] = {}
    last: dict[str, str] = {}
    # More path parts first (America/Argentina/Buenos_Aires is canonical, the 2-part form is an
    # alias), then alphabetical, so the first key seen for a name wins deterministically.
    keys = sorted(available_timezones() - EXCLUDED_KEYS, key=lambda k: (-k.count("/"), k))
    for key in keys:
        full.setdefault(_fold(key).replace(" / ", "/"), key)
        region, _, rest = key.partition("/")
        if region in _PLACE_REGIONS and rest:
            last.setdefault(_fold(rest.rsplit("/", 1)[-1]), key)
    return full, last


_IANA_BY_NAME, _IANA_BY_CITY = _build_indexes()

# Whose city names people may type besides the English ones: the languages the bot speaks.
_CITY_NAME_LOCALES: Final = ("de", "es", "ru")


def _build_city_names() -> dict[str, str]:
    """Folded city name -> IANA key from CLDR's exemplar cities ("Moskau", "Москва", "Nueva
    York", "Wien"): a German or Russian speaker types their city as they write it. Data only:
    which language the person speaks is not the domain's business."""
    zones = available_timezones() - EXCLUDED_KEYS
    names: dict[str, str] = {}
    for code in _CITY_NAME_LOCALES:
        for key, data in sorted(Locale.parse(code).time_zones.items()):
            city = data.get("city")
            if city and key in zones and "/" in key and not key.startswith("Etc/"):
                names.setdefault(_fold(city), key)
    return names


_CLDR_CITIES = _build_city_names()

_OFFSET = re.compile(
    r"(?:utc|gmt)?\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})"
    r"(?:\s*(?::|\.|h)?\s*(?P<minutes>\d{2}))?(?:\s*h)?",
)
_UNSIGNED_OFFSET = re.compile(r"(?:utc|gmt)\s*[1-9]\d?(?:\s*[:.h]\s*\d{2})?")


def _parse_offset(text: str) -> Zone | None:
    """Read an offset such as UTC+3, GMT-5, +03:00, UTC+5:30, +0530; None if not one."""
    compact = text.casefold().replace("\u2212", "-").replace("\u2013", "-")
    compact = compact.replace("\uff0b", "+").strip()
    if _UNSIGNED_OFFSET.fullmatch(compact):
        raise InvalidZone(N_("Please add + or − after UTC, for example UTC+3 or UTC−5."))
    match = _OFFSET.fullmatch(compact)
    if match is None:
        return None
    hours_text, minutes_text = match["hours"], match["minutes"]
    hours = int(hours_text)
    minutes = int(minutes_text) if minutes_text else 0
    if minutes > 59:
        raise InvalidZone(N_("Minutes in an offset go from 00 to 59, for example UTC+5:30."))
    if minutes % 15:
        raise InvalidZone(N_("Offsets use whole quarter hours, for example UTC+5:30 or UTC+5:45."))
    sign = -1 if match["sign"] == "-" else 1
    offset = sign * timedelta(hours=hours, minutes=minutes)
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise InvalidZone(N_("Time zone offsets run from UTC−12 to UTC+14."))
    if not offset:
        return ZoneInfo(UTC_KEY)
    return FixedOffset(offset)


def _lookup_place(text: str) -> str | None:
    """An IANA key for a place name, a full IANA name, or None."""
    folded = _fold(text)
    if folded in _PLACES:
        return _PLACES[folded]
    by_name = _IANA_BY_NAME.get(folded.replace(" / ", "/"))
    if by_name is not None and "/" in by_name:
        return by_name
    # A city beats an old region-less alias: "singapore" is Asia/Singapore, not "Singapore".
    return _IANA_BY_CITY.get(folded) or by_name or _CLDR_CITIES.get(folded)


def known_place_names() -> frozenset[str]:
    """Every place or zone name `parse_zone` knows, folded (lower case, no accents): the
    countries with several zones too. Other readers of free text use it to leave places alone.
    CLDR's names in other languages are left out: hundreds of short words ("рим", "ном") that
    would keep a misspelled symptom from being recognised."""
    names = {*_PLACES, *_IANA_BY_CITY, *_MANY_ZONE_COUNTRIES}
    names.update(name for name in _IANA_BY_NAME if "/" not in name)
    return frozenset(names)


def is_place_or_time(text: str) -> bool:
    """Is `text` nothing but a reminder time, a time zone offset, or places onboarding knows
    ("Berlin", "Berlin, Germany", a country with several zones)? Stricter than `parse_zone`,
    which takes the first place of "Berlin, my leg is numb": here every part must be one."""
    try:
        parse_time(text)
        return True
    except InvalidTime:
        pass
    try:
        if _parse_offset(text.strip()) is not None:
            return True
    except InvalidZone:
        return True  # an offset, if a wrong one ("UTC+15")
    parts = [part for part in text.split(",") if part.strip()]
    return bool(parts) and all(
        _lookup_place(part) is not None or _fold(part) in _MANY_ZONE_COUNTRIES for part in parts
    )


def parse_zone(text: str) -> Zone:
    """Read a time zone: an IANA name, an offset ("UTC+5:30") or a city/country ("São Paulo").

    Raises `InvalidZone` with a reason the person can act on.
    """
    stripped = text.strip()
    if not stripped:
        raise InvalidZone(N_("Please type your city or a time zone, for example Berlin or UTC+2."))
    offset = _parse_offset(stripped)
    if offset is not None:
        return offset
    key = _lookup_place(stripped)
    if key is None and "," in stripped:  # "Berlin, Germany": try each part, the city first
        key = next((found for part in stripped.split(",") if (found := _lookup_place(part))), None)
    if key is not None:
        return ZoneInfo(key)
    folded = _fold(stripped)
    if folded in _MANY_ZONE_COUNTRIES:
        raise InvalidZone(N_("That country has several time zones. Please type your city instead."))
    if "/" in stripped:
        raise InvalidZone(
            N_("I don't know a time zone called “{text}”. Try your city, or an offset like UTC+2."),
            text=_shortened(stripped),
        )
    raise InvalidZone(
        N_(
            "I don't know a place called “{text}”. "
            "Try the nearest big city, or an offset like UTC+2."
        ),
        text=_shortened(stripped),
    )


def zone_label(zone: Zone) -> str:
    """A short human name for a zone, for buttons and confirmations ("New York", "UTC+05:30")."""
    key = zone.key
    if isinstance(zone, FixedOffset) or "/" not in key:
        return key
    if key.startswith("Etc/"):  # "Etc/GMT+2" means UTC−2; show the offset the usual way round
        offset = zone.utcoffset(datetime(2000, 1, 1))
        return zone_label(FixedOffset(offset)) if offset else UTC_KEY
    return key.rsplit("/", 1)[-1].replace("_", " ")


# --- location -------------------------------------------------------------------------------

_finder: TimezoneFinder | None = None
_finder_lock = threading.Lock()


def _get_finder() -> TimezoneFinder:
    """The shared finder, built on first use: loading its polygons takes about a second."""
    global _finder
    with _finder_lock:
        if _finder is None:
            from timezonefinder import TimezoneFinder

            _finder = TimezoneFinder(in_memory=True)
        return _finder


def zone_from_location(latitude: float, longitude: float) -> str | None:
    """The IANA key at a shared location (offline), or None where no zone is known.

    The first call is slow (it loads the map); call it from a thread in async code.
    """
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise InvalidLocation(f"not on Earth: latitude {latitude}, longitude {longitude}")
    key: str | None = _get_finder().timezone_at(lng=longitude, lat=latitude)
    if key is None or key in EXCLUDED_KEYS:
        return None
    return key
