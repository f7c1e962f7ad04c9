"""Reply markup: inline keyboards, reply keyboards, keyboard removal and forced replies.

Parsing validates like Telegram (callback data of 1-64 bytes, at most 100 inline buttons, a kind
of action on every inline button and only one, no empty or blank labels, no unknown markup
objects) so a keyboard that breaks on Telegram breaks here first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request

JSONDict = dict[str, Any]

MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
BUTTON_TEXT_INVALID = "BUTTON_TEXT_INVALID"
_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass(frozen=True)
class InlineButton:
    """An inline keyboard button; only callback and URL buttons can be tapped in the sandbox."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    other: JSONDict | None = None

    def to_api(self) -> JSONDict:
        data: JSONDict = {"text": self.text}
        if self.callback_data is not None:
            data["callback_data"] = self.callback_data
        if self.url is not None:
            data["url"] = self.url
        if self.other:
            data.update(self.other)
        return data


@dataclass(frozen=True)
class InlineKeyboard:
    rows: tuple[tuple[InlineButton, ...], ...]

    def to_api(self) -> JSONDict:
        return {"inline_keyboard": [[button.to_api() for button in row] for row in self.rows]}


@dataclass(frozen=True)
class KeyboardButton:
    text: str
    request_location: bool = False
    request_contact: bool = False


@dataclass(frozen=True)
class ReplyKeyboard:
    rows: tuple[tuple[KeyboardButton, ...], ...]
    resize_keyboard: bool = False
    one_time_keyboard: bool = False
    is_persistent: bool = False
    input_field_placeholder: str | None = None


@dataclass(frozen=True)
class RemoveKeyboard:
    pass


@dataclass(frozen=True)
class ForceReply:
    input_field_placeholder: str | None = None


ReplyMarkup = InlineKeyboard | ReplyKeyboard | RemoveKeyboard | ForceReply


def parse_reply_markup(raw: Any, *, inline_only: bool = False) -> ReplyMarkup | None:
    """Read `reply_markup` (already JSON-decoded); None when absent."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        return _inline_keyboard(raw["inline_keyboard"])
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in raw:
        return _reply_keyboard(raw)
    if raw.get("remove_keyboard") is True:
        return RemoveKeyboard()
    if raw.get("force_reply") is True:
        placeholder = raw.get("input_field_placeholder")
        return ForceReply(placeholder if isinstance(placeholder, str) else None)
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(raw: Any, field: str, owner: str) -> list[list[Any]]:
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise bad_request(f'field "{field}" of the {owner} must be an Array of Arrays')
    return raw


def _inline_keyboard(raw: Any) -> InlineKeyboard:
    rows = _rows(raw, "inline_keyboard", "InlineKeyboardMarkup")
    parsed = tuple(tuple(_inline_button(button) for button in row) for row in rows)
    if sum(len(row) for row in parsed) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    return InlineKeyboard(tuple(row for row in parsed if row))


def _inline_button(raw: Any) -> InlineButton:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(raw, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    text = raw.get("text")
    if not isinstance(text, str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not text.strip():
        raise bad_request(BUTTON_TEXT_INVALID)
    actions = [name for name in _INLINE_ACTIONS if name in raw]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request("BUTTON_TYPE_INVALID")
    action = actions[0]
    if action == "callback_data":
        data = raw["callback_data"]
        if not isinstance(data, str):
            raise bad_request(prefix + 'Field "callback_data" must be of type String')
        if not data or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
        return InlineButton(text, callback_data=data)
    if action == "url":
        url = raw["url"]
        if not isinstance(url, str):
            raise bad_request(prefix + 'Field "url" must be of type String')
        if not url.lower().startswith(("http://", "https://", "tg://")) or " " in url.strip():
            raise bad_request("BUTTON_URL_INVALID")
        return InlineButton(text, url=url)
    return InlineButton(text, other={action: raw[action]})


def _reply_keyboard(raw: JSONDict) -> ReplyKeyboard:
    rows = _rows(raw["keyboard"], "keyboard", "ReplyKeyboardMarkup")
    parsed: list[tuple[KeyboardButton, ...]] = []
    for row in rows:
        buttons: list[KeyboardButton] = []
        for button in row:
            label = button.get("text") if isinstance(button, dict) else button
            if isinstance(label, str) and not label.strip():
                raise bad_request(BUTTON_TEXT_INVALID)
            if isinstance(button, str):
                buttons.append(KeyboardButton(button))
            elif isinstance(button, dict) and isinstance(button.get("text"), str):
                buttons.append(
                    KeyboardButton(
                        button["text"],
                        request_location=button.get("request_location") is True,
                        request_contact=button.get("request_contact") is True,
                    )
                )
            else:
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
        if buttons:
            parsed.append(tuple(buttons))
    placeholder = raw.get("input_field_placeholder")
    return ReplyKeyboard(
        tuple(parsed),
        resize_keyboard=raw.get("resize_keyboard") is True,
        one_time_keyboard=raw.get("one_time_keyboard") is True,
        is_persistent=raw.get("is_persistent") is True,
        input_field_placeholder=placeholder if isinstance(placeholder, str) else None,
    )
