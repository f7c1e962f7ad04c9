"""The strict side of the stand-in Telegram: what a test must not get away with.

Real Telegram refuses calls a lenient stand-in would let through, leaves a tapped button spinning
when nobody answers it, and a person who writes and hears nothing back thinks the bot is broken.
The referee keeps count of all three, plus tracebacks in the log, so a test can fail on them at
teardown instead of passing while people see errors:

- every 400/403 answer (a refused `answerCallbackQuery` included) is a refusal, except
  "message is not modified": two taps on one button before the first edit lands make it
  unavoidable, and the bot treats it as success (it is counted in `not_modified`);
- every callback query must be answered exactly once;
- every update from a private chat (a message, an edit, a tap) must get a reaction in that chat
  (a message, an edit or a callback answer) after it;
- every log record carrying a traceback is an error.

A test declares what it expects (`expect_refusal`, `expect_traceback`), e.g. a person who blocked
the bot makes the next send a 403 on purpose. A crowd of strangers (the fuzz test) cannot declare
each one, so `excuse_unavoidable()` lets through exactly the refusals no bot can avoid, and no
more: the one 403 that tells the bot a person blocked it (any call that reached Telegram before
the bot had been told once since the block), and the first refused edit of a message the person
deleted. A second 403 after the bot was told, or a second edit of a deleted message, is a bot
that retries what Telegram already refused, and counts. Every refusal has a class
(`refusal_class`), so reports can say what kind of mistake was made.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]

REFUSAL_STATUSES = frozenset({400, 403})
# What a person sees as the bot reacting to what they did.
REACTION_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendlocation",
        "sendsticker",
        "sendvoice",
        "sendaudio",
        "sendvideo",
        "sendanimation",
        "sendcontact",
        "senddice",
        "sendmediagroup",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
        "editmessagemedia",
        "answercallbackquery",
    }
)
NOT_MODIFIED = "message is not modified"
SLOW_REACTION_SECONDS = 8.0
_PRIVATE_KINDS = ("message", "edited_message", "callback_query")
_UNREACHABLE = ("blocked by the user", "user is deactivated", "can't initiate conversation")
_EDITS = frozenset(
    {"editmessagetext", "editmessagecaption", "editmessagereplymarkup", "editmessagemedia"}
)

ARRIVED_AT: ContextVar[float | None] = ContextVar("sandbox_request_arrived_at", default=None)
"""Set by the server for each Bot API request: when it reached the stand-in (monotonic)."""


def refusal_class(method: str, status: int, description: str) -> str:
    """The kind of mistake a refusal shows, for reports: one short name per kind."""
    text = description.lower()
    if status == 403 or any(part in text for part in _UNREACHABLE):
        return "unreachable_chat"
    if method.lower() == "answercallbackquery":
        return "callback_answer"
    if "message to edit not found" in text or "message can't be edited" in text:
        return "edit_gone"
    if "button" in text or "keyboard" in text or "reply markup" in text or "reply_markup" in text:
        return "markup"
    if "text" in text or "entities" in text or "too long" in text or "caption" in text:
        return "text"
    if "chat not found" in text or "message not found" in text or "message to" in text:
        return "missing_target"
    return "other"


@dataclass(frozen=True)
class Refusal:
    """One call Telegram would have refused, as the bot made it."""

    method: str
    status: int
    description: str
    chat_id: int | None
    params: JSONDict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f" in chat {self.chat_id}" if self.chat_id is not None else ""
        if "message_id" in self.params:
            where += f" (message {self.params['message_id']})"
        return f"{self.method}{where} -> {self.status} {self.description!r} [{self.kind}]"

    @property
    def kind(self) -> str:
        return refusal_class(self.method, self.status, self.description)


@dataclass(frozen=True)
class ExpectedRefusal:
    """A refusal the test declared; every field that is set must match."""

    method: str | None = None
    description: str | None = None  # a part of the description, any case
    chat_id: int | None = None

    def matches(self, refusal: Refusal) -> bool:
        if self.method is not None and self.method.lower() != refusal.method.lower():
            return False
        if self.chat_id is not None and self.chat_id != refusal.chat_id:
            return False
        return self.description is None or self.description.lower() in refusal.description.lower()


@dataclass(frozen=True)
class ExpectedTraceback:
    """A logged traceback the test declared: by exception type and/or logger name prefix."""

    exception: type[BaseException] | None = None
    logger: str | None = None

    def matches(self, record: logging.LogRecord) -> bool:
        if self.logger is not None and not (
            record.name == self.logger or record.name.startswith(self.logger + ".")
        ):
            return False
        if self.exception is None:
            return True
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            return isinstance(error, self.exception)
        # A redacting filter replaced the traceback by its text: match the last line's type.
        return _last_line(record).split(":", 1)[0].rsplit(".", 1)[-1] == self.exception.__name__


@dataclass
class _Pending:
    update_id: int
    kind: str
    at: float


def _last_line(record: logging.LogRecord) -> str:
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        return f"{type(error).__name__}: {error}"
    lines = (record.exc_text or "").strip().splitlines()
    return lines[-1] if lines else ""


def has_traceback(record: logging.LogRecord) -> bool:
    """A traceback as logged, or as a token-redacting filter left it (text in exc_text)."""
    return bool(record.exc_info and record.exc_info[0] is not None) or bool(record.exc_text)


class LogWatcher(logging.Handler):
    """Collects every log record that carries a traceback, from any logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if has_traceback(record):
            self.records.append(record)


class Referee:
    """Bookkeeping of refusals, callback answers, reactions and tracebacks for one sandbox."""

    def __init__(self, monotonic: Any) -> None:
        self._monotonic = monotonic
        self.refusals: list[Refusal] = []
        self.not_modified = 0
        self.expected_refusals: list[ExpectedRefusal] = []
        self.expected_tracebacks: list[ExpectedTraceback] = []
        self._pending: dict[int, deque[_Pending]] = {}
        self.private_updates = 0
        self.reaction_seconds: list[float] = []
        self.slow_reactions: list[tuple[int, str, str, float]] = []  # chat, update, reaction, s
        self._watcher: LogWatcher | None = None
        # What `excuse_unavoidable` needs: who blocked the bot (chat -> when the bot was first
        # told so by a 403 since, if it was), and which deleted messages were edited already.
        self._excusing = False
        self._is_deleted: Callable[[int, int], bool] = lambda chat_id, message_id: False
        self._blocked: dict[int, float | None] = {}
        self._edited_after_delete: set[tuple[int, int]] = set()
        self.excused: Counter[str] = Counter()

    # Declarations ---------------------------------------------------------------------------
    def expect_refusal(
        self,
        method: str | None = None,
        *,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Allow refusals matching all given fields (e.g. `chat_id=..., description="blocked"`)."""
        self.expected_refusals.append(ExpectedRefusal(method, description, chat_id))

    def expect_traceback(
        self, exception: type[BaseException] | None = None, *, logger: str | None = None
    ) -> None:
        """Allow logged tracebacks of this exception type and/or from this logger."""
        self.expected_tracebacks.append(ExpectedTraceback(exception, logger))

    def excuse_unavoidable(self, is_deleted: Callable[[int, int], bool]) -> None:
        """Let through only what no bot can avoid (see the module docstring); counted by class
        in `excused`. `is_deleted(chat_id, message_id)` tells whether the person deleted it."""
        self._excusing = True
        self._is_deleted = is_deleted

    # What the server tells it -----------------------------------------------------------------
    def refused(self, method: str, status: int, description: str, params: JSONDict | None) -> None:
        if status not in REFUSAL_STATUSES:
            return
        if NOT_MODIFIED in description.lower():
            self.not_modified += 1
            return
        chat_id = _int_or_none((params or {}).get("chat_id"))
        refusal = Refusal(method, status, description, chat_id, dict(params or {}))
        if self._excusing and self._unavoidable(refusal):
            self.excused[refusal.kind] += 1
            return
        self.refusals.append(refusal)

    def _unavoidable(self, refusal: Refusal) -> bool:
        chat_id = refusal.chat_id
        if chat_id is None:
            return False
        if refusal.kind == "unreachable_chat":
            if chat_id not in self._blocked:
                return False  # nobody blocked the bot here: it wrote to a stranger
            now = self._monotonic()
            told_at = self._blocked[chat_id]
            arrived = ARRIVED_AT.get()
            if told_at is None:
                self._blocked[chat_id] = now
                return True
            return arrived is not None and arrived < told_at  # already in flight when told
        if refusal.method.lower() in _EDITS and refusal.kind == "edit_gone":
            message_id = _int_or_none(refusal.params.get("message_id"))
            if message_id is None or not self._is_deleted(chat_id, message_id):
                return False
            first = (chat_id, message_id) not in self._edited_after_delete
            self._edited_after_delete.add((chat_id, message_id))
            return first
        return False

    def update_pushed(self, update_id: int, kind: str, payload: JSONDict) -> None:
        """An update reached the bot's queue; one from a private chat now awaits a reaction.
        A person who blocks the bot can no longer see one: what they still waited for is void."""
        if kind == "my_chat_member":
            chat = payload.get("chat") or {}
            status = (payload.get("new_chat_member") or {}).get("status")
            chat_id = _int_or_none(chat.get("id"))
            if chat.get("type") == "private" and chat_id is not None:
                if status == "kicked":
                    self._pending.pop(chat_id, None)
                    self._blocked[chat_id] = None
                else:
                    self._blocked.pop(chat_id, None)
            return
        chat_id = _private_chat_of(kind, payload)
        if chat_id is None:
            return
        self.private_updates += 1
        self._pending.setdefault(chat_id, deque()).append(
            _Pending(update_id, kind, self._monotonic())
        )

    def bot_acted(self, method: str, chat_id: int | None) -> None:
        """A successful call; a reaction answers the oldest update still waiting in its chat."""
        if chat_id is None or method.lower() not in REACTION_METHODS:
            return
        waiting = self._pending.get(chat_id)
        if waiting:
            first = waiting.popleft()
            seconds = self._monotonic() - first.at
            self.reaction_seconds.append(seconds)
            if seconds > SLOW_REACTION_SECONDS:
                self.slow_reactions.append((chat_id, first.kind, method, round(seconds, 3)))

    # Log watching -------------------------------------------------------------------------------
    def watch_logs(self) -> None:
        if self._watcher is None:
            self._watcher = LogWatcher()
            # First among the root's handlers, so it sees a record before their filters do.
            logging.getLogger().handlers.insert(0, self._watcher)

    def stop_watching_logs(self) -> None:
        if self._watcher is not None:
            logging.getLogger().removeHandler(self._watcher)

    # Verdict ------------------------------------------------------------------------------------
    def unexpected_refusals(self) -> list[Refusal]:
        return [
            refusal
            for refusal in self.refusals
            if not any(expected.matches(refusal) for expected in self.expected_refusals)
        ]

    def refusals_by_class(self) -> dict[str, int]:
        """Undeclared refusals counted by kind of mistake (`refusal_class`)."""
        return dict(sorted(Counter(r.kind for r in self.unexpected_refusals()).items()))

    def unexpected_tracebacks(self) -> list[logging.LogRecord]:
        records = self._watcher.records if self._watcher is not None else []
        return [
            record
            for record in records
            if not any(expected.matches(record) for expected in self.expected_tracebacks)
        ]

    def unanswered_updates(self) -> dict[int, list[str]]:
        """Chat id -> kinds of the private updates that got no reaction (yet)."""
        return {
            chat_id: [pending.kind for pending in waiting]
            for chat_id, waiting in self._pending.items()
            if waiting
        }

    def settled(self, unanswered_callbacks: list[str]) -> bool:
        return not unanswered_callbacks and not self.unanswered_updates()

    def problems(self, unanswered_callbacks: list[str]) -> list[str]:
        """Everything wrong so far, one line each (empty when the test may pass)."""
        lines = [f"refused by Telegram: {refusal}" for refusal in self.unexpected_refusals()]
        lines += [f"callback query never answered: {query}" for query in unanswered_callbacks]
        for chat_id, kinds in self.unanswered_updates().items():
            lines.append(f"no reaction in chat {chat_id} to: {', '.join(kinds)}")
        for record in self.unexpected_tracebacks():
            lines.append(
                f"traceback logged by {record.name}: {record.getMessage()} ({_last_line(record)})"
            )
        return lines


class TelegramWouldRefuse(AssertionError):
    """The test passed only because the stand-in was lenient; the lines say what happened."""


def _int_or_none(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _private_chat_of(kind: str, payload: JSONDict) -> int | None:
    if kind not in _PRIVATE_KINDS:
        return None
    message = payload.get("message") if kind == "callback_query" else payload
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    return _int_or_none(chat.get("id"))
