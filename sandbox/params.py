"""Request parameters as Telegram reads them, whatever the encoding.

Clients send JSON bodies, url-encoded forms, multipart forms or query strings. In the form
encodings every value is a string (python-telegram-bot 22 sends url-encoded forms, multipart
when it uploads, with non-string values JSON-encoded), so typed reads happen here, once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from sandbox.errors import ApiError, bad_request


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart part."""

    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    """Typed access to one call's parameters; failures raise Telegram's 400 answers."""

    def __init__(self, values: Mapping[str, Any], uploads: Mapping[str, Upload] | None = None):
        self._values = dict(values)
        self._uploads = dict(uploads or {})

    def __contains__(self, name: str) -> bool:
        return name in self._values or name in self._uploads

    def summary(self) -> dict[str, Any]:
        """Parameters for the call log, uploads replaced by a short description."""
        summary = dict(self._values)
        for name, upload in self._uploads.items():
            summary[name] = f"<upload {upload.filename or name}: {len(upload.data)} bytes>"
        return summary

    def raw(self, name: str) -> Any:
        return self._values.get(name)

    def string(self, name: str) -> str | None:
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def integer(self, name: str, *, invalid: str | None = None) -> int | None:
        """An integer parameter; `invalid` is the description for a value that is no integer."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(invalid or f"invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            return float(str(value).strip())
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def boolean(self, name: str) -> bool:
        value = self._values.get(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        return isinstance(value, str) and value.strip().lower() in {"true", "1", "yes"}

    def json(self, name: str, *, invalid: str) -> Any:
        """A parameter that is a JSON value (sent as a string in forms); `invalid` on bad JSON."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(invalid) from None

    def upload(self, name: str) -> Upload | None:
        return self._uploads.get(name)

    def uploads(self) -> Mapping[str, Upload]:
        return self._uploads


async def read_params(request: web.Request) -> Params:
    """Collect query-string and body parameters of a Bot API request."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request body") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON object expected as request body")
            values.update(body)
        elif content_type == "multipart/form-data":
            await _read_multipart(request, values, uploads)
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str):
                    values[key] = value
    return Params(values, uploads)


async def _read_multipart(
    request: web.Request, values: dict[str, Any], uploads: dict[str, Upload]
) -> None:
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = await part.read()
        if part.filename is not None:
            content_type = part.headers.get("Content-Type")
            uploads[part.name] = Upload(part.filename, content_type, bytes(data))
        else:
            values[part.name] = bytes(data).decode("utf-8", "replace")
