"""Operator commands, for `ADMIN_USER_IDS` only: /admin and /admin content reload.

Everyone else gets the ordinary "I don't know that command" from the fallback: the handler's
filter lets only operators' messages through, so for anyone else the command is not taken and
the fallback answers as for any unknown command. The command is not in the public menu.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler, filters

from bot.chat import reminders
from bot.chat.feature import Feature
from bot.chat.services import AnyApplication, AnyContext, Services, services_of, services_of_app
from bot.chat.texts import admin as texts
from bot.content.errors import ContentError
from bot.content.loader import load_content
from bot.content.version import content_version
from bot.usecases.operator import overview_at

logger = logging.getLogger(__name__)


def _version(services: Services) -> str:
    version = services.content_version
    if version is None:
        version = services.content_version = content_version(services.settings.content_dir)
    return version


async def admin_command(update: Update, context: AnyContext) -> None:
    message = update.effective_message
    if message is None:
        return
    args = [arg.lower() for arg in context.args or []]
    if args == ["content", "reload"]:
        reply = await reload_content(services_of(context))
    elif args:
        reply = texts.usage()
    else:
        reply = await _overview(services_of(context))
    await message.reply_text(reply, parse_mode=ParseMode.HTML)


async def _overview(services: Services) -> str:
    async with services.db() as db:
        seen = await overview_at(db, services.now())
    content = services.content
    return texts.overview(
        seen.by_status,
        seen.today,
        seen.open_holds,
        _version(services),
        len(content.routines),
        len(content.stretches),
    )


async def reload_content(services: Services) -> str:
    """Validate content/ and swap it in; on any problem keep what is live and list them."""
    directory = services.settings.content_dir
    try:
        content = await asyncio.to_thread(load_content, directory)
    except ContentError as error:
        logger.warning("content reload refused: %d problems", len(error.issues))
        return texts.refused(str(error))
    old = _version(services)
    new = await asyncio.to_thread(content_version, directory)
    services.content = content
    services.content_version = new
    reminders.content_changed(services)
    logger.info("content reloaded: version %s -> %s", old, new)
    return texts.reloaded(old, new, len(content.routines), len(content.stretches))


async def _remember_version(application: AnyApplication) -> None:
    services = services_of_app(application)
    services.content_version = await asyncio.to_thread(
        content_version, services.settings.content_dir
    )


def feature(admin_user_ids: frozenset[int]) -> Feature:
    """The operator commands for these Telegram user ids (none: nobody may use them)."""
    operators = filters.User(user_id=sorted(admin_user_ids), allow_empty=False)
    return Feature(
        name="admin",
        handlers=[CommandHandler("admin", admin_command, filters=operators)],
        on_startup=_remember_version,
    )
