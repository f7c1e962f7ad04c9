"""Bot API methods for receiving updates: getUpdates and the webhook trio."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from sandbox.api_common import Described, Handler, MethodContext
from sandbox.errors import bad_request
from sandbox.params import Params
from sandbox.webhook import WebhookConfig

_SECRET = re.compile(r"[A-Za-z0-9_-]*")
_WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})


def _allowed_updates(params: Params) -> Any:
    return params.json("allowed_updates", invalid="can't parse allowed updates JSON object")


async def get_updates(context: MethodContext, params: Params) -> Any:
    queue = context.state.updates
    if not context.webhook.active:
        queue.set_allowed(_allowed_updates(params))
    return await queue.long_poll(
        offset=params.integer("offset"),
        limit=params.integer("limit") or 100,
        timeout=params.number("timeout") or 0.0,
        webhook_set=lambda: context.webhook.active,
    )


def _webhook_config(context: MethodContext, params: Params, url: str) -> WebhookConfig:
    parts = urlsplit(url)
    if not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if parts.scheme != "https" and not (context.allow_http_webhook and parts.scheme == "http"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if not context.allow_http_webhook and (parts.port or 443) not in _WEBHOOK_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    secret = params.string("secret_token")
    if secret is not None:
        if len(secret) > 256:
            raise bad_request("secret token is too long")
        if not _SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
    max_connections = params.integer("max_connections") or 40
    return WebhookConfig(
        url=url,
        secret_token=secret or None,
        max_connections=min(max(max_connections, 1), 100),
        ip_address=params.string("ip_address"),
        has_custom_certificate=params.upload("certificate") is not None,
    )


async def _remove_webhook(context: MethodContext, params: Params) -> Described:
    was_set = context.webhook.active
    if params.boolean("drop_pending_updates"):
        context.state.updates.clear()
    await context.webhook.delete()
    return Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")


async def set_webhook(context: MethodContext, params: Params) -> Any:
    url = (params.string("url") or "").strip()
    if not url:
        return await _remove_webhook(context, params)
    config = _webhook_config(context, params, url)
    context.state.updates.set_allowed(_allowed_updates(params))
    if params.boolean("drop_pending_updates"):
        context.state.updates.clear()
    already = context.webhook.config == config
    context.webhook.set(config)
    return Described(True, "Webhook is already set" if already else "Webhook was set")


async def delete_webhook(context: MethodContext, params: Params) -> Any:
    return await _remove_webhook(context, params)


async def get_webhook_info(context: MethodContext, params: Params) -> Any:
    return context.webhook.info()


HANDLERS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
