"""Kinder reminders, chat side: the quiet switch in /settings (issue 16, item 4).

The rules live in `bot.domain.kindness`; the 'Not today' cap is answered where 'Not today' is
(`reminders.skip`), and quiet reminders are sent so by the dispatcher (`Rendered.silent`).
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.keyboards import settings as settings_keyboards
from bot.chat.screens import show
from bot.chat.services import AnyContext, services_of
from bot.chat.settings import holding, is_subscribed, me
from bot.chat.texts import common as common_texts
from bot.chat.texts import kindness as texts
from bot.chat.views.settings import menu_screen

logger = logging.getLogger(__name__)


async def on_quiet(update: Update, context: AnyContext, cb: Callback) -> str | None:
    """Switch quiet reminders on or off and show the menu again with the new state."""
    services = services_of(context)
    async with services.db() as db:
        subscriber = await me(db, update)
        if not is_subscribed(subscriber) or subscriber is None:
            return common_texts.button_expired()
        subscriber.awaiting_input = None
        preferences = subscriber.preferences
        preferences.quiet = not preferences.quiet
        quiet = preferences.quiet
        reply = menu_screen(services, subscriber, held=await holding(db, subscriber) is not None)
    logger.info("subscriber %s set quiet reminders %s", subscriber.id, "on" if quiet else "off")
    await show(update, reply)
    return texts.quiet_toggled(quiet)


FEATURE = Feature(name="kindness", callbacks={settings_keyboards.QUIET: on_quiet})
