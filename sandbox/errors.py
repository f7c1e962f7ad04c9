"""Bot API errors as Telegram reports them: a status code and an exact description.

Every rule of the sandbox fails through `ApiError` so the HTTP layer can wrap it in Telegram's
envelope in one place, and so tests can compare descriptions with the real service verbatim.
"""

from __future__ import annotations

from typing import Any

JSONDict = dict[str, Any]


class ApiError(Exception):
    """A failed Bot API call: the envelope fields `error_code`, `description`, `parameters`."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def envelope(self) -> JSONDict:
        """The JSON body Telegram answers with for this error."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        parameters: JSONDict = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return body


def bad_request(message: str) -> ApiError:
    """A 400 answer; Telegram prefixes every such description with `Bad Request: `."""
    return ApiError(400, f"Bad Request: {message}")


def forbidden(message: str) -> ApiError:
    """A 403 answer, e.g. when the person has blocked the bot."""
    return ApiError(403, f"Forbidden: {message}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 answer with the number of seconds the client must wait."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def conflict(message: str) -> ApiError:
    """A 409 answer (webhook set, or another getUpdates took over)."""
    return ApiError(409, f"Conflict: {message}")


def not_found() -> ApiError:
    """Telegram's answer to an unknown method or a malformed token."""
    return ApiError(404, "Not Found")


def unauthorized() -> ApiError:
    """Telegram's answer to a well-formed token that belongs to no bot."""
    return ApiError(401, "Unauthorized")
