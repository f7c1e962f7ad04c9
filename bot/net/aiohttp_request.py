"""A python-telegram-bot HTTP backend on aiohttp, for sending many reminders from one process.

PTB's default `HTTPXRequest` is client-CPU-bound at roughly 700 requests/s per process on our
machines, while aiohttp's client sends several thousand; the dispatcher needs ≥ 1,000/s (see
DESIGN.md, "Sending, not claiming, is the dispatcher's limit"). PTB documents
`telegram.request.BaseRequest` as the extension point for another HTTP library; this is ours,
modelled on ptbcontrib's `AiohttpRequest` (not on PyPI).

PTB turns status codes and JSON bodies into its errors itself (`BaseRequest._request_wrapper`);
this class only moves bytes and maps aiohttp's failures: timeouts -> `TimedOut`, any other
client error -> `NetworkError`. Error messages never contain the bot token, which is part of
every request URL.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")


def redact_token(text: str) -> str:
    """`text` with anything shaped like a bot token replaced, for logs and error messages."""
    return _TOKEN.sub("<token>", text)


class AiohttpRequest(BaseRequest):
    """`BaseRequest` on one shared `aiohttp.ClientSession` with a bounded connection pool.

    Timeouts follow PTB's meaning where aiohttp allows: `connect_timeout` bounds opening a
    socket, `pool_timeout` plus `connect_timeout` bound getting a connection (aiohttp measures
    the two together), `read_timeout` bounds each wait for response bytes. aiohttp has no
    per-write timeout, so `write_timeout` (or `media_write_timeout` for uploads) is added into
    an overall cap on the request when every part is finite.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxy",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds (PTB adds it to long-polling timeouts)."""
        return self._read_timeout

    @property
    def connection_pool_size(self) -> int:
        """How many connections may be open at once; more requests wait for `pool_timeout`."""
        return self._pool_size

    async def initialize(self) -> None:
        """Open the session; it must be created inside the running event loop."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                # Telegram answers JSON; never raise on status here, PTB maps status codes.
                raise_for_status=False,
            )

    async def shutdown(self) -> None:
        """Close the session and its connections; calling it twice is harmless."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _timeout(
        self,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        pool_timeout: ODVInput[float],
        uploads_files: bool,
    ) -> aiohttp.ClientTimeout:
        """Per-request timeouts: values passed to the Bot method win over our defaults."""
        default_write = self._media_write_timeout if uploads_files else self._write_timeout
        read = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        write = default_write if write_timeout is BaseRequest.DEFAULT_NONE else write_timeout
        connect = (
            self._connect_timeout
            if connect_timeout is BaseRequest.DEFAULT_NONE
            else connect_timeout
        )
        pool = self._pool_timeout if pool_timeout is BaseRequest.DEFAULT_NONE else pool_timeout
        parts = (read, write, connect, pool)
        finite = [float(part) for part in parts if isinstance(part, int | float)]
        total = sum(finite) if len(finite) == len(parts) else None
        acquire = (
            float(pool) + float(connect)
            if isinstance(pool, int | float) and isinstance(connect, int | float)
            else None
        )
        return aiohttp.ClientTimeout(
            total=total,
            connect=acquire,
            sock_connect=float(connect) if isinstance(connect, int | float) else None,
            sock_read=float(read) if isinstance(read, int | float) else None,
        )

    @staticmethod
    def _body(request_data: RequestData | None) -> aiohttp.FormData | aiohttp.BytesPayload | None:
        """A JSON body, or multipart when there are files to upload.

        The Bot API reads JSON bodies like forms, and PTB's `json_parameters` (non-string
        values already JSON-encoded, as in its forms) serialise in one `json.dumps`, about a
        tenth of the cost of aiohttp's URL-encoding: that cost bounds a bulk send's rate.
        """
        if request_data is None:
            return None
        fields = request_data.json_parameters
        if not request_data.contains_files:
            body = json.dumps(fields, ensure_ascii=False).encode()
            return aiohttp.BytesPayload(body, content_type="application/json")
        form = aiohttp.FormData(quote_fields=False)
        for name, value in fields.items():
            form.add_field(name, value)
        for name, (filename, content, mime_type) in request_data.multipart_data.items():
            form.add_field(name, content, filename=filename, content_type=mime_type)
        return form

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request and return (status, body); PTB parses and maps the rest."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads_files = request_data is not None and request_data.contains_files
        timeout = self._timeout(
            read_timeout, write_timeout, connect_timeout, pool_timeout, uploads_files
        )
        try:
            async with session.request(
                method,
                url,
                data=self._body(request_data),
                timeout=timeout,
                proxy=self._proxy,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            # aiohttp's ServerTimeoutError is both a TimeoutError and a ClientError: test first.
            raise TimedOut(f"Timed out talking to the Bot API ({type(error).__name__})") from error
        except aiohttp.ClientError as error:
            detail = redact_token(str(error))
            failure = NetworkError(f"aiohttp.{type(error).__name__}: {detail}")
            if detail != str(error):  # the cause would print the token in a traceback
                raise failure from None
            raise failure from error
