"""Webhook mode: each update id is handled once, whichever worker it reaches.

Telegram sends an update again when it did not see the answer in time (a worker that was slow
or died, a proxy that dropped the reply), and behind a load balancer the second copy may reach
another worker. So before any other handler, the update id is recorded in the database: the
first insert wins, every later copy stops here. Ids older than a day are pruned hourly.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.chat.services import AnyApplication, AnyContext, services_of
from bot.db import updates

logger = logging.getLogger(__name__)

#: Before the private-chat guard (group -2) and the safety gate (group -1).
REPLAY_GROUP = -3
PRUNE_EVERY = timedelta(hours=1)


async def drop_replays(update: object, context: AnyContext) -> None:
    if not isinstance(update, Update):
        return
    services = services_of(context)
    async with services.db() as db:
        first = await updates.first_time(db, update.update_id, services.now())
    if not first:
        logger.info("update %d arrived again and was dropped", update.update_id)
        raise ApplicationHandlerStop


async def _prune(context: AnyContext) -> None:
    services = services_of(context)
    async with services.db() as db:
        await updates.prune(db, services.now())


def install(application: AnyApplication) -> None:
    """Drop replayed updates from now on, and forget ids old enough never to come back."""
    application.add_handler(TypeHandler(Update, drop_replays), group=REPLAY_GROUP)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _prune, interval=PRUNE_EVERY, first=PRUNE_EVERY, name="prune-update-ids"
        )
