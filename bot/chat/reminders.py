"""Daily reminders, chat side: run the dispatcher, draw the reminder, snooze and skip.

The sending itself is `bot.dispatch` (one recurring job over the database, see DESIGN.md);
this feature starts it with the application, gives it the reminder's text and buttons, and
answers the two buttons it owns: "In 30 min" (a one-off reminder later today, counted against
a daily limit) and "Not today" (the delivery is recorded as skipped and nothing more comes
today; past `kindness.NOT_TODAY_PER_WEEK` in a week it also asks about the days or a pause).
Start and "I'm in pain" belong to the session feature.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update

from bot import i18n
from bot.chat.codec import Callback
from bot.chat.feature import Feature
from bot.chat.instrumented import outage_of
from bot.chat.keyboards import Buttons
from bot.chat.keyboards import kindness as kindness_keyboards
from bot.chat.keyboards import reminders as keyboards
from bot.chat.screens import Screen, show
from bot.chat.services import AnyApplication, AnyContext, Services, services_of, services_of_app
from bot.chat.texts import common as common_texts
from bot.chat.texts import kindness as kindness_texts
from bot.chat.texts import reminders as texts
from bot.chat.texts.session import swap_lines
from bot.content.duration import routine_duration_seconds
from bot.db import deliveries, subscribers
from bot.db.deliveries import Reminder
from bot.db.models import DeliveryKind, DeliveryStatus, ReminderDelivery, Subscriber
from bot.db.models import SubscriberStatus as Status
from bot.dispatch import Dispatcher, Rendered, build_dispatcher, is_regular
from bot.domain import kindness
from bot.domain.lifecycle import Refused
from bot.domain.onboarding import clock_text, days_of
from bot.domain.progression import Swap
from bot.domain.schedule import local_date, occurrence_on
from bot.domain.zones import Zone, local_zone
from bot.i18n.content import localized_content
from bot.usecases import lifecycle as life

logger = logging.getLogger(__name__)

JOB_NAME = "stretchbot-reminders"

# --- Rendering ------------------------------------------------------------------------------


def _card(
    services: Services, routine_id: str | None, kind: DeliveryKind, swaps: tuple[Swap, ...] = ()
) -> str:
    """The reminder's text; the same for everyone with this routine and these changes to it,
    so it is made once."""
    language = i18n.current().language
    cards = services.reminder_cards
    card = cards.get((routine_id, kind, swaps, language))
    if card is None:
        card = _make_card(services, routine_id, kind, swaps)
        cards[(routine_id, kind, swaps, language)] = card
    return card


def _make_card(
    services: Services, routine_id: str | None, kind: DeliveryKind, swaps: tuple[Swap, ...]
) -> str:
    content = localized_content(services.content)
    routine = content.routines.get(routine_id) if routine_id else None
    heading = texts.snoozed_heading() if kind is DeliveryKind.SNOOZE else texts.daily_heading()
    if routine is None:
        return texts.reminder(heading, None, None, None)
    seconds = routine_duration_seconds(routine, content.stretches)
    minutes = max(1, round(seconds / 60))
    # The same lines as the /now card, from the same plan: why a stretch was swapped today.
    changes = swap_lines(swaps, content.stretches)
    return texts.reminder(heading, routine.title, routine.description, minutes, changes)


def render_reminder(services: Services, reminder: Reminder) -> Rendered:
    """The reminder as sent: today's routine, its length, and the four buttons, in the
    subscriber's stored language (a job renders it, outside any update)."""
    with i18n.using(reminder.language):
        return _render(services, reminder)


def _render(services: Services, reminder: Reminder) -> Rendered:
    routine_id = reminder.routine_id if reminder.routine_id in services.content.routines else None
    settings = services.settings
    markup = keyboards.reminder(
        Buttons(services.codec, reminder.telegram_user_id),
        delivery_id=reminder.delivery_id,
        routine_id=routine_id,
        snooze_minutes=settings.snooze_minutes,
        can_snooze=settings.max_snoozes_per_day > 0,
    )
    swaps = reminder.swaps if routine_id is not None else ()
    card = _card(services, routine_id, reminder.kind, swaps)
    nudge = reminder.nudge
    if nudge is not None:  # once a week at most, so not worth caching
        card += kindness_texts.nudge_line(nudge.done, nudge.goal)
    return Rendered(card, markup, silent=reminder.quiet)


# --- Start-up and the recurring job ---------------------------------------------------------


def content_changed(services: Services) -> None:
    """New content is live: redraw reminder cards and pick routines from it from now on."""
    services.reminder_cards.clear()
    dispatcher = dispatcher_of(services)
    if dispatcher is not None:
        dispatcher.use_content(services.content)


def dispatcher_of(services: Services) -> Dispatcher | None:
    return services.dispatcher


async def start_reminders(application: AnyApplication) -> None:
    """Start the dispatcher, take over what a stopped one left pending, then tick every few
    seconds (`dispatch_interval_seconds`)."""
    services = services_of_app(application)
    if not services.runs_reminders:
        return
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("reminders need PTB's JobQueue: install python-telegram-bot[job-queue]")
    dispatcher = build_dispatcher(
        services.settings,
        services.content,
        services.session_factory,
        render=partial(render_reminder, services),
        clock=services.now,  # reads services.clock on every call, so tests can move time
        budget=services.budget,  # the chat side's budget: people first, one limit together
    )
    outage = outage_of(application)
    if outage is not None:
        dispatcher.database_watch = outage.watch
    await dispatcher.start()
    services.dispatcher = dispatcher
    dispatcher.tick()  # at once: take over stale deliveries and send what is due
    interval = services.settings.dispatch_interval_seconds
    job_queue.run_repeating(
        _tick,
        interval=interval,
        first=interval,
        name=JOB_NAME,
        # The job only starts a drain and returns, so a late run is always worth running.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    logger.info("reminder dispatcher started (every %.1fs)", interval)


async def stop_reminders(application: AnyApplication) -> None:
    services = services_of_app(application)
    dispatcher, services.dispatcher = services.dispatcher, None
    if dispatcher is not None:
        await dispatcher.stop()


async def _tick(context: AnyContext) -> None:
    dispatcher = dispatcher_of(services_of(context))
    if dispatcher is not None:
        dispatcher.tick()


# --- Buttons ---------------------------------------------------------------------------------


def _zone(services: Services, subscriber: Subscriber) -> Zone:
    return local_zone(subscriber.timezone, services.settings.default_timezone)


def _day_start(now: datetime, zone: Zone, days_ahead: int = 0) -> datetime:
    """The UTC instant the local day (today, or `days_ahead` later) begins."""
    day = local_date(now, zone) + timedelta(days=days_ahead)
    return occurrence_on(day, time(0, 0), zone)


async def _current(
    services: Services, db: AsyncSession, user_id: int, delivery_id: int | None
) -> tuple[Subscriber, ReminderDelivery, Zone] | None:
    """The person's newest reminder, if the tapped one is it, was sent, and is from today."""
    subscriber = await subscribers.get_by_user_id(db, user_id)
    if subscriber is None or delivery_id is None:
        return None
    delivery = await deliveries.get(db, delivery_id)
    # PENDING too: the tap can come before the send's outcome is written (see record_outcomes).
    if (
        delivery is None
        or delivery.subscriber_id != subscriber.id
        or delivery.status not in (DeliveryStatus.SENT, DeliveryStatus.PENDING)
    ):
        return None
    latest = await deliveries.latest_sent(db, subscriber.id)
    zone = _zone(services, subscriber)
    now = services.now()
    if latest is None or latest.id != delivery.id:
        return None
    if local_date(delivery.due_at, zone) != local_date(now, zone):
        return None
    return subscriber, delivery, zone


async def snooze(update: Update, context: AnyContext, callback: Callback) -> str | None:
    """The "In 30 min" button: one more reminder later, unless the daily limit is used up."""
    services = services_of(context)
    user = update.effective_user
    if user is None:
        return common_texts.button_expired()
    settings = services.settings
    async with services.db() as db:
        found = await _current(services, db, user.id, callback.int_arg(0))
        if found is None:
            return common_texts.button_expired()
        subscriber, delivery, zone = found
        if subscriber.status is not Status.ACTIVE:
            return texts.not_active()
        prefs = subscriber.preferences
        now = services.now()
        pending = prefs.next_reminder_at
        weekdays = days_of(prefs.weekdays)
        if (
            pending is not None
            and pending > now
            and not is_regular(pending, prefs.reminder_time, weekdays, zone)
        ):
            return texts.already_snoozed(pending.astimezone(zone))
        used = await deliveries.count_kind_since(
            db, subscriber.id, DeliveryKind.SNOOZE, _day_start(now, zone)
        )
        if used >= settings.max_snoozes_per_day:
            return texts.no_more_snoozes(settings.max_snoozes_per_day)
        hours = kindness.QuietHours.of(prefs.quiet_from, prefs.quiet_until)
        place = kindness.place_snooze(now, timedelta(minutes=settings.snooze_minutes), zone, hours)
        if place.when is None:
            # Quiet hours from before then until tomorrow: the next daily reminder serves.
            assert hours is not None
            return kindness_texts.no_snooze_in_quiet(clock_text(hours.start), clock_text(hours.end))
        later = place.when
        # The regular schedule stays as it is: after this one-off, the next claim goes on
        # from the daily time again. If the daily reminder comes first, that one serves.
        when = later if pending is None else min(pending, later)
        if isinstance(await life.snooze(db, subscriber, when, now), Refused):
            return texts.not_active()
        routine_id, kind = delivery.routine_id, delivery.kind
    logger.info("subscriber %s snoozed reminder %s", subscriber.id, delivery.id)
    local = when.astimezone(zone)
    text = _card(services, routine_id, kind) + texts.snoozed_note(local)
    buttons = Buttons(services.codec, user.id)
    await _replace(update, text, keyboards.after_snooze(buttons, routine_id=routine_id))
    if when == later and place.placement is kindness.Placement.BEFORE_QUIET:
        assert place.quiet_from is not None
        return kindness_texts.snoozed_before_quiet(
            clock_text(local.time()), clock_text(place.quiet_from.astimezone(zone).time())
        )
    if when == later and place.placement is kindness.Placement.AFTER_QUIET:
        return kindness_texts.snoozed_after_quiet(clock_text(local.time()))
    return texts.snoozed(local)


async def skip(update: Update, context: AnyContext, callback: Callback) -> str | None:
    """The "Not today" button: record the skip, drop any snooze, stay quiet until tomorrow."""
    services = services_of(context)
    user = update.effective_user
    if user is None:
        return common_texts.button_expired()
    async with services.db() as db:
        found = await _current(services, db, user.id, callback.int_arg(0))
        if found is None:
            return common_texts.button_expired()
        subscriber, delivery, zone = found
        if subscriber.status is not Status.ACTIVE:
            return texts.not_active()
        now = services.now()
        # Before this one is marked: how many were skipped already in the person's week.
        skipped_before = await deliveries.count_skipped_since(
            db, subscriber.id, kindness.week_start(now, zone)
        )
        await deliveries.mark_skipped(db, delivery)
        tomorrow = _day_start(now, zone, days_ahead=1)
        await life.skip_today(db, subscriber, tomorrow, now)
        next_at = subscriber.preferences.next_reminder_at
        routine_id, kind = delivery.routine_id, delivery.kind
    logger.info("subscriber %s skipped reminder %s", subscriber.id, delivery.id)
    today = local_date(now, zone)
    local_next = next_at.astimezone(zone) if next_at is not None else None
    text = _card(services, routine_id, kind) + texts.skipped_note(local_next, today)
    buttons = Buttons(services.codec, user.id)
    if kindness.asks_to_rethink(skipped_before):
        # Skipped all the same; the question comes with a way to each answer.
        text += kindness_texts.rethink_note(skipped_before + 1)
        await _replace(update, text, kindness_keyboards.rethink(buttons))
        return kindness_texts.rethink_toast()
    await _replace(update, text, keyboards.after_skip(buttons))
    return texts.skipped(local_next, today)


async def _replace(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    """Show the new state on the reminder itself (anew when the reminder message is gone)."""
    await show(update, Screen(text, markup))


FEATURE = Feature(
    name="reminders",
    callbacks={keyboards.SNOOZE: snooze, keyboards.SKIP: skip},
    on_startup=start_reminders,
    on_shutdown=stop_reminders,
)
