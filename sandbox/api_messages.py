"""Bot API methods that post, change and remove messages, and the bot's other chat actions."""

from __future__ import annotations

from typing import Any

from sandbox.api_common import (
    Handler,
    MethodContext,
    check_can_post,
    required_message_id,
    target_chat,
)
from sandbox.errors import bad_request, forbidden
from sandbox.events import ChatEvent
from sandbox.markup import (
    InlineKeyboard,
    RemoveKeyboard,
    ReplyKeyboard,
    ReplyMarkup,
    parse_reply_markup,
)
from sandbox.media import StoredFile, guess_mime_type, image_size
from sandbox.params import Params
from sandbox.serialize import message_json
from sandbox.state import CallbackAnswer, Chat, Location, StoredMessage
from sandbox.validation import MAX_CALLBACK_ANSWER, FormattedText, format_text

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
DELETE_WINDOW_SECONDS = 48 * 3600
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _markup(params: Params, *, inline_only: bool = False) -> ReplyMarkup | None:
    raw = params.json("reply_markup", invalid="can't parse reply keyboard markup JSON object")
    return parse_reply_markup(raw, inline_only=inline_only)


def _text(params: Params, name: str, *, caption: bool) -> FormattedText | None:
    entities_name = "caption_entities" if caption else "entities"
    raw_entities = params.json(entities_name, invalid="can't parse entities JSON object")
    return format_text(
        params.string(name), params.string("parse_mode"), raw_entities, caption=caption
    )


def _reply_target(context: MethodContext, chat: Chat, params: Params) -> int | None:
    raw = params.json("reply_parameters", invalid="can't parse reply parameters JSON object")
    allow_missing = params.boolean("allow_sending_without_reply")
    message_id = params.integer("reply_to_message_id")
    if isinstance(raw, dict):
        message_id = raw.get("message_id") if isinstance(raw.get("message_id"), int) else None
        allow_missing = raw.get("allow_sending_without_reply") is True
    if message_id is None:
        return None
    if context.state.message(chat.id, message_id) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return message_id


def _post(
    context: MethodContext, chat: Chat, params: Params, markup: ReplyMarkup | None, **fields: Any
) -> dict[str, Any]:
    """Store the bot's new message, apply its keyboard to the chat, answer with its JSON.

    `disable_notification` is kept as the message's `silent`: it reached the phone without a
    sound, which a test (or the demo page) can see."""
    state = context.state
    message = state.add_message(
        chat,
        state.bot.id,
        inline_keyboard=markup if isinstance(markup, InlineKeyboard) else None,
        reply_markup=markup,
        reply_to_message_id=_reply_target(context, chat, params),
        silent=params.boolean("disable_notification"),
        **fields,
    )
    if isinstance(markup, ReplyKeyboard):
        chat.reply_keyboard = markup
        chat.reply_keyboard_hidden = False
    elif isinstance(markup, RemoveKeyboard):
        chat.reply_keyboard = None
    return message_json(state, message)


async def send_message(context: MethodContext, params: Params) -> Any:
    chat = target_chat(context, params)
    if not params.string("text"):
        raise bad_request("message text is empty")
    markup = _markup(params)
    check_can_post(context, chat)
    text = _text(params, "text", caption=False)
    assert text is not None
    return _post(
        context,
        chat,
        params,
        markup,
        text=text.text,
        entities=text.entities,
        source_html=text.source_html,
    )


def _input_file(context: MethodContext, params: Params, name: str) -> StoredFile:
    """An uploaded file (direct or attach://), or a file_id sent before; never a download."""
    state = context.state
    reference = params.string(name)
    upload = params.upload(name)
    if upload is None and reference and reference.startswith("attach://"):
        upload = params.upload(reference[len("attach://") :])
    if upload is not None:
        if not upload.data:
            raise bad_request("file must be non-empty")
        if name == "photo":
            size = image_size(upload.data)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return state.store_file("photo", upload.data, file_name=upload.filename, size=size)
        return state.store_file(
            "document",
            upload.data,
            file_name=upload.filename,
            mime_type=guess_mime_type(upload.filename, upload.content_type),
        )
    if not reference:
        raise bad_request(f"there is no {name} in the request")
    if reference.lower().startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    stored = state.files.get(reference)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return stored


async def _send_file(context: MethodContext, params: Params, name: str) -> Any:
    chat = target_chat(context, params)
    markup = _markup(params)
    check_can_post(context, chat)
    caption = _text(params, "caption", caption=True)
    stored = _input_file(context, params, name)
    return _post(
        context,
        chat,
        params,
        markup,
        **{name: stored},
        caption=caption.text if caption else None,
        caption_entities=caption.entities if caption else (),
        source_html=caption.source_html if caption else None,
    )


async def send_photo(context: MethodContext, params: Params) -> Any:
    return await _send_file(context, params, "photo")


async def send_document(context: MethodContext, params: Params) -> Any:
    return await _send_file(context, params, "document")


async def send_location(context: MethodContext, params: Params) -> Any:
    chat = target_chat(context, params)
    latitude = params.number("latitude")
    longitude = params.number("longitude")
    if latitude is None:
        raise bad_request("latitude is empty")
    if longitude is None:
        raise bad_request("longitude is empty")
    markup = _markup(params)
    check_can_post(context, chat)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong location specified")
    live_period = params.integer("live_period")
    location = Location(latitude, longitude, params.number("horizontal_accuracy"), live_period)
    return _post(context, chat, params, markup, location=location)


def _message_to_edit(context: MethodContext, params: Params) -> StoredMessage:
    if params.string("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = target_chat(context, params)
    message_id = required_message_id(params)
    message = context.state.message(chat.id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if message.sender_id != context.state.bot.id:
        raise bad_request("message can't be edited")
    if chat.type == "private" and chat.blocked:
        raise forbidden("bot was blocked by the user")
    return message


def _keyboard(markup: ReplyMarkup | None) -> InlineKeyboard | None:
    return markup if isinstance(markup, InlineKeyboard) else None


async def edit_message_text(context: MethodContext, params: Params) -> Any:
    if not params.string("text"):
        raise bad_request("message text is empty")
    markup = _markup(params, inline_only=True)
    message = _message_to_edit(context, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text = _text(params, "text", caption=False)
    assert text is not None
    keyboard = _keyboard(markup)
    if (text.text, text.entities, keyboard) == (
        message.text,
        message.entities,
        message.inline_keyboard,
    ):
        raise bad_request(NOT_MODIFIED)
    message.text, message.entities, message.source_html = text.text, text.entities, text.source_html
    message.inline_keyboard = keyboard
    context.state.edited(message)
    return message_json(context.state, message)


async def edit_message_caption(context: MethodContext, params: Params) -> Any:
    markup = _markup(params, inline_only=True)
    message = _message_to_edit(context, params)
    if message.photo is None and message.document is None:
        raise bad_request("there is no caption in the message to edit")
    caption = _text(params, "caption", caption=True)
    keyboard = _keyboard(markup)
    new_caption = caption.text if caption else None
    new_entities = caption.entities if caption else ()
    if (new_caption, new_entities, keyboard) == (
        message.caption,
        message.caption_entities,
        message.inline_keyboard,
    ):
        raise bad_request(NOT_MODIFIED)
    message.caption, message.caption_entities = new_caption, new_entities
    message.source_html = caption.source_html if caption else None
    message.inline_keyboard = keyboard
    context.state.edited(message)
    return message_json(context.state, message)


async def edit_message_reply_markup(context: MethodContext, params: Params) -> Any:
    markup = _markup(params, inline_only=True)
    message = _message_to_edit(context, params)
    keyboard = _keyboard(markup)
    if keyboard == message.inline_keyboard:
        raise bad_request(NOT_MODIFIED)
    message.inline_keyboard = keyboard
    context.state.edited(message)
    return message_json(context.state, message)


async def delete_message(context: MethodContext, params: Params) -> Any:
    chat = target_chat(context, params)
    message_id = required_message_id(params)
    state = context.state
    message = state.message(chat.id, message_id)
    if message is None:
        raise bad_request("message to delete not found")
    own = message.sender_id == state.bot.id
    if chat.type != "private" and not own and not chat.bot_is_admin:
        raise bad_request("message can't be deleted")
    if state.now() - message.date > DELETE_WINDOW_SECONDS:
        raise bad_request("message can't be deleted for everyone")
    state.delete(message)
    return True


async def answer_callback_query(context: MethodContext, params: Params) -> Any:
    state = context.state
    query_id = params.string("callback_query_id") or ""
    record = state.callback_queries.get(query_id)
    if (
        record is None
        or record.answer is not None
        or state.monotonic() - record.created_at > state.callback_query_ttl
    ):
        raise bad_request(QUERY_INVALID)
    text = params.string("text")
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = CallbackAnswer(
        query_id=query_id,
        text=text,
        show_alert=params.boolean("show_alert"),
        url=params.string("url"),
        cache_time=params.integer("cache_time"),
    )
    state.answer_query(record, answer)
    state.events.publish(
        ChatEvent(
            "callback_answer",
            record.chat_id,
            record.message_id,
            {
                "query_id": query_id,
                "text": answer.text,
                "show_alert": answer.show_alert,
            },
        )
    )
    return True


async def send_chat_action(context: MethodContext, params: Params) -> Any:
    chat = target_chat(context, params)
    action = params.string("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    check_can_post(context, chat)
    chat.action = action
    chat.action_at = context.state.monotonic()
    context.state.events.publish(ChatEvent("action", chat.id, data={"action": action}))
    return True


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendLocation": send_location,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
}
