"""/language: the person picks the language the bot speaks with them.

The first guess is Telegram's `language_code`, stored when the person's row is made (see
`bot.db.subscribers.get_or_create`); a choice here replaces it and is never overwritten by
Telegram's again. The confirmation is already in the new language.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot import i18n
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import language as keyboards
from bot.chat.people import person_of
from bot.chat.screens import Screen, show
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import common as common_texts
from bot.chat.texts import language as texts

logger = logging.getLogger(__name__)


async def language_command(update: Update, context: AnyContext) -> None:
    user = update.effective_user
    if user is None:
        return
    buttons = Buttons(services_of(context).codec, user.id)
    current = i18n.current().language
    await show(update, Screen(texts.choose(), keyboards.picker(buttons, current)))


async def on_language(update: Update, context: AnyContext, cb: Callback) -> str | None:
    chosen = cb.arg(0)
    if chosen not in i18n.LANGUAGES:
        return common_texts.button_expired()
    services = services_of(context)
    async with services.db() as db:
        person = await person_of(db, services, update)
        person.language_code = chosen
        subscriber_id = person.id
    i18n.activate(chosen)  # the rest of this update speaks the new language
    logger.info("subscriber %s chose language %s", subscriber_id, chosen)
    await show(update, Screen(texts.chosen(chosen)))
    return None


FEATURE = Feature(
    name="language",
    handlers=[CommandHandler("language", language_command)],
    callbacks={keyboards.LANGUAGE: on_language},
    commands=[texts.COMMAND],
)
