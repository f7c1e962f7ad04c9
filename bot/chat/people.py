"""Who is talking, read off the update; the row itself is `bot.usecases.people`'s to find."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.chat.services import Services
from bot.db.models import Subscriber
from bot.usecases.people import Caller, meet


def caller_of(update: Update) -> Caller | None:
    """The sender of a private update, or None for one without a user and chat."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Caller(user.id, chat.id, user.first_name, user.language_code)


async def meet_sender(
    db: AsyncSession, services: Services, caller: Caller
) -> tuple[Subscriber, bool]:
    """The one way a handler meets the sender: the default zone always applies."""
    return await meet(db, caller, default_timezone=services.settings.default_timezone)


async def person_of(db: AsyncSession, services: Services, update: Update) -> Subscriber:
    """The sender's row, kept in step with their Telegram name and language."""
    caller = caller_of(update)
    assert caller is not None
    person, _ = await meet_sender(db, services, caller)
    return person
