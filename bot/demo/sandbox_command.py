"""`stretchbot sandbox`: the local stand-in for Telegram alone, for a "Go live" dry run.

An operator starts it, then `stretchbot run` in another terminal with
`TELEGRAM_API_BASE_URL` pointing here and the sandbox's token, and chats with their real bot
set-up (their database, their settings) on the chat page, before pointing it at Telegram.
Lives under bot/demo/ because only the demo may import the stand-in (tests/foundation).
"""

from __future__ import annotations

import asyncio
import signal
import sys

from sandbox.server import DEFAULT_TOKEN, SandboxServer

EXIT_OK = 0
EXIT_CONFIG = 2


def run_sandbox(*, host: str, port: int, token: str | None = None, person: str = "Alex") -> int:
    """Serve until Ctrl-C or SIGTERM; return the exit status."""
    if not 0 <= port <= 65535:
        print(f"stretchbot: --port must be between 0 and 65535, not {port}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        server = SandboxServer(token=token or DEFAULT_TOKEN)
    except ValueError as error:
        print(f"stretchbot: --token: {error}", file=sys.stderr)
        return EXIT_CONFIG
    return asyncio.run(_serve(server, host, port, person))


async def _serve(server: SandboxServer, host: str, port: int, person: str) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    try:
        await server.start(host, port)
    except OSError as error:
        print(f"stretchbot: cannot serve the sandbox on {host}:{port}: {error}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        if person:
            server.user(person)
        print(
            f"Local Telegram at {server.url} (chat page: {server.url}/). Press Ctrl-C to stop.\n"
            "Run the bot against it from another terminal:\n"
            f"  TELEGRAM_API_BASE_URL={server.url} TELEGRAM_BOT_TOKEN={server.token} "
            "stretchbot run",
            flush=True,
        )
        await stop.wait()
    finally:
        await server.stop()
    return EXIT_OK
