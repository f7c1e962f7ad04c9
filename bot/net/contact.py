"""PTB's HTTP client, noting the moment of every answer from the Bot API.

`/readyz` asks "was Telegram reachable in the last minute?". Every long poll, reply and edit goes
through the application's request objects, so recording the time of each answer here answers
that question without extra calls while the bot is busy.
"""

from __future__ import annotations

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import HTTPXRequest, RequestData

from bot import metrics


class ContactTrackingRequest(HTTPXRequest):
    """`HTTPXRequest` that sets `stretchbot_telegram_last_contact_timestamp_seconds`."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        answer = await super().do_request(
            url,
            method,
            request_data=request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        metrics.TELEGRAM_LAST_CONTACT.set_to_current_time()
        return answer
