"""The `stretchbot` command: run the bot, migrate the database, check and preview content."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.config import SettingsError, database_url_from_env, load_settings

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_CONFIG
    try:
        return handler(args)
    except SettingsError as error:
        print(f"stretchbot: configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stretchbot",
        description="A Telegram bot for a daily leg and back stretching routine.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="apply migrations, then run the bot (long polling or webhook)",
        description="Apply database migrations, then run the bot. Needs TELEGRAM_BOT_TOKEN. "
        "Takes updates by webhook when WEBHOOK_URL is set (or with --webhook), else by long "
        "polling (which removes a webhook set before).",
    )
    mode = run.add_mutually_exclusive_group()
    mode.add_argument(
        "--webhook",
        dest="webhook",
        action="store_true",
        default=None,
        help="serve Telegram's webhook on WEBHOOK_PORT (needs WEBHOOK_URL, WEBHOOK_SECRET)",
    )
    mode.add_argument(
        "--polling",
        dest="webhook",
        action="store_false",
        help="long polling, even when WEBHOOK_URL is set; removes the webhook",
    )
    run.add_argument(
        "--role",
        choices=["all", "worker", "dispatcher"],
        default="all",
        help="all: everything in one process (default); worker: updates and hold timers; "
        "dispatcher: reminders and hold timers, no updates",
    )
    run.set_defaults(handler=_run)

    demo = commands.add_parser(
        "demo",
        help="try the bot without Telegram: a local chat page in your browser",
        description="Start a local stand-in for Telegram, the bot against it on a demo SQLite "
        "database, and a chat page at http://HOST:PORT. No token needed. Ctrl-C stops it.",
    )
    demo.add_argument("--port", type=int, default=8080, help="port of the chat page (8080)")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    demo.add_argument(
        "--db",
        type=Path,
        default=Path("stretchbot-demo.db"),
        help="demo SQLite file (stretchbot-demo.db); delete it to start afresh",
    )
    demo.set_defaults(handler=_demo)

    sandbox = commands.add_parser(
        "sandbox",
        help="run the local stand-in for Telegram alone (try `stretchbot run` against it)",
        description="Serve a local Bot API and its chat page at http://HOST:PORT, without the "
        "bot. Point `stretchbot run` at it with TELEGRAM_API_BASE_URL and the token it prints. "
        "Everything lives in memory; Ctrl-C stops it.",
    )
    sandbox.add_argument("--port", type=int, default=8081, help="port to listen on (8081)")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    sandbox.add_argument("--token", default=None, help="bot token it accepts (a fixed test one)")
    sandbox.set_defaults(handler=_sandbox)

    db = commands.add_parser("db", help="database commands", description="Database commands.")
    db_commands = db.add_subparsers(title="db commands", metavar="COMMAND")
    upgrade = db_commands.add_parser(
        "upgrade",
        help="apply every migration to DATABASE_URL",
        description="Bring the database at DATABASE_URL up to the newest schema.",
    )
    upgrade.set_defaults(handler=_db_upgrade)

    content = commands.add_parser(
        "content", help="check or preview the routines", description="Content commands."
    )
    content_commands = content.add_subparsers(title="content commands", metavar="COMMAND")
    check = content_commands.add_parser(
        "check",
        help="validate the content folder",
        description="Validate stretches, routines and safety texts; list every problem found.",
    )
    check.add_argument("directory", nargs="?", type=Path, help="content folder (default: ours)")
    check.set_defaults(handler=_content_check)
    show = content_commands.add_parser(
        "show",
        help="print a routine as a person would read it",
        description="Print a routine: title, computed duration, each stretch, holds and cautions.",
    )
    show.add_argument("routine_id", help="the routine's id, e.g. deep_legs_back")
    show.add_argument("--dir", dest="directory", type=Path, help="content folder")
    show.set_defaults(handler=_content_show)
    return parser


def _run(args: argparse.Namespace) -> int:
    from bot.runner import Role, run

    return run(load_settings(), Role(args.role), args.webhook)


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(host=args.host, port=args.port, database=args.db)


def _sandbox(args: argparse.Namespace) -> int:
    from bot.demo.sandbox_command import run_sandbox

    return run_sandbox(host=args.host, port=args.port, token=args.token)


def _db_upgrade(_args: argparse.Namespace) -> int:
    from bot.db.migrate import MigrationError, upgrade_or_explain

    try:
        upgrade_or_explain(database_url_from_env())
    except MigrationError as error:
        print(f"stretchbot: {error}", file=sys.stderr)
        return EXIT_CONFIG
    print("database is up to date")
    return EXIT_OK


def _content_check(args: argparse.Namespace) -> int:
    from bot.content.commands import check

    return check(args.directory)


def _content_show(args: argparse.Namespace) -> int:
    from bot.content.commands import show

    return show(args.routine_id, args.directory)


if __name__ == "__main__":
    raise SystemExit(main())
