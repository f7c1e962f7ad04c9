"""Telegram's HTML parse mode: the same tags, escapes, entities and error texts as the service.

The algorithm follows TDLib's `parse_html` byte for byte (offsets in errors are UTF-8 byte
offsets, entity offsets are UTF-16), because a bot that passes here must pass on Telegram and a
message Telegram rejects must be rejected here with the description the bot will see there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.entities import Entity, sort_entities

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)

_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}

_NAMED = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_SPACES = frozenset(b" \t\r\n\v\0")
_LT, _GT, _AMP, _SLASH, _EQ = (ord(char) for char in "<>&/=")


class HtmlParseError(ValueError):
    """Malformed HTML; the message is TDLib's (Telegram prefixes "can't parse entities: ")."""


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    result_position: int


def _decode_entity(data: bytes, position: int) -> tuple[int, int]:
    """Decode `&...;` at `position`: (code point, next position), or (0, position) if none."""
    size = len(data)
    end = position + 1
    value = 0
    if end < size and data[end] == ord("#"):
        end += 1
        if end < size and data[end] == ord("x"):
            end += 1
            while end < size and chr(data[end]) in "0123456789abcdefABCDEF":
                value = value * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while end < size and chr(data[end]).isdigit():
                value = value * 10 + data[end] - ord("0")
                end += 1
        if value == 0 or value >= 0x10FFFF or end - position >= 10 or 0xD800 <= value <= 0xDFFF:
            return 0, position
    else:
        while end < size and chr(data[end]).isalpha() and data[end] < 0x80:
            end += 1
        value = _NAMED.get(data[position + 1 : end], 0)
        if value == 0:
            return 0, position
    if end < size and data[end] == ord(";"):
        end += 1
    return value, end


def _valid_link(url: str) -> str | None:
    """The URL Telegram keeps for <a href>, or None when it silently drops the link."""
    lowered = url.lower()
    if lowered.startswith(("http://", "https://", "tg://", "ton://")):
        return url if len(url.split("://", 1)[1]) > 0 else None
    if "://" in url or " " in url or "." not in url:
        return None
    return "http://" + url


def _closing_entity(
    opened: _Open, offset: int, length: int, text_so_far: bytes, entities: list[Entity]
) -> Entity | None:
    """The entity a closing tag produces (None when Telegram produces none)."""
    tag = opened.tag
    if tag in _SIMPLE:
        return Entity(_SIMPLE[tag], offset, length)
    if tag == "a":
        url = opened.argument or text_so_far[opened.result_position :].decode("utf-8")
        if url.lower().startswith("tg://user?id="):
            user = url.split("=", 1)[1]
            if user.isdigit():
                return Entity("text_mention", offset, length, user_id=int(user))
        link = _valid_link(url)
        return Entity("text_link", offset, length, url=link) if link else None
    if tag == "pre":
        last = entities[-1] if entities else None
        covers_code = last is not None and last.type == "code"
        if last is not None and covers_code and (last.offset, last.length) == (offset, length):
            entities.pop()
            return Entity("pre", offset, length, language=last.language)
        return Entity("pre", offset, length)
    if tag == "code":
        return Entity("code", offset, length, language=opened.argument or None)
    if tag == "tg-emoji":
        if not opened.argument.isdigit() or int(opened.argument) == 0:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        return Entity("custom_emoji", offset, length, custom_emoji_id=opened.argument)
    if tag == "blockquote":
        kind = "expandable_blockquote" if opened.argument else "blockquote"
        return Entity(kind, offset, length)
    return None


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Split Telegram HTML into plain text and entities, or raise HtmlParseError."""
    data = source.encode("utf-8")
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    result = bytearray()
    utf16_offset = 0
    nested: list[_Open] = []
    entities: list[Entity] = []
    i = 0
    while i < size:
        char = data[i]
        if char == _AMP:
            code_point, after = _decode_entity(data, i)
            if code_point:
                utf16_offset += 2 if code_point > 0xFFFF else 1
                result += chr(code_point).encode("utf-8")
                i = after
                continue
        if char != _LT:
            result.append(char)
            if char & 0xC0 != 0x80:
                utf16_offset += 2 if char >= 0xF0 else 1
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != _SLASH:
            i = _parse_start_tag(data, begin, i, nested, utf16_offset, len(result))
        else:
            if not nested:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            while at(i) not in _SPACES and at(i) != _GT:
                i += 1
            end_tag = data[begin + 2 : i].decode("utf-8", "replace").lower()
            while i < size and at(i) in _SPACES:
                i += 1
            if at(i) != _GT:
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            opened = nested.pop()
            if end_tag and end_tag != opened.tag:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{opened.tag}>", '
                    f'found "</{end_tag}>"'
                )
            if utf16_offset > opened.utf16_offset:
                entity = _closing_entity(
                    opened,
                    opened.utf16_offset,
                    utf16_offset - opened.utf16_offset,
                    bytes(result),
                    entities,
                )
                if entity is not None:
                    entities.append(entity)
        i += 1  # past '>'
    if nested:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{nested[-1].tag}"')
    return result.decode("utf-8"), sort_entities(entities)


def _parse_start_tag(
    data: bytes, begin: int, i: int, nested: list[_Open], utf16_offset: int, position: int
) -> int:
    """Read `<tag attr=...>` starting after '<'; push it and return the index of '>'."""
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    while at(i) not in _SPACES and at(i) != _GT:
        i += 1
    if at(i) == 0:
        raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
    tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
    if tag not in ALLOWED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')

    argument = ""
    while at(i) != _GT:
        while i < size and at(i) in _SPACES:
            i += 1
        if at(i) == _GT:
            break
        name_start = i
        while at(i) not in _SPACES and at(i) != _EQ and at(i) != _GT:
            i += 1
        name = data[name_start:i].decode("utf-8", "replace")
        if not name:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while i < size and at(i) in _SPACES:
            i += 1
        if at(i) != _EQ:
            if tag == "blockquote" and name == "expandable":
                argument = "1"  # the only attribute Telegram accepts without a value
                continue
            raise HtmlParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {begin}'
            )
        i += 1
        while i < size and at(i) in _SPACES:
            i += 1
        if at(i) == 0:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        value, i = _attribute_value(data, i)
        if at(i) == 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
        elif tag == "blockquote" and name == "expandable":
            argument = "1"
    if tag == "span" and argument != "spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    nested.append(_Open(tag, argument, utf16_offset, position))
    return i


def _attribute_value(data: bytes, i: int) -> tuple[str, int]:
    """Read a quoted string or a name token; return it and the index after it."""
    size = len(data)
    quote = data[i]
    if quote not in (ord("'"), ord('"')):
        start = i
        while i < size and ((chr(data[i]).isalnum() and data[i] < 0x80) or data[i] in b".-"):
            i += 1
        if i < size and data[i] not in _SPACES and data[i] != _GT:
            raise HtmlParseError(f"Unexpected end of name token at byte offset {start}")
        return data[start:i].decode("utf-8").lower(), i
    i += 1
    value = bytearray()
    while i < size and data[i] != quote:
        if data[i] == _AMP:
            code_point, after = _decode_entity(data, i)
            if code_point:
                value += chr(code_point).encode("utf-8")
                i = after
                continue
        value.append(data[i])
        i += 1
    if i < size:
        i += 1
    return value.decode("utf-8", "replace"), i
