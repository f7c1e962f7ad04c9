"""The reminder job: claim due reminders from the database, send them, record how it went.

One recurring job per process, never one job per subscriber (see DESIGN.md, Pitfalls): each
drain claims due subscribers in batches (`bot.db.deliveries.claim_due`), which advances their
`next_reminder_at` and writes a pending delivery in the same transaction, then hands the
reminders to a fixed pool of worker tasks reading a bounded queue. A worker waits for its turn
in the bot's send budget (after people's replies, in due order), sends, retries what is worth
retrying, and leaves the outcome to a recorder that commits it within `flush_every_seconds`
(sooner once half the unrecorded window is waiting). One slow or failing chat only ever holds up
its own worker.

Crashes lose nothing: a pending delivery whose lease is not renewed (its dispatcher died) is
taken over by the next drain of any dispatcher; reminders are at-least-once. What a crash can
repeat is bounded: a send may start only while fewer than `unrecorded_limit` sends of this
process are started but not yet committed (the "unrecorded window"), so a SIGKILL repeats at
most that many reminders. Telegram has no idempotency key for sendMessage, so a send that
reached it just before the kill cannot be told apart from one that did not; the window is the
honest bound. By Little's law a window of K allows K / (round trip + commit) sends per second,
which is why the default grows with the send rate (see `DispatchOptions.from_settings`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import random
import time as monotonic_time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot import metrics
from bot.config import Settings
from bot.content.loader import Content
from bot.db import deliveries
from bot.db.deliveries import Decision, DueSubscriber, Outcome, Reminder
from bot.db.models import DeliveryKind, DeliveryStatus, SubscriberStatus
from bot.db.outage import DatabaseWatch, is_outage
from bot.domain import kindness, routines
from bot.domain.lifecycle import Status
from bot.domain.nudge import Nudge, Week, nudge_for
from bot.domain.onboarding import days_of
from bot.domain.planner import Planner
from bot.domain.progression import EMPTY, Plan, Rules, Standing, assess, rules_for
from bot.domain.schedule import is_regular, local_date, next_occurrence
from bot.domain.zones import local_zone, zone_from_key
from bot.net.aiohttp_request import AiohttpRequest
from bot.net.budget import Lane, Priority, SendBudget, retry_after_seconds
from bot.net.budget_setup import build_budget

logger = logging.getLogger(__name__)

QUIET_HOURS = "quiet hours"
"""`last_error` of a reminder not sent because it came due inside the person's quiet hours."""

_BLOCKED_DESCRIPTIONS = ("chat not found", "user is deactivated", "bot was blocked")

# `send_reminder` calls `Bot.do_api_request("send_message", ...)` on purpose (it skips building
# a `telegram.Message` from every reply), and PTB warns on each call that `Bot.send_message`
# exists. Silence exactly that warning; every other one still shows.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.send_message'", category=PTBUserWarning
)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A reminder as the person sees it: HTML text, its buttons, and whether it rings."""

    text: str
    markup: InlineKeyboardMarkup | None
    silent: bool = False
    """Sent with `disable_notification`: it arrives without a sound (quiet reminders)."""


Render = Callable[[Reminder], Rendered]

ChooseRoutine = Callable[[DueSubscriber, date], Plan | str | None]
"""Today's plan for a subscriber (or just a routine id, as written), None if none is open."""


async def send_reminder(
    bot: Bot,
    chat_id: int,
    rendered: Rendered,
    timeout_seconds: float,
    *,
    paid_broadcast: bool = False,
) -> int:
    """Send one rendered reminder and return Telegram's message id.

    `paid_broadcast` sets `allow_paid_broadcast` (up to 1,000 messages/s, charged in Stars).


    The same request as `Bot.send_message`, through the same `Bot._post`, so the same errors
    (RetryAfter, Forbidden, BadRequest, NetworkError, TimedOut). But the reply stays a dict:
    turning it into a `telegram.Message` took about a third of the dispatcher's CPU, and only
    the id is kept. PTB serialises the markup object exactly as `send_message` would.
    """
    api_kwargs: dict[str, object] = {
        "chat_id": chat_id,
        "text": rendered.text,
        "parse_mode": ParseMode.HTML,
        "reply_markup": markup_json(rendered.markup),
    }
    if rendered.silent:
        api_kwargs["disable_notification"] = True
    if paid_broadcast:
        api_kwargs["allow_paid_broadcast"] = True
    result = await bot.do_api_request(
        "send_message",
        api_kwargs=api_kwargs,
        read_timeout=timeout_seconds,
        write_timeout=timeout_seconds,
        connect_timeout=timeout_seconds,
        pool_timeout=timeout_seconds,
    )
    return int(result["message_id"])


# Every field of a button but its text and callback data: a button that sets any of them is
# left to PTB to serialise.
_OTHER_BUTTON_FIELDS = tuple(
    name
    for name in InlineKeyboardButton.__slots__
    if not name.startswith("_") and name not in {"text", "callback_data"}
)


def markup_json(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | str | None:
    """The reminder's keyboard as the JSON PTB would send, built directly (PTB passes a string
    through as is). `to_dict` and PTB's request parameters cost about 60 us a message, a tenth
    of a bulk send's CPU; this is about 5. Keyboards with anything but callback buttons, or
    with API extras, go to PTB unchanged."""
    if markup is None or markup.api_kwargs:
        return markup
    rows: list[list[dict[str, str]]] = []
    for row in markup.inline_keyboard:
        out: list[dict[str, str]] = []
        for button in row:
            data = button.callback_data
            if not isinstance(data, str) or button.api_kwargs:
                return markup
            for name in _OTHER_BUTTON_FIELDS:
                if getattr(button, name, None) is not None:
                    return markup
            out.append({"callback_data": data, "text": button.text})
        rows.append(out)
    return json.dumps({"inline_keyboard": rows})


DEFAULT_WORKERS = 64


@dataclass(frozen=True, slots=True)
class DispatchOptions:
    """The dispatcher's knobs; `from_settings` fills them from the operator's settings."""

    batch_size: int = 500
    grace: timedelta = timedelta(hours=2)
    max_attempts: int = 5
    default_timezone: str = "UTC"
    workers: int = DEFAULT_WORKERS
    lease: timedelta = timedelta(seconds=30)
    backoff_seconds: float = 0.5
    backoff_cap_seconds: float = 30.0
    max_flood_waits: int = 20
    send_timeout_seconds: float = 15.0
    flush_every_seconds: float = 0.02
    """Longest an outcome waits before its commit starts."""
    housekeeping_seconds: float = 10.0
    unrecorded_limit: int = 4 * DEFAULT_WORKERS
    """Sends started but not yet committed, at most: what a crash of this process can repeat."""

    @property
    def queue_size(self) -> int:
        return max(2 * self.batch_size, self.workers)

    @classmethod
    def from_settings(cls, settings: Settings) -> DispatchOptions:
        """Batch, grace, attempts and zone from the settings; the lease spans several ticks.

        The unrecorded window, unless set, is what the send rate needs with a quarter of a
        second of round trip and commit: 8 at Telegram's free 30/s, 250 for paid broadcasts at
        up to 1,000/s. Workers are as many as the window, at least `DEFAULT_WORKERS`: each
        holds one send at a time, so 64 workers at a 0.2 s round trip (a busy stand-in, a far
        Telegram) cap the rate at 320/s whatever the budget allows (Little's law again).
        """
        rate = 1000.0 if settings.allow_paid_broadcast else settings.rate_limit_global_per_second
        window = settings.dispatch_unrecorded_limit or unrecorded_window(rate)
        return cls(
            batch_size=settings.dispatch_batch_size,
            grace=timedelta(minutes=settings.reminder_grace_minutes),
            max_attempts=settings.send_max_attempts,
            default_timezone=settings.default_timezone,
            lease=timedelta(seconds=max(30.0, 6 * settings.dispatch_interval_seconds)),
            workers=max(DEFAULT_WORKERS, window),
            unrecorded_limit=window,
        )


ROUND_TRIP_ALLOWANCE_SECONDS = 0.25
"""Send round trip plus commit that the default unrecorded window keeps up with."""


def unrecorded_window(rate_per_second: float) -> int:
    """The smallest window that sustains `rate_per_second` (Little's law), at least 1."""
    return max(1, math.ceil(rate_per_second * ROUND_TRIP_ALLOWANCE_SECONDS))


_Schedule = tuple[datetime | None, DeliveryKind, tzinfo]


def _schedule(subject: DueSubscriber, now: datetime, default_timezone: str) -> _Schedule:
    """Next occurrence after `now`, the kind of the due one, and the zone; ValueError if bad."""
    zone = zone_from_key(subject.timezone or default_timezone)
    weekdays = days_of(subject.weekdays)
    following = (
        next_occurrence(now, subject.reminder_time, weekdays, zone)
        if subject.reminder_time is not None
        else None
    )
    regular = is_regular(subject.due_at, subject.reminder_time, weekdays, zone)
    return following, DeliveryKind.DAILY if regular else DeliveryKind.SNOOZE, zone


def decide(
    subject: DueSubscriber,
    now: datetime,
    *,
    grace: timedelta,
    default_timezone: str,
    choose_routine: ChooseRoutine,
    memo: dict[tuple[object, ...], _Schedule] | None = None,
) -> Decision:
    """Next reminder, kind, and whether this one is still worth sending (within the grace).

    The next occurrence is counted from `now`, not from the due instant, so a long outage
    yields one missed record per subscriber, not one per day of downtime. `memo` shares the
    schedule arithmetic between subscribers due at the same instant with the same settings
    (most of a batch, since people pick round times).
    """
    key = (subject.timezone, subject.reminder_time, subject.weekdays, subject.due_at)
    try:
        if memo is None:
            following, kind, zone = _schedule(subject, now, default_timezone)
        elif key in memo:
            following, kind, zone = memo[key]
        else:
            following, kind, zone = memo[key] = _schedule(subject, now, default_timezone)
    except ValueError as error:
        logger.warning(
            "subscriber %s has an unreadable schedule (%s); reminders stop until it is set again",
            subject.subscriber_id,
            type(error).__name__,
        )
        return Decision(None, DeliveryKind.DAILY, DeliveryStatus.FAILED, last_error="schedule")
    if now - subject.due_at > grace:
        return Decision(following, kind, DeliveryStatus.MISSED)
    if kindness.is_quiet(now, zone, subject.quiet_hours):
        # Settled in the claim, before it can cost a turn in the send budget.
        return Decision(following, kind, DeliveryStatus.MISSED, last_error=QUIET_HOURS)
    if kind is DeliveryKind.SNOOZE and subject.recent_routines:
        # The snoozed reminder comes back with the routine it had, not the next in rotation.
        return Decision(following, kind, DeliveryStatus.PENDING, subject.recent_routines[0])
    chosen = choose_routine(subject, local_date(subject.due_at, zone))
    nudge = weekly_nudge(subject, zone) if kind is DeliveryKind.DAILY else None
    if isinstance(chosen, Plan):
        return Decision(
            following,
            kind,
            DeliveryStatus.PENDING,
            chosen.routine_id,
            swaps=chosen.swaps,
            nudge=nudge,
        )
    return Decision(following, kind, DeliveryStatus.PENDING, chosen, nudge=nudge)


def weekly_nudge(subject: DueSubscriber, zone: tzinfo) -> Nudge | None:
    """`nudge.nudge_for` for the day the reminder is due, on what the claim loaded: the
    sessions and red flags of the person's history, their newest nudge. Only remindable
    people are claimed (active, no open hold), so the rule's own check of both is a second
    line, not the first."""
    history = subject.history
    return nudge_for(
        Week(
            now=subject.due_at,
            zone=zone,
            weekdays=days_of(subject.weekdays),
            sessions_done=tuple(s.started_at for s in history.sessions if s.completed),
            last_nudged=subject.last_nudged,
            red_flags=history.red_flags,
            status=Status.ACTIVE,
        )
    )


def routine_chooser(
    content: Content, rules: Rules | None = None, default_timezone: str = "UTC"
) -> ChooseRoutine:
    """The plan of the day for a claimed subscriber, or None if no routine is open to them.
    `rules` (compiled once per content version) read the subscriber's history."""

    compiled = rules if rules is not None else rules_for(content, content.safety.checkin)
    planner = Planner(content, compiled)

    def choose(subject: DueSubscriber, day: date) -> Plan | None:
        prefs = planner.preferences(subject.focus_areas, subject.level, subject.session_minutes)
        if subject.history is EMPTY:
            standing = Standing(limits=subject.limits)
        else:
            zone = zone_from_key(subject.timezone or default_timezone)
            standing = assess(compiled, subject.history, subject.due_at, zone, subject.limits)
        try:
            return planner.plan(prefs, day, subject.recent_routines, standing)
        except routines.NoRoutineError:
            return None

    return choose


def is_unreachable(error: TelegramError) -> bool:
    """Blocked, deleted, or never-started chats: retrying cannot help."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and any(
        text in error.message.lower() for text in _BLOCKED_DESCRIPTIONS
    )


@dataclass
class DispatchStats:
    """Counters since start-up, for logs, tests and the benchmark."""

    claimed: int = 0
    sent: int = 0
    missed: int = 0
    failed: int = 0
    blocked: int = 0
    retried: int = 0
    flood_waits: int = 0
    taken_over: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class Dispatcher:
    """Claims due reminders and sends them through a fixed pool of workers.

    `tick()` is the recurring job's body: it starts a drain unless one is running and
    returns at once, so a long backlog never piles up overlapping runs of the job.
    """

    def __init__(
        self,
        *,
        session_factory: async_sessionmaker[AsyncSession],
        bot: Bot,
        render: Render,
        choose_routine: ChooseRoutine,
        clock: Callable[[], datetime],
        budget: SendBudget | None = None,
        options: DispatchOptions | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        progress_rules: Rules | None = None,
    ) -> None:
        """`progress_rules`: when given, each claimed batch loads its people's history for them
        (`routine_chooser` should read it with the same rules)."""
        self._session_factory = session_factory
        self._rules = progress_rules
        self._bot = bot
        self._render = render
        self._choose_routine = choose_routine
        self._clock = clock
        self._budget = budget
        self.options = options or DispatchOptions()
        self._sleep = sleep
        self._queue: asyncio.Queue[Reminder] = asyncio.Queue(self.options.queue_size)
        # Set by the application: a database outage is then reported once, not once per tick.
        self.database_watch: DatabaseWatch | None = None
        self._in_flight: set[int] = set()
        self._outcomes: list[Outcome] = []
        self._flush_lock = asyncio.Lock()
        self._drain_lock = asyncio.Lock()
        self._outcomes_waiting = asyncio.Event()
        # One slot per send started and not yet committed; the recorder gives them back.
        self._unrecorded = asyncio.Semaphore(self.options.unrecorded_limit)
        # Commit once half the window is waiting (or every `flush_every_seconds`), so workers
        # keep sending while the other half is being committed.
        self._flush_at = max(1, self.options.unrecorded_limit // 2)
        self._workers: list[asyncio.Task[None]] = []
        self._background: list[asyncio.Task[None]] = []
        self._drain_task: asyncio.Task[None] | None = None
        self._next_housekeeping = -math.inf  # the first drain takes over what others left
        self.stats = DispatchStats()

    @property
    def bot(self) -> Bot:
        return self._bot

    # --- life cycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return bool(self._workers)

    @property
    def queue_full(self) -> bool:
        """True while claimed reminders wait for a free place in the workers' queue."""
        return self._queue.full()

    async def start(self) -> None:
        """Start the bot's connection, the workers, the recorder and the lease keeper."""
        if self._workers:
            return
        await self._bot.initialize()
        metrics.DISPATCH_QUEUE_DEPTH.set_function(self._queue.qsize)
        self._workers = [
            asyncio.create_task(self._work(), name=f"stretchbot-send-{number}")
            for number in range(self.options.workers)
        ]
        self._background = [
            asyncio.create_task(self._record_forever(), name="stretchbot-record"),
            asyncio.create_task(self._renew_forever(), name="stretchbot-leases"),
        ]

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Stop claiming, let queued sends go on for `grace_seconds`, finish the sends under
        way, then stop and record.

        Whatever is still queued stays pending in the database with its lease released, so the
        next drain of any dispatcher sends it (a crash instead leaves the lease to run out).
        """
        if self._drain_task is not None:
            self._drain_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain_task
        if self._workers and grace_seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), grace_seconds)
        while not self._queue.empty():  # not started: handed over below
            self._queue.get_nowait()
            self._queue.task_done()
        if self._workers:
            # Sends under way finish and are recorded: cancelling one mid-request could
            # deliver the message and lose the record, and the next dispatcher would repeat it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), self.options.send_timeout_seconds + 1.0)
        tasks = [*self._workers, *self._background]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._workers, self._background = [], []
        await self.flush()
        if self._in_flight:
            # Not sent here: let the next dispatcher (or this one restarted) take them at once
            # instead of waiting for the lease to run out.
            async with self._session_factory.begin() as session:
                await deliveries.release_leases(session, self._in_flight)
            logger.info("left %d reminders for the next dispatcher", len(self._in_flight))
            self._in_flight.clear()
        await self._bot.shutdown()

    def use_content(self, content: Content) -> None:
        """Pick routines from `content` from the next claim on (`/admin content reload`), with
        the same default zone, and read histories with the new content's rules too."""
        rules = rules_for(content, content.safety.checkin)
        if self._rules is not None:
            self._rules = rules
        self._choose_routine = routine_chooser(content, rules, self.options.default_timezone)

    # --- the job -------------------------------------------------------------------------------

    def tick(self) -> None:
        """Start a drain in the background unless one is still running."""
        if self._drain_task is not None and not self._drain_task.done():
            return
        self._drain_task = asyncio.create_task(self._drain_logged(), name="stretchbot-drain")

    async def run_once(self) -> DispatchStats:
        """Drain everything due now and wait until it is sent and recorded (tests, benchmark)."""
        if self._drain_task is not None and not self._drain_task.done():
            await self._drain_task
        await self.drain(housekeeping=True)
        await self._queue.join()
        await self.flush()
        return self.stats

    async def _drain_logged(self) -> None:
        try:
            await self.drain()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not self._database_down("reminder drain", error):
                logger.exception("the reminder drain failed; the next tick tries again")

    def _database_down(self, where: str, error: BaseException) -> bool:
        """Report an outage to the watch (quietly after its first line); False for a bug."""
        if self.database_watch is None or not is_outage(error):
            return False
        self.database_watch.failed(where, error)
        return True

    async def drain(self, *, housekeeping: bool = False) -> None:
        """Claim batch after batch until nothing is due.

        Every `housekeeping_seconds` (and when asked) the batches also take over stale
        deliveries and release inactive rows; in between, an idle drain is a single statement.
        """
        async with self._drain_lock:
            due = monotonic_time.monotonic() >= self._next_housekeeping
            if housekeeping or due:
                self._next_housekeeping = (
                    monotonic_time.monotonic() + self.options.housekeeping_seconds
                )
            while await self._drain_batch(housekeeping=housekeeping or due):
                pass

    async def _drain_batch(self, *, housekeeping: bool) -> bool:
        """One transaction: [take over stale deliveries, release inactive rows,] claim due ones.

        Returns True when any of them filled its batch (more may be waiting).
        """
        now = self._clock()
        options = self.options
        limit = options.batch_size
        plan = self._planner(now)
        leased: list[deliveries.LeasedDelivery] = []
        resend: list[Reminder] = []
        released = 0
        async with self._session_factory.begin() as session:
            if housekeeping:
                leased = await deliveries.claim_stale(session, now, now - options.lease, limit)
                resend, settled = self._sort_taken_over(leased, now)
                if settled:
                    await deliveries.record_outcomes(session, settled)
                released = await deliveries.release_inactive(session, now, limit)
            claim = await deliveries.claim_due(session, now, limit, plan, self._rules)
            for reminder in (*resend, *claim.reminders):
                self._in_flight.add(reminder.delivery_id)
        if leased:
            logger.info("took over %d pending reminders left by a stopped dispatcher", len(leased))
        self.stats.claimed += claim.claimed
        self.stats.missed += claim.missed
        self.stats.failed += claim.failed
        metrics.REMINDERS.labels("claimed").inc(claim.claimed)
        metrics.REMINDERS.labels("missed").inc(claim.missed)
        metrics.REMINDERS.labels("failed").inc(claim.failed)
        if claim.missed or claim.failed:
            logger.info(
                "claimed %d reminders: %d too late (missed), %d unplannable",
                claim.claimed,
                claim.missed,
                claim.failed,
            )
        for reminder in (*resend, *claim.reminders):
            await self._queue.put(reminder)
        return limit in (len(leased), released, claim.claimed)

    def _sort_taken_over(
        self, leased: list[deliveries.LeasedDelivery], now: datetime
    ) -> tuple[list[Reminder], list[Outcome]]:
        """Stale deliveries to send again, and those to settle as missed (too late, inactive)."""
        resend: list[Reminder] = []
        settled: list[Outcome] = []
        for item in leased:
            reminder = item.reminder
            if reminder.delivery_id in self._in_flight:
                continue  # ours: renewal was late, the send is still under way
            self.stats.taken_over += 1
            if item.subscriber_status is not SubscriberStatus.ACTIVE:
                settled.append(self._settle(reminder, DeliveryStatus.MISSED, "inactive"))
            elif item.held:
                settled.append(self._settle(reminder, DeliveryStatus.MISSED, "held"))
            elif now - reminder.due_at > self.options.grace:
                settled.append(self._settle(reminder, DeliveryStatus.MISSED, "late"))
            else:
                resend.append(reminder)
        return resend, settled

    def _settle(self, reminder: Reminder, status: DeliveryStatus, why: str) -> Outcome:
        self._count(status)
        return Outcome(reminder.delivery_id, reminder.subscriber_id, status, 0, last_error=why)

    def _planner(self, now: datetime) -> Callable[[DueSubscriber], Decision]:
        """`decide` for one batch, sharing schedule and routine work between alike rows."""
        options = self.options
        routines: dict[tuple[object, ...], Plan | str | None] = {}
        schedules: dict[tuple[object, ...], _Schedule] = {}

        def choose(subject: DueSubscriber, day: date) -> Plan | str | None:
            key = (
                subject.focus_areas,
                subject.level,
                subject.session_minutes,
                day,
                subject.recent_routines,
                subject.limits,
                subject.history,
                # The standing of someone with history depends on the instant and the zone.
                None if subject.history is EMPTY else (subject.due_at, subject.timezone),
            )
            if key not in routines:
                routines[key] = self._choose_routine(subject, day)
            return routines[key]

        def plan(subject: DueSubscriber) -> Decision:
            return decide(
                subject,
                now,
                grace=options.grace,
                default_timezone=options.default_timezone,
                choose_routine=choose,
                memo=schedules,
            )

        return plan

    # --- sending -------------------------------------------------------------------------------

    async def _work(self) -> None:
        while True:
            reminder = await self._queue.get()
            try:
                # No new send while the window of unrecorded ones is full (also while the
                # database is down: nothing more goes out that could not be recorded).
                await self._unrecorded.acquire()
            except asyncio.CancelledError:
                self._queue.task_done()
                raise
            try:
                outcome = await self._deliver(reminder)
            except asyncio.CancelledError:
                self._unrecorded.release()
                self._queue.task_done()
                raise
            except Exception as error:  # a bug must not kill the worker or lose the record
                logger.exception("sending reminder %s failed unexpectedly", reminder.delivery_id)
                outcome = Outcome(
                    reminder.delivery_id,
                    reminder.subscriber_id,
                    DeliveryStatus.FAILED,
                    1,
                    last_error=type(error).__name__,
                )
            self._count(outcome.status)
            if outcome.blocked:
                self.stats.blocked += 1
                metrics.REMINDERS.labels("blocked").inc()
            if outcome.sent_at is not None and outcome.status is DeliveryStatus.SENT:
                lateness = (outcome.sent_at - reminder.due_at).total_seconds()
                metrics.REMINDER_LATENESS_SECONDS.observe(max(0.0, lateness))
            self._outcomes.append(outcome)
            if len(self._outcomes) >= self._flush_at:
                self._outcomes_waiting.set()
            self._queue.task_done()

    async def _deliver(self, reminder: Reminder) -> Outcome:
        """Send one reminder: wait out 429s, retry network trouble, give up on blocked chats."""
        options = self.options
        rendered = self._render(reminder)
        budget = self._budget
        lane = budget.reminder_lane if budget is not None else Lane.FREE
        attempts = floods = 0
        while True:
            attempts += 1
            if self._in_quiet_hours(reminder):
                # Before the turn and again right before the send, whatever brought it here (a
                # late claim, a long wait in the queue or for a turn, a clock change): nothing
                # goes out inside someone's quiet hours, and a quiet one costs no turn.
                return self._quiet(reminder, attempts - 1 + floods)
            if budget is not None:
                # People's replies go first; reminders take what is left, in due order.
                waited_from = monotonic_time.monotonic()
                await budget.acquire(
                    reminder.chat_id,
                    Priority.REMINDER,
                    order=reminder.due_at.timestamp(),
                    lane=lane,
                )
                metrics.RATE_LIMIT_WAIT_SECONDS.observe(monotonic_time.monotonic() - waited_from)
                if self._in_quiet_hours(reminder):  # the wait for the turn ran into them
                    return self._quiet(reminder, attempts - 1 + floods)
            try:
                message_id = await send_reminder(
                    self._bot,
                    reminder.chat_id,
                    rendered,
                    options.send_timeout_seconds,
                    paid_broadcast=lane is Lane.PAID,
                )
            except RetryAfter as error:
                # Flood control is Telegram pacing us, not this chat failing: it does not use
                # up an attempt, but a server that never stops saying it is bounded too.
                floods += 1
                attempts -= 1
                self.stats.flood_waits += 1
                metrics.TELEGRAM_429.inc()
                if floods > options.max_flood_waits:
                    return self._failure(reminder, attempts + 1, error)
                wait = retry_after_seconds(error)
                if budget is None:
                    await self._sleep(wait)
                else:  # pauses this chat, or everyone when many chats are refused at once
                    await budget.flooded(reminder.chat_id, wait, Priority.REMINDER, lane=lane)
            except TelegramError as error:
                if is_unreachable(error):
                    logger.info(
                        "subscriber %s cannot be reached (%s); marking blocked",
                        reminder.subscriber_id,
                        type(error).__name__,
                    )
                    return self._failure(reminder, attempts, error, blocked=True)
                if not isinstance(error, NetworkError) or attempts >= options.max_attempts:
                    return self._failure(reminder, attempts, error)
                self.stats.retried += 1
                await self._sleep(self._backoff(attempts))
            else:
                return Outcome(
                    reminder.delivery_id,
                    reminder.subscriber_id,
                    DeliveryStatus.SENT,
                    attempts + floods,
                    message_id=message_id,
                    sent_at=self._clock(),
                )

    def _in_quiet_hours(self, reminder: Reminder) -> bool:
        if reminder.quiet_hours is None:
            return False
        zone = local_zone(reminder.timezone, self.options.default_timezone)
        return kindness.is_quiet(self._clock(), zone, reminder.quiet_hours)

    def _quiet(self, reminder: Reminder, attempts: int) -> Outcome:
        """Not sent: it would arrive inside the person's quiet hours."""
        return Outcome(
            reminder.delivery_id,
            reminder.subscriber_id,
            DeliveryStatus.MISSED,
            attempts,
            last_error=QUIET_HOURS,
        )

    def _backoff(self, attempts: int) -> float:
        base: float = self.options.backoff_seconds * 2.0 ** (attempts - 1)
        return min(self.options.backoff_cap_seconds, base) * random.uniform(0.5, 1.0)

    def _failure(
        self, reminder: Reminder, attempts: int, error: TelegramError, *, blocked: bool = False
    ) -> Outcome:
        """A delivery that will not be retried; `blocked` also marks the person unreachable."""
        if not blocked:
            logger.warning(
                "reminder %s for subscriber %s failed after %d attempts: %s",
                reminder.delivery_id,
                reminder.subscriber_id,
                attempts,
                type(error).__name__,
            )
        return Outcome(
            reminder.delivery_id,
            reminder.subscriber_id,
            DeliveryStatus.FAILED,
            attempts,
            last_error=_describe(error),
            blocked=blocked,
        )

    def _count(self, status: DeliveryStatus) -> None:
        if status is DeliveryStatus.SENT:
            self.stats.sent += 1
            metrics.REMINDERS.labels("sent").inc()
        elif status is DeliveryStatus.FAILED:
            self.stats.failed += 1
            metrics.REMINDERS.labels("failed").inc()
        elif status is DeliveryStatus.MISSED:
            self.stats.missed += 1
            metrics.REMINDERS.labels("missed").inc()
        self.stats.by_status[status.value] = self.stats.by_status.get(status.value, 0) + 1

    # --- recording and leases --------------------------------------------------------------

    async def flush(self) -> None:
        """Write the outcomes gathered so far in one transaction; free their window slots."""
        async with self._flush_lock:
            if not self._outcomes:
                return
            batch, self._outcomes = self._outcomes, []
            try:
                async with self._session_factory.begin() as session:
                    await deliveries.record_outcomes(session, batch)
            except BaseException:
                self._outcomes[:0] = batch  # keep them for the next flush
                raise
            for outcome in batch:
                self._in_flight.discard(outcome.delivery_id)
                self._unrecorded.release()

    async def _record_forever(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._outcomes_waiting.wait(), self.options.flush_every_seconds
                )
            self._outcomes_waiting.clear()
            try:
                await self.flush()
            except Exception as error:
                if not self._database_down("recording reminders", error):
                    logger.exception("recording reminder outcomes failed; retrying")
                await asyncio.sleep(1.0)

    async def renew_leases(self) -> None:
        """Tell other dispatchers the deliveries held here are still being sent."""
        held = set(self._in_flight)
        if not held:
            return
        async with self._session_factory.begin() as session:
            await deliveries.renew_leases(session, held, self._clock())

    async def _renew_forever(self) -> None:
        period = max(0.5, self.options.lease.total_seconds() / 3)
        while True:
            await asyncio.sleep(period)
            try:
                await self.renew_leases()
            except Exception as error:
                if not self._database_down("renewing leases", error):
                    logger.exception("renewing reminder leases failed; retrying")


def _describe(error: TelegramError) -> str:
    """Error class and Telegram's description: never message text, never the token."""
    return f"{type(error).__name__}: {error.message}"[:200]


def build_dispatcher(
    settings: Settings,
    content: Content,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    render: Render,
    clock: Callable[[], datetime],
    options: DispatchOptions | None = None,
    budget: SendBudget | None = None,
) -> Dispatcher:
    """The production dispatcher: aiohttp transport and the bot's one send budget.

    Reminders get their own `Bot` (aiohttp, no PTB rate limiter) but draw from the same
    `budget` as the chat side, at `Priority.REMINDER`, so together they keep Telegram's
    limits and people's replies go first. Without `budget`, one is built from the settings.
    """
    chosen = options or DispatchOptions.from_settings(settings)
    token = settings.telegram_bot_token.get_secret_value()
    bot = Bot(
        token,
        base_url=settings.bot_api_url,
        base_file_url=settings.bot_file_url,
        request=AiohttpRequest(connection_pool_size=max(8, chosen.workers)),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )
    rules = rules_for(content, content.safety.checkin)
    return Dispatcher(
        session_factory=session_factory,
        bot=bot,
        render=render,
        choose_routine=routine_chooser(content, rules, chosen.default_timezone),
        progress_rules=rules,
        clock=clock,
        budget=budget if budget is not None else build_budget(settings),
        options=chosen,
    )
