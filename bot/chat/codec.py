"""The one callback-data codec: compact, versioned, signed for the person it was sent to.

Format: `1|action|arg|arg|sig`. `sig` is a truncated HMAC over the version, the payload and the
recipient's Telegram user id, so a forged button, a mangled one, or one forwarded from another
person's chat decodes to nothing, and the handler answers "this button has expired".
State lives in the database, not in the data: a button keeps working after a restart for as long
as the step it belongs to is still current.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

VERSION = "1"
SEPARATOR = "|"
MAX_BYTES = 64
_SIG_BYTES = 6  # 8 characters of base64: forging one blindly takes ~2**48 tries


@dataclass(frozen=True, slots=True)
class Callback:
    """A decoded button: what to do, and its small arguments (ids, indexes, choices)."""

    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int) -> str:
        return self.args[index] if index < len(self.args) else ""

    def int_arg(self, index: int) -> int | None:
        value = self.arg(index)
        return int(value) if value.lstrip("-").isdigit() else None


class CallbackCodec:
    """Encode and verify callback data with a key derived from a secret (the bot token)."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"stretchbot-callback|{secret}".encode()).digest()

    def encode(self, user_id: int, action: str, *args: object) -> str:
        parts = [VERSION, action, *(str(arg) for arg in args)]
        if any(SEPARATOR in part for part in parts):
            raise ValueError("callback parts must not contain the separator")
        payload = SEPARATOR.join(parts)
        data = f"{payload}{SEPARATOR}{self._sign(user_id, payload)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {action}")
        return data

    def decode(self, user_id: int, data: str | None) -> Callback | None:
        """The button's meaning, or None if it is malformed, from another version, or forged."""
        if not data or len(data.encode()) > MAX_BYTES:
            return None
        payload, _, signature = data.rpartition(SEPARATOR)
        if not payload or not hmac.compare_digest(signature, self._sign(user_id, payload)):
            return None
        version, *rest = payload.split(SEPARATOR)
        if version != VERSION or not rest or not rest[0]:
            return None
        return Callback(action=rest[0], args=tuple(rest[1:]))

    def _sign(self, user_id: int, payload: str) -> str:
        digest = hmac.new(self._key, f"{user_id}{SEPARATOR}{payload}".encode(), "sha256").digest()
        return base64.urlsafe_b64encode(digest[:_SIG_BYTES]).decode()
