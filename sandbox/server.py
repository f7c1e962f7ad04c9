"""The sandbox Bot API server: routing, Telegram's envelope, faults, start and stop.

It answers `/bot<token>/<method>` (GET or POST; JSON, url-encoded or multipart) and
`/file/bot<token>/<path>` like api.telegram.org, in the test's own event loop, so a real
python-telegram-bot `Application` talks to it over real HTTP. People are simulated through
`user()` and `group()`; the same people API is served as JSON under `/sandbox/`.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox import api_messages, api_misc, api_updates
from sandbox.api_common import Described, Handler, MethodContext
from sandbox.errors import ApiError, JSONDict, not_found, unauthorized
from sandbox.faults import Fault, FaultInjector, FaultKind, FaultPlan, RateLimits
from sandbox.inbound import add_bot_to_group
from sandbox.params import Params, read_params
from sandbox.people import SimChannel, SimGroup, SimUser
from sandbox.referee import ARRIVED_AT, Referee, TelegramWouldRefuse
from sandbox.state import Person, SandboxState
from sandbox.web import add_people_routes
from sandbox.webhook import WebhookDeliverer

DEFAULT_TOKEN = "7000000001:AAsandbox-token_for-local-tests-only"
_TOKEN_FORMAT = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{1,200}")
_BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
MAX_REQUEST_BYTES = 60 * 1024 * 1024
TELEGRAM_RATE_LIMITS = RateLimits()
MAX_CALL_LOG = 50_000  # a long demo must not grow memory without bound


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request as the server saw it (for assertions on what the bot did)."""

    method: str
    params: dict[str, Any]
    status: int
    description: str | None = None
    fault: FaultKind | None = None

    @property
    def ok(self) -> bool:
        """The call took effect and its answer reached the client (perhaps late)."""
        return self.status == 200


def _all_handlers() -> dict[str, tuple[str, Handler]]:
    """Method names are case-insensitive on Telegram: index them by lower case."""
    table: dict[str, tuple[str, Handler]] = {}
    for module in (api_messages, api_misc, api_updates):
        for name, handler in module.HANDLERS.items():
            table[name.lower()] = (name, handler)
    return table


class SandboxServer:
    """A local Telegram: Bot API for the bot, a people API for tests and the demo page."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "stretchbot_sandbox_bot",
        bot_first_name: str = "Stretchbot",
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        privacy_mode: bool = True,
        callback_query_ttl: float = 15.0,
        allow_http_webhook: bool = True,
        webhook_retry_delay: float = 0.2,
    ) -> None:
        if not _TOKEN_FORMAT.fullmatch(token):
            raise ValueError("a bot token looks like '<digits>:<letters, digits, - or _>'")
        self.token = token
        bot = Person(
            int(token.split(":", 1)[0]), bot_first_name, username=bot_username, is_bot=True
        )
        self.state = SandboxState(
            bot=bot,
            rng=random.Random(seed),
            clock=clock,
            monotonic=monotonic,
            privacy_mode=privacy_mode,
            callback_query_ttl=callback_query_ttl,
        )
        self.faults = FaultInjector(monotonic)
        self.referee = Referee(monotonic)
        self.state.updates.listeners.append(self.referee.update_pushed)
        self.webhook = WebhookDeliverer(self.state.updates, clock, retry_delay=webhook_retry_delay)
        self._context = MethodContext(self.state, self.webhook, allow_http_webhook)
        self._handlers = _all_handlers()
        self.calls: deque[ApiCall] = deque(maxlen=MAX_CALL_LOG)
        self.app = self._build_app()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._stopped = False

    # Lifecycle ----------------------------------------------------------------------------
    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_people_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on `host:port` (0 picks a free port); return `bot_base_url`."""
        if self._runner is not None or self._stopped:
            raise RuntimeError("a sandbox server starts once; make a new one")
        runner = web.AppRunner(
            self.app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        self._url = f"http://{bound_host}:{bound_port}"
        return self.bot_base_url

    async def stop(self) -> None:
        """Release long polls and event streams at once, stop webhook delivery, close."""
        self._stopped = True
        self.state.updates.close()
        self.state.events.close()
        await self.webhook.delete()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def url(self) -> str:
        """`http://host:port` of the running server."""
        if self._url is None:
            raise RuntimeError("the sandbox server is not running; await start() first")
        return self._url

    @property
    def bot_base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)`."""
        return f"{self.url}/file/bot"

    # People -------------------------------------------------------------------------------
    def user(
        self,
        first_name: str = "Alex",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> SimUser:
        """A new simulated person with a private chat with the bot (not started yet)."""
        person = self.state.add_person(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            person_id=user_id,
        )
        return SimUser(self.state, person)

    def existing_user(self, user_id: int) -> SimUser:
        return SimUser(self.state, self.state.people[user_id])

    def group(
        self,
        title: str,
        members: Sequence[SimUser],
        *,
        supergroup: bool = False,
        bot_is_admin: bool = False,
    ) -> SimGroup:
        """A group with these members; the first one adds the bot (my_chat_member follows)."""
        if not members:
            raise ValueError("a group needs at least one member to add the bot")
        chat = self.state.add_group(title, [member.id for member in members], supergroup=supergroup)
        chat.bot_is_admin = bot_is_admin
        add_bot_to_group(self.state, chat, members[0].person)
        return SimGroup(self.state, chat)

    def channel(self, title: str, admins: Sequence[SimUser]) -> SimChannel:
        """A channel these people run, with the bot as an administrator."""
        return SimChannel(self.state, self.state.add_channel(title, [a.id for a in admins]))

    # Faults -------------------------------------------------------------------------------
    def set_faults(self, plan: FaultPlan) -> None:
        self.faults.set_plan(plan)

    def script_faults(self, method: str, *faults: Fault) -> None:
        self.faults.script(method, *faults)

    def set_rate_limits(self, limits: RateLimits | None = TELEGRAM_RATE_LIMITS) -> None:
        """Switch Telegram's flood limits on (defaults: 30/s overall, 1/s per chat) or off."""
        self.faults.set_rate_limits(limits)

    # Strictness ---------------------------------------------------------------------------
    def expect_refusal(
        self,
        method: str | None = None,
        *,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Declare refusals the test causes on purpose (see `sandbox.referee`)."""
        self.referee.expect_refusal(method, description=description, chat_id=chat_id)

    def excuse_unavoidable(self) -> None:
        """For crowds of strangers: excuse only refusals no bot can avoid (`sandbox.referee`)."""

        def is_deleted(chat_id: int, message_id: int) -> bool:
            chat = self.state.chats.get(chat_id)
            stored = chat.messages.get(message_id) if chat is not None else None
            return stored is not None and stored.deleted

        self.referee.excuse_unavoidable(is_deleted)

    def expect_blocked(self, person: SimUser) -> None:
        """The bot may hit this person's block (403) and the queries they can no longer see."""
        self.referee.expect_refusal(chat_id=person.id, description="blocked by the user")

    def unanswered_callbacks(self) -> list[str]:
        return [
            f"{record.data!r} from {record.person_id}"
            for record in self.state.unanswered_queries.values()
        ]

    def problems(self) -> list[str]:
        """What Telegram would have refused or people would have missed, one line each."""
        return self.referee.problems(self.unanswered_callbacks())

    async def settle(self, timeout: float = 3.0) -> bool:  # noqa: ASYNC109
        """Wait until every callback is answered and every private update has a reaction."""
        try:
            await self.state.events.wait_for(
                lambda: True if self.referee.settled(self.unanswered_callbacks()) else None,
                timeout,
            )
        except TimeoutError:
            return False
        return True

    def assert_strict(self) -> None:
        """Fail (TelegramWouldRefuse) when `problems()` found anything."""
        problems = self.problems()
        if problems:
            raise TelegramWouldRefuse(
                "the bot did what Telegram refuses or left people without an answer:\n  "
                + "\n  ".join(problems)
            )

    def calls_of(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    # HTTP ---------------------------------------------------------------------------------
    def _record(
        self,
        method: str,
        params: Params | None,
        status: int,
        description: str | None = None,
        fault: FaultKind | None = None,
    ) -> None:
        summary = params.summary() if params is not None else {}
        self.calls.append(ApiCall(method, summary, status, description, fault))
        took_effect = status == 200 or fault is FaultKind.LOST_REPLY
        if took_effect:
            self.referee.bot_acted(method, self._reaction_chat(method, params))
        elif fault is None and description is not None:
            self.referee.refused(method, status, description, summary)

    def _reaction_chat(self, method: str, params: Params | None) -> int | None:
        if params is None:
            return None
        if method.lower() == "answercallbackquery":
            record = self.state.callback_queries.get(params.string("callback_query_id") or "")
            return record.chat_id if record is not None else None
        return _chat_id(params)

    def _error(self, method: str, params: Params | None, error: ApiError) -> web.Response:
        self._record(method, params, error.status, error.description)
        return web.json_response(error.envelope(), status=error.status)

    async def _handle_bot_api(self, request: web.Request) -> web.StreamResponse:
        ARRIVED_AT.set(self.state.monotonic())
        token = request.match_info["token"]
        name = request.match_info["method"]
        if not _TOKEN_FORMAT.fullmatch(token):
            return self._error(name, None, not_found())
        if token != self.token:
            return self._error(name, None, unauthorized())
        entry = self._handlers.get(name.lower())
        if entry is None:
            return self._error(name, None, not_found())
        method, handler = entry
        try:
            params = await read_params(request)
        except ApiError as error:
            return self._error(method, None, error)

        fault = self.faults.next_fault(method)
        if fault is not None and fault.kind in (
            FaultKind.SERVER_ERROR,
            FaultKind.BAD_GATEWAY,
            FaultKind.DROP,
        ):
            return self._misbehave(request, method, params, fault)
        try:
            self.faults.check_rate(
                method, _chat_id(params), paid=params.boolean("allow_paid_broadcast")
            )
            result = await handler(self._context, params)
        except ApiError as error:
            return self._error(method, params, error)
        if fault is not None and fault.kind is FaultKind.LOST_REPLY:
            return self._misbehave(request, method, params, fault)
        if fault is not None and fault.kind is FaultKind.SLOW:
            self._record(method, params, 200, fault=fault.kind)
            await asyncio.sleep(fault.seconds)
        else:
            self._record(method, params, 200)
        body: JSONDict = {"ok": True}
        if isinstance(result, Described):
            body["result"] = result.result
            body["description"] = result.description
        else:
            body["result"] = result
        return web.json_response(body)

    def _misbehave(
        self, request: web.Request, method: str, params: Params, fault: Fault
    ) -> web.StreamResponse:
        status = {FaultKind.SERVER_ERROR: 500, FaultKind.BAD_GATEWAY: 502}.get(fault.kind, 0)
        self._record(method, params, status, fault=fault.kind)
        if fault.kind is FaultKind.SERVER_ERROR:
            body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            return web.json_response(body, status=500)
        if fault.kind is FaultKind.BAD_GATEWAY:
            return web.Response(status=502, text=_BAD_GATEWAY_PAGE, content_type="text/html")
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(unauthorized().envelope(), status=401)
        stored = self.state.file_by_path(request.match_info["path"])
        if stored is None:
            return web.json_response(not_found().envelope(), status=404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )


def _chat_id(params: Params) -> int | None:
    raw = params.raw("chat_id")
    try:
        return int(raw) if raw is not None and not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        return None
