"""The zone policy: stored keys read back strictly or leniently, and which zone counts a day."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.zones import FixedOffset, InvalidZone, local_zone, zone_from_key, zone_of

BERLIN = ZoneInfo("Europe/Berlin")
BAD_KEYS = ("Mars/Olympus", "UTC+15:00", "../etc/passwd", "localtime", "Factory")


def test_zone_of_restores_stored_keys_and_refuses_the_rest() -> None:
    assert zone_of("Europe/Berlin") == BERLIN
    assert zone_of("UTC+05:30") == FixedOffset(timedelta(hours=5, minutes=30))
    assert zone_of("UTC") is not None
    for bad in (None, "", *BAD_KEYS):
        assert zone_of(bad) is None


@pytest.mark.parametrize("bad", BAD_KEYS)
def test_the_strict_reading_says_why_a_key_is_refused(bad: str) -> None:
    with pytest.raises(InvalidZone) as caught:
        zone_from_key(bad)
    assert repr(bad) in caught.value.reason


def test_a_zero_offset_is_utc_itself() -> None:
    assert zone_from_key("UTC+00:00") == ZoneInfo("UTC")


def test_the_local_zone_is_the_persons_own_first() -> None:
    assert local_zone("Europe/Berlin", "America/New_York") == BERLIN
    assert local_zone("UTC-03:30", "Europe/Berlin") == FixedOffset(-timedelta(hours=3, minutes=30))


@pytest.mark.parametrize("missing", [None, "", "Mars/Olympus"])
def test_without_a_usable_own_zone_the_default_counts(missing: str | None) -> None:
    assert local_zone(missing, "Europe/Berlin") == BERLIN


@pytest.mark.parametrize("default", [None, "", "Factory"])
def test_without_any_usable_zone_it_is_utc(default: str | None) -> None:
    assert local_zone(None, default) == ZoneInfo("UTC")
    assert local_zone("Mars/Olympus", default) == ZoneInfo("UTC")
