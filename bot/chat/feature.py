"""The shape of a feature module, so the app factory can assemble them without knowing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import BaseHandler

from bot.chat.router import CallbackHandlerFn
from bot.chat.services import AnyApplication


@dataclass(frozen=True)
class Feature:
    """A feature's handlers, its button actions, its menu commands and its start-up work.

    `commands` are (name, description) with the description marked `N_` (an English msgid):
    the menu and /help translate it for each language. `handler_group` lets a catch-all (free
    text) sit after the specific handlers.
    """

    name: str
    handlers: Sequence[BaseHandler[Any, Any, Any]] = ()
    callbacks: Mapping[str, CallbackHandlerFn] = field(default_factory=dict)
    commands: Sequence[tuple[str, str]] = ()
    on_startup: Callable[[AnyApplication], Awaitable[None]] | None = None
    on_shutdown: Callable[[AnyApplication], Awaitable[None]] | None = None
    handler_group: int = 0
