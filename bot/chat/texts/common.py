"""Texts shared by every feature: expired buttons, hints, errors, groups."""

from __future__ import annotations

from bot.i18n import _


def button_expired() -> str:
    return _("This button has expired. Nothing was changed.")


def private_only() -> str:
    return _(
        "Hi! I'm a personal stretching companion, so I only work in a private chat. "
        "Tap my name and start a chat with me there."
    )


def something_went_wrong() -> str:
    return _("Sorry, something went wrong on my side. Nothing you did was lost; please try again.")


# The same words on every message that offers it: a person in pain should not have to read twice.
def in_pain() -> str:
    return _("🆘 I'm in pain")


# While the database cannot be reached. A message is kept and answered once it is back; a tap
# changed nothing, so the button still works a minute later.
def notes_unreachable_kept() -> str:
    return _(
        "I can't reach my notes right now. I've kept your message and will answer it "
        "as soon as they're back, in a minute or so."
    )


def notes_unreachable_tap() -> str:
    return _("I can't reach my notes right now. Please tap again in a minute.")
