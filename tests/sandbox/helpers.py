"""Helpers for the sandbox tests: PTB clients, a raw HTTP caller, a tiny PNG maker."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

import aiohttp
import telegram
from telegram.request import HTTPXRequest

from sandbox import SandboxServer


def make_bot(server: SandboxServer, *, read_timeout: float = 5.0) -> telegram.Bot:
    """A PTB Bot with its real HTTP client, pointed at the sandbox."""
    return telegram.Bot(
        server.token,
        base_url=server.bot_base_url,
        base_file_url=server.file_base_url,
        request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0),
        get_updates_request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0),
    )


class RawApi:
    """Bot API calls without PTB in between, to compare status codes and descriptions exactly."""

    def __init__(self, server: SandboxServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session

    async def call(
        self, method: str, *, token: str | None = None, http: str = "POST", **params: Any
    ) -> tuple[int, dict[str, Any]]:
        url = f"{self.server.url}/bot{token or self.server.token}/{method}"
        if http == "GET":
            request = self.session.get(url, params={k: str(v) for k, v in params.items()})
        else:
            request = self.session.post(url, json=params)
        async with request as response:
            return response.status, json.loads(await response.read())

    async def form(self, method: str, **params: str) -> tuple[int, dict[str, Any]]:
        url = f"{self.server.url}/bot{self.server.token}/{method}"
        async with self.session.post(url, data=params) as response:
            return response.status, json.loads(await response.read())

    async def description(self, method: str, **params: Any) -> str:
        status, body = await self.call(method, **params)
        assert body["ok"] is False, body
        assert body["error_code"] == status
        return str(body["description"])


def png(width: int, height: int) -> bytes:
    """A valid PNG of the given size (grey), built without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
