"""When the safety questions are asked again, as one pure rule.

A sign-up screening describes the person on the day they answered it; bodies change. So the
questions come back before a session when someone returns after `AWAY` without stretching, and
in any case once `EVERY` has passed since they last answered. "Away" is read from what the
database knows for certain: the start of the person's latest session, or their latest answers
(whichever is later), so a person who answered and has not stretched since is measured from
their answers. Someone with no answers at all (they never signed up, but typed /now) is asked
the questions before a first session.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

__all__ = ["AWAY", "EVERY", "Why", "due"]

AWAY = timedelta(days=28)
"""Four weeks without a session (or an answer) count as coming back."""
EVERY = timedelta(days=84)
"""Twelve weeks since the last answers, however often the person stretched meanwhile."""


class Why(StrEnum):
    """Why the questions are due; it only changes the first line the person reads."""

    NEVER = "never"
    AWAY = "away"
    ROUTINE = "routine"


def due(
    now: datetime, last_screened_at: datetime | None, last_session_at: datetime | None
) -> Why | None:
    """Are the safety questions due before a session starts at `now`? None: not yet.

    `last_screened_at`: when the person last finished the screening (at sign-up, or again);
    `last_session_at`: when their latest session began, if any.
    """
    if last_screened_at is None:
        return Why.NEVER
    if now - last_screened_at >= EVERY:
        return Why.ROUTINE
    last_seen = last_screened_at
    if last_session_at is not None and last_session_at > last_seen:
        last_seen = last_session_at
    if now - last_seen >= AWAY:
        return Why.AWAY
    return None
