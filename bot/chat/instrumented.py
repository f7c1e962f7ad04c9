"""The Application with what an operator needs around every update: metrics, log context,
and calm handling of a database outage.

`StretchbotApplication` is PTB's `Application` (set with `ApplicationBuilder.application_class`,
PTB's documented extension point) with two methods wrapped:

- `process_update` counts each update by kind, times its handlers, and puts its update id (and,
  once a handler has looked the person up, their internal id) on every log line meanwhile;
  it also sets the language every text of the update is rendered in (`bot.i18n`);
- `process_error` hands a database outage to `OutageResponder` instead of the error handlers:
  no traceback, one apology per chat, and messages kept to be handled again once the database
  answers. Any other error goes to the error handlers as before.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, Job

from bot import i18n, metrics
from bot.chat.services import SERVICES_KEY, AnyApplication, Services
from bot.chat.texts import common as texts
from bot.db import unit
from bot.db.outage import DatabaseWatch, is_outage
from bot.logcontext import PERSON_ID, UPDATE_ID
from bot.net.ptb_limiter import BEFORE_CALL
from bot.usecases import people

logger = logging.getLogger(__name__)

OUTAGE_KEY = "stretchbot.outage"
MAX_PARKED_UPDATES = 10_000

_KINDS = (
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "chat_member",
    "inline_query",
    "channel_post",
    "edited_channel_post",
    "pre_checkout_query",
    "shipping_query",
    "poll",
    "poll_answer",
    "chat_join_request",
    "message_reaction",
)


def update_kind(update: Update) -> str:
    """ "command" for a /command, otherwise the name of the update's field that is set."""
    message = update.message
    if message is not None and message.text and message.text.startswith("/"):
        return "command"
    if message is not None:
        return "location" if message.location is not None else "message"
    for kind in _KINDS:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class OutageResponder:
    """What people get while the database is down, and what happens to their updates."""

    def __init__(self, application: AnyApplication, watch: DatabaseWatch) -> None:
        self._application = application
        self.watch = watch
        self._parked: deque[Update] = deque(maxlen=MAX_PARKED_UPDATES)
        self._told: set[int] = set()
        watch.on_recovery(self.replay)

    @property
    def parked(self) -> int:
        return len(self._parked)

    async def handle(self, update: object, where: str, error: BaseException) -> None:
        self.watch.failed(where, error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        if update.callback_query is not None:
            return  # the router answered the tap with NOTES_UNREACHABLE_TAP; nothing changed
        if update.effective_message is None:
            return
        self._parked.append(update)
        if chat_id in self._told:
            return
        self._told.add(chat_id)
        try:
            await self._application.bot.send_message(chat_id, texts.notes_unreachable_kept())
        except TelegramError as send_error:
            logger.info("could not tell a person about the outage: %s", type(send_error).__name__)

    async def replay(self) -> None:
        """Handle the kept messages again, in the order they came."""
        self._told.clear()
        count = len(self._parked)
        while self._parked:
            await self._application.update_queue.put(self._parked.popleft())
        if count:
            logger.info("handling %d messages kept during the database outage", count)


def outage_of(application: AnyApplication) -> OutageResponder | None:
    responder = application.bot_data.get(OUTAGE_KEY)
    return responder if isinstance(responder, OutageResponder) else None


class StretchbotApplication(Application):  # type: ignore[type-arg]
    """PTB's Application, instrumented (see the module docstring)."""

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        kind = update_kind(update)
        update_token = UPDATE_ID.set(update.update_id)
        person_token = PERSON_ID.set(None)
        started = time.perf_counter()
        try:
            services = self.bot_data.get(SERVICES_KEY)
            if not isinstance(services, Services):
                await self._handle(update, None)
            else:
                async with unit.for_update(services.session_factory) as db:
                    await self._handle(update, db)
        finally:
            elapsed = time.perf_counter() - started
            metrics.UPDATES.labels(kind).inc()
            metrics.HANDLER_SECONDS.labels(kind).observe(elapsed)
            logger.info(
                "handled %s in %.1f ms",
                kind,
                elapsed * 1000,
                extra={"kind": kind, "duration_ms": round(elapsed * 1000, 1)},
            )
            PERSON_ID.reset(person_token)
            UPDATE_ID.reset(update_token)

    async def _handle(self, update: Update, db: AsyncSession | None) -> None:
        language_token = i18n.activate(await self._language_of(update, db))
        # The language read leaves the update's connection checked out for the handler's first
        # unit of work; a handler that talks to Telegram first gives it back before the call,
        # so 256 concurrent updates waiting for send turns never drain the pool.
        release_token = BEFORE_CALL.set(unit.release_idle)
        try:
            await super().process_update(update)
        finally:
            BEFORE_CALL.reset(release_token)
            i18n.reset(language_token)

    async def _language_of(self, update: Update, db: AsyncSession | None) -> str | None:
        """The language this update is answered in: the person's stored one (Telegram's at
        sign-up, or their /language choice), else Telegram's `language_code`. One indexed
        read in the update's own session, which keeps the person for the handler; while the
        database is down, Telegram's (the handler meets the outage itself)."""
        user = update.effective_user
        if user is None:
            return None
        outage = outage_of(self)
        if db is None or (outage is not None and outage.watch.down):
            return user.language_code
        try:
            stored = await people.language_of(db, user.id)
        except Exception as error:
            await db.rollback()
            if not is_outage(error):
                raise
            return user.language_code
        return stored or user.language_code

    async def process_error(
        self,
        update: object | None,
        error: Exception,
        job: Job[Any] | None = None,
        coroutine: Any = None,
    ) -> bool:
        responder = outage_of(self)
        if responder is not None and is_outage(error):
            where = f"job {job.name}" if job is not None else "an update"
            await responder.handle(update, where, error)
            return True  # handled: the error handlers would log a traceback and apologise again
        return await super().process_error(update, error, job, coroutine)
