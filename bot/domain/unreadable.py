"""What the domain says when it cannot read what someone typed, free of any language.

An error carries an English sentence marked `N_` for the bot's catalogs and the values to put
in it; the chat layer translates and fills it. Parsing times and zones both use it.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark `message` for the bot's catalogs (Babel extracts every `N_`); translated where shown.
    Here rather than imported from `bot.i18n`, so the domain knows nothing of languages."""
    return message


class Unreadable(ValueError):
    """Something typed that we could not read. `message` is an English sentence (marked `N_`)
    with `{placeholders}` for `values`; `reason` is it filled in, in English."""

    def __init__(self, message: str, **values: str | int) -> None:
        self.message = message
        self.values = values
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        return self.message.format(**self.values) if self.values else self.message
