"""Message entities: UTF-16 offsets, Telegram's automatic entities, trimming, HTML rendering.

Telegram measures entity offsets in UTF-16 code units, trims the text it stores, and adds
entities of its own (bot commands, mentions, hashtags, links) to every message. The chat view
and the updates the bot receives must show the same, so these rules live here once.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

JSONDict = dict[str, Any]

# Entity types a client may send in `entities`, as listed by the Bot API.
KNOWN_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)

# Types Telegram finds by itself in any text; they never carry formatting.
AUTOMATIC_TYPES = frozenset({"mention", "hashtag", "bot_command", "url", "email"})

_WHITESPACE = " \t\n\r\v\f"


@dataclass(frozen=True)
class Entity:
    """One MessageEntity; `offset` and `length` count UTF-16 code units like Telegram."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    user_id: int | None = None
    custom_emoji_id: str | None = None

    @property
    def end(self) -> int:
        return self.offset + self.length

    def to_api(self, user: JSONDict | None = None) -> JSONDict:
        """The Bot API JSON; a text_mention needs the mentioned user's object."""
        data: JSONDict = {"offset": self.offset, "length": self.length, "type": self.type}
        if self.url is not None:
            data["url"] = self.url
        if self.language is not None:
            data["language"] = self.language
        if self.custom_emoji_id is not None:
            data["custom_emoji_id"] = self.custom_emoji_id
        if self.type == "text_mention":
            data["user"] = user or {"id": self.user_id, "is_bot": False, "first_name": ""}
        return data


def utf16_len(text: str) -> int:
    """The length Telegram reports for `text` (characters beyond U+FFFF count twice)."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def utf16_to_index(text: str) -> dict[int, int]:
    """Map every UTF-16 offset that starts a character (and the end) to a str index."""
    mapping: dict[int, int] = {}
    position = 0
    for index, char in enumerate(text):
        mapping[position] = index
        position += 2 if ord(char) > 0xFFFF else 1
    mapping[position] = len(text)
    return mapping


def slice_utf16(text: str, offset: int, length: int) -> str:
    """The part of `text` an entity covers."""
    mapping = utf16_to_index(text)
    start = mapping.get(offset, len(text))
    end = mapping.get(offset + length, len(text))
    return text[start:end]


_AUTOMATIC_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("url", re.compile(r"(?<![\w@/])(?:https?|tg)://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")),
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{2,31}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")),
)


def find_automatic(text: str) -> list[Entity]:
    """Entities Telegram adds on its own: links, e-mails, bot commands, mentions, hashtags."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _AUTOMATIC_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            found.append((start, end, kind))
    entities = [
        Entity(kind, utf16_len(text[:start]), utf16_len(text[start:end]))
        for start, end, kind in found
    ]
    return sort_entities(entities)


_TYPE_ORDER = {kind: index for index, kind in enumerate(sorted(KNOWN_TYPES))}


def sort_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Telegram's order: by offset, longer first (outer before inner), then by type."""
    return sorted(
        entities,
        key=lambda entity: (entity.offset, -entity.length, _TYPE_ORDER.get(entity.type, 99)),
    )


def merge_automatic(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """Add automatic entities that do not overlap an entity the sender gave or a code span."""
    given = [entity for entity in entities if entity.type not in AUTOMATIC_TYPES]
    blocking = [entity for entity in given if entity.type in {"code", "pre", "text_link"}]
    extra = [
        automatic
        for automatic in find_automatic(text)
        if not any(
            automatic.offset < other.end and other.offset < automatic.end for other in blocking
        )
        and not any(
            automatic.offset < other.end and other.offset < automatic.end
            for other in entities
            if other.type in AUTOMATIC_TYPES
        )
    ]
    kept_automatic = [entity for entity in entities if entity.type in AUTOMATIC_TYPES]
    return sort_entities([*given, *kept_automatic, *extra])


def trim(text: str, entities: Sequence[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, moving and clipping the entities."""
    stripped_left = text.lstrip(_WHITESPACE)
    removed_left = utf16_len(text[: len(text) - len(stripped_left)])
    result = stripped_left.rstrip(_WHITESPACE)
    total = utf16_len(result)
    kept: list[Entity] = []
    for entity in entities:
        start = max(entity.offset - removed_left, 0)
        end = min(entity.end - removed_left, total)
        if end > start:
            kept.append(replace(entity, offset=start, length=end - start))
    return result, sort_entities(kept)


def _user_id(user: Any) -> int | None:
    return user.get("id") if isinstance(user, dict) else None


def entities_from_api(raw: Any, text: str) -> list[Entity]:
    """Read a client's `entities` array; bad items raise ValueError with Telegram's reason."""
    if not isinstance(raw, list):
        raise ValueError("can't parse entities JSON object")
    total = utf16_len(text)
    entities: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError("can't parse MessageEntity: expected an Object")
        kind = item.get("type")
        offset = item.get("offset")
        length = item.get("length")
        if not isinstance(kind, str) or not isinstance(offset, int) or not isinstance(length, int):
            raise ValueError('can\'t parse MessageEntity: Field "type" must be of type String')
        if kind not in KNOWN_TYPES:
            raise ValueError(f"can't parse MessageEntity: Unsupported type specified: {kind}")
        if offset < 0 or length <= 0 or offset + length > total:
            continue
        user = item.get("user")
        entities.append(
            Entity(
                kind,
                offset,
                length,
                url=item.get("url") if kind == "text_link" else None,
                language=item.get("language") if kind == "pre" else None,
                user_id=_user_id(user) if kind == "text_mention" else None,
                custom_emoji_id=item.get("custom_emoji_id") if kind == "custom_emoji" else None,
            )
        )
    return sort_entities(entities)


_SIMPLE_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "spoiler": "tg-spoiler",
    "code": "code",
    "blockquote": "blockquote",
}


def _open_tag(entity: Entity) -> tuple[str, str] | None:
    if entity.type in _SIMPLE_TAGS:
        tag = _SIMPLE_TAGS[entity.type]
        return f"<{tag}>", f"</{tag}>"
    if entity.type == "expandable_blockquote":
        return "<blockquote expandable>", "</blockquote>"
    if entity.type == "pre":
        if entity.language:
            language = html.escape(entity.language, quote=True)
            return f'<pre><code class="language-{language}">', "</code></pre>"
        return "<pre>", "</pre>"
    if entity.type == "text_link" and entity.url:
        return f'<a href="{html.escape(entity.url, quote=True)}">', "</a>"
    if entity.type == "text_mention" and entity.user_id is not None:
        return f'<a href="tg://user?id={entity.user_id}">', "</a>"
    if entity.type == "custom_emoji" and entity.custom_emoji_id:
        return f'<tg-emoji emoji-id="{html.escape(entity.custom_emoji_id)}">', "</tg-emoji>"
    return None


def render_html(text: str, entities: Sequence[Entity]) -> str:
    """HTML in Telegram's dialect for a text with entities (automatic ones stay plain text).

    Entities that cross each other are closed and reopened so the markup stays well formed.
    """
    formatting = [
        (entity, tags)
        for entity in sort_entities(entities)
        if (tags := _open_tag(entity)) is not None
    ]
    mapping = utf16_to_index(text)
    boundaries = sorted(
        {0, len(text)}
        | {mapping.get(entity.offset, len(text)) for entity, _ in formatting}
        | {mapping.get(entity.end, len(text)) for entity, _ in formatting}
    )
    spans = [
        (mapping.get(entity.offset, len(text)), mapping.get(entity.end, len(text)), tags)
        for entity, tags in formatting
    ]
    out: list[str] = []
    stack: list[tuple[int, int, tuple[str, str]]] = []
    for position, next_position in itertools.pairwise(boundaries):
        # Close everything that ends here (and whatever was opened above it).
        while any(end <= position for _, end, _ in stack):
            _, end, tags = stack.pop()
            out.append(tags[1])
            if end > position:
                # Crossed by an entity that ended: reopen later in this loop.
                spans.append((position, end, tags))
        for span in sorted(
            (span for span in spans if span[0] == position), key=lambda item: -item[1]
        ):
            spans.remove(span)
            stack.append(span)
            out.append(span[2][0])
        out.append(html.escape(text[position:next_position], quote=False))
    while stack:
        out.append(stack.pop()[2][1])
    return "".join(out)
