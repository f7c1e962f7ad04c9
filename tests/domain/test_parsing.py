"""Onboarding free text: every accepted shape of a time and a zone, and every rejection reason."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import parsing
from bot.domain.parsing import (
    COMMON_ZONES,
    InvalidTime,
    parse_time,
    parse_zone,
    zone_from_location,
    zone_label,
)
from bot.domain.zones import FixedOffset, InvalidZone, zone_from_key

# --- times ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("19:00", time(19, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("7pm", time(19, 0)),
        ("7 pm", time(19, 0)),
        ("7 PM", time(19, 0)),
        ("7 p.m.", time(19, 0)),
        ("7:30am", time(7, 30)),
        ("7:30 a.m.", time(7, 30)),
        ("11:45 pm", time(23, 45)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:15 am", time(0, 15)),
        ("07.30", time(7, 30)),
        ("7.30", time(7, 30)),
        ("0730", time(7, 30)),
        ("730", time(7, 30)),
        ("1900", time(19, 0)),
        ("730pm", time(19, 30)),
        ("7h30", time(7, 30)),
        ("19h00", time(19, 0)),
        ("7h", time(7, 0)),
        ("7", time(7, 0)),
        ("18", time(18, 0)),
        ("7 30", time(7, 30)),
        ("  7:30  ", time(7, 30)),
        ("7 o'clock", time(7, 0)),
        ("７：３０", time(7, 30)),  # full-width, as some phone keyboards type it
        ("noon", time(12, 0)),
        ("Midnight", time(0, 0)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25:70", "There is no hour 25: hours go from 0 to 23."),
        ("24:00", "There is no hour 24: hours go from 0 to 23. For midnight, write 00:00."),
        ("7:70", "There is no minute 70: minutes go from 00 to 59."),
        ("1260", "There is no minute 60: minutes go from 00 to 59."),
        ("13pm", "With am or pm the hour goes from 1 to 12, not 13. Did you mean 13:00?"),
        ("0am", "With am or pm the hour goes from 1 to 12, not 0."),
        ("7:75pm", "There is no minute 75: minutes go from 00 to 59."),
        ("7:5", "Please write the minutes with two digits, for example 7:05."),
        ("", "Please type a time, for example 7:30 or 19:00."),
        ("   ", "Please type a time, for example 7:30 or 19:00."),
        ("banana", "I could not read “banana” as a time. Try 7:30 or 19:00."),
        ("7:", "I could not read “7:” as a time. Try 7:30 or 19:00."),
        ("7:30:15", "I could not read “7:30:15” as a time. Try 7:30 or 19:00."),
        ("12345", "I could not read “12345” as a time. Try 7:30 or 19:00."),
    ],
)
def test_parse_time_rejects_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidTime) as caught:
        parse_time(text)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


def test_long_garbage_is_shortened_in_the_reason() -> None:
    with pytest.raises(InvalidTime) as caught:
        parse_time("x" * 500)
    assert len(caught.value.reason) < 100


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 23), st.integers(0, 59))
def test_every_valid_time_round_trips(hour: int, minute: int) -> None:
    assert parse_time(f"{hour}:{minute:02d}") == time(hour, minute)
    assert parse_time(f"{hour:02d}{minute:02d}") == time(hour, minute)
    twelve = hour % 12 or 12
    suffix = "pm" if hour >= 12 else "am"
    assert parse_time(f"{twelve}:{minute:02d} {suffix}") == time(hour, minute)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_parse_time_only_ever_raises_invalid_time(text: str) -> None:
    try:
        result = parse_time(text)
    except InvalidTime as error:
        assert error.reason
    else:
        assert isinstance(result, time)


# --- zones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"),
        ("UTC", "UTC"),
        ("gmt", "UTC"),
        ("berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("new-york", "America/New_York"),
        ("NYC", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Mumbai", "Asia/Kolkata"),
        ("Kyiv", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Tokyo", "Asia/Tokyo"),
        ("tokyo", "Asia/Tokyo"),
        ("Los Angeles", "America/Los_Angeles"),
        ("San Francisco", "America/Los_Angeles"),
        ("Zürich", "Europe/Zurich"),
        ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"),
        ("St. Petersburg", "Europe/Moscow"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Istanbul", "Europe/Istanbul"),
        ("Singapore", "Asia/Singapore"),
        ("Kathmandu", "Asia/Kathmandu"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("Germany", "Europe/Berlin"),
        ("Poland", "Europe/Warsaw"),
        ("EST", "America/New_York"),
        ("pst", "America/Los_Angeles"),
    ],
)
def test_parse_zone_accepts_names(text: str, key: str) -> None:
    zone = parse_zone(text)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == key


@pytest.mark.parametrize(
    ("text", "key", "offset"),
    [
        ("UTC+3", "UTC+03:00", timedelta(hours=3)),
        ("utc+3", "UTC+03:00", timedelta(hours=3)),
        ("UTC +3", "UTC+03:00", timedelta(hours=3)),
        ("GMT-5", "UTC-05:00", timedelta(hours=-5)),
        ("GMT−5", "UTC-05:00", timedelta(hours=-5)),  # a real minus sign
        ("+03:00", "UTC+03:00", timedelta(hours=3)),
        ("-03:30", "UTC-03:30", timedelta(hours=-3, minutes=-30)),
        ("UTC+5:30", "UTC+05:30", timedelta(hours=5, minutes=30)),
        ("UTC+05:30", "UTC+05:30", timedelta(hours=5, minutes=30)),
        ("+0530", "UTC+05:30", timedelta(hours=5, minutes=30)),
        ("+5.45", "UTC+05:45", timedelta(hours=5, minutes=45)),
        ("UTC+12:45", "UTC+12:45", timedelta(hours=12, minutes=45)),
        ("UTC-12", "UTC-12:00", timedelta(hours=-12)),
        ("UTC+14", "UTC+14:00", timedelta(hours=14)),
    ],
)
def test_parse_zone_accepts_offsets(text: str, key: str, offset: timedelta) -> None:
    zone = parse_zone(text)
    assert isinstance(zone, FixedOffset)
    assert zone.key == key
    assert zone.offset == offset
    assert datetime(2026, 7, 1, tzinfo=zone).utcoffset() == offset


@pytest.mark.parametrize("text", ["UTC+0", "GMT-0", "+00:00"])
def test_zero_offset_is_utc(text: str) -> None:
    assert parse_zone(text) == ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Mars/Olympus",
            "I don't know a time zone called “Mars/Olympus”. "
            "Try your city, or an offset like UTC+2.",
        ),
        ("UTC+15", "Time zone offsets run from UTC−12 to UTC+14."),
        ("UTC-13", "Time zone offsets run from UTC−12 to UTC+14."),
        ("+14:30", "Time zone offsets run from UTC−12 to UTC+14."),
        ("UTC+3:70", "Minutes in an offset go from 00 to 59, for example UTC+5:30."),
        ("UTC+3:20", "Offsets use whole quarter hours, for example UTC+5:30 or UTC+5:45."),
        ("UTC3", "Please add + or − after UTC, for example UTC+3 or UTC−5."),
        ("USA", "That country has several time zones. Please type your city instead."),
        ("Australia", "That country has several time zones. Please type your city instead."),
        (
            "Atlantis",
            "I don't know a place called “Atlantis”. "
            "Try the nearest big city, or an offset like UTC+2.",
        ),
        ("", "Please type your city or a time zone, for example Berlin or UTC+2."),
        (
            "localtime",
            "I don't know a place called “localtime”. "
            "Try the nearest big city, or an offset like UTC+2.",
        ),
    ],
)
def test_parse_zone_rejects_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidZone) as caught:
        parse_zone(text)
    assert caught.value.reason == reason


def test_city_table_points_at_real_zones() -> None:
    zones = available_timezones()
    assert len(parsing._PLACES) >= 150
    assert not {key for key in parsing._PLACES.values() if key not in zones}
    assert all(parsing._fold(name) == name for name in parsing._PLACES)


def test_every_iana_city_is_found_by_its_last_part() -> None:
    for key in sorted(available_timezones()):
        region, _, rest = key.partition("/")
        if region not in {"Europe", "Asia", "Africa", "America", "Australia", "Pacific"}:
            continue
        city = rest.rsplit("/", 1)[-1].replace("_", " ")
        found = parse_zone(city)
        # Aliases may resolve to the canonical zone; either way the clocks must agree.
        probe = datetime(2027, 1, 15, 12, tzinfo=UTC)
        assert probe.astimezone(found).utcoffset() == probe.astimezone(ZoneInfo(key)).utcoffset()


# --- keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Europe/Berlin", "UTC+5:30", "GMT-5", "UTC", "Kathmandu", "UTC-12", "UTC+14"]
)
def test_key_round_trips(text: str) -> None:
    zone = parse_zone(text)
    assert zone_from_key(zone.key) == zone
    assert zone_from_key(zone.key).key == zone.key


@settings(max_examples=100, deadline=None)
@given(st.integers(-12 * 4, 14 * 4).filter(bool))
def test_every_quarter_hour_offset_round_trips(quarters: int) -> None:
    zone = FixedOffset(timedelta(minutes=15 * quarters))
    assert zone_from_key(zone.key) == zone
    assert parse_zone(zone.key) == zone


def test_zone_from_key_rejects_unknown_keys() -> None:
    for key in ("Mars/Olympus", "localtime", "../etc/passwd", "UTC+15:00"):
        with pytest.raises(InvalidZone):
            zone_from_key(key)


def test_fixed_offset_behaves_like_a_timezone() -> None:
    zone = FixedOffset(timedelta(hours=5, minutes=30))
    local = datetime(2026, 3, 1, 7, 0, tzinfo=zone)
    assert local.astimezone(UTC) == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert datetime(2026, 3, 1, 1, 30, tzinfo=UTC).astimezone(zone).hour == 7
    assert local.tzname() == "UTC+05:30"
    assert local.dst() == timedelta(0)
    assert pickle.loads(pickle.dumps(zone)) == zone
    assert hash(zone) == hash(FixedOffset(timedelta(minutes=330)))
    assert repr(zone) == "FixedOffset('UTC+05:30')"
    with pytest.raises(ValueError):
        FixedOffset(timedelta(hours=15))
    with pytest.raises(ValueError):
        FixedOffset(timedelta(seconds=30))


def test_labels() -> None:
    assert zone_label(parse_zone("new york")) == "New York"
    assert zone_label(parse_zone("UTC+5:30")) == "UTC+05:30"
    assert zone_label(ZoneInfo("UTC")) == "UTC"
    assert zone_label(ZoneInfo("Etc/GMT+2")) == "UTC-02:00"  # the Etc sign is inverted
    assert zone_label(ZoneInfo("Etc/GMT")) == "UTC"


def test_common_zones_are_valid_and_distinct() -> None:
    assert 8 <= len(COMMON_ZONES) <= 14
    assert len(set(COMMON_ZONES)) == len(COMMON_ZONES)
    for key in COMMON_ZONES:
        assert zone_from_key(key).key == key


# --- location -------------------------------------------------------------------------------


def test_zone_from_location() -> None:
    assert zone_from_location(52.52, 13.405) == "Europe/Berlin"
    assert zone_from_location(40.7128, -74.0060) == "America/New_York"
    assert zone_from_location(-23.55, -46.63) == "America/Sao_Paulo"
    assert zone_from_location(-31.55, 159.08) == "Australia/Lord_Howe"
    at_sea = zone_from_location(0.0, -30.0)
    assert at_sea is not None
    assert zone_label(zone_from_key(at_sea)) == "UTC-02:00"
    assert parsing._get_finder() is parsing._get_finder()  # built once, then reused
    with pytest.raises(ValueError):
        zone_from_location(91.0, 0.0)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Moskau", "Europe/Moscow"),
        ("Москва", "Europe/Moscow"),
        ("москва", "Europe/Moscow"),
        ("Берлин", "Europe/Berlin"),
        ("Nueva York", "America/New_York"),
        ("Londres", "Europe/London"),
        ("Wien", "Europe/Vienna"),
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("Madrid", "Europe/Madrid"),  # the English table still comes first
    ],
)
def test_parse_zone_knows_cities_as_the_bots_languages_write_them(text: str, key: str) -> None:
    zone = parse_zone(text)
    assert isinstance(zone, ZoneInfo) and zone.key == key


def test_other_languages_city_names_do_not_count_as_places_for_free_text() -> None:
    """The symptom reader leaves known places out of its fuzzy matching; CLDR's hundreds of
    short names in other languages must not blunt it."""
    assert "москва" not in parsing.known_place_names()
    assert parsing.is_place_or_time("Москва")


def test_a_reason_is_an_unfilled_message_and_its_values() -> None:
    """The chat layer translates `message` and fills in `values`; `reason` is the English."""
    with pytest.raises(InvalidTime) as caught:
        parse_time("25:70")
    assert caught.value.message == "There is no hour {hour}: hours go from 0 to 23."
    assert caught.value.values == {"hour": 25}
    assert caught.value.reason == "There is no hour 25: hours go from 0 to 23."
    with pytest.raises(InvalidZone) as zone_caught:
        parse_zone("Atlantis")
    assert zone_caught.value.values == {"text": "Atlantis"}
    assert "{text}" in zone_caught.value.message


# --- the place table (bot/domain/places.toml) -------------------------------------------------


def test_every_listed_place_is_folded_and_names_a_zone_we_store() -> None:
    assert parsing._PLACES, "places.toml was not read"
    for name, key in parsing._PLACES.items():
        assert parsing._fold(name) == name, name
        assert zone_from_key(key).key == key, name


def test_countries_with_several_zones_are_not_also_single_zone_places() -> None:
    assert parsing._MANY_ZONE_COUNTRIES
    assert not parsing._MANY_ZONE_COUNTRIES & parsing._PLACES.keys()
    for country in parsing._MANY_ZONE_COUNTRIES:
        assert parsing._fold(country) == country
