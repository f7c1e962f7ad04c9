"""`stretchbot demo`: check content, migrate the demo database, serve until Ctrl-C.

Migrations run before the event loop starts, as for `stretchbot run` (Alembic's env.py runs a
loop of its own). SIGINT and SIGTERM end the demo cleanly: polling stops, the bot's jobs stop,
the pages' event streams close, and the command exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path

from bot import boot
from bot.config import Settings, load_settings
from bot.content.loader import Content
from bot.demo.stack import Demo
from bot.logging_setup import configure_logging
from sandbox.server import DEFAULT_TOKEN

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_CONFIG = 2
DEMO_TICK_SECONDS = 1.0  # the dispatcher's tick: a snoozed reminder arrives within a second


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path.expanduser().resolve()}"


def run_demo(*, host: str, port: int, database: Path) -> int:
    """Run the demo in the foreground; return the process exit status."""
    if not 0 <= port <= 65535:
        print(f"stretchbot: --port must be between 0 and 65535, not {port}", file=sys.stderr)
        return EXIT_CONFIG
    database_url = sqlite_url(database)
    settings = load_settings(
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_api_base_url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        dispatch_interval_seconds=DEMO_TICK_SECONDS,
    )
    configure_logging(settings.log_level, [DEFAULT_TOKEN])
    for chatty in ("httpx", "apscheduler"):  # a line per long poll and per job run otherwise
        logging.getLogger(chatty).setLevel(logging.WARNING)
    try:
        content = boot.prepare(settings)
    except boot.BootFailure as failure:
        print(failure.message, file=sys.stderr)
        return failure.status
    return asyncio.run(_serve(settings, content, host, port, database))


async def _serve(settings: Settings, content: Content, host: str, port: int, database: Path) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_signal() -> None:
        stop.set()
        for number in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C interrupts for real
            loop.remove_signal_handler(number)

    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, on_signal)
    demo = Demo(settings, content, host=host, port=port)
    try:
        url = await demo.start()
    except OSError as error:
        print(f"stretchbot: cannot serve the demo on {host}:{port}: {error}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        print(
            f"Stretchbot demo: open {url} in your browser (database: {database}). "
            "Press Ctrl-C to stop.",
            flush=True,
        )
        await stop.wait()
        print("Stopping the demo...", flush=True)
    finally:
        await demo.stop()
    return EXIT_OK
