"""Who is talking: the subscriber row behind an update, created on first contact."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.chat.services import Services
from bot.db import subscribers
from bot.db.models import Subscriber


async def person_of(db: AsyncSession, services: Services, update: Update) -> Subscriber:
    """The sender's row, kept in step with their Telegram name and language."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    person, _ = await subscribers.get_or_create(
        db,
        telegram_user_id=user.id,
        chat_id=chat.id,
        first_name=user.first_name,
        language_code=user.language_code,
        default_timezone=services.settings.default_timezone,
    )
    return person
