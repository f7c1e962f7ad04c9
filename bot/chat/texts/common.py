"""Texts shared by every feature: expired buttons, hints, errors, groups."""

from __future__ import annotations

BUTTON_EXPIRED = "This button has expired. Nothing was changed."
PRIVATE_ONLY = (
    "Hi! I'm a personal stretching companion, so I only work in a private chat. "
    "Tap my name and start a chat with me there."
)
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Nothing you did was lost; please try again."
)

# The same words on every message that offers it: a person in pain should not have to read twice.
IN_PAIN = "🆘 I'm in pain"

# While the database cannot be reached. A message is kept and answered once it is back; a tap
# changed nothing, so the button still works a minute later.
NOTES_UNREACHABLE_KEPT = (
    "I can't reach my notes right now. I've kept your message and will answer it "
    "as soon as they're back, in a minute or so."
)
NOTES_UNREACHABLE_TAP = "I can't reach my notes right now. Please tap again in a minute."
