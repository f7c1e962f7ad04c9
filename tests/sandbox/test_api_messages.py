"""Posting, editing and deleting messages, with Telegram's validation and descriptions.

Each rule is checked twice: the exact JSON description (as Telegram words it) and the exception
python-telegram-bot raises for it, because the bot only ever sees the latter.
"""

from __future__ import annotations

from typing import Any

import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from sandbox import SandboxServer, SimUser
from tests.sandbox.helpers import RawApi, png
from tests.support.clock import TestClock

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label)] for label in labels]
    )


def assert_round_trips(result: dict[str, Any], bot: telegram.Bot) -> None:
    """PTB knows every field we send, by the same name, and gives the same JSON back."""
    message = telegram.Message.de_json(result, bot)
    assert message.api_kwargs == {}
    again = message.to_dict()
    for key, value in result.items():
        assert again[key] == value, key


# sendMessage --------------------------------------------------------------------------------
async def test_send_message_answers_with_the_message(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    sent = await bot.send_message(started.id, "<b>Calf</b> stretch", parse_mode=ParseMode.HTML)
    assert sent.text == "Calf stretch"
    assert sent.text_html == "<b>Calf</b> stretch"
    assert sent.chat.id == started.id
    assert sent.chat.type == "private"
    assert sent.from_user is not None
    assert sent.from_user.is_bot
    status, body = await raw.call(
        "sendMessage",
        chat_id=started.id,
        text="Tap <i>below</i> 👇",
        parse_mode="HTML",
        reply_markup={"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]},
    )
    assert status == 200
    result = body["result"]
    assert result["entities"] == [{"offset": 4, "length": 5, "type": "italic"}]
    assert_round_trips(result, bot)
    seen = started.last_bot_message()
    assert seen is not None
    assert (seen.text, seen.html) == ("Tap below 👇", "Tap <i>below</i> 👇")
    assert seen.button_labels == ["Go"]


async def test_bot_messages_get_automatic_entities(started: SimUser, bot: telegram.Bot) -> None:
    sent = await bot.send_message(started.id, "Send /pain any time")
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bot_command", 5, 5)]


@pytest.mark.parametrize("text", ["", "   \n "])
async def test_empty_text_is_refused(started: SimUser, raw: RawApi, text: str) -> None:
    description = await raw.description("sendMessage", chat_id=started.id, text=text)
    assert description == "Bad Request: message text is empty"


async def test_text_of_only_empty_tags_is_empty(started: SimUser, bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(started.id, "<b> </b>", parse_mode="HTML")


async def test_length_limit_counts_text_after_parsing(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    await bot.send_message(started.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    description = await raw.description("sendMessage", chat_id=started.id, text="x" * 4097)
    assert description == "Bad Request: message is too long"
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(started.id, "y" * 4097)


async def test_malformed_html_is_refused_with_the_parser_message(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    description = await raw.description(
        "sendMessage", chat_id=started.id, text="Hold <b>30 s<b>", parse_mode="HTML"
    )
    assert description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(started.id, "2 < 3", parse_mode=ParseMode.HTML)


async def test_markdown_modes_are_refused_openly(started: SimUser, raw: RawApi) -> None:
    description = await raw.description(
        "sendMessage", chat_id=started.id, text="*x*", parse_mode="MarkdownV2"
    )
    assert "not implemented by the sandbox" in description
    description = await raw.description(
        "sendMessage", chat_id=started.id, text="x", parse_mode="Shouty"
    )
    assert description == "Bad Request: unsupported parse_mode"


async def test_unknown_and_missing_chats(bot: telegram.Bot, raw: RawApi) -> None:
    assert await raw.description("sendMessage", text="hi") == "Bad Request: chat_id is empty"
    description = await raw.description("sendMessage", chat_id=424242, text="hi")
    assert description == "Bad Request: chat not found"
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message("@nobody_here", "hi")


async def test_the_bot_cannot_write_first_or_to_someone_who_blocked_it(
    sandbox: SandboxServer, bot: telegram.Bot, raw: RawApi
) -> None:
    stranger = sandbox.user("Sam")
    description = await raw.description("sendMessage", chat_id=stranger.id, text="hi")
    assert description == "Forbidden: bot can't initiate conversation with a user"
    await stranger.send("/start")
    await stranger.block()
    assert await raw.description("sendMessage", chat_id=stranger.id, text="hi") == (
        "Forbidden: bot was blocked by the user"
    )
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(stranger.id, "hi")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(stranger.id, "typing")
    await stranger.unblock()
    await bot.send_message(stranger.id, "welcome back")


async def test_messages_reach_a_person_by_username(started: SimUser, bot: telegram.Bot) -> None:
    sent = await bot.send_message("@dana_s", "by name")
    assert sent.chat.id == started.id


# Reply markup -------------------------------------------------------------------------------
async def test_callback_data_is_limited_to_64_bytes(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    await bot.send_message(started.id, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(started.id, "no", reply_markup=keyboard("é" * 33))
    description = await raw.description(
        "sendMessage",
        chat_id=started.id,
        text="no",
        reply_markup={"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]},
    )
    assert description == "Bad Request: BUTTON_DATA_INVALID"


async def test_at_most_100_inline_buttons(started: SimUser, bot: telegram.Bot, raw: RawApi) -> None:
    await bot.send_message(started.id, "ok", reply_markup=keyboard(*map(str, range(100))))
    description = await raw.description(
        "sendMessage",
        chat_id=started.id,
        text="no",
        reply_markup={
            "inline_keyboard": [[{"text": str(i), "callback_data": str(i)}] for i in range(101)]
        },
    )
    assert description == "Bad Request: reply markup is too long"


async def test_inline_buttons_need_an_action_and_markup_must_be_json(
    started: SimUser, raw: RawApi
) -> None:
    description = await raw.description(
        "sendMessage",
        chat_id=started.id,
        text="no",
        reply_markup={"inline_keyboard": [[{"text": "Just text"}]]},
    )
    assert description == (
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard"
    )
    status, body = await raw.form(
        "sendMessage", chat_id=str(started.id), text="x", reply_markup="{oops"
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: can't parse reply keyboard markup JSON object",
    )
    description = await raw.description(
        "sendMessage",
        chat_id=started.id,
        text="no",
        reply_markup={"inline_keyboard": [[{"text": "Site", "url": "javascript:alert(1)"}]]},
    )
    assert description == "Bad Request: BUTTON_URL_INVALID"


async def test_reply_keyboards_show_under_the_input_and_are_not_echoed(
    started: SimUser, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(
        started.id,
        "Pick a time",
        reply_markup=ReplyKeyboardMarkup(
            [["07:00", "19:00"], [KeyboardButton("Share location", request_location=True)]],
            one_time_keyboard=True,
        ),
    )
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    assert started.reply_keyboard == (("07:00", "19:00"), ("Share location",))
    seen = started.last_bot_message()
    assert seen is not None
    assert seen.reply_keyboard == (("07:00", "19:00"), ("Share location",))
    await started.press("07:00")
    await bot.send_message(started.id, "Saved", reply_markup=ReplyKeyboardRemove())
    assert started.reply_keyboard is None


async def test_replies_must_point_at_an_existing_message(
    started: SimUser, bot: telegram.Bot
) -> None:
    first = started.chat()[0]
    reply = await bot.send_message(started.id, "Got it", reply_to_message_id=first.message_id)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "/start"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(started.id, "?", reply_to_message_id=999)
    await bot.send_message(
        started.id,
        "fine",
        reply_parameters=telegram.ReplyParameters(999, allow_sending_without_reply=True),
    )


# Editing ------------------------------------------------------------------------------------
async def test_edit_text_applies_and_drops_an_omitted_keyboard(
    started: SimUser, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(started.id, "Step 1", reply_markup=keyboard("Done"))
    before = started.last_bot_message()
    assert before is not None
    edited = await bot.edit_message_text("Step 2", chat_id=started.id, message_id=sent.message_id)
    assert isinstance(edited, telegram.Message)
    assert edited.edit_date is not None
    assert edited.reply_markup is None
    after = await started.wait_for_edit(before, timeout=1)
    assert (after.text, after.buttons, after.edited) == ("Step 2", (), True)


async def test_edit_with_the_same_content_is_not_modified(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    sent = await bot.send_message(
        started.id, "<b>Same</b>", parse_mode="HTML", reply_markup=keyboard("A")
    )
    description = await raw.description(
        "editMessageText",
        chat_id=started.id,
        message_id=sent.message_id,
        text="<b>Same</b>",
        parse_mode="HTML",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "A"}]]},
    )
    assert description == NOT_MODIFIED
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(started.id, sent.message_id, reply_markup=keyboard("A"))
    # Same words, different formatting: that is a change.
    await bot.edit_message_text(
        "Same", chat_id=started.id, message_id=sent.message_id, reply_markup=keyboard("A")
    )


async def test_edit_targets_that_do_not_exist_or_are_not_the_bots(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    description = await raw.description(
        "editMessageText", chat_id=started.id, message_id=999, text="x"
    )
    assert description == "Bad Request: message to edit not found"
    users_own = started.chat()[0]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=started.id, message_id=users_own.message_id)
    sent = await bot.send_message(started.id, "bye")
    await bot.delete_message(started.id, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=started.id, message_id=sent.message_id)
    description = await raw.description("editMessageText", chat_id=started.id, text="x")
    assert description == "Bad Request: message identifier is not specified"


async def test_edit_reply_markup_replaces_or_removes_the_keyboard(
    started: SimUser, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(started.id, "Ready?", reply_markup=keyboard("Yes"))
    await bot.edit_message_reply_markup(started.id, sent.message_id, reply_markup=keyboard("No"))
    assert started.bot_messages()[-1].button_labels == ["No"]
    await bot.edit_message_reply_markup(started.id, sent.message_id)
    assert started.bot_messages()[-1].buttons == ()
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(started.id, sent.message_id)


async def test_edit_caption_of_a_photo(started: SimUser, bot: telegram.Bot) -> None:
    sent = await bot.send_photo(started.id, png(4, 3), caption="Week 1")
    edited = await bot.edit_message_caption(
        started.id, sent.message_id, caption="<b>Week 2</b>", parse_mode="HTML"
    )
    assert isinstance(edited, telegram.Message)
    assert edited.caption == "Week 2"
    text_message = await bot.send_message(started.id, "plain")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(started.id, text_message.message_id, caption="x")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=started.id, message_id=sent.message_id)


# Deleting -----------------------------------------------------------------------------------
async def test_delete_removes_from_the_chat_and_only_once(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    sent = await bot.send_message(started.id, "temporary")
    assert await bot.delete_message(started.id, sent.message_id) is True
    assert "temporary" not in [m.text for m in started.chat()]
    description = await raw.description(
        "deleteMessage", chat_id=started.id, message_id=sent.message_id
    )
    assert description == "Bad Request: message to delete not found"
    # In a private chat the bot may delete the person's messages too.
    await bot.delete_message(started.id, started.chat()[0].message_id)
    assert started.chat() == []


async def test_in_groups_others_messages_need_admin_rights(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    ann, ben = sandbox.user("Ann"), sandbox.user("Ben")
    group = sandbox.group("Stretch club", [ann, ben])
    said = await group.send(ben, "hello all")
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await bot.delete_message(group.id, said.message_id)
    admin_group = sandbox.group("Admins", [ann], bot_is_admin=True)
    said = await admin_group.send(ann, "spam")
    await bot.delete_message(admin_group.id, said.message_id)


async def test_old_messages_cannot_be_deleted() -> None:
    clock = TestClock()
    server = SandboxServer(clock=clock.timestamp)
    await server.start()
    try:
        user = server.user("Old")
        await user.send("/start")
        async with telegram.Bot(server.token, base_url=server.bot_base_url) as client:
            sent = await client.send_message(user.id, "x")
            clock.advance(hours=48, seconds=1)
            with pytest.raises(BadRequest, match="Message can't be deleted for everyone"):
                await client.delete_message(user.id, sent.message_id)
    finally:
        await server.stop()


# Callback answers and chat actions -----------------------------------------------------------
async def test_a_callback_query_is_answered_once(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    await bot.send_message(started.id, "Go?", reply_markup=keyboard("Go"))
    tap = await started.tap("Go")
    assert await bot.answer_callback_query(tap.query_id, text="Off we go", show_alert=True)
    answer = await tap.answered(timeout=1)
    assert (answer.text, answer.show_alert) == ("Off we go", True)
    assert started.callback_answers == [answer]
    description = await raw.description("answerCallbackQuery", callback_query_id=tap.query_id)
    assert description == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")
    long_tap = await started.tap("Go")
    description = await raw.description(
        "answerCallbackQuery", callback_query_id=long_tap.query_id, text="x" * 201
    )
    assert description == "Bad Request: MESSAGE_TOO_LONG"
    assert await bot.answer_callback_query(long_tap.query_id, text="x" * 200)


async def test_a_callback_query_expires() -> None:
    clock = TestClock()
    server = SandboxServer(monotonic=clock.monotonic, callback_query_ttl=15)
    await server.start()
    try:
        user = server.user("Late")
        await user.send("/start")
        async with telegram.Bot(server.token, base_url=server.bot_base_url) as client:
            await client.send_message(user.id, "?", reply_markup=keyboard("Go"))
            tap = await user.tap("Go")
            clock.advance(seconds=16)
            with pytest.raises(BadRequest, match="Query is too old"):
                await client.answer_callback_query(tap.query_id)
    finally:
        await server.stop()


async def test_chat_action_shows_until_the_next_message(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    assert await bot.send_chat_action(started.id, "typing")
    assert started.chat_action == "typing"
    await bot.send_message(started.id, "done")
    assert started.chat_action is None
    description = await raw.description("sendChatAction", chat_id=started.id, action="dancing")
    assert description == "Bad Request: wrong parameter action in request"


# Files and locations ------------------------------------------------------------------------
async def test_send_photo_keeps_the_bytes_and_reports_sizes(
    started: SimUser, bot: telegram.Bot, raw: RawApi
) -> None:
    image = png(300, 200)
    sent = await bot.send_photo(started.id, image, caption="Progress", filename="chart.png")
    assert [(p.width, p.height) for p in sent.photo] == [(90, 60), (300, 200)]
    assert sent.caption == "Progress"
    seen = started.last_bot_message()
    assert seen is not None
    assert (seen.kind, seen.photo, seen.text) == ("photo", image, "Progress")
    again = await bot.send_photo(started.id, sent.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(started.id, b"not an image")
    description = await raw.description("sendPhoto", chat_id=started.id, photo="AgACnope")
    assert description == "Bad Request: wrong file identifier/HTTP URL specified"
    description = await raw.description(
        "sendPhoto", chat_id=started.id, photo="https://example.org/a.png"
    )
    assert description == "Bad Request: failed to get HTTP URL content"
    description = await raw.description("sendPhoto", chat_id=started.id)
    assert description == "Bad Request: there is no photo in the request"


async def test_send_document_keeps_name_type_and_bytes(started: SimUser, bot: telegram.Bot) -> None:
    sent = await bot.send_document(
        started.id, b"a,b\n1,2\n", filename="history.csv", caption="Your log"
    )
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.mime_type, sent.document.file_size) == (
        "history.csv",
        "text/csv",
        8,
    )
    seen = started.last_bot_message()
    assert seen is not None
    assert (seen.document, seen.document_name) == (b"a,b\n1,2\n", "history.csv")
    with pytest.raises(BadRequest, match="File must be non-empty"):
        await bot.send_document(started.id, b"", filename="empty.txt")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(started.id, b"x", filename="x.txt", caption="c" * 1025)


async def test_send_location(started: SimUser, bot: telegram.Bot, raw: RawApi) -> None:
    sent = await bot.send_location(started.id, latitude=52.52, longitude=13.405)
    assert sent.location is not None
    assert (sent.location.latitude, sent.location.longitude) == (52.52, 13.405)
    seen = started.last_bot_message()
    assert seen is not None
    assert seen.location == (52.52, 13.405)
    description = await raw.description("sendLocation", chat_id=started.id, longitude=1)
    assert description == "Bad Request: latitude is empty"
