"""The demo controls over HTTP, as the chat page calls them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.demo import Demo
from tests.demo.conftest import START


@pytest.fixture
async def http(demo: Demo) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=demo.url) as session:
        yield session


async def test_state_tells_the_page_it_runs_in_the_demo(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    async with http.get("/demo/state") as response:
        assert response.status == 200
        assert await response.json() == {"clock": START.isoformat(), "ahead_seconds": 0}


async def test_reminder_button_answers_in_words(demo: Demo, http: aiohttp.ClientSession) -> None:
    (alex,) = demo.people()
    async with http.post(f"/demo/people/{alex.id}/reminder") as response:
        assert response.status == 200
        body = await response.json()
    assert body == {
        "sent": False,
        "message": "Alex hasn't subscribed yet: tap START in the chat and sign up first.",
        "clock": START.isoformat(),
    }


@pytest.mark.parametrize("who", ["7000000001", "123", "nobody"])
async def test_no_reminder_for_the_bot_or_strangers(http: aiohttp.ClientSession, who: str) -> None:
    async with http.post(f"/demo/people/{who}/reminder") as response:
        assert response.status == 404
