"""Markup Telegram refuses is refused here too, and an edit in a blocked chat is a 403."""

from __future__ import annotations

from typing import Any

import pytest
import telegram
from telegram.error import Forbidden

from sandbox import SimUser
from tests.sandbox.helpers import RawApi


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        ({"inline_keyboard": [[{"text": "", "callback_data": "a"}]]}, "BUTTON_TEXT_INVALID"),
        ({"inline_keyboard": [[{"text": "   ", "callback_data": "a"}]]}, "BUTTON_TEXT_INVALID"),
        (
            {"inline_keyboard": [[{"text": "Go", "callback_data": "a", "url": "https://x.y"}]]},
            "BUTTON_TYPE_INVALID",
        ),
        ({"keyboard": [["Yes", ""]]}, "BUTTON_TEXT_INVALID"),
        ({"keyboard": [[{"text": " "}]]}, "BUTTON_TEXT_INVALID"),
        ({"menu": [["Yes"]]}, "can't parse reply keyboard markup JSON object"),
        ({"remove_keyboard": False}, "can't parse reply keyboard markup JSON object"),
    ],
)
async def test_refused_markup(
    started: SimUser, raw: RawApi, markup: dict[str, Any], description: str
) -> None:
    found = await raw.description("sendMessage", chat_id=started.id, text="x", reply_markup=markup)
    assert found == f"Bad Request: {description}"
    (refusal,) = raw.server.referee.refusals
    assert refusal.method == "sendMessage" and refusal.chat_id == started.id


async def test_editing_in_a_blocked_chat_is_forbidden(started: SimUser, bot: telegram.Bot) -> None:
    sent = await bot.send_message(started.id, "Hold — 30 s")
    await started.block()
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.edit_message_text("Time!", chat_id=started.id, message_id=sent.message_id)
    with pytest.raises(Forbidden):
        await bot.edit_message_reply_markup(chat_id=started.id, message_id=sent.message_id)


async def test_new_kinds_reach_the_bot_as_telegram_sends_them(
    started: SimUser, bot: telegram.Bot
) -> None:
    offset = (await bot.get_updates())[-1].update_id + 1  # past /start
    await started.send_sticker("🙂")
    await started.send_voice(3)
    await started.send_contact()
    await started.send_dice()
    typed = await started.send("hello")
    await started.edit(typed, "hello again")
    await started.share_location(90.0, -180.0)
    await started.share_location(95.0, 200.0, forged=True)
    sent = await bot.send_message(
        started.id,
        "tap",
        reply_markup=telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("Go", callback_data="go")]]
        ),
    )
    await started.tap_inaccessible("Go", message=sent.message_id)
    await started.tap_data("forged", message=sent.message_id)
    updates = await bot.get_updates(offset=offset)
    messages = [u.message for u in updates if u.message is not None]
    assert messages[0].sticker is not None and messages[0].sticker.emoji == "🙂"
    assert messages[1].voice is not None and messages[1].voice.file_id
    assert messages[2].contact is not None
    assert messages[3].dice is not None and 1 <= messages[3].dice.value <= 6
    edited = [u.edited_message for u in updates if u.edited_message is not None]
    assert edited[0].text == "hello again" and edited[0].edit_date is not None
    locations = [m.location for m in messages if m.location is not None]
    assert [(loc.latitude, loc.longitude) for loc in locations] == [(90.0, -180.0), (95.0, 200.0)]
    queries = [u.callback_query for u in updates if u.callback_query is not None]
    assert queries[0].message is not None and not queries[0].message.is_accessible
    assert queries[1].data == "forged"
