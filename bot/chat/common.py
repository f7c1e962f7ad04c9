"""Behaviour that is not a feature of its own: groups, blocking, and errors."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ChatMemberHandler, TypeHandler

from bot.chat.feature import Feature
from bot.chat.router import answer_once, was_answered
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import common as texts
from bot.chat.texts import help as help_texts
from bot.domain.lifecycle import Refused
from bot.net.ptb_limiter import BudgetRateLimiter
from bot.usecases import lifecycle as life
from bot.usecases import people

logger = logging.getLogger(__name__)
_GROUPS_TOLD = "groups_told"


async def only_private_chats(update: Update, context: AnyContext) -> None:
    """In a group the bot says once that it works in private chats, then ignores the group.

    In a private chat, an edited message stops here too: acting on it could redo or undo what
    the original already did (PTB's command handlers take edits), so the person is asked to
    send it again."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE and update.edited_message is not None:
        await context.bot.send_message(chat.id, help_texts.edited())
        raise ApplicationHandlerStop
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if chat.type == ChatType.CHANNEL:
        raise ApplicationHandlerStop  # a channel is public: the bot says nothing there
    told: set[int] = context.bot_data.setdefault(_GROUPS_TOLD, set())
    if update.callback_query is not None:
        await answer_once(update, context, texts.private_only())
    elif update.effective_message is not None and chat.id not in told:
        told.add(chat.id)
        try:
            await context.bot.send_message(chat.id, texts.private_only())
        except TelegramError as error:
            logger.info("could not tell group %s: %s", chat.id, type(error).__name__)
    raise ApplicationHandlerStop


async def track_blocking(update: Update, context: AnyContext) -> None:
    """A person blocking or unblocking the bot arrives as a `my_chat_member` update."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    status = change.new_chat_member.status
    services = services_of(context)
    async with services.db() as db:
        subscriber = await people.known(db, change.from_user.id)
        if subscriber is None:
            return
        if status in (ChatMember.BANNED, ChatMember.LEFT):
            await life.block(db, subscriber, services.now())
            logger.info("subscriber %s blocked the bot", subscriber.id)
        elif not isinstance(await life.unblock(db, subscriber, services.now()), Refused):
            logger.info("subscriber %s unblocked the bot", subscriber.id)


async def note_reachability(update: Update, context: AnyContext) -> None:
    """Tell the send path who blocked the bot and who is back (`bot.net.unreachable`), before
    any handler replies: after a block, nothing is sent to the chat until Telegram says the
    person unblocked the bot or they write again."""
    chat = update.effective_chat
    limiter = context.bot.rate_limiter
    if chat is None or chat.type != ChatType.PRIVATE or not isinstance(limiter, BudgetRateLimiter):
        return
    change = update.my_chat_member
    if change is not None:
        if change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT):
            limiter.unreachable.blocked(chat.id, update.update_id)
        else:
            limiter.unreachable.back(chat.id)
    elif update.message is not None:
        limiter.unreachable.wrote(chat.id, update.update_id)


async def on_error(update: object, context: AnyContext) -> None:
    """Log the failure without message text, and tell the person their progress is safe."""
    error = context.error
    if isinstance(error, Forbidden):
        logger.info("the person blocked the bot: %s", error.message)
        return
    logger.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        if update.callback_query is not None:
            if not was_answered(update, context):  # the router answered it with the apology
                try:
                    await answer_once(update, context, texts.something_went_wrong())
                except TelegramError as answer_error:
                    logger.info("could not apologise: %s", type(answer_error).__name__)
            return
        try:
            await context.bot.send_message(update.effective_chat.id, texts.something_went_wrong())
        except TelegramError as send_error:
            logger.info("could not apologise: %s", type(send_error).__name__)


FEATURE = Feature(
    name="common",
    handlers=[
        ChatMemberHandler(track_blocking, ChatMemberHandler.MY_CHAT_MEMBER),
    ],
)
GUARD = TypeHandler(Update, only_private_chats)
REACHABILITY = TypeHandler(Update, note_reachability)
