"""A local stand-in for Telegram: a Bot API server and simulated people, for tests and the demo.

`SandboxServer` serves the Bot API to a real python-telegram-bot `Application` over HTTP and
lets tests (or the demo page, through `/sandbox/...`) play the people on the other side.
The PTB-specific helpers live in `sandbox.harness` and `tests.support.sandbox_plugin`.
"""

from sandbox.errors import ApiError
from sandbox.faults import Fault, FaultKind, FaultPlan, RateLimits
from sandbox.inbound import SandboxUsageError
from sandbox.people import Button, ChatMessage, SimChannel, SimGroup, SimUser, Tap
from sandbox.server import DEFAULT_TOKEN, ApiCall, SandboxServer
from sandbox.state import CallbackAnswer

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "Button",
    "CallbackAnswer",
    "ChatMessage",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "RateLimits",
    "SandboxServer",
    "SandboxUsageError",
    "SimChannel",
    "SimGroup",
    "SimUser",
    "Tap",
]
