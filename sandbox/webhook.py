"""Webhook delivery: push each pending update to the bot's URL, in order, until it says 2xx.

Like Telegram, an update is dropped only after the bot accepted it, failures are retried and
reported by getWebhookInfo (`last_error_date`, `last_error_message`), and the secret token
travels in the `X-Telegram-Bot-Api-Secret-Token` header.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from sandbox.updates import UpdateQueue

JSONDict = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    has_custom_certificate: bool = False


class WebhookDeliverer:
    """One background task per active webhook, reading the shared update queue."""

    def __init__(
        self,
        queue: UpdateQueue,
        clock: Callable[[], float],
        *,
        retry_delay: float = 0.2,
        request_timeout: float = 10.0,
    ) -> None:
        self._queue = queue
        self._clock = clock
        self.retry_delay = retry_delay
        self.request_timeout = request_timeout
        self.config: WebhookConfig | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.delivered: list[JSONDict] = []
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._targets: list[str] = []
        self._turn = 0

    @property
    def active(self) -> bool:
        return self.config is not None

    def set(self, config: WebhookConfig) -> None:
        self.config = config
        self.last_error_date = None
        self.last_error_message = None
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="sandbox-webhook")
        self._queue.poke()

    def spread(self, urls: Sequence[str]) -> None:
        """Push to these URLs in turn instead of the webhook's own, one attempt each: stands in
        for a load balancer in front of several bot workers (a dead one is skipped on retry).
        An empty list goes back to the webhook's URL."""
        self._targets = list(urls)
        self._turn = 0

    def _target(self, config: WebhookConfig) -> str:
        if not self._targets:
            return config.url
        url = self._targets[self._turn % len(self._targets)]
        self._turn += 1
        return url

    async def redeliver(self, update_id: int) -> int:
        """Push an update that was already accepted once more, as Telegram does when it never
        saw the answer; returns the HTTP status the bot answered with."""
        config = self.config
        if config is None:
            raise RuntimeError("no webhook is set")
        update = next(u for u in self.delivered if int(u["update_id"]) == update_id)
        session = self._client()
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        async with session.post(self._target(config), json=update, headers=headers) as response:
            await response.read()
            return response.status

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.request_timeout)
            )
        return self._session

    async def delete(self) -> None:
        self.config = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    def info(self) -> JSONDict:
        """The WebhookInfo object."""
        config = self.config
        data: JSONDict = {
            "url": config.url if config else "",
            "has_custom_certificate": bool(config and config.has_custom_certificate),
            "pending_update_count": len(self._queue.pending),
        }
        if config is not None:
            data["max_connections"] = config.max_connections
            if config.ip_address:
                data["ip_address"] = config.ip_address
            data["allowed_updates"] = sorted(self._queue.allowed)
        if self.last_error_date is not None:
            data["last_error_date"] = self.last_error_date
            data["last_error_message"] = self.last_error_message
        return data

    async def _run(self) -> None:
        while self.config is not None:
            update = self._queue.first()
            if update is None:
                await self._queue.wait_change()
                continue
            if await self._post(self.config, update):
                self._queue.confirm(int(update["update_id"]) + 1)
                self.delivered.append(update)
                self._queue.poke()  # whoever waits for the queue to drain
            else:
                await asyncio.sleep(self.retry_delay)

    async def _post(self, config: WebhookConfig, update: JSONDict) -> bool:
        session = self._client()
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        try:
            async with session.post(self._target(config), json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return True
                self._fail(f"Wrong response from the webhook: {response.status} {response.reason}")
        except aiohttp.ClientConnectorError:
            self._fail("Connection refused")
        except TimeoutError:
            self._fail("Read timeout expired")
        except aiohttp.ClientError as error:
            self._fail(f"Connection failed: {type(error).__name__}")
        return False

    def _fail(self, message: str) -> None:
        self.last_error_date = int(self._clock())
        self.last_error_message = message
