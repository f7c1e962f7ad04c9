"""The demo's pieces, running together in one event loop.

The local Telegram (`sandbox`, which also serves the chat page), the real Stretchbot
application polling it over HTTP on its own database, and the demo controls under `/demo/`.
Tests start a `Demo` on a free port in their own loop; `stretchbot demo` runs one until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import boot
from bot.chat.reminders import dispatcher_of
from bot.chat.services import AnyApplication, Services, services_of_app
from bot.config import Settings
from bot.content.loader import Content
from bot.db import deliveries, subscribers
from bot.db.models import Subscriber, SubscriberStatus
from bot.demo.clock import DemoClock
from bot.demo.controls import add_demo_routes
from bot.domain.zones import local_zone
from bot.usecases import lifecycle
from sandbox.harness import running_application
from sandbox.people import SimUser
from sandbox.server import SandboxServer

logger = logging.getLogger(__name__)

WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
FIRST_PERSON = "Alex"
POLL_TIMEOUT_SECONDS = 10


@dataclass(frozen=True, slots=True)
class ReminderResult:
    """What "Send the next reminder now" did, in words for the page."""

    sent: bool
    message: str
    clock: datetime


def _describe_wait(jump: timedelta) -> str:
    minutes = round(jump.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days} d"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def _local(instant: datetime, zone_key: str | None) -> str:
    zone = local_zone(zone_key, None)
    return f"{instant.astimezone(zone):%a %d %b, %H:%M} ({zone.key})"


def _which_day(due: datetime, now: datetime, zone_key: str | None) -> str:
    zone = local_zone(zone_key, None)
    days = (due.astimezone(zone).date() - now.astimezone(zone).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


class Demo:
    """Start with `async with Demo(...)` (or `start()`/`stop()`); `url` is the chat page."""

    def __init__(
        self,
        settings: Settings,
        content: Content,
        *,
        host: str = "127.0.0.1",
        port: int = 8080,
        clock: DemoClock | None = None,
        hold_scale: float = 1.0,
        first_person: str | None = FIRST_PERSON,
    ) -> None:
        self.settings = settings
        self.content = content
        self.host = host
        self.port = port
        self.clock = clock or DemoClock()
        self.hold_scale = hold_scale
        self.first_person = first_person
        # The local Telegram dates its messages by the bot's clock, so the page's message
        # times move with it when "Send the next reminder now" jumps ahead.
        self.sandbox = SandboxServer(
            token=settings.telegram_bot_token.get_secret_value(),
            clock=lambda: self.clock().timestamp(),
        )
        add_demo_routes(self.sandbox.app, self)
        self._stack = AsyncExitStack()
        self._application: AnyApplication | None = None
        self._reminder_lock = asyncio.Lock()
        self._url: str | None = None

    # Life cycle -------------------------------------------------------------------------------
    async def start(self) -> str:
        """Listen, start the bot against the local Telegram, add the first person; return the
        page's URL. Raises OSError when the port is taken."""
        try:
            await self.sandbox.start(self.host, self.port)
            self._stack.push_async_callback(self.sandbox.stop)
            port = int(self.sandbox.url.rsplit(":", 1)[1])
            local_host = "127.0.0.1" if self.host in WILDCARD_HOSTS else self.host
            if ":" in local_host:
                local_host = f"[{local_host}]"  # an IPv6 address in a URL
            api_url = f"http://{local_host}:{port}"
            settings = self.settings.model_copy(update={"telegram_api_base_url": api_url})
            database = boot.open_database(settings)
            self._stack.push_async_callback(database.engine.dispose)
            await self._bring_back_people(database.sessions)

            def build() -> AnyApplication:
                return boot.application(
                    settings,
                    self.content,
                    database.sessions,
                    clock=self.clock,
                    hold_scale=self.hold_scale,
                )

            self._application = await self._stack.enter_async_context(
                running_application(
                    build, poll_timeout=POLL_TIMEOUT_SECONDS, fail_on_handler_errors=False
                )
            )
        except BaseException:
            await self.stop()
            raise
        if self.first_person is not None and not self.people():
            self.sandbox.user(self.first_person)
        self._url = f"{api_url}/"
        return self._url

    async def _bring_back_people(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        """People who used an earlier demo on this database come back, with their ids and
        names: the local Telegram forgets chats when it stops, the bot's database does not, and
        a reminder to a chat that was never started would mark its subscriber as blocked."""
        async with session_factory() as db:
            rows = (
                await db.execute(
                    select(Subscriber.telegram_user_id, Subscriber.first_name).order_by(
                        Subscriber.id
                    )
                )
            ).all()
        state = self.sandbox.state
        for user_id, first_name in rows:
            if user_id <= 0 or user_id in state.people:
                continue
            self.sandbox.user(first_name or "Guest", user_id=user_id)
            state.chats[user_id].started = True  # they pressed START in an earlier run

    async def stop(self) -> None:
        """Stop polling and the bot's jobs, then the local Telegram (closing the pages' event
        streams), then the database connections."""
        self._application = None
        stack, self._stack = self._stack, AsyncExitStack()
        await stack.aclose()

    async def __aenter__(self) -> Demo:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # What the controls use --------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the demo is not running; await start() first")
        return self._url

    @property
    def application(self) -> AnyApplication:
        if self._application is None:
            raise RuntimeError("the demo is not running; await start() first")
        return self._application

    @property
    def services(self) -> Services:
        return services_of_app(self.application)

    def people(self) -> list[SimUser]:
        state = self.sandbox.state
        return [self.sandbox.existing_user(p.id) for p in state.people.values() if not p.is_bot]

    async def next_reminder(self, user_id: int) -> str | None:
        """When this person's next reminder falls due, in their zone, and which day that is
        from the bot's today ("today", "tomorrow" or the weekday); None when none is due."""
        async with self.services.db() as db:
            subscriber = await subscribers.get_by_user_id(db, user_id)
            preferences = subscriber.preferences if subscriber is not None else None
            due = preferences.next_reminder_at if preferences is not None else None
            zone_key = subscriber.timezone if subscriber is not None else None
            active = subscriber is not None and subscriber.status is SubscriberStatus.ACTIVE
        if due is None or not active:
            return None
        return f"{_local(due, zone_key)}, {_which_day(due, self.clock(), zone_key)}"

    async def send_reminder_now(self, user_id: int) -> ReminderResult:
        """Let the bot live through the moment this person's next reminder falls due: move the
        demo clock there (never backwards) and run the reminder dispatcher once."""
        async with self._reminder_lock:
            return await self._send_reminder_now(user_id)

    async def _send_reminder_now(self, user_id: int) -> ReminderResult:
        name = self.sandbox.existing_user(user_id).first_name
        services = self.services
        async with services.db() as db:
            subscriber = await subscribers.get_by_user_id(db, user_id)
            preferences = subscriber.preferences if subscriber is not None else None
            due = preferences.next_reminder_at if preferences is not None else None
            status = subscriber.status if subscriber is not None else None
            subscriber_id = subscriber.id if subscriber is not None else None
            zone_key = subscriber.timezone if subscriber is not None else None
            life = await lifecycle.life_of(db, subscriber) if subscriber is not None else None
        why_not = self._why_nothing_is_due(name, status)
        if why_not is None and life is not None and life.held:
            why_not = (
                f"{name}'s reminders are on hold: a pain question is waiting for an answer in "
                "the chat."
                if life.red_flag is None
                else f"{name}'s reminders are on hold after a red flag, until {name} says in the "
                "chat who checked them and what they said."
            )
        if subscriber_id is None or why_not is not None or due is None:
            message = why_not or f"{name} has no reminder scheduled: check /settings."
            return ReminderResult(False, message, self.clock())
        dispatcher = dispatcher_of(services)
        if dispatcher is None:
            return ReminderResult(False, "The reminder dispatcher is not running.", self.clock())
        jump = self.clock.advance_to(due)
        if jump:
            logger.info("demo clock moved %s ahead for subscriber %s", jump, subscriber_id)
        await dispatcher.run_once()
        async with services.db() as db:
            latest = await deliveries.latest_sent(db, subscriber_id)
        when = _local(due, zone_key)
        if latest is None or latest.due_at != due:
            message = f"{name}'s reminder for {when} did not go out; the log says why."
            return ReminderResult(False, message, self.clock())
        moved = (
            f" The bot's clock jumped {_describe_wait(jump)} ahead to get there."
            if jump
            else " It was already due."
        )
        return ReminderResult(True, f"Sent {name}'s reminder for {when}.{moved}", self.clock())

    @staticmethod
    def _why_nothing_is_due(name: str, status: SubscriberStatus | None) -> str | None:
        if status is None:
            return f"{name} hasn't subscribed yet: tap START in the chat and sign up first."
        if status is SubscriberStatus.ONBOARDING:
            return f"{name} is still signing up: finish the set-up in the chat first."
        if status is SubscriberStatus.PAUSED:
            return f"{name}'s reminders are paused, so none is due. Resume them in the chat first."
        if status is SubscriberStatus.STOPPED:
            return f"{name} unsubscribed (/stop). Send /start to subscribe again."
        if status is SubscriberStatus.BLOCKED:
            return f"{name} blocked the bot, so reminders can't reach them."
        return None
