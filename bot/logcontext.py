"""What a log line is about: the update being handled and the person behind it.

Context variables follow the task that handles an update (PTB awaits its handlers inside
`process_update`), so any log call made while handling it carries both ids without being passed
them. Only internal ids: never a name, a username, message text or the token.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

UPDATE_ID: ContextVar[int | None] = ContextVar("stretchbot_update_id", default=None)
PERSON_ID: ContextVar[int | None] = ContextVar("stretchbot_person_id", default=None)


def set_person(subscriber_id: int | None) -> None:
    """Say which subscriber (internal id) the current update is about."""
    PERSON_ID.set(subscriber_id)


class ContextFilter(logging.Filter):
    """Copy the current update id and person id onto every record (None when there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "update_id"):
            record.update_id = UPDATE_ID.get()
        if not hasattr(record, "person_id"):
            record.person_id = PERSON_ID.get()
        return True
