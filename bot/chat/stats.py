"""/stats: streak, this week against the 3–5 goal, minutes this month, the pain trend, and a
small weekly chart (PNG) sent as a photo with the figures as its caption."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from bot.chat.chart import chart_words, weekly_chart_png
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import session as session_keyboards
from bot.chat.screens import show
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import stats as texts
from bot.chat.views import outcomes
from bot.domain.lifecycle import Refused
from bot.i18n import N_
from bot.usecases import lifecycle as life
from bot.usecases import stats
from bot.usecases.people import known


async def stats_command(update: Update, context: AnyContext) -> None:
    services = services_of(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    async with services.db() as db:
        person = await known(db, user.id)
        figures = await stats.figures(
            db, person, services.now(), services.settings.default_timezone
        )
        gate = await life.start_session(db, person) if figures is None and person else None
    buttons = Buttons(services.codec, user.id)
    if isinstance(gate, Refused) and gate.hold is not None:
        # Nothing to show yet, and the usual [Today's session] would offer a held person a
        # session: the hold is what they need to see, as /now shows it.
        await show(update, outcomes.hold_screen(services.content.safety, buttons, gate.hold))
        return
    if figures is None:
        await context.bot.send_message(
            chat.id,
            texts.no_sessions_yet(),
            reply_markup=session_keyboards.start_today(buttons),
        )
        return
    words = chart_words(figures.weeks)  # here: the thread need not know whose language it is
    picture = await asyncio.to_thread(weekly_chart_png, figures.weeks, words)
    await context.bot.send_photo(
        chat.id, picture, caption=texts.summary(figures), parse_mode=ParseMode.HTML
    )


FEATURE = Feature(
    name="stats",
    handlers=[CommandHandler("stats", stats_command)],
    commands=[("stats", N_("Your streak and progress"))],
)
