"""/report: a summary to show a physio or doctor, as a PDF and the same words as a message.

Health data: the report is built on request from the rows, sent, and forgotten. It is never
stored, logged or cached, and nothing else (stats, exports, logs) includes it.
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat import report_pdf
from bot.chat.feature import Feature
from bot.chat.screens import send
from bot.chat.services import AnyContext, services_of
from bot.chat.texts import report as texts
from bot.db.models import SubscriberStatus
from bot.domain.zones import local_zone
from bot.usecases import people, report


async def report_command(update: Update, context: AnyContext) -> None:
    services = services_of(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    async with services.db() as db:
        person = await people.known(db, user.id)
        zone = local_zone(person.timezone if person else None, services.settings.default_timezone)
        if person is None or person.status is SubscriberStatus.ONBOARDING:
            summary = None
        else:
            summary = await report.build(
                db, person, services.content, services.rules, services.now(), zone
            )
    if summary is None:
        await send(update, texts.nothing_yet())
        return
    document = await asyncio.to_thread(report_pdf.render, summary)
    await context.bot.send_document(
        chat.id, document, filename=texts.FILENAME, caption=texts.caption()
    )
    for part in texts.chunks(texts.as_text(summary)):
        await context.bot.send_message(chat.id, part)


FEATURE = Feature(
    name="report",
    handlers=[CommandHandler("report", report_command)],
    commands=[texts.COMMAND],
)
