"""Who is talking is resolved one way: a person met first by /start and one met first by /now
get the same row, in the operator's default zone."""

from __future__ import annotations

import pytest

from bot.config import Settings
from sandbox.server import SandboxServer
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import subscriber_of

pytestmark = [pytest.mark.e2e]

DEFAULT_ZONE = "Europe/Berlin"


@pytest.fixture
def bot_settings(sandbox: SandboxServer, database_url: str) -> Settings:
    return Settings(
        telegram_bot_token=sandbox.token,
        telegram_api_base_url=sandbox.url,
        database_url=database_url,
        default_timezone=DEFAULT_ZONE,
        dispatch_interval_seconds=0.2,
    )


@pytest.mark.parametrize("first_words", ["/start", "/now"])
async def test_every_first_contact_meets_the_person_in_the_default_zone(
    stretchbot: RunningBot, first_words: str
) -> None:
    person = stretchbot.sandbox.user("Mira", language_code="de")
    await person.send(first_words)
    await person.next_message()
    row = await subscriber_of(stretchbot, person)
    assert row is not None
    assert (row.timezone, row.first_name, row.language_code) == (DEFAULT_ZONE, "Mira", "de")
    assert row.chat_id == person.id
