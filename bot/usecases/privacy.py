"""/export and /delete's database work: everything stored about a person, and erasing it.

The delete is asked once and confirmed by a button; the open question is remembered on the
person's row, so an old [Yes] from before (or from someone else's chat) finds nothing to confirm.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import subscribers
from bot.domain.onboarding import Prompt, prompt_is_open


class Deletion(Enum):
    """How an answer to "delete everything?" ended."""

    EXPIRED = "expired"  # nothing was asked (or it was asked and then answered, or no row)
    KEPT = "kept"
    DELETED = "deleted"


async def stored_rows(db: AsyncSession, telegram_user_id: int) -> dict[str, Any]:
    """Every row about the person (`subscribers.person_rows`), {} for someone we do not know."""
    person = await subscribers.get_by_user_id(db, telegram_user_id)
    return await subscribers.person_rows(db, person.id) if person else {}


async def ask_to_delete(db: AsyncSession, telegram_user_id: int) -> bool:
    """Open the delete question for the person; False when nothing is stored about them."""
    person = await subscribers.get_by_user_id(db, telegram_user_id)
    if person is None:
        return False
    person.awaiting_input = Prompt.DELETE.value
    return True


async def answer_delete(
    db: AsyncSession, telegram_user_id: int, *, confirmed: bool
) -> tuple[Deletion, int | None]:
    """Act on the answer to an open delete question; the subscriber id for the log when kept
    or deleted. Every row goes in the caller's one transaction."""
    person = await subscribers.get_by_user_id(db, telegram_user_id)
    if person is None or not prompt_is_open(Prompt.DELETE, person.awaiting_input):
        return Deletion.EXPIRED, None
    if not confirmed:
        person.awaiting_input = None
        return Deletion.KEPT, person.id
    subscriber_id = person.id
    await subscribers.delete_everything(db, subscriber_id)
    return Deletion.DELETED, subscriber_id
