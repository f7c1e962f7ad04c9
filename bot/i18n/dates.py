"""Weekday names, dates and time-zone places in the current person's language, from Babel's
CLDR data.

Names of days and months are the locale's business, not our catalogs': CLDR knows that German
abbreviates Tuesday "Di", that Russian dates want the genitive month ("24 ноября") and where a
Spanish date puts its "de". English follows en_GB ("Tuesday 24 November"), as the bot always has.
Weekdays are numbered as `date.weekday()` does: 0 is Monday. A zone's place is its CLDR city
("Moskau", "Nueva York"); offsets and Etc/ zones keep the domain's label ("UTC+05:30").
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_skeleton, get_day_names, get_timezone_location

from bot.domain.parsing import zone_label
from bot.domain.zones import FixedOffset, Zone
from bot.i18n import DEFAULT_LANGUAGE, current

Width = Literal["wide", "abbreviated"]
_BABEL_LOCALE = {DEFAULT_LANGUAGE: "en_GB"}


def _locale(language: str | None) -> str:
    code = current().language if language is None else language
    return _BABEL_LOCALE.get(code, code)


def weekday_name(weekday: int, width: Width = "wide", language: str | None = None) -> str:
    """ "Tuesday" / "Dienstag" / "martes" / "вторник"; abbreviated: "Tue" / "Di" / "mar" / "вт".

    Stand-alone forms: these stand on a button or in a list, not inside a date."""
    return str(get_day_names(width, "stand-alone", _locale(language))[weekday])


def weekday_names(width: Width = "wide", language: str | None = None) -> tuple[str, ...]:
    """All seven, Monday first."""
    return tuple(weekday_name(day, width, language) for day in range(7))


@cache
def _date_pattern(locale: str) -> str:
    """The locale's own order for weekday, day and month (CLDR skeleton MMMMEd), with the
    weekday written out: its skeleton match would abbreviate it."""
    pattern = Locale.parse(locale).datetime_skeletons["MMMMEd"].pattern
    return re.sub(r"E+", "EEEE", pattern)


def date_label(day: date, language: str | None = None) -> str:
    """A weekday with its date: "Tuesday 24 November", "Dienstag, 24. November",
    "martes, 24 de noviembre", "вторник, 24 ноября"."""
    locale = _locale(language)
    return str(format_date(day, _date_pattern(locale), locale=locale))


def zone_name(zone: Zone, language: str | None = None) -> str:
    """A short name of the zone's place for buttons and confirmations: "Berlin", "Moskau"."""
    if isinstance(zone, FixedOffset) or "/" not in zone.key or zone.key.startswith("Etc/"):
        return zone_label(zone)
    return str(get_timezone_location(zone, locale=_locale(language), return_city=True))


def short_date(day: date, language: str | None = None) -> str:
    """Day and abbreviated month in the locale's order: "24 Nov", "24. Nov.", "24 нояб."."""
    return str(format_skeleton("MMMd", day, locale=_locale(language)))
