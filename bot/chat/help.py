"""/help, and an answer for every message nothing else took: never silence, never a traceback.

Typed text is first offered to the pickers (a time or time zone may be typed where one is
asked); otherwise the person gets a short hint: the current question again during onboarding,
the menu once subscribed, or /start before that.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.chat import onboarding, preferences
from bot.chat.feature import Feature
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import help as keyboards
from bot.chat.screens import Screen, send, show
from bot.chat.services import AnyApplication, AnyContext, services_of
from bot.chat.texts import help as texts
from bot.chat.texts import onboarding as onboarding_texts
from bot.db.models import SubscriberStatus
from bot.domain.onboarding import parse_step
from bot.usecases import lifecycle as life
from bot.usecases import people

#: After every feature's own handlers, so anything they take never reaches the fallback.
FALLBACK_GROUP = 10


async def help_command(update: Update, context: AnyContext) -> None:
    user = update.effective_user
    if user is None:
        return
    features: list[Feature] = context.bot_data.get("features", [])
    commands = [command for feature in features for command in feature.commands]
    services = services_of(context)
    async with services.db() as db:
        session = await _may_offer_a_session(db, user.id)
    menu = keyboards.menu(Buttons(services.codec, user.id), session=session)
    await show(update, Screen(texts.help_text(commands), menu))


async def _may_offer_a_session(db: AsyncSession, telegram_user_id: int) -> bool:
    """False for someone a red flag holds: they were told to stop, so no menu says "Session
    now" (tapping it would only show the hold again, but the offer itself is wrong)."""
    person = await people.known(db, telegram_user_id)
    return person is None or await life.may_start_session(db, person)


async def fallback(update: Update, context: AnyContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or _taken_elsewhere(update, context.application):
        return
    is_command = bool(message.text and message.text.startswith("/"))
    if message.text and not is_command and await preferences.understand_text(update, context):
        return
    if is_command:
        opening = texts.unknown_command()
    else:
        opening = texts.not_understood() if message.text else texts.not_text()
    services = services_of(context)
    async with services.db() as db:
        subscriber = await people.known(db, user.id)
        step = parse_step(subscriber.onboarding_step) if subscriber else None
        onboarding_step = None
        if subscriber and step and subscriber.status == SubscriberStatus.ONBOARDING:
            onboarding_step = await onboarding.step_view(db, services, subscriber, step)
        session = subscriber is None or await life.may_start_session(db, subscriber)
    if subscriber is None or subscriber.status == SubscriberStatus.STOPPED:
        await send(update, f"{opening} {texts.not_subscribed_hint()}")
    elif onboarding_step is not None:
        await send(update, f"{opening} {onboarding_texts.hint_tap()}")
        await show(update, onboarding_step)
    else:
        menu = keyboards.menu(Buttons(services.codec, user.id), session=session)
        await send(update, f"{opening} {texts.menu_hint()}", menu)


def _taken_elsewhere(update: Update, application: AnyApplication) -> bool:
    """Did another feature's handler take this message? Handler groups all run, so a
    catch-all must check rather than answer a command another group already answered."""
    for group, handlers in application.handlers.items():
        if group < 0:  # the private-chat guard looks at everything
            continue
        for handler in handlers:
            if handler is not FALLBACK and handler.check_update(update) not in (None, False):
                return True
    return False


FALLBACK: BaseHandler[Update, AnyContext, None] = MessageHandler(
    filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, fallback
)

FEATURE = Feature(
    name="help",
    handlers=[CommandHandler("help", help_command)],
    commands=list(texts.COMMANDS.items()),
)
FALLBACK_FEATURE = Feature(name="fallback", handlers=[FALLBACK], handler_group=FALLBACK_GROUP)
