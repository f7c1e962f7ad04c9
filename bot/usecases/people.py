"""Who is talking: the subscriber row behind an update, created on first contact.

One home, so every way in meets a person the same way: before, /start created new rows without
the default zone while every other handler gave them one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import subscribers
from bot.db.models import Subscriber


@dataclass(frozen=True, slots=True)
class Caller:
    """The sender as Telegram names them, without Telegram's types."""

    telegram_user_id: int
    chat_id: int
    first_name: str | None
    language_code: str | None


async def meet(
    db: AsyncSession, caller: Caller, *, default_timezone: str
) -> tuple[Subscriber, bool]:
    """The caller's row (True when it is new), kept in step with their Telegram name; a new
    row starts in the default zone until the person says where they are."""
    return await subscribers.get_or_create(
        db,
        telegram_user_id=caller.telegram_user_id,
        chat_id=caller.chat_id,
        first_name=caller.first_name,
        language_code=caller.language_code,
        default_timezone=default_timezone,
    )


async def known(db: AsyncSession, telegram_user_id: int) -> Subscriber | None:
    """The row of someone who has talked to the bot before, or None: a read that never creates,
    for the handlers that answer a stranger differently (an old button, /settings before /start)."""
    return await subscribers.get_by_user_id(db, telegram_user_id)


async def language_of(db: AsyncSession, telegram_user_id: int) -> str | None:
    """The language the person chose (or Telegram's at sign-up), None for a stranger; the
    row it reads is kept for `known` in the same transaction, so the handler's read is free."""
    return await subscribers.language_of(db, telegram_user_id)
