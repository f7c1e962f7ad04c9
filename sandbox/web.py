"""The people API over HTTP: JSON endpoints and a server-sent-events stream of chat changes.

This is what the demo chat page uses: create a person, write, tap, share a location, block,
read a chat, and follow `/sandbox/chats/<id>/events` to redraw when something changes. It calls
the same functions as the Python people API, so both behave alike.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.events import ChatEvent
from sandbox.inbound import SandboxUsageError
from sandbox.people import SimGroup, SimUser, view
from sandbox.serialize import user_json

if TYPE_CHECKING:
    from sandbox.server import SandboxServer

KEEPALIVE_SECONDS = 15.0
STATIC_DIR = Path(__file__).with_name("static")
# The page renders the bot's formatting itself from a whitelist; this policy is the second
# line of defence: no inline script, no foreign origin, nothing but our own files and API.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'none'"
)
# A file the bot sent is shown or downloaded, never run as a page of ours.
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
RouteHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _fail(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "the body must be a JSON object"}),
            content_type="application/json",
        ) from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "the body must be a JSON object"}),
            content_type="application/json",
        )
    return body


class PeopleApi:
    """Route handlers bound to one sandbox server."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.state = server.state

    def _user(self, request: web.Request) -> SimUser:
        try:
            user_id = int(request.match_info["user_id"])
        except ValueError:
            raise web.HTTPNotFound() from None
        person = self.state.people.get(user_id)
        if person is None or person.is_bot:
            raise web.HTTPNotFound()
        return SimUser(self.state, person)

    def _group(self, request: web.Request) -> SimGroup:
        chat = self._chat(request)
        if chat.type == "private":
            raise web.HTTPNotFound()
        return SimGroup(self.state, chat)

    def _chat(self, request: web.Request) -> Any:
        try:
            chat_id = int(request.match_info["chat_id"])
        except ValueError:
            raise web.HTTPNotFound() from None
        chat = self.state.chat(chat_id)
        if chat is None:
            raise web.HTTPNotFound()
        return chat

    async def overview(self, request: web.Request) -> web.StreamResponse:
        people = [p for p in self.state.people.values() if not p.is_bot]
        groups = [c for c in self.state.chats.values() if c.type != "private"]
        return web.json_response(
            {
                "bot": user_json(self.state.bot, full=True),
                "users": [user_json(person) for person in people],
                "groups": [{"id": c.id, "title": c.title, "members": c.member_ids} for c in groups],
            }
        )

    async def create_user(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        first_name = body.get("first_name")
        if not isinstance(first_name, str) or not first_name.strip():
            return _fail(400, "first_name is required")
        user = self.server.user(
            first_name.strip(),
            last_name=body.get("last_name"),
            username=body.get("username"),
            language_code=body.get("language_code", "en"),
            user_id=body.get("id"),
        )
        return web.json_response(user_json(user.person), status=201)

    async def send(self, request: web.Request) -> web.StreamResponse:
        user = self._user(request)
        body = await _body(request)
        message = await user.send(str(body.get("text", "")), reply_to=body.get("reply_to"))
        return web.json_response(message.to_json(), status=201)

    async def location(self, request: web.Request) -> web.StreamResponse:
        user = self._user(request)
        body = await _body(request)
        message = await user.share_location(float(body["latitude"]), float(body["longitude"]))
        return web.json_response(message.to_json(), status=201)

    async def tap(self, request: web.Request) -> web.StreamResponse:
        user = self._user(request)
        body = await _body(request)
        tap = await user.tap(
            body.get("label"), data=body.get("callback_data"), message=body.get("message_id")
        )
        return web.json_response(
            {"query_id": tap.query_id, "message_id": tap.message_id, "data": tap.data}, status=201
        )

    async def block(self, request: web.Request) -> web.StreamResponse:
        await self._user(request).block()
        return web.json_response({"blocked": True})

    async def unblock(self, request: web.Request) -> web.StreamResponse:
        await self._user(request).unblock()
        return web.json_response({"blocked": False})

    async def callback_answers(self, request: web.Request) -> web.StreamResponse:
        answers = self._user(request).callback_answers
        return web.json_response(
            [
                {"query_id": a.query_id, "text": a.text, "show_alert": a.show_alert, "url": a.url}
                for a in answers
            ]
        )

    async def create_group(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        members = [
            SimUser(self.state, self.state.people[int(member)])
            for member in body.get("member_ids", [])
        ]
        group = self.server.group(
            str(body.get("title", "Group")),
            members,
            supergroup=body.get("supergroup") is True,
            bot_is_admin=body.get("bot_is_admin") is True,
        )
        return web.json_response({"id": group.id, "title": group.title}, status=201)

    async def group_send(self, request: web.Request) -> web.StreamResponse:
        group = self._group(request)
        body = await _body(request)
        user = SimUser(self.state, self.state.people[int(body["user_id"])])
        message = await group.send(user, str(body.get("text", "")), reply_to=body.get("reply_to"))
        return web.json_response(message.to_json(), status=201)

    async def group_tap(self, request: web.Request) -> web.StreamResponse:
        group = self._group(request)
        body = await _body(request)
        user = SimUser(self.state, self.state.people[int(body["user_id"])])
        tap = await group.tap(
            user, body.get("label"), data=body.get("callback_data"), message=body.get("message_id")
        )
        return web.json_response(
            {"query_id": tap.query_id, "message_id": tap.message_id, "data": tap.data}, status=201
        )

    async def chat(self, request: web.Request) -> web.StreamResponse:
        chat = self._chat(request)
        conversation = (
            SimUser(self.state, self.state.people[chat.id])
            if chat.type == "private"
            else SimGroup(self.state, chat)
        )
        keyboard = conversation.reply_keyboard
        return web.json_response(
            {
                "chat": {"id": chat.id, "type": chat.type, "title": chat.title},
                "messages": [message.to_json() for message in conversation.chat()],
                "reply_keyboard": [list(row) for row in keyboard] if keyboard else None,
                "chat_action": conversation.chat_action,
                "blocked": chat.blocked,
            }
        )

    async def file(self, request: web.Request) -> web.StreamResponse:
        stored = self.state.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        content_type = stored.mime_type or ("image/png" if stored.kind == "photo" else None)
        return web.Response(
            body=stored.data, content_type=content_type or "application/octet-stream"
        )

    async def commands(self, request: web.Request) -> web.StreamResponse:
        """The command menu this chat shows: the most specific scope the bot set, as Telegram
        resolves it (this chat, then all private or group chats, then the default), each
        first in the person's language and then without one."""
        chat = self._chat(request)
        person = self.state.people.get(chat.id) if chat.type == "private" else None
        language = (person.language_code or "").lower() if person is not None else ""
        broad = "all_private_chats" if chat.type == "private" else "all_group_chats"
        scopes = [{"type": "chat", "chat_id": chat.id}, {"type": broad}, {"type": "default"}]
        for scope in scopes:
            for code in dict.fromkeys((language, "")):
                found = self.state.commands.get((json.dumps(scope, sort_keys=True), code))
                if found:
                    return web.json_response([command.to_api() for command in found])
        return web.json_response([])

    async def keyboard(self, request: web.Request) -> web.StreamResponse:
        """The reply keyboard under the input field, with what each button asks for."""
        chat = self._chat(request)
        keyboard = chat.reply_keyboard
        if keyboard is None:
            return web.json_response(None)
        return web.json_response(
            {
                "rows": [
                    [
                        {
                            "text": button.text,
                            "request_location": button.request_location,
                            "request_contact": button.request_contact,
                        }
                        for button in row
                    ]
                    for row in keyboard.rows
                ],
                "hidden": chat.reply_keyboard_hidden,
                "one_time": keyboard.one_time_keyboard,
                "placeholder": keyboard.input_field_placeholder,
            }
        )

    async def message_file(self, request: web.Request) -> web.StreamResponse:
        """The photo or document of one message (the page has no file ids)."""
        chat = self._chat(request)
        try:
            message_id = int(request.match_info["message_id"])
        except ValueError:
            raise web.HTTPNotFound() from None
        stored = self.state.message(chat.id, message_id)
        attached = None if stored is None else stored.photo or stored.document
        if attached is None:
            raise web.HTTPNotFound()
        headers = dict(FILE_HEADERS)
        if attached.kind == "photo":
            content_type = attached.mime_type or "image/png"
            if not content_type.startswith("image/"):
                content_type = "application/octet-stream"
        else:
            content_type = "application/octet-stream"
            raw = attached.file_name or ""
            name = "".join(c for c in raw if c.isprintable() and c not in '"\\') or "document"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return web.Response(body=attached.data, content_type=content_type, headers=headers)

    def _event_payload(self, event: ChatEvent) -> dict[str, Any]:
        payload = event.to_json()
        if event.kind in {"message", "edit"} and event.message_id is not None:
            stored = self.state.message(event.chat_id, event.message_id)
            if stored is not None:
                payload["message"] = view(self.state, stored).to_json()
        return payload

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: one `event: <kind>` with JSON data per chat change."""
        only_chat = int(request.match_info["chat_id"]) if "chat_id" in request.match_info else None
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        queue = self.state.events.subscribe()
        try:
            await response.write(b": connected\n\n")
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if event is None:
                    break
                if only_chat is not None and event.chat_id != only_chat:
                    continue
                data = json.dumps(self._event_payload(event))
                await response.write(f"event: {event.kind}\ndata: {data}\n\n".encode())
        finally:
            self.state.events.unsubscribe(queue)
        return response


@web.middleware
async def _usage_errors(request: web.Request, handler: RouteHandler) -> web.StreamResponse:
    """Turn people-API misuse into a JSON 400 instead of a 500 page."""
    if not request.path.startswith("/sandbox/"):
        return await handler(request)
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return _fail(404, "no such person, chat or file")
    except (SandboxUsageError, ValueError, KeyError, TypeError) as error:
        return _fail(400, str(error))


def add_people_routes(app: web.Application, server: SandboxServer) -> None:
    api = PeopleApi(server)
    app.middlewares.append(_usage_errors)
    routes = app.router
    routes.add_get("/sandbox/", api.overview)
    routes.add_post("/sandbox/users", api.create_user)
    routes.add_post("/sandbox/users/{user_id}/messages", api.send)
    routes.add_post("/sandbox/users/{user_id}/location", api.location)
    routes.add_post("/sandbox/users/{user_id}/taps", api.tap)
    routes.add_post("/sandbox/users/{user_id}/block", api.block)
    routes.add_post("/sandbox/users/{user_id}/unblock", api.unblock)
    routes.add_get("/sandbox/users/{user_id}/callback_answers", api.callback_answers)
    routes.add_post("/sandbox/groups", api.create_group)
    routes.add_post("/sandbox/groups/{chat_id}/messages", api.group_send)
    routes.add_post("/sandbox/groups/{chat_id}/taps", api.group_tap)
    routes.add_get("/sandbox/chats/{chat_id}", api.chat)
    routes.add_get("/sandbox/chats/{chat_id}/events", api.events)
    routes.add_get("/sandbox/events", api.events)
    routes.add_get("/sandbox/files/{file_id}", api.file)
    routes.add_get("/sandbox/chats/{chat_id}/commands", api.commands)
    routes.add_get("/sandbox/chats/{chat_id}/keyboard", api.keyboard)
    routes.add_get("/sandbox/chats/{chat_id}/messages/{message_id}/file", api.message_file)
    add_page_routes(app)


async def _page(request: web.Request) -> web.StreamResponse:
    response = web.FileResponse(STATIC_DIR / "index.html")
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["Cache-Control"] = "no-cache"
    return response


def add_page_routes(app: web.Application) -> None:
    """The chat page at `/` and its files under `/static/` (no build step, nothing remote)."""
    app.router.add_get("/", _page)
    app.router.add_static("/static/", STATIC_DIR, follow_symlinks=False, append_version=False)
