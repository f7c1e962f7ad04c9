"""Who is talking: `bot.usecases.people.meet` is the one way an update's sender becomes a row
(SQLite and PostgreSQL).

Before, /start created a new person without the operator's default zone while /now, /pain,
/language and the nerve check gave them one, so where a person first wrote decided which zone
their screens used.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Subscriber, SubscriberStatus
from bot.usecases.people import Caller, known, language_of, meet

ROOT = Path(__file__).resolve().parents[2]
ANN = Caller(telegram_user_id=501, chat_id=501, first_name="Ann", language_code="de")


async def test_a_new_sender_starts_in_the_default_zone(db: AsyncSession) -> None:
    person, created = await meet(db, ANN, default_timezone="Europe/Lisbon")
    assert created
    assert person.timezone == "Europe/Lisbon"
    assert person.status is SubscriberStatus.ONBOARDING
    assert (person.first_name, person.language_code, person.chat_id) == ("Ann", "de", 501)


async def test_meeting_again_keeps_the_row_and_what_the_person_chose(db: AsyncSession) -> None:
    first, _ = await meet(db, ANN, default_timezone="UTC")
    first.timezone, first.language_code = "Asia/Tokyo", "en"  # chosen later, in the chat
    renamed = Caller(501, 777, "Anna", "fr")
    again, created = await meet(db, renamed, default_timezone="Europe/Lisbon")
    assert not created and again.id == first.id
    assert (again.timezone, again.language_code) == ("Asia/Tokyo", "en")
    assert (again.first_name, again.chat_id) == ("Anna", 777)  # Telegram's name stays current
    assert await db.scalar(select(func.count()).select_from(Subscriber)) == 1


async def test_a_read_of_who_is_talking_never_creates_a_row(db: AsyncSession) -> None:
    """`known` answers a stranger with None (an old button, /settings before /start) and
    `language_of` with no language; neither leaves a row behind."""
    assert await known(db, 501) is None
    assert await language_of(db, 501) is None
    assert await db.scalar(select(func.count()).select_from(Subscriber)) == 0
    ann, _ = await meet(db, ANN, default_timezone="UTC")
    assert await language_of(db, 501) == "de"
    assert await known(db, 501) is ann


def test_no_other_module_of_the_bot_creates_a_person() -> None:
    """`subscribers.get_or_create` is called from `bot/usecases/people.py` only, so no handler
    can meet a person in a way of its own."""
    callers = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(
            isinstance(node, ast.Attribute | ast.Name)
            and (node.attr if isinstance(node, ast.Attribute) else node.id) == "get_or_create"
            for node in ast.walk(tree)
        ):
            callers.append(path.relative_to(ROOT).as_posix())
    assert callers == ["bot/usecases/people.py"]
