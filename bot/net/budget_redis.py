"""The send budget's state in Redis, so every process of one bot shares one budget.

Telegram counts a bot's messages wherever they come from: a chat process and a dispatcher
process (or several of each) must not each spend 30/s. Each turn is one Lua script, run
atomically by Redis on Redis's own clock, that checks and takes the chat's turn and the lane's
turn together (the same arithmetic as `LocalStore`). Keys expire once their budget has
refilled, so idle chats cost nothing.

Why not the `limits` library: its strategies answer "allowed or not" for one key; we need two
keys taken together, a different tolerance per priority (people first across processes) and
the wait until the next turn, which one small script gives exactly.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from bot.net.budget import GRANTED, BudgetLimits, ChatId, Lane, Priority, Verdict

# KEYS[1] lane, KEYS[2] chat (or "" for none)
# ARGV: lane interval, lane tolerance, chat interval, chat tolerance
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local chat_tat = now
if KEYS[2] ~= '' then
  chat_tat = math.max(tonumber(redis.call('GET', KEYS[2]) or now), now)
  local chat_wait = chat_tat - tonumber(ARGV[4]) - now
  if chat_wait > 0 then return {tostring(chat_wait), 1} end
end
local lane_tat = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
local lane_wait = lane_tat - tonumber(ARGV[2]) - now
if lane_wait > 0 then return {tostring(lane_wait), 0} end
local lane_next = lane_tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(lane_next), 'PX', math.ceil((lane_next - now) * 1000) + 1000)
if KEYS[2] ~= '' then
  local chat_next = chat_tat + tonumber(ARGV[3])
  redis.call('SET', KEYS[2], tostring(chat_next), 'PX', math.ceil((chat_next - now) * 1000) + 1000)
end
return {'0', 0}
"""

# KEYS[1] the budget to pause; ARGV: duration, tolerance
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
local untl = math.max(tat, now + tonumber(ARGV[1]) + tonumber(ARGV[2]))
redis.call('SET', KEYS[1], tostring(untl), 'PX', math.ceil((untl - now) * 1000) + 1000)
return 1
"""


class RedisStore:
    """`BudgetStore` in Redis under `stretchbot:budget:<bot id>:...`.

    `bot_id` is the numeric part of the token (never the secret); every process of one bot
    must use the same Redis and the same id.
    """

    def __init__(self, client: Redis, bot_id: str) -> None:
        self._client = client
        self.bot_id = bot_id
        self._prefix = f"stretchbot:budget:{bot_id}"
        self._take: Any = client.register_script(_TAKE)
        self._pause: Any = client.register_script(_PAUSE)

    @classmethod
    def from_url(cls, url: str, bot_id: str) -> RedisStore:
        return cls(Redis.from_url(url), bot_id)

    def _lane_key(self, lane: Lane) -> str:
        return f"{self._prefix}:lane:{lane.value}"

    def _chat_key(self, chat_id: ChatId) -> str:
        return f"{self._prefix}:chat:{chat_id}"

    async def try_take(
        self, chat_id: ChatId | None, priority: Priority, lane: Lane, limits: BudgetLimits
    ) -> Verdict:
        shape = limits.lane(lane)
        chat_key = self._chat_key(chat_id) if chat_id is not None else ""
        wait, chat_busy = await self._take(
            keys=[self._lane_key(lane), chat_key],
            args=[
                repr(shape.interval),
                repr(shape.tolerance(priority)),
                repr(limits.chat_interval),
                repr(limits.chat_tolerance_for(priority)),
            ],
        )
        seconds = float(wait)
        if seconds <= 0:
            return GRANTED
        return Verdict(seconds, chat_busy=bool(int(chat_busy)))

    async def pause_chat(self, chat_id: ChatId, duration: float, limits: BudgetLimits) -> None:
        await self._pause(
            keys=[self._chat_key(chat_id)], args=[repr(duration), repr(limits.chat_tolerance)]
        )

    async def pause_lane(self, lane: Lane, duration: float, limits: BudgetLimits) -> None:
        tolerance = limits.lane(lane).tolerance(Priority.PERSON)
        await self._pause(keys=[self._lane_key(lane)], args=[repr(duration), repr(tolerance)])

    async def reset(self) -> None:
        """Forget this bot's budget (tests and benchmarks start from a full budget)."""
        keys = [key async for key in self._client.scan_iter(match=f"{self._prefix}:*")]
        if keys:
            await self._client.delete(*keys)

    async def close(self) -> None:
        await self._client.aclose()
