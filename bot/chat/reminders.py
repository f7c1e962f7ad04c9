"""Daily reminders, chat side: run the dispatcher, draw the reminder, snooze and skip.

The sending itself is `bot.dispatch` (one recurring job over the database, see DESIGN.md);
this feature starts it with the application, gives it the reminder's text and buttons, and
answers the two buttons it owns: "In 30 min" (a one-off reminder later today, counted against
a daily limit) and "Not today" (the delivery is recorded as skipped and nothing more comes
today; past `kindness.NOT_TODAY_PER_WEEK` in a week it also asks about the days or a pause).
The rows behind both are `bot.usecases.reminders`; the handlers here decode the tap, call it,
and put its result into words on the reminder. Start and "I'm in pain" belong to the session
feature.
"""

from __future__ import annotations

import logging
from functools import partial

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
from bot.db.deliveries import Reminder
from bot.db.models import DeliveryKind
from bot.dispatch import Dispatcher, Rendered, build_dispatcher
from bot.domain import kindness
from bot.domain.onboarding import clock_text
from bot.domain.progression import Swap
from bot.i18n.content import localized_content
from bot.usecases import reminders as reminding

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


async def snooze(update: Update, context: AnyContext, callback: Callback) -> str | None:
    """The "In 30 min" button: one more reminder later, unless the daily limit is used up."""
    services = services_of(context)
    user = update.effective_user
    if user is None:
        return common_texts.button_expired()
    settings = services.settings
    async with services.db() as db:
        result = await reminding.snooze(
            db,
            user.id,
            callback.int_arg(0),
            services.now(),
            minutes=settings.snooze_minutes,
            daily_limit=settings.max_snoozes_per_day,
            default_timezone=settings.default_timezone,
        )
    if isinstance(result, reminding.NotNow):
        return _not_now(result)
    if isinstance(result, reminding.AlreadySnoozed):
        return texts.already_snoozed(result.at)
    if isinstance(result, reminding.NoMoreSnoozes):
        return texts.no_more_snoozes(result.limit)
    if isinstance(result, reminding.QuietUntilTomorrow):
        return kindness_texts.no_snooze_in_quiet(
            clock_text(result.quiet_from), clock_text(result.quiet_until)
        )
    text = _card(services, result.routine_id, result.kind) + texts.snoozed_note(result.at)
    buttons = Buttons(services.codec, user.id)
    await _replace(update, text, keyboards.after_snooze(buttons, routine_id=result.routine_id))
    at = clock_text(result.at.time())
    if result.placement is kindness.Placement.BEFORE_QUIET:
        assert result.quiet_from is not None
        return kindness_texts.snoozed_before_quiet(at, clock_text(result.quiet_from.time()))
    if result.placement is kindness.Placement.AFTER_QUIET:
        return kindness_texts.snoozed_after_quiet(at)
    return texts.snoozed(result.at)


async def skip(update: Update, context: AnyContext, callback: Callback) -> str | None:
    """The "Not today" button: record the skip, drop any snooze, stay quiet until tomorrow."""
    services = services_of(context)
    user = update.effective_user
    if user is None:
        return common_texts.button_expired()
    async with services.db() as db:
        result = await reminding.skip(
            db, user.id, callback.int_arg(0), services.now(), services.settings.default_timezone
        )
    if isinstance(result, reminding.NotNow):
        return _not_now(result)
    card = _card(services, result.routine_id, result.kind)
    text = card + texts.skipped_note(result.next_at, result.today)
    buttons = Buttons(services.codec, user.id)
    if kindness.asks_to_rethink(result.skipped_before):
        # Skipped all the same; the question comes with a way to each answer.
        text += kindness_texts.rethink_note(result.skipped_before + 1)
        await _replace(update, text, kindness_keyboards.rethink(buttons))
        return kindness_texts.rethink_toast()
    await _replace(update, text, keyboards.after_skip(buttons))
    return texts.skipped(result.next_at, result.today)


def _not_now(why: reminding.NotNow) -> str:
    """The toast for a button that does nothing: expired unless the person is not reminded."""
    if why is reminding.NotNow.NOT_ACTIVE:
        return texts.not_active()
    return common_texts.button_expired()


async def _replace(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    """Show the new state on the reminder itself (anew when the reminder message is gone)."""
    await show(update, Screen(text, markup))


FEATURE = Feature(
    name="reminders",
    callbacks={keyboards.SNOOZE: snooze, keyboards.SKIP: skip},
    on_startup=start_reminders,
    on_shutdown=stop_reminders,
)
