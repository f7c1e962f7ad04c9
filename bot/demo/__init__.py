"""`stretchbot demo`: the bot, a local Telegram and a chat page in one process, no account needed.

`Demo` starts the pieces (usable from tests, in their event loop); `run_demo` is the command:
migrations, then the demo until Ctrl-C.
"""

from bot.demo.clock import DemoClock
from bot.demo.main import run_demo
from bot.demo.stack import Demo, ReminderResult

__all__ = ["Demo", "DemoClock", "ReminderResult", "run_demo"]
