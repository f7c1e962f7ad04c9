"""The reminder's keyboard, serialised by the dispatcher itself: the same bytes PTB would send."""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.chat import keyboards
from bot.chat.codec import CallbackCodec
from bot.chat.keyboards import reminders
from bot.dispatch import markup_json


def _ptb_wire(markup: InlineKeyboardMarkup) -> str:
    """What PTB puts in the request body for this `reply_markup`."""
    data = RequestData([RequestParameter.from_input("reply_markup", markup)])
    return data.json_parameters["reply_markup"]


def test_a_reminder_keyboard_is_sent_exactly_as_ptb_would_send_it() -> None:
    buttons = keyboards.Buttons(CallbackCodec("123:secret"), 42)
    for routine_id, can_snooze in (("neck-5", True), (None, False)):
        markup = reminders.reminder(
            buttons, delivery_id=7, routine_id=routine_id, snooze_minutes=30, can_snooze=can_snooze
        )
        fast = markup_json(markup)
        assert isinstance(fast, str)
        assert fast == _ptb_wire(markup)
        passed = RequestData([RequestParameter.from_input("reply_markup", fast)])
        assert passed.json_parameters["reply_markup"] == fast  # a string goes through as is


def test_keyboards_with_other_buttons_or_extras_are_left_to_ptb() -> None:
    link = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://example.org")]])
    assert markup_json(link) is link
    extra = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Go", callback_data="go", api_kwargs={"new_field": 1})]]
    )
    assert markup_json(extra) is extra
    assert markup_json(None) is None
    plain = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    assert json.loads(str(markup_json(plain))) == plain.to_dict()
