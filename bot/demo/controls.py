"""The demo controls beside the chat, as JSON under `/demo/` on the page's own server.

The chat page asks `/demo/state` whether it runs inside the demo (it also works on a bare
sandbox, without these buttons) and posts to `/demo/people/<id>/reminder`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.demo.stack import Demo


class DemoControls:
    """Route handlers bound to one running demo."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    async def state(self, request: web.Request) -> web.StreamResponse:
        """The bot's clock (the demo moves it forward), how far ahead of real time it is and,
        with `?user=<id>`, when that person's next reminder is due (null: none is)."""
        clock = self.demo.clock
        body: dict[str, object] = {
            "clock": clock().isoformat(),
            "ahead_seconds": int(clock.ahead.total_seconds()),
        }
        user = request.query.get("user", "")
        person = self.demo.sandbox.state.people.get(int(user)) if user.isdigit() else None
        if person is not None and not person.is_bot:
            body["next_reminder"] = await self.demo.next_reminder(person.id)
        return web.json_response(body)

    async def remind(self, request: web.Request) -> web.StreamResponse:
        """Send this person's next reminder now (see `Demo.send_reminder_now`)."""
        try:
            user_id = int(request.match_info["user_id"])
        except ValueError:
            raise web.HTTPNotFound() from None
        person = self.demo.sandbox.state.people.get(user_id)
        if person is None or person.is_bot:
            return web.json_response({"error": "no such person"}, status=404)
        result = await self.demo.send_reminder_now(user_id)
        return web.json_response(
            {"sent": result.sent, "message": result.message, "clock": result.clock.isoformat()}
        )


def add_demo_routes(app: web.Application, demo: Demo) -> None:
    controls = DemoControls(demo)
    app.router.add_get("/demo/state", controls.state)
    app.router.add_post("/demo/people/{user_id}/reminder", controls.remind)
