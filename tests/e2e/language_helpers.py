"""Reading the chat in another language: expected texts rendered with `using(language)`
(and checked to differ from the English), content labels in whichever language they show."""

from __future__ import annotations

import re
from html import unescape

from bot.chat.texts import common as common_texts
from bot.chat.texts import session as session_texts
from bot.i18n import using
from bot.i18n.content import content_text
from sandbox.people import ChatMessage


def plain(html: str) -> str:
    """A text as the person reads it (the chat shows no tags)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def said(language: str, render: object, *args: object) -> str:
    """What `render(*args)` says in `language`, as read; it must not be the English."""
    assert callable(render)
    with using(language):
        text = str(render(*args))
    assert text != str(render(*args)), f"{render} is not translated into {language}"
    return plain(text)


def label(message: ChatMessage, english: str, language: str) -> str:
    """The button showing a content label: in the person's language once its catalog has it."""
    for wanted in (content_text(english, language), english):
        if wanted in message.button_labels:
            return wanted
    raise AssertionError(f"no {english!r} on {message.button_labels}")


def label_or_none(message: ChatMessage, english: str, language: str) -> str | None:
    try:
        return label(message, english, language)
    except AssertionError:
        return None


def hold_button(message: ChatMessage, language: str) -> str | None:
    """The button that starts this step's hold, in `language` (None: no hold offered)."""
    with using(language):
        others = {session_texts.skip(), common_texts.in_pain()}
    starts = [b for b in message.button_labels if b.startswith("▶️") and b not in others]
    return starts[0] if starts else None
