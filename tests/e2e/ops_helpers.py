"""Reading the bot's health server the way Prometheus and a container healthcheck do."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.chat import monitoring
from tests.e2e.conftest import RunningBot

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def server_url(bot: RunningBot) -> str:
    assert bot.app is not None
    server = monitoring.health_server_of(bot.app)
    assert server is not None, "METRICS_PORT was set, yet no health server runs"
    return server.url


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.text()


async def get_json(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.json()


async def scrape(bot: RunningBot) -> Samples:
    status, body = await get(f"{server_url(bot)}/metrics")
    assert status == 200
    samples: Samples = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def moved(
    bot: RunningBot, before: Samples, name: str, by: float, wait: float = 5.0, **labels: str
) -> float:
    """Wait until the series grew by `by` since `before` (the count is taken after the reply
    reaches the person, a moment later); return the growth, which the caller asserts."""
    deadline = time.monotonic() + wait
    while True:
        grown = value(await scrape(bot), name, **labels) - value(before, name, **labels)
        if grown >= by or time.monotonic() > deadline:
            return grown
        await asyncio.sleep(0.05)
