"""/privacy, /export and /delete: what is stored, all of it as a file, and erasing it.

/export sends everything the database holds about the person (answers as the buttons tapped,
no typed text), in words and local times (`export_view`). /delete asks once, then removes every
row about the person in one transaction.
"""

from __future__ import annotations

import json
import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat import export_view
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import privacy as keyboards
from bot.chat.screens import Screen, send, show
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import common as common_texts
from bot.chat.texts import privacy as texts
from bot.domain.zones import local_zone
from bot.usecases import privacy
from bot.usecases.privacy import Deletion

logger = logging.getLogger(__name__)


async def privacy_command(update: Update, context: AnyContext) -> None:
    await send(update, texts.privacy())


async def export_command(update: Update, context: AnyContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    services = services_of(context)
    async with services.db() as db:
        rows = await privacy.stored_rows(db, user.id)
    zone = local_zone(
        rows["subscriber"]["timezone"] if rows else None, services.settings.default_timezone
    )
    if not rows:
        await send(update, texts.nothing_stored())
        return
    data = export_view.readable(rows, services.content, zone, services.now())
    document = json.dumps(data, indent=2, ensure_ascii=False).encode()
    await context.bot.send_document(
        chat.id, document, filename=texts.EXPORT_FILENAME, caption=texts.export_caption()
    )
    logger.info("exported the data of subscriber %s", data["person"]["number"])


async def delete_command(update: Update, context: AnyContext) -> None:
    user = update.effective_user
    if user is None:
        return
    services = services_of(context)
    async with services.db() as db:
        asked = await privacy.ask_to_delete(db, user.id)
    if asked:
        buttons = Buttons(services.codec, user.id)
        reply = Screen(texts.delete_confirm(), keyboards.delete_confirm(buttons))
    else:
        reply = Screen(texts.nothing_stored())
    await show(update, reply)


async def on_delete(update: Update, context: AnyContext, cb: Callback) -> str | None:
    user = update.effective_user
    services = services_of(context)
    if user is None:
        return common_texts.button_expired()
    async with services.db() as db:
        outcome, subscriber_id = await privacy.answer_delete(
            db, user.id, confirmed=cb.arg(0) == "y"
        )
    if outcome is Deletion.EXPIRED:
        return common_texts.button_expired()
    if outcome is Deletion.DELETED:
        logger.info("deleted every row of subscriber %s", subscriber_id)
    await show(
        update, Screen(texts.deleted() if outcome is Deletion.DELETED else texts.delete_kept())
    )
    return None


FEATURE = Feature(
    name="privacy",
    handlers=[
        CommandHandler("privacy", privacy_command),
        CommandHandler("export", export_command),
        CommandHandler("delete", delete_command),
    ],
    callbacks={keyboards.DELETE: on_delete},
    commands=list(texts.COMMANDS.items()),
)
