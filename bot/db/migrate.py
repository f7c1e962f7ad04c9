"""Run Alembic from our code: `stretchbot db upgrade`, start-up, and the tests share this."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy.exc import SQLAlchemyError

from bot.paths import project_home


def alembic_config(database_url: str, *, configure_logging: bool = False) -> Config:
    home = project_home()  # the checkout, or STRETCHBOT_HOME for an installed wheel
    config = Config(str(home / "alembic.ini"))
    config.set_main_option("script_location", str(home / "alembic"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = configure_logging
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to `revision`. Synchronous: call it before the event loop starts,
    or through `asyncio.to_thread` from async code (env.py runs its own loop)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


class MigrationError(Exception):
    """The database could not be reached or migrated; the message is one readable line."""


def upgrade_or_explain(database_url: str) -> None:
    """Upgrade, turning a connection failure into one line that names DATABASE_URL. So is a
    schema at a revision this code does not know (Alembic's CommandError: "Can't locate revision
    identified by ..."), as when a newer release migrated the database and this one is started."""
    try:
        upgrade(database_url)
    except (OSError, SQLAlchemyError, CommandError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise MigrationError(f"DATABASE_URL: cannot migrate the database: {reason}") from None
