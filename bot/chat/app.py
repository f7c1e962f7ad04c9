"""Build the python-telegram-bot Application: features, router, commands, start-up work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler
from telegram.request import BaseRequest

from bot import i18n
from bot.chat import (
    admin,
    common,
    gate,
    language,
    monitoring,
    nerve,
    onboarding,
    pausing,
    preferences,
    privacy,
    reminders,
    replays,
    settings,
    step_up,
)
from bot.chat import help as help_feature
from bot.chat import kindness as kindness_feature
from bot.chat import pain as pain_feature
from bot.chat import report as report_feature
from bot.chat import rescreening as rescreening_feature
from bot.chat import session as session_feature
from bot.chat import stats as stats_feature
from bot.chat.codec import CallbackCodec
from bot.chat.feature import Feature
from bot.chat.instrumented import (
    OUTAGE_KEY,
    OutageResponder,
    StretchbotApplication,
    outage_of,
)
from bot.chat.jobqueue import DrainingJobQueue
from bot.chat.router import CallbackRouter
from bot.chat.services import SERVICES_KEY, AnyApplication, Services, services_of_app, utc_now
from bot.chat.updates import PerPersonUpdateProcessor
from bot.config import Settings
from bot.content.loader import Content
from bot.db.outage import DatabaseWatch
from bot.net.budget import SendBudget
from bot.net.budget_setup import build_budget
from bot.net.contact import ContactTrackingRequest
from bot.net.ptb_limiter import BudgetRateLimiter


def default_features(admin_user_ids: frozenset[int] = frozenset()) -> list[Feature]:
    """Every feature of the bot, in the order their handlers are tried; operator commands
    answer only `admin_user_ids`."""
    return [
        monitoring.FEATURE,
        common.FEATURE,
        onboarding.FEATURE,
        preferences.FEATURE,
        settings.FEATURE,
        pausing.FEATURE,
        kindness_feature.FEATURE,
        privacy.FEATURE,
        reminders.FEATURE,
        session_feature.FEATURE,
        rescreening_feature.FEATURE,
        nerve.FEATURE,
        step_up.FEATURE,
        pain_feature.FEATURE,
        stats_feature.FEATURE,
        report_feature.FEATURE,
        admin.feature(admin_user_ids),
        language.FEATURE,
        help_feature.FEATURE,
        help_feature.FALLBACK_FEATURE,
    ]


def build_application(
    settings: Settings,
    content: Content,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    features: Sequence[Feature] | None = None,
    clock: Callable[[], datetime] = utc_now,
    request: BaseRequest | None = None,
    rate_limiter: bool = True,
    reminders: bool = True,
    webhook: bool = False,
    updates: bool = True,
    budget: SendBudget | None = None,
    concurrent_updates: int = 256,
) -> AnyApplication:
    """The whole bot, ready for `run_polling` or for a test's `initialize()/start()`.

    `reminders=False` leaves sending reminders to a dispatcher process; `webhook=True` drops
    an update id seen before (by any worker); `updates=False` builds no Updater (a dispatcher
    takes no updates). Every message goes through one send budget (`budget`, else built from
    the settings), shared with the reminder dispatcher; `rate_limiter=False` sends replies
    unpaced. Updates of different people are handled concurrently, each person's in order.
    """
    budget = budget if budget is not None else build_budget(settings)
    chosen = list(features) if features is not None else default_features(settings.admin_user_ids)
    token = settings.telegram_bot_token.get_secret_value()
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .application_class(StretchbotApplication)
        .token(token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .post_init(_on_startup)
        .post_shutdown(_on_shutdown)
        .job_queue(DrainingJobQueue())
        .concurrent_updates(PerPersonUpdateProcessor(concurrent_updates))
    )
    if request is not None:
        builder = builder.request(request)
    else:  # PTB's defaults, noting each answer for /readyz
        builder = builder.request(ContactTrackingRequest(connection_pool_size=256))
        builder = builder.get_updates_request(ContactTrackingRequest(connection_pool_size=1))
    if not updates:
        builder = builder.updater(None)
    if rate_limiter:
        builder = builder.rate_limiter(BudgetRateLimiter(budget, max_retries=3))
    application: AnyApplication = builder.build()
    application.bot_data[SERVICES_KEY] = Services(
        settings=settings,
        content=content,
        session_factory=session_factory,
        codec=CallbackCodec(token),
        clock=clock,
        runs_reminders=reminders,
        budget=budget,
    )
    application.bot_data["features"] = chosen
    application.bot_data[OUTAGE_KEY] = OutageResponder(application, DatabaseWatch(session_factory))
    if webhook:
        replays.install(application)
    application.add_handler(common.REACHABILITY, group=gate.REACHABILITY_GROUP)
    application.add_handler(common.GUARD, group=gate.GUARD_GROUP)
    application.add_handler(gate.GATE, group=gate.GATE_GROUP)
    application.add_handler(gate.GATE_EDITS, group=gate.EDITS_GATE_GROUP)
    router = CallbackRouter()
    for feature in chosen:
        router.add(feature.callbacks)
        for handler in feature.handlers:
            application.add_handler(handler, group=feature.handler_group)
    application.add_handler(CallbackQueryHandler(router))
    application.add_error_handler(common.on_error)
    return application


def menu_commands(
    features: Sequence[Feature], language: str = i18n.DEFAULT_LANGUAGE
) -> list[BotCommand]:
    """The command menu in `language`."""
    words = i18n.translator(language)
    return [
        BotCommand(name, words.gettext(description))
        for f in features
        for name, description in f.commands
    ]


async def _on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    features: list[Feature] = application.bot_data["features"]
    if any(f.commands for f in features):
        # English for everyone we have no menu for, then each language's own menu, which
        # Telegram shows to people whose app is set to that language.
        await application.bot.set_my_commands(menu_commands(features))
        for language in i18n.LANGUAGES:
            if language != i18n.DEFAULT_LANGUAGE:
                commands = menu_commands(features, language)
                await application.bot.set_my_commands(commands, language_code=language)
    for feature in features:
        if feature.on_startup is not None:
            await feature.on_startup(application)


async def _on_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    features: list[Feature] = application.bot_data["features"]
    for feature in features:
        if feature.on_shutdown is not None:
            await feature.on_shutdown(application)
    outage = outage_of(application)
    if outage is not None:
        await outage.watch.close()
    # Last: the dispatcher (stopped by its feature above) may still send while it stops.
    await services_of_app(application).budget.close()
