"""Operator commands end to end: /admin for ADMIN_USER_IDS, the unknown-command answer for
everyone else, and /admin content reload refusing broken content and swapping in good content."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bot.chat.texts import help as help_texts
from bot.config import Settings
from bot.content.version import content_version
from bot.db.models import DeliveryKind, DeliveryStatus, PainReport, ReminderDelivery
from sandbox.people import SimUser
from sandbox.server import SandboxServer
from tests.e2e.conftest import RunningBot
from tests.e2e.walkthrough import subscriber_of, text_of
from tests.support.clock import TestClock

pytestmark = [pytest.mark.e2e]

SHIPPED = Path(__file__).resolve().parents[2] / "content"
TITLE = "Deep stretch for legs and back"


@pytest.fixture
def operator(sandbox: SandboxServer) -> SimUser:
    return sandbox.user("Olga", language_code="en")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(SHIPPED, folder)
    return folder


@pytest.fixture
def bot_settings(
    sandbox: SandboxServer, database_url: str, operator: SimUser, content_copy: Path
) -> Settings:
    return Settings(
        telegram_bot_token=sandbox.token,
        telegram_api_base_url=sandbox.url,
        database_url=database_url,
        default_timezone="UTC",
        dispatch_interval_seconds=0.2,
        admin_user_ids=frozenset({operator.id}),
        content_dir=content_copy,
    )


async def ask(person: SimUser, text: str) -> str:
    await person.send(text)
    return text_of(await person.next_message())


async def test_anyone_else_gets_the_unknown_command_answer(
    stretchbot: RunningBot, operator: SimUser
) -> None:
    stranger = stretchbot.sandbox.user("Sam", language_code="en")
    for command in ("/admin", "/admin content reload"):
        reply = await ask(stranger, command)
        assert reply.startswith(help_texts.unknown_command())
        assert "Subscribers" not in reply and "reloaded" not in reply
    await stranger.send("/start")  # and the bot still works for them
    menus = stretchbot.sandbox.calls_of("setMyCommands")
    assert len(menus) == 4  # one per language
    for menu in menus:
        assert "admin" not in str(menu.params["commands"])  # not offered in the public menu


async def test_admin_shows_counts_only(
    stretchbot: RunningBot, operator: SimUser, clock: TestClock, content_copy: Path
) -> None:
    people = [stretchbot.sandbox.user(name, language_code="en") for name in ("Alex", "Kim")]
    for person in people:
        await ask(person, "/start")
    alex = await subscriber_of(stretchbot, people[0])
    assert alex is not None
    today = clock().replace(hour=5, minute=0, second=0, microsecond=0)
    async with stretchbot.services.db() as db:
        for minutes, status, late in ((0, "sent", 20), (1, "sent", 40), (2, "failed", None)):
            due = today + timedelta(minutes=minutes)
            db.add(
                ReminderDelivery(
                    subscriber_id=alex.id,
                    due_at=due,
                    kind=DeliveryKind.DAILY,
                    status=DeliveryStatus(status),
                    sent_at=due + timedelta(seconds=late) if late is not None else None,
                )
            )
        yesterday = today - timedelta(days=1)
        db.add(
            ReminderDelivery(
                subscriber_id=alex.id,
                due_at=yesterday,
                kind=DeliveryKind.DAILY,
                status=DeliveryStatus.SENT,
                sent_at=yesterday + timedelta(hours=1),
            )
        )
        db.add(PainReport(subscriber_id=alex.id, source="pain", outcome="urgent"))

    reply = await ask(operator, "/admin")
    assert "Subscribers: 2 (0 active, 2 onboarding" in reply
    assert "Reminders due today (UTC): 2 sent, 1 failed; median lateness 30.0 s" in reply
    assert "Open red-flag holds: 1" in reply
    assert f"version {content_version(content_copy)}" in reply
    for private in ("Alex", "Kim", "urgent", str(people[0].id)):
        assert private not in reply


async def test_content_reload_refuses_broken_content_and_swaps_good_content(
    stretchbot: RunningBot, operator: SimUser, content_copy: Path
) -> None:
    routines = content_copy / "routines.yaml"
    original = routines.read_text(encoding="utf-8")
    live = stretchbot.services.content

    routines.write_text(original.replace("stretch: low_lunge", "stretch: no_such_stretch"))
    reply = await ask(operator, "/admin content reload")
    assert reply.startswith("Content not reloaded")
    assert "routines.yaml" in reply and "no_such_stretch" in reply
    assert stretchbot.services.content is live

    routines.write_text(original.replace(f"title: {TITLE}", "title: Long slow legs and back"))
    reply = await ask(operator, "/admin content reload")
    assert reply.startswith("Content reloaded"), reply
    assert content_version(content_copy) in reply
    routine = stretchbot.services.content.routines["deep_stretch_legs_back"]
    assert routine.title == "Long slow legs and back"
    reply = await ask(operator, "/admin")
    assert f"version {content_version(content_copy)}" in reply
